"""Fault runs: PostgreSQL, then Redis, stop under a running server and come back.

Everything here is thrown away afterwards: a PostgreSQL cluster made with
``initdb`` in a temporary directory and started with ``pg_ctl`` on a free
port (as the ``postgres`` user when running as root), a ``redis-server`` on
another free port, a small database (migrated, then ``generate.py`` with a
few dozen articles) and a gunicorn serving it with production settings, its
mail server down (``EMAIL_URL`` pointing at a closed port).

Checks, each reported with what was expected and what came:

1. all up: home, article and ``/healthz`` answer 200;
2. PostgreSQL stopped (``pg_ctl stop -m fast``): the article for a reader with
   a cookie (whose comment section is rendered for them) answers 503 with
   ``Retry-After``; home for that reader (no personal part) and the anonymous
   pages 503 or 200 from the page cache; ``/healthz`` 503, a comment posted
   meanwhile 503 with its text given back; no page shows a traceback;
3. PostgreSQL started again: the same pages answer 200 within a few seconds,
   by the same gunicorn workers (no restart);
4. Redis stopped: pages still 200 (rendered, not cached), ``/healthz`` 200,
   a comment is still accepted (303) and stored;
5. Redis started again: pages 200, served from the page cache again.
"""

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from load import UNCACHED_COOKIE
from server import ROOT, Gunicorn, fetch, free_port
from storm import FORM_FIELD
from support import create_database

ARTICLE = "/articles/bench-discussed/"
TRACEBACK_MARKERS = ("Traceback", 'File "')
RECOVERY_SECONDS = 20


@dataclass
class Check:
    phase: str
    what: str
    expected: str
    got: str
    passed: bool


def as_postgres(command):
    """``command`` run as the ``postgres`` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def postgres_bin(name):
    """A PostgreSQL server program: from ``pg_config --bindir``, else the newest Debian one."""
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        bindir = subprocess.run(
            ["pg_config", "--bindir"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if Path(bindir, name).exists():
            return str(Path(bindir, name))
    candidates = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if candidates:
        return candidates[-1]
    if found := shutil.which(name):
        return found
    raise SystemExit(f"The fault run needs PostgreSQL's {name} (initdb, pg_ctl): not found.")


class PostgresCluster:
    """A throw-away PostgreSQL cluster in ``directory`` on a free port."""

    def __init__(self, directory):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *command):
        subprocess.run(as_postgres(list(command)), check=True, capture_output=True)  # noqa: S603

    def create(self):
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
        self.run(
            postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.directory / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self):
        self.run(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self):
        done = subprocess.run(  # noqa: S603
            as_postgres([postgres_bin("pg_ctl"), "-D", str(self.data), "status"]),
            capture_output=True,
            check=False,
        )
        return done.returncode == 0


class RedisServer:
    """A throw-away ``redis-server`` on a free port, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        program = shutil.which("redis-server")
        if not program:
            raise SystemExit("The fault run needs redis-server: not found.")
        command = [
            program, "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket_to(self.port):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def socket_to(port):
    return socket.create_connection(("127.0.0.1", port), timeout=1)


# The checks --------------------------------------------------------------------------------


def shows_traceback(body):
    return any(marker in body for marker in TRACEBACK_MARKERS)


class Checker:
    """Requests to the server under test, each recorded as a ``Check``."""

    def __init__(self, server, log=print):
        self.server = server
        self.checks = []
        self.log = log

    def record(self, phase, what, expected, got, passed):
        self.checks.append(Check(phase, what, expected, got, passed))
        self.log(
            f"    {'PASS' if passed else 'FAIL'}  {phase}: {what}: {got} (expected {expected})"
        )

    def same_workers(self, phase, workers):
        """The server's workers must still be ``workers``: it recovered without a restart."""
        same = self.server.worker_pids() == workers
        got = "the same" if same else "restarted"
        self.record(phase, "gunicorn workers", "the same processes", got, same)

    def page(self, phase, what, path, expected, *, cookie=None, retry_after=False):
        """GET ``path``; its status must be one of ``expected`` and it must show no traceback."""
        headers = {"Cookie": cookie} if cookie else {}
        started = time.perf_counter()
        response = fetch(self.server.port, path, headers=headers)
        took = (time.perf_counter() - started) * 1000
        got = f"{response.status} in {took:.0f} ms"
        passed = response.status in expected and not shows_traceback(response.body)
        if shows_traceback(response.body):
            got += ", traceback shown"
        if retry_after and response.status == 503:
            got += f", Retry-After {response.headers.get('retry-after', 'missing')}"
            passed = passed and "retry-after" in response.headers
        wanted = " or ".join(str(status) for status in expected)
        if retry_after:
            wanted = wanted.replace("503", "503 with Retry-After")
        self.record(phase, what, wanted, got, passed)
        return response

    def recovers(self, phase, paths, timeout=RECOVERY_SECONDS):
        """Poll until every path answers 200; what was answered meanwhile is reported."""
        started = time.monotonic()
        meanwhile = {}
        while time.monotonic() - started < timeout:
            responses = [fetch(self.server.port, path) for path in paths]
            if all(response.status == 200 for response in responses):
                break
            for response in responses:
                key = str(response.status)
                if shows_traceback(response.body):
                    key += " with a traceback"
                meanwhile[key] = meanwhile.get(key, 0) + 1
            time.sleep(0.5)
        took = time.monotonic() - started
        passed = took < timeout and not any("traceback" in key for key in meanwhile)
        got = f"after {took:.1f} s" if took < timeout else "not yet"
        if meanwhile:
            got += " (meanwhile " + ", ".join(f"{k} ×{n}" for k, n in meanwhile.items()) + ")"
        self.record(phase, "pages and /healthz back to 200", f"within {timeout} s", got, passed)


def comment_form(port):
    """The cookies and hidden fields of a freshly rendered comment form."""
    response = fetch(port, ARTICLE, headers={"Cookie": UNCACHED_COOKIE})
    fields = dict(FORM_FIELD.findall(response.body))
    return {"comment_author": "bench", **response.cookies}, fields


def post_comment(port, cookies, fields, text):
    origin = f"https://127.0.0.1:{port}"
    headers = {
        "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
        "Origin": origin,
        "Referer": origin + ARTICLE,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    form = {
        **fields,
        "body": text,
        "name": "Fault reader",
        "email": "fault.reader@faults.bench.invalid",
        "homepage": "",
    }
    return fetch(port, ARTICLE + "comment/", method="POST", headers=headers, body=urlencode(form))


def stored(url, text):
    """How many comments with ``text`` the database at ``url`` holds."""
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT count(*) FROM comments_comment WHERE body = %s", [text]
        ).fetchone()[0]


def database_down(checker, cluster):
    phase = "PostgreSQL down"
    port = checker.server.port
    cookies, fields = comment_form(port)
    time.sleep(3.5)  # the form's minimum age
    cluster.stop()
    checker.page(
        phase, "home, with a cookie", "/", [503, 200], cookie=UNCACHED_COOKIE, retry_after=True
    )
    checker.page(
        phase, "article, rendered", ARTICLE, [503], cookie=UNCACHED_COOKIE, retry_after=True
    )
    checker.page(phase, "home, anonymous", "/", [503, 200])
    checker.page(phase, "article, anonymous", ARTICLE, [503, 200])
    checker.page(phase, "/healthz", "/healthz", [503])
    text = "Posted while the database was down: this text must come back to its author."
    response = post_comment(port, cookies, fields, text)
    passed = response.status == 503 and text in response.body and not shows_traceback(response.body)
    checker.record(
        phase,
        "comment posted",
        "503 with the text given back",
        f"{response.status}, text {'given back' if text in response.body else 'lost'}",
        passed,
    )


def redis_down(checker, redis, database_url):
    phase = "Redis down"
    port = checker.server.port
    cookies, fields = comment_form(port)
    time.sleep(3.5)
    redis.stop()
    checker.page(phase, "home, anonymous", "/", [200])
    checker.page(phase, "article, anonymous", ARTICLE, [200])
    checker.page(phase, "article, rendered", ARTICLE, [200], cookie=UNCACHED_COOKIE)
    checker.page(phase, "/healthz", "/healthz", [200])
    text = "Posted while the cache was down, and the mail server too."
    response = post_comment(port, cookies, fields, text)
    count = stored(database_url, text)
    checker.record(
        phase,
        "comment posted",
        "303, stored",
        f"{response.status}, stored {count}",
        response.status == 303 and count == 1,
    )


def run_faults(environment, log_dir, log=print):
    """Run every fault check against throw-away servers; returns the list of checks."""
    cluster = PostgresCluster(tempfile.mkdtemp(prefix="tribune-faults-pg-"))
    redis = RedisServer()
    server = None
    try:
        cluster.create()
        cluster.start()
        redis.start()
        create_database(cluster.url, "tribune_faults")
        database_url = cluster.url.rsplit("/", 1)[0] + "/tribune_faults"
        env = {
            **environment,
            "DATABASE_URL": database_url,
            "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",
        }
        prepare(env)
        log(f"    throw-away PostgreSQL on port {cluster.port}, Redis on port {redis.port}")
        server = Gunicorn(env, Path(log_dir) / "gunicorn-faults.log")
        server.start()
        checker = Checker(server, log)
        workers = server.worker_pids()
        for path in ("/", ARTICLE, "/healthz"):
            checker.page("all up", path, path, [200])

        database_down(checker, cluster)
        cluster.start()
        checker.recovers("PostgreSQL back", ["/", ARTICLE, "/healthz"])
        checker.page("PostgreSQL back", "article, rendered", ARTICLE, [200], cookie=UNCACHED_COOKIE)
        checker.same_workers("PostgreSQL back", workers)

        redis_down(checker, redis, database_url)
        redis.start()
        checker.recovers("Redis back", ["/", ARTICLE, "/healthz"])
        checker.page("Redis back", "home, anonymous", "/", [200])
        checker.same_workers("Redis back", workers)
        return checker.checks
    finally:
        if server:
            server.stop()
        redis.stop()
        if cluster.is_running():
            cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)


def prepare(env):
    """Migrate the throw-away database and fill it with a few dozen articles."""
    environment = {**os.environ, **env, "LOG_LEVEL": "WARNING"}
    commands = [
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        [
            sys.executable, "bench/generate.py", "--articles", "60", "--comments", "600",
            "--categories", "6", "--tags", "20", "--experts", "5",
        ],
    ]  # fmt: skip
    for command in commands:
        subprocess.run(command, cwd=ROOT, env=environment, check=True, capture_output=True)  # noqa: S603
