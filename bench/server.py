"""The production server under test, and plain HTTP requests to it.

``Gunicorn`` starts Tribune the way production does (``gunicorn
config.wsgi:application``, sync workers, ``DEBUG`` off) on a free loopback
port, with the environment it is given, and stops it by its own process id;
``StockDjango`` serves bench/stock/ the same way.
Every request says it came through the TLS proxy (``X-Forwarded-Proto:
https``), so the HTTPS settings stay on as in production.
"""

import functools
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port():
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict
    body: str
    cookies: dict = field(default_factory=dict)


def fetch(port, path, *, method="GET", headers=None, body=None, timeout=30):
    """One request to the server on ``port``; the answer with its body as text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Response(response.status, headers, text, cookies)
    finally:
        connection.close()


@functools.cache
def has_control_socket():
    """Whether this gunicorn opens a control socket (recent versions do, one path per user)."""
    done = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--help"], capture_output=True, text=True, check=False
    )
    return "--no-control-socket" in done.stdout


class Gunicorn:
    """Tribune under gunicorn on a free port, as a context manager.

    ``environment`` is added to this process's own; the server's output goes
    to ``log_path``.
    """

    app = "config.wsgi:application"
    directory = ROOT
    health = "/healthz"  # answers 200 once the server is up

    def __init__(self, environment, log_path, workers=2):
        self.environment = {**os.environ, **environment}
        self.log_path = Path(log_path)
        self.workers = workers
        self.port = free_port()
        self.process = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    def start(self, timeout=60):
        command = [
            sys.executable, "-m", "gunicorn", self.app,
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
        ]  # fmt: skip
        if has_control_socket():
            command.append("--no-control-socket")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 -- our own interpreter and arguments
                command,
                cwd=self.directory,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}: see {self.log_path}"
                )
            try:
                if fetch(self.port, self.health, timeout=5).status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"gunicorn did not answer {self.health} within {timeout} s: see {self.log_path}"
        )

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def worker_pids(self):
        """The worker processes' ids: unchanged as long as no worker was restarted."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split())

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"


class StockDjango(Gunicorn):
    """bench/stock/, a project as ``django-admin startproject`` makes it, under gunicorn."""

    app = "stock.wsgi:application"
    directory = ROOT / "bench"
    health = "/bench/ceiling"

    def __init__(self, environment, log_path, workers=2):
        environment = {**environment, "DJANGO_SETTINGS_MODULE": "stock.settings"}
        super().__init__(environment, log_path, workers)
