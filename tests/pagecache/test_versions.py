"""Versions minted once, changes announced once after commit, one render per change."""

import threading
import time

import pytest
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

import pagecache
from pagecache import serving, versions

THREADS = 8


def together(function, count=THREADS):
    """``function()`` run by ``count`` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        barrier.wait()
        results[index] = function()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_workers_agree_on_a_first_version():
    found = together(lambda: versions.current(["article:1"])["article:1"].token)

    assert len(set(found)) == 1
    assert versions.current(["article:1"])["article:1"].token == found[0]


def test_a_change_gives_a_new_larger_token_to_its_topics_only():
    before = versions.current(["article:1", "article:2"])

    versions.bump({"article:1"})
    after = versions.current(["article:1", "article:2"])

    assert after["article:1"].token > before["article:1"].token
    assert after["article:2"] == before["article:2"]


def test_tokens_stay_apart_after_the_cache_is_emptied():
    first = versions.current(["site"])["site"].token
    cache.clear()

    assert versions.current(["site"])["site"].token != first


@pytest.mark.django_db(transaction=True)
def test_changes_in_one_transaction_are_announced_once_after_commit(monkeypatch):
    bumps = []
    monkeypatch.setattr(versions, "bump", bumps.append)

    with transaction.atomic():
        pagecache.changed("comments:1")
        pagecache.changed("comments:1", "comments")
        pagecache.changed("articles")
        assert bumps == []

    assert bumps == [{"comments:1", "comments", "articles"}]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_is_not_announced(monkeypatch):
    bumps = []
    monkeypatch.setattr(versions, "bump", bumps.append)

    with transaction.atomic():
        pagecache.changed("comments:1")
        transaction.set_rollback(True)
    with transaction.atomic():
        pagecache.changed("comments:2")

    assert bumps == [{"comments:2"}]


class SlowPage:
    """A view that takes a while to render and counts its renders."""

    def __init__(self, seconds=0.2):
        self.seconds = seconds
        self.renders = 0
        self.lock = threading.Lock()

    def __call__(self, request):
        with self.lock:
            self.renders += 1
            number = self.renders
        pagecache.shows("article:1")
        time.sleep(self.seconds)
        return HttpResponse(f"render {number}")


def request_page(view):
    return view(RequestFactory().get("/slow/")).content


def test_a_herd_of_readers_after_a_change_costs_one_render():
    page = SlowPage()
    view = pagecache.cache_public(page)
    request_page(view)
    versions.bump({"article:1"})

    served = together(lambda: request_page(view))

    assert page.renders == 2
    # While the new copy was being rendered, the others got the previous one.
    assert set(served) <= {b"render 1", b"render 2"}
    assert request_page(view) == b"render 2"


def test_readers_of_a_page_never_rendered_wait_for_the_one_render():
    page = SlowPage()
    view = pagecache.cache_public(page)

    served = together(lambda: request_page(view))

    assert page.renders == 1
    assert set(served) == {b"render 1"}


def test_a_page_rendered_while_its_topic_changed_is_not_kept():
    class ChangedMeanwhile(SlowPage):
        def __call__(self, request):
            response = super().__call__(request)
            if self.renders == 1:
                versions.bump({"article:1"})  # committed while this render read the old data
            return response

    page = ChangedMeanwhile(seconds=0)
    view = pagecache.cache_public(page)

    assert request_page(view) == b"render 1"
    assert request_page(view) == b"render 2"
    assert request_page(view) == b"render 2"


def test_a_failed_render_frees_the_page_for_the_next_reader():
    calls = []

    def failing(request):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("render failed")
        return HttpResponse("recovered")

    view = pagecache.cache_public(failing)
    with pytest.raises(RuntimeError):
        request_page(view)

    assert request_page(view) == b"recovered"
    assert serving.cache.get(serving._page_key(RequestFactory().get("/slow/"), [])) is not None


def redis_or_skip(settings):
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"tribune-tests-{time.time_ns()}",
        }
    }


def test_workers_sharing_redis_agree_on_one_version_and_one_render(settings):
    redis_or_skip(settings)
    try:
        found = together(lambda: versions.current(["article:7"])["article:7"].token)
        page = SlowPage()
        view = pagecache.cache_public(page)
        served = together(lambda: request_page(view))
    finally:
        cache.clear()

    assert len(set(found)) == 1
    assert page.renders == 1
    assert set(served) == {b"render 1"}


def test_while_nothing_changes_a_kept_page_costs_one_read(monkeypatch):
    page = SlowPage(seconds=0)
    view = pagecache.cache_public(page)
    request_page(view)
    reads = []
    monkeypatch.setattr(caches["default"], "get_many", lambda keys: reads.append(keys) or {})

    request_page(view)

    assert reads == []  # the counter alone said nothing changed
    assert page.renders == 1


def test_a_change_elsewhere_costs_a_look_at_the_topics_not_a_render():
    page = SlowPage(seconds=0)
    view = pagecache.cache_public(page)
    request_page(view)

    versions.bump({"article:2"})

    assert request_page(view) == b"render 1"
    assert page.renders == 1


def test_a_page_found_current_while_a_change_is_being_written_is_looked_at_again(monkeypatch):
    page = SlowPage(seconds=0)
    view = pagecache.cache_public(page)
    request_page(view)
    versions.bump({"article:2"})  # the next reader must look at the topics
    write = cache.set_many

    def a_reader_comes_first(mapping, timeout):
        assert request_page(view) == b"render 1"  # the new token is not written yet
        return write(mapping, timeout)

    monkeypatch.setattr(caches["default"], "set_many", a_reader_comes_first)
    versions.bump({"article:1"})
    monkeypatch.undo()

    assert request_page(view) == b"render 2"


def test_a_change_by_another_process_is_seen_within_the_freshness_time(settings, monkeypatch):
    settings.PAGE_CACHE_FRESHNESS = 60
    page = SlowPage(seconds=0)
    view = pagecache.cache_public(page)
    request_page(view)
    looked = dict(versions._last_look)

    versions._bump({"article:1"})  # as another process would: the shared cache moves...
    versions._last_look.update(looked)  # ...and this process has not looked since

    assert request_page(view) == b"render 1"
    monkeypatch.setattr(versions.time, "monotonic", lambda: looked["at"] + 60)
    assert request_page(view) == b"render 2"


def test_a_change_by_this_process_is_seen_at_once(settings):
    settings.PAGE_CACHE_FRESHNESS = 60
    page = SlowPage(seconds=0)
    view = pagecache.cache_public(page)
    request_page(view)

    versions.bump({"article:1"})

    assert request_page(view) == b"render 2"


def test_a_write_to_very_many_rows_changes_the_whole_site():
    few = pagecache.topics_of([1, 2], lambda pk: f"article:{pk}", along="articles")
    many = pagecache.topics_of(range(versions.MANY + 1), str, along="articles")

    assert few == ("articles", "article:1", "article:2")
    assert many == (pagecache.SITE, "articles")
