"""SQL per page, measured in this process with Django's test client, and its plans.

For each page: the queries of a cold request (every cache emptied first), of
the next, warm, request (anonymous: the page cache may serve it), and of a
warm request with the ``comment_author`` cookie (rendered every time).

``explain_queries`` then runs PostgreSQL's ``EXPLAIN`` on every SELECT of the
cold render that reads a large table (articles, comments, their links to
categories, experts and tags) and reports each sequential scan of one of
those tables: a list query that is not backed by an index.

``cold_times`` times one anonymous request with every cache emptied (the
shared cache and this process's recent pages), a few times over: what the
first reader after a change waits for, without the network.
"""

import json
import statistics
import time
from dataclasses import dataclass, field

from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from load import UNCACHED_COOKIE
from server import PROXY_HEADERS

from pagecache.serving import _recent_pages

# The pages timed cold, and the most their median may take (ms).
COLD_LIMITS_MS = {"article": 20.0, "category": 10.0}
COLD_REPEAT = 7

LARGE_TABLES = (
    "articles_article",
    "comments_comment",
    "taggit_taggeditem",
    "articles_article_categories",
    "articles_byline",
)


@dataclass
class PageQueries:
    cold: int
    warm: int
    uncached: int
    cold_sql: list = field(repr=False, default_factory=list)


def client(cookie=None):
    """A test client that speaks to the site as the benchmark's wrk does."""
    headers = {
        f"HTTP_{name.upper().replace('-', '_')}": value for name, value in PROXY_HEADERS.items()
    }
    if cookie:
        headers["HTTP_COOKIE"] = cookie
    return Client(HTTP_HOST="127.0.0.1", **headers)


def clear_caches():
    """Every cache emptied: Django's caches and the pages this process keeps in memory."""
    for alias in caches:
        caches[alias].clear()
    _recent_pages.clear()


def captured(test_client, path):
    with CaptureQueriesContext(connection) as queries:
        response = test_client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code} in process")
    return [query["sql"] for query in queries.captured_queries]


def count_queries(pages):
    """``{name: PageQueries}`` for each (name, path) of ``pages``."""
    results = {}
    for name, path in pages:
        clear_caches()
        anonymous = client()
        cold = captured(anonymous, path)
        warm = captured(anonymous, path)
        cookie = client(UNCACHED_COOKIE)
        captured(cookie, path)
        uncached = captured(cookie, path)
        results[name] = PageQueries(len(cold), len(warm), len(uncached), cold)
    return results


@dataclass
class ColdTime:
    times_ms: list

    @property
    def median_ms(self):
        return statistics.median(self.times_ms)


def cold_times(pages, repeat=COLD_REPEAT):
    """``{name: ColdTime}``: one anonymous request to each (name, path), caches emptied first.

    One client for all: a new one loads the middleware again on its first request
    (WhiteNoise then reads every static file), which no server does per request.
    """
    anonymous = client()
    results = {}
    for name, path in pages:
        anonymous.get(path)  # the middleware loaded, the templates compiled
        times = []
        for _ in range(repeat):
            clear_caches()
            anonymous.cookies.clear()
            started = time.perf_counter()
            response = anonymous.get(path)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code} in process")
        results[name] = ColdTime(times)
    return results


@dataclass
class Plan:
    checked: int = 0  # SELECTs reading a large table
    seq_scans: list = field(default_factory=list)  # (table, estimated rows, the query)


def seq_scans(node):
    """(table, estimated rows) of every sequential scan of a large table in a JSON plan node."""
    found = []
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") in LARGE_TABLES:
        found.append((node["Relation Name"], int(node.get("Plan Rows", 0))))
    for child in node.get("Plans", []):
        found += seq_scans(child)
    return found


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return seq_scans(plan[0]["Plan"])


def explain_queries(queries):
    """``{name: Plan}`` for ``{name: [sql, …]}``: EXPLAIN of the SELECTs on large tables."""
    plans = {}
    for name, statements in queries.items():
        plan = Plan()
        for sql in dict.fromkeys(statements):
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            if not any(f'"{table}"' in sql for table in LARGE_TABLES):
                continue
            plan.checked += 1
            plan.seq_scans += [(table, rows, sql) for table, rows in explain(sql)]
        plans[name] = plan
    return plans
