"""``make bench``: the production server under load, a comment storm and fault runs.

    .venv/bin/python bench/run.py [--skip-scale10] [--only pages,churn,storm,scale10,faults]

On the PostgreSQL server of ``DATABASE_URL`` (default: the local one) it
creates a fresh ``tribune_bench`` database, migrates it and fills it with
``generate.py`` at scale 1, collects the static files into a temporary
folder, then, against gunicorn with production settings and Redis (a
database number of its own, emptied before each run):

1. pages: ``wrk`` on the same trivial view of a stock Django project
   (bench/stock/), then on each page of ``load.PAGES``, cached and uncached,
   and on the ceiling; SQL queries per request, cold requests timed and
   ``EXPLAIN`` of each page's queries, in this process;
2. churn: the cached article page under load while comments are approved on
   another article, renders counted (``churn.py``);
3. storm: 50 readers post 1,000 comments at once (``storm.py``);
4. scale10: the database again at scale 10, and the pages again;
5. faults: PostgreSQL and Redis stopped and started under a running server,
   on throw-away instances (``faults.py``).

It prints the results and writes them to ``bench/RESULTS.md`` (overwritten),
with PASS or FAIL for each target. A missed target does not change the exit
status; a broken harness (a server that does not start, a page that does not
answer 200, wrk missing) exits non-zero. The database is dropped at the end
unless ``--keep``.
"""

import argparse
import contextlib
import datetime
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from server import free_port  # noqa: E402
from support import admin_connection, create_database, drop_database, machine  # noqa: E402

PHASES = ("pages", "churn", "storm", "scale10", "faults")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
DATABASE_NAME = "tribune_bench"
RESULTS = ROOT / "bench" / "RESULTS.md"
LOGS = ROOT / "var" / "bench"  # the servers' output of the last run
RANDOM_PAGE_COST = "1.1"
STORM_SETTINGS = {"PROXY_COUNT": "1", "COMMENTS_RATE_LIMIT": "1000", "COMMENTS_HOLD_ALL": "true"}


def options():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated phases among {', '.join(PHASES)}")
    parser.add_argument("--skip-scale10", action="store_true", help="no run at 10× the data")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per URL")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--keep", action="store_true", help=f"keep the {DATABASE_NAME} database")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the results")
    parsed = parser.parse_args()
    phases = parsed.only.split(",") if parsed.only else list(PHASES)
    if unknown := set(phases) - set(PHASES):
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    if parsed.skip_scale10 and "scale10" in phases:
        phases.remove("scale10")
    parsed.phases = [phase for phase in PHASES if phase in phases]
    return parsed


def database_urls():
    """The server's URL as given, and the benchmark database's next to it."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("make bench needs PostgreSQL: set DATABASE_URL to postgres://…")
    return url, urlunsplit(urlsplit(url)._replace(path=f"/{DATABASE_NAME}"))


def server_environment(database_url, redis_url, static_root):
    """Production settings for the servers under test (and for this process)."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BEHIND_TLS_PROXY": "true",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        # Persistent connections, checked before reuse, as in docker-compose.yml.
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(static_root),
        "BENCHMARK_CEILING": "true",
        # A mail server that is down: notifications fail, comments must not.
        "EMAIL_URL": f"smtp://127.0.0.1:{free_port()}",
        "LOG_LEVEL": "INFO",
    }


class Timer:
    """Times of the phases, printed as they end."""

    def __init__(self):
        self.phases = []

    @contextlib.contextmanager
    def phase(self, name):
        print(f"\n== {name}", flush=True)
        started = time.perf_counter()
        yield
        took = time.perf_counter() - started
        self.phases.append((name, took))
        print(f"   ({name}: {took:.0f} s)", flush=True)


# The phases --------------------------------------------------------------------------------


def fill_database(server_url, scale):
    """A fresh benchmark database at ``scale``; the counts written."""
    from django.core.management import call_command
    from django.db import connections
    from generate import counts_for, generate

    connections.close_all()
    drop_database(server_url, DATABASE_NAME)
    create_database(server_url, DATABASE_NAME)
    with admin_connection(server_url) as connection:
        # Random reads cost little more than sequential ones on SSD storage (bench/README.md).
        connection.execute(
            f"ALTER DATABASE {DATABASE_NAME} SET random_page_cost = {RANDOM_PAGE_COST}"
        )
    call_command("migrate", verbosity=0)
    return generate(**counts_for(scale), log=lambda line: print(line, flush=True))


def flush_cache():
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


def wrk_options(args):
    return {"duration": args.duration, "threads": args.threads, "connections": args.connections}


def measure_pages(args, environment, label):
    """wrk on the stock view and every page, then SQL counts, cold times and plans here.

    The stock view is loaded just before Tribune's first ceiling run and just after
    its last, both servers up, so that the two means span the same stretch of time.
    """
    from load import CEILING, PAGES, load_pages, measure
    from queries import COLD_LIMITS_MS, cold_times, count_queries, explain_queries
    from server import Gunicorn, StockDjango

    flush_cache()
    log_path = LOGS / f"gunicorn-{label}.log"
    stock_log = LOGS / f"gunicorn-stock-{label}.log"
    with (
        StockDjango(environment, stock_log, workers=args.workers) as stock_server,
        Gunicorn(environment, log_path, workers=args.workers) as server,
    ):
        stock_before = measure(stock_server, CEILING, **wrk_options(args))
        print(f"    stock Django view: {stock_before.rps:,.0f} requests/s", flush=True)
        loads = load_pages(server, **wrk_options(args))
        stock_after = measure(stock_server, CEILING, **wrk_options(args))
        print(f"    stock Django view again: {stock_after.rps:,.0f} requests/s", flush=True)
    loads["stock"] = mean_load(stock_before, stock_after)
    paths = {page.name: page.path for page in PAGES}
    queries = count_queries(paths.items())
    cold = cold_times([(name, paths[name]) for name in COLD_LIMITS_MS])
    plans = explain_queries({name: page.cold_sql for name, page in queries.items()})
    return {"loads": loads, "queries": queries, "plans": plans, "cold": cold}


def mean_load(*loads):
    """One ``Load`` for several runs of the same URL: rates and latencies averaged."""
    from load import Load

    def mean(name):
        return sum(getattr(load, name) for load in loads) / len(loads)

    return Load(
        requests=sum(load.requests for load in loads),
        rps=mean("rps"),
        p50_ms=mean("p50_ms"),
        p99_ms=mean("p99_ms"),
        non_2xx=sum(load.non_2xx for load in loads),
        socket_errors=sum(load.socket_errors for load in loads),
    )


def churn_phase(args, environment):
    """wrk on the cached article, without then with churn; renders counted by the server."""
    from churn import CHURN_SETTINGS, run_churn
    from server import Gunicorn

    flush_cache()
    env = {**environment, **CHURN_SETTINGS}
    with Gunicorn(env, LOGS / "gunicorn-churn.log", workers=args.workers) as server:
        measured = run_churn(server, "/articles/bench-discussed/", **wrk_options(args))
    for name in ("quiet", "churn"):
        run = getattr(measured, name)
        print(
            f"    {name}: {run.load.rps:,.0f} requests/s, {run.approvals} approvals, "
            f"renders {run.loaded_renders} loaded / {run.affected_renders} affected",
            flush=True,
        )
    return measured


def comment_storm(environment):
    from queries import explain_queries
    from server import Gunicorn
    from storm import post_queries, run_storm, stored_comments

    flush_cache()
    before = sum(stored_comments().values())
    env = {**environment, **STORM_SETTINGS}
    with Gunicorn(env, LOGS / "gunicorn-storm.log") as server:
        storm = run_storm(server.port, "/articles/bench-discussed/")
    stored = stored_comments()
    storm.stored = sum(stored.values()) - before
    storm.stored_by_status = stored
    storm.post_sql = post_queries("/articles/bench-discussed/")
    storm.post_plan = explain_queries({"post": [sql for _ms, sql in storm.post_sql]})["post"]
    print(
        f"    {storm.accepted} accepted, {storm.stored} stored, statuses {storm.statuses}, "
        f"{storm.seconds:.1f} s"
    )
    return storm


# Versions and the report -------------------------------------------------------------------


def versions(server_url):
    """Versions of the software measured, and the planner setting that matters most here."""
    with admin_connection(server_url) as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0].split()[0]
        server_default = connection.execute("SHOW random_page_cost").fetchone()[0]
    redis = redis_client().info("server")["redis_version"]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)  # noqa: S607
    return {
        "PostgreSQL": postgres,
        "random_page_cost": (
            f"{RANDOM_PAGE_COST} on the benchmark database, as for SSD storage "
            f"(the server's default: {server_default})"
        ),
        "Redis": redis,
        "Django": metadata.version("django"),
        "gunicorn": metadata.version("gunicorn"),
        "wrk": (wrk.stdout.split() or ["?", "?"])[1],
        "Python": platform.python_version(),
    }


def main():
    args = options()
    started = datetime.datetime.now(datetime.UTC)
    from load import ensure_wrk

    ensure_wrk()
    server_url, bench_url = database_urls()
    redis_url = os.environ.get("BENCH_REDIS_URL") or DEFAULT_REDIS_URL
    work = Path(tempfile.mkdtemp(prefix="tribune-bench-"))
    shutil.rmtree(LOGS, ignore_errors=True)
    LOGS.mkdir(parents=True)
    environment = server_environment(bench_url, redis_url, work / "static")
    os.environ.update({**environment, "LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    import report
    from django.core.management import call_command

    timer = Timer()
    results = {"phases": args.phases, "settings": args, "started": started}
    load_before = os.getloadavg()
    needs_data = {"pages", "churn", "storm"} & set(args.phases)
    try:
        check_redis()
        results["versions"] = versions(server_url)
        with timer.phase("collectstatic"):
            call_command("collectstatic", interactive=False, verbosity=0)
        if needs_data:
            with timer.phase("generate, scale 1"):
                results["data1"] = fill_database(server_url, 1)
        if "pages" in args.phases:
            with timer.phase("pages, scale 1"):
                results["scale1"] = measure_pages(args, environment, "scale1")
        if "churn" in args.phases:
            with timer.phase("churn"):
                results["churn"] = churn_phase(args, environment)
        if "storm" in args.phases:
            with timer.phase("comment storm"):
                results["storm"] = comment_storm(environment)
        if "scale10" in args.phases:
            with timer.phase("generate, scale 10"):
                results["data10"] = fill_database(server_url, 10)
            with timer.phase("pages, scale 10"):
                results["scale10"] = measure_pages(args, environment, "scale10")
        if "faults" in args.phases:
            from faults import run_faults

            with timer.phase("fault runs"):
                results["faults"] = run_faults(environment, LOGS)
    finally:
        from django.db import connections

        with contextlib.suppress(Exception):
            flush_cache()
        connections.close_all()
        if not args.keep:
            drop_database(server_url, DATABASE_NAME)
        shutil.rmtree(work, ignore_errors=True)

    results["timings"] = timer.phases
    results["load"] = (load_before, os.getloadavg())
    results["machine"] = machine()
    text = report.render(results)
    print("\n" + text)
    args.results.write_text(text)
    print(f"Written to {args.results}")


def redis_client():
    import redis

    return redis.Redis.from_url(os.environ["REDIS_URL"], socket_connect_timeout=2)


def check_redis():
    try:
        redis_client().ping()
    except Exception as error:
        raise SystemExit(
            f"make bench needs Redis at {os.environ['REDIS_URL']} (set BENCH_REDIS_URL): {error}"
        ) from None


if __name__ == "__main__":
    main()
