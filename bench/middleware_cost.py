"""What each middleware costs a request, in process: ``.venv/bin/python bench/middleware_cost.py``.

The trivial page (``/bench/ceiling``) is requested through Django's WSGI handler
with production settings (``DEBUG`` off, HTTPS behind a proxy, one log line per
request written to a file), first with no middleware, then adding Tribune's
middleware one at a time in order; each line is what adding that one cost (the
best of several runs, in microseconds). The same page behind the middleware of a
stock ``startproject`` comes last, for comparison. Figures vary with the machine
and its load: compare lines of one run.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from stock.settings import MIDDLEWARE as STOCK  # noqa: E402 -- startproject's middleware

HOST = "bench.example"
REQUESTS = 2000
RUNS = 7


def configure(log_path):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="middleware-cost-" + "x" * 40,
        ALLOWED_HOSTS=HOST,
        BENCHMARK_CEILING="true",
        BEHIND_TLS_PROXY="true",
    )
    import django

    django.setup()
    import logging

    from edge.logging import RequestIdFilter

    handler = logging.FileHandler(log_path)
    handler.setFormatter(logging.getLogger().handlers[0].formatter)
    handler.addFilter(RequestIdFilter())
    for name in ("", "django"):
        logging.getLogger(name).handlers = [handler]


def environ():
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/bench/ceiling",
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": HOST,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": HOST,
        "HTTP_X_FORWARDED_PROTO": "https",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def microseconds_per_request(middleware):
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    with override_settings(MIDDLEWARE=middleware):
        handler = WSGIHandler()
        ignore = lambda status, headers: None  # noqa: E731
        best = float("inf")
        for _ in range(RUNS):
            started = time.perf_counter()
            for _ in range(REQUESTS):
                b"".join(handler(environ(), ignore))
            best = min(best, (time.perf_counter() - started) / REQUESTS * 1e6)
    return best


def main():
    with tempfile.TemporaryDirectory() as folder:
        configure(Path(folder) / "requests.log")
        from django.conf import settings

        tribune = list(settings.MIDDLEWARE)
        before = microseconds_per_request([])
        print(f"{before:8.1f} µs  no middleware")
        for count in range(1, len(tribune) + 1):
            after = microseconds_per_request(tribune[:count])
            print(f"{after - before:+8.1f} µs  {tribune[count - 1]}")
            before = after
        print(f"{before:8.1f} µs  Tribune's middleware")
        print(f"{microseconds_per_request(STOCK):8.1f} µs  a stock startproject's middleware")


if __name__ == "__main__":
    main()
