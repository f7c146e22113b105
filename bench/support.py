"""Helpers shared by the benchmark scripts: throw-away PostgreSQL databases, the machine."""

import os
import platform
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def admin_connection(url):
    """An autocommit connection to the server's ``postgres`` database."""
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)


def create_database(url, name):
    from psycopg import sql

    with admin_connection(url) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url, name):
    from psycopg import sql

    with admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def machine():
    """CPUs, CPU model, memory and Python version, for the results."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        memory = "RAM unknown"
    return f"{os.cpu_count()} CPUs ({cpu}), {memory}, Python {platform.python_version()}"
