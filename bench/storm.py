"""The comment storm: many readers post valid comments at once; none may be lost.

Each of ``POSTERS`` readers, in its own thread and from its own address
(``X-Forwarded-For: 10.77.x.y``, read by a server started with
``PROXY_COUNT=1``), does what a reader without JavaScript does: opens the
article (with a ``comment_author`` cookie, so the page is rendered for them
with the form's CSRF token and signed timestamp, not served from the page
cache), reads for a few seconds (the form refuses a post younger than
``COMMENTS_MIN_SECONDS``), then posts its share of the comments, each with
its own text, one after the other, without following the redirect.

Then one more comment is posted in this process, to count its SQL queries and
EXPLAIN them.

"Accepted" counts the 303 answers; the comments stored are counted in the
database by their authors' email domain, ``STORM_DOMAIN``. The two must be
equal, and no answer may be a 5xx.
"""

import logging
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from server import fetch

POSTERS = 50
COMMENTS = 1_000
STORM_DOMAIN = "storm.bench.invalid"
READING_SECONDS = 3.5

FORM_FIELD = re.compile(
    r'<input type="hidden" name="(csrfmiddlewaretoken|timestamp)" value="([^"]+)"'
)


@dataclass
class Storm:
    accepted: int = 0
    statuses: dict = field(default_factory=dict)
    latencies_ms: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    seconds: float = 0.0
    stored: int = 0  # new storm comments found in the database afterwards
    stored_by_status: dict = field(default_factory=dict)
    post_sql: list = field(default_factory=list)  # [(ms, sql)] of one post, in process
    post_plan: object = None  # queries.Plan of that post's SELECTs

    @property
    def server_errors(self):
        return sum(count for status, count in self.statuses.items() if status >= 500)


class Poster:
    """One reader: their cookies, their address, their form."""

    def __init__(self, port, number, article_path):
        self.port = port
        self.number = number
        self.article_path = article_path
        self.cookies = {"comment_author": f"bench-{number}"}
        self.address = f"10.77.{number // 250}.{number % 250 + 1}"
        self.fields = {}

    def headers(self):
        origin = f"https://127.0.0.1:{self.port}"
        return {
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
            "X-Forwarded-For": self.address,
            "Origin": origin,
            "Referer": origin + self.article_path,
            "User-Agent": f"storm-poster/{self.number}",
        }

    def open_article(self):
        response = fetch(self.port, self.article_path, headers=self.headers())
        if response.status != 200:
            raise RuntimeError(f"poster {self.number}: the article answered {response.status}")
        self.cookies.update(response.cookies)
        self.fields = dict(FORM_FIELD.findall(response.body))
        if set(self.fields) != {"csrfmiddlewaretoken", "timestamp"}:
            raise RuntimeError(f"poster {self.number}: no comment form with its hidden fields")

    def post(self, sequence):
        form = {
            **self.fields,
            "body": f"Storm comment {sequence} from reader {self.number}: the corridor matters.",
            "name": f"Storm reader {self.number}",
            "email": f"reader{self.number}@{STORM_DOMAIN}",
            "url": "",
            "homepage": "",
        }
        headers = {**self.headers(), "Content-Type": "application/x-www-form-urlencoded"}
        started = time.perf_counter()
        response = fetch(
            self.port,
            self.article_path + "comment/",
            method="POST",
            headers=headers,
            body=urlencode(form),
        )
        return response.status, (time.perf_counter() - started) * 1000


def run_storm(port, article_path, *, posters=POSTERS, comments=COMMENTS):
    """Post ``comments`` valid comments from ``posters`` concurrent readers; the tally."""
    storm = Storm()
    lock = threading.Lock()
    readers = [Poster(port, number, article_path) for number in range(posters)]
    started = time.perf_counter()

    def read_then_post(reader):
        try:
            reader.open_article()
            time.sleep(READING_SECONDS)
            for sequence in range(reader.number, comments, posters):
                status, latency = reader.post(sequence)
                with lock:
                    storm.statuses[status] = storm.statuses.get(status, 0) + 1
                    storm.latencies_ms.append(latency)
                    storm.accepted += status == 303
        except Exception as error:  # reported, and the storm counts as broken
            with lock:
                storm.failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=read_then_post, args=(reader,)) for reader in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    storm.seconds = time.perf_counter() - started
    return storm


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def median(values):
    return statistics.median(values) if values else 0.0


def stored_comments():
    """Storm comments in the database, by status."""
    from django.db.models import Count

    from comments.models import Comment

    rows = (
        Comment.objects.filter(email__endswith=f"@{STORM_DOMAIN}")
        .values("status")
        .annotate(count=Count("pk"))
    )
    return {row["status"]: row["count"] for row in rows}


def post_queries(article_path):
    """The SQL of one accepted post, sent in this process: [(milliseconds, sql), …]."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from queries import client

    reader = client("comment_author=bench-in-process")
    fields = dict(FORM_FIELD.findall(reader.get(article_path).content.decode()))
    time.sleep(READING_SECONDS)
    form = {
        **fields,
        "body": f"One more comment, measured in process at {time.time()}.",
        "name": "Storm reader in process",
        "email": f"in-process@{STORM_DOMAIN}",
        "homepage": "",
    }
    notifications = logging.getLogger("comments.notifications")
    notifications.disabled = True  # the mail server is down on purpose
    try:
        with CaptureQueriesContext(connection) as captured:
            response = reader.post(article_path + "comment/", form)
    finally:
        notifications.disabled = False
    if response.status_code != 303:
        raise RuntimeError(f"the in-process comment answered {response.status_code}")
    return [(float(query["time"]) * 1000, query["sql"]) for query in captured.captured_queries]
