"""Churn: a cached page under load while comments are approved on another article.

The server runs with ``PAGE_CACHE_COUNT_RENDERS=true``: each render of a shared
page adds one to ``pagecache:renders:<path>`` in the shared cache. Two runs of
wrk on the anonymous article page, each after a warm-up, with the counters
emptied just before and read just after:

- quiet: nothing changes;
- churn: this process approves one pending comment every ``APPROVAL_SECONDS``
  on another published article, one the loaded page does not show, through the
  app's own ``Comment.approve()`` (which announces the change to the page cache
  after commit, through the same Redis database and key prefix as the server).

In both, one reader asks for that other article's page every ``READ_SECONDS``,
one request after the other. The loaded page must not be rendered again; the
affected one at most once per approval, and it must show the last comment
approved within ``SETTLE_SECONDS``: a worker sees another process's change once
it looks at the counter of changes again (``PAGE_CACHE_FRESHNESS``), and the
previous copy may be served while one worker renders the new one.
"""

import re
import threading
import time
from dataclasses import dataclass

from load import Load, run_wrk, warm_up
from server import fetch

APPROVAL_SECONDS = 0.5
READ_SECONDS = 0.25
SETTLE_SECONDS = 1.0  # well over PAGE_CACHE_FRESHNESS and one render of the page
CHURN_DOMAIN = "churn.bench.invalid"
RENDERS_PREFIX = "pagecache:renders:"  # pagecache/serving.py, with PAGE_CACHE_COUNT_RENDERS
ARTICLE_LINK = re.compile(r'href="(?:https?://[^/"]+)?/articles/([^/"?#]+)/"')
# The server's settings for this phase: count each render of a shared page.
CHURN_SETTINGS = {"PAGE_CACHE_COUNT_RENDERS": "true"}


@dataclass
class Window:
    """One wrk run on the loaded page, and what happened meanwhile."""

    load: Load
    approvals: int
    loaded_renders: int
    affected_renders: int
    reads: int
    read_errors: int
    last_shown: bool | None = None  # the affected page shows the last approval (None: none)


@dataclass
class Churn:
    loaded: str
    affected: str
    quiet: Window
    churn: Window


def body(number):
    return f"Churn comment {number}: approved while the other article is under load."


def affected_article(loaded_html):
    """A published article the loaded page does not link to: its comments do not show there."""
    from articles.models import Article

    linked = set(ARTICLE_LINK.findall(loaded_html))
    article = (
        Article.objects.published()
        .exclude(slug__in=linked)
        .order_by("-published_at", "-pk")
        .first()
    )
    if article is None:
        raise RuntimeError("no published article outside the loaded page for the churn")
    return article


def add_pending(article, count):
    """``count`` pending comments on ``article``; their ids, oldest first."""
    from comments.models import Comment

    made = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Churn reader {number}",
            email=f"reader{number}@{CHURN_DOMAIN}",
            body=body(number),
            status=Comment.Status.PENDING,
        )
        for number in range(count)
    )
    return [comment.pk for comment in made]


def renders(path):
    from django.core.cache import cache

    return cache.get(RENDERS_PREFIX + path) or 0


def reset_renders(*paths):
    from django.core.cache import cache

    cache.delete_many([RENDERS_PREFIX + path for path in paths])


class Loop(threading.Thread):
    """``step()`` every ``seconds`` on a fixed schedule until stopped; its error kept."""

    def __init__(self, seconds, stop):
        super().__init__(daemon=True)
        self.seconds = seconds
        self.stop = stop
        self.count = 0
        self.error = None

    def run(self):
        from django.db import connection

        due = time.monotonic() + self.seconds
        try:
            while not self.stop.wait(max(0.0, due - time.monotonic())):
                if not self.step():
                    break
                self.count += 1
                due += self.seconds
        except Exception as error:  # re-raised by the phase: the harness is broken
            self.error = error
        finally:
            connection.close()


class Approver(Loop):
    """Approves the pending comments ``pks``, one per step, through ``Comment.approve()``."""

    def __init__(self, pks, stop):
        super().__init__(APPROVAL_SECONDS, stop)
        self.pending = list(pks)
        self.approved = []

    def step(self):
        from comments.models import Comment

        if not self.pending:
            return False
        pk = self.pending.pop(0)
        Comment.objects.get(pk=pk).approve(by=None)
        self.approved.append(pk)
        return True


class Reader(Loop):
    """Requests ``path`` anonymously, one request after the other."""

    def __init__(self, port, path, stop):
        super().__init__(READ_SECONDS, stop)
        self.port = port
        self.path = path
        self.errors = 0

    def step(self):
        try:
            self.errors += fetch(self.port, self.path).status != 200
        except OSError:
            self.errors += 1
        return True


def window(server, loaded, affected, pending, wrk):
    """wrk on ``loaded`` while ``pending`` comments are approved and ``affected`` is read."""
    warm_up(server, loaded)
    warm_up(server, affected)
    reset_renders(loaded, affected)
    stop = threading.Event()
    approver, reader = Approver(pending, stop), Reader(server.port, affected, stop)
    approver.start()
    reader.start()
    try:
        load = run_wrk(server.url(loaded), **wrk)
    finally:
        stop.set()
        approver.join()
        reader.join()
    for loop in (approver, reader):
        if loop.error is not None:
            raise RuntimeError(f"churn: {type(loop).__name__} failed") from loop.error
    done = Window(
        load,
        len(approver.approved),
        renders(loaded),
        renders(affected),
        reader.count,
        reader.errors,
    )
    if approver.approved:
        done.last_shown = shown_soon(server, affected, body(len(approver.approved) - 1))
    return done


def shown_soon(server, path, text):
    """Whether ``path`` shows ``text`` within ``SETTLE_SECONDS``."""
    deadline = time.monotonic() + SETTLE_SECONDS
    while True:
        if text in fetch(server.port, path).body:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def run_churn(server, loaded, *, duration, threads, connections):
    """The quiet run, then the churn run, on ``server`` (started with ``CHURN_SETTINGS``)."""
    wrk = {"duration": duration, "threads": threads, "connections": connections}
    page = fetch(server.port, loaded)
    if page.status != 200:
        raise RuntimeError(f"{loaded} answered {page.status}: see the server's log")
    article = affected_article(page.body)
    pending = add_pending(article, round(duration / APPROVAL_SECONDS) + 20)
    affected = article.get_absolute_url()
    quiet = window(server, loaded, affected, [], wrk)
    churn = window(server, loaded, affected, pending, wrk)
    return Churn(loaded, affected, quiet, churn)
