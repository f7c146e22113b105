"""Load on the public pages with ``wrk``: requests per second, latency, errors.

Each page is loaded twice against the same server, each time after a warm-up
of requests one after the other (which also times one request alone):

- "cached": as an anonymous reader, whom the whole-page cache serves;
- "with a cookie" (``uncached`` in the code): with a ``comment_author`` cookie,
  a reader whose personal parts (the comment section) are rendered for them
  around the kept page, to show what a reader of their own costs.

The ceiling, a trivial view behind the same middleware (``/bench/ceiling``),
is loaded before and after the pages; each page's requests per second are
compared with the mean of the two. ``measure`` also loads the same view of a
stock Django project (bench/stock/), to compare the ceiling with.
"""

import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from typing import NamedTuple

from server import PROXY_HEADERS, fetch

UNCACHED_COOKIE = "comment_author=bench"
CEILING = "/bench/ceiling"


class Page(NamedTuple):
    """A page measured, and its targets (None: reported, no target)."""

    name: str
    path: str
    cached: float  # the least share of the ceiling's requests/s, anonymous
    uncached: float | None  # the same with the cookie (personal parts rendered)
    alone_ms: float | None  # the most one uncached request may take on the idle server
    growth: float | None  # the most the cached p50 may grow with 10× more data


PAGES = [
    Page("home", "/", 0.75, 0.10, None, 1.25),
    Page("article", "/articles/bench-discussed/", 0.75, 0.06, 12.0, 1.25),
    Page("category", "/category/analysis/", 0.75, 0.10, None, 1.25),
    Page("tag", "/tag/security/", 0.75, 0.10, None, 1.25),
    Page("expert", "/experts/expert-1/", 0.75, 0.10, None, 1.25),
    Page("search", "/search/?q=energy+security", 0.75, None, None, 2.0),
    Page("feed", "/feed/", 0.75, 0.10, None, None),
    Page("sitemap", "/sitemap.xml", 0.75, None, None, None),
    Page("sitemap, articles", "/sitemap-articles.xml", 0.75, None, None, None),
]

TIMEOUT = 30  # seconds wrk waits for an answer, gunicorn's own worker timeout
WARMUP = 3  # seconds of requests one after the other before each run
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass
class Load:
    """What ``wrk`` measured for one URL."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    alone_ms: float | None = None  # one request on the idle server, from the warm-up

    @property
    def errors(self):
        return self.non_2xx + self.socket_errors


def parse_wrk(output):
    """The figures of ``wrk --latency`` output."""

    def number(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        if not match:
            raise ValueError(f"wrk output without {pattern!r}:\n{output}")
        return match

    def latency(percent):
        match = number(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$")
        return float(match[1]) * UNITS[match[2]]

    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(
        requests=int(number(r"^\s*(\d+) requests in ")[1]),
        rps=float(number(r"^Requests/sec:\s+([\d.]+)")[1]),
        p50_ms=latency(50),
        p99_ms=latency(99),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(count) for count in sockets.groups()) if sockets else 0,
    )


def wrk_command(url, *, duration, threads, connections, cookie=None):
    # A slow page (the uncached articles sitemap) is measured, not counted as a timeout.
    command = ["wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    command.append(f"--timeout={TIMEOUT}s")
    headers = {**PROXY_HEADERS, **({"Cookie": cookie} if cookie else {})}
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    return [*command, url]


def run_wrk(url, *, duration, threads, connections, cookie=None):
    command = wrk_command(
        url, duration=duration, threads=threads, connections=connections, cookie=cookie
    )
    done = subprocess.run(  # noqa: S603 -- wrk with our own arguments
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    )
    return parse_wrk(done.stdout)


def ensure_wrk():
    """``wrk``'s path; installed with apt-get when missing and running as root."""
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk")
        install = ["apt-get", "install", "-y", "wrk"]
        if subprocess.run(install, check=False).returncode != 0:  # noqa: S603
            subprocess.run(["apt-get", "update"], check=True)  # noqa: S607
            subprocess.run(install, check=True)  # noqa: S603
        if path := shutil.which("wrk"):
            return path
    raise SystemExit(
        "The benchmark needs wrk (https://github.com/wg/wrk): install it, e.g. "
        "`apt-get install wrk` as root on Debian or Ubuntu, then run `make bench` again."
    )


def warm_up(server, path, cookie=None, seconds=WARMUP):
    """Requests one after the other for ``seconds``, at least two; the median time of one.

    They fill the caches, start both workers and wait for the requests the
    previous run left behind, so that the measured run starts clean. The
    median (first request left out) is what one request costs on an idle server.
    """
    headers = {"Cookie": cookie} if cookie else {}
    times = []
    deadline = time.monotonic() + seconds
    while len(times) < 2 or time.monotonic() < deadline:
        started = time.perf_counter()
        response = fetch(server.port, path, headers=headers)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: see the server's log")
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def measure(server, path, cookie=None, **wrk):
    """The warm-up, then wrk on ``path``; ``wrk``: duration, threads, connections."""
    alone_ms = warm_up(server, path, cookie)
    load = run_wrk(server.url(path), cookie=cookie, **wrk)
    load.alone_ms = alone_ms
    return load


def load_pages(server, *, duration, threads, connections, log=print):
    """Every page of ``PAGES``, cached and uncached, and the ceiling; returns the figures."""
    wrk = {"duration": duration, "threads": threads, "connections": connections}
    ceiling_before = measure(server, CEILING, **wrk)
    log(f"    ceiling: {ceiling_before.rps:,.0f} requests/s")
    results = {}
    for page in PAGES:
        cached = measure(server, page.path, **wrk)
        uncached = measure(server, page.path, UNCACHED_COOKIE, **wrk)
        results[page.name] = {"cached": cached, "uncached": uncached}
        log(f"    {page.name}: {cached.rps:,.0f} requests/s cached, {uncached.rps:,.0f} cookie")
    ceiling_after = measure(server, CEILING, **wrk)
    log(f"    ceiling again: {ceiling_after.rps:,.0f} requests/s")
    return {"ceiling": (ceiling_before, ceiling_after), "pages": results}
