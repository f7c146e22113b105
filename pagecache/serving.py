"""Serving pages from the cache: what is kept, for whom, and one render per change."""

import contextlib
import hashlib
import time
from contextvars import ContextVar
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import parse_http_date_safe

from pagecache.pages import CachedPage, RecentPages, shared
from pagecache.parts import Recording
from pagecache.versions import (
    SITE,
    CacheUnavailable,
    call,
    current,
    current_token,
    recent_token,
)

# Added by links from newsletters and social networks; they never change a page.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
# While one process renders a page afresh, the others serve its previous copy, or
# wait up to WAIT_SECONDS for the new one when there is none. A render that dies
# frees the page after RENDER_LOCK_SECONDS.
RENDER_LOCK_SECONDS = 5
WAIT_SECONDS = 1.0
WAIT_STEP = 0.01

RENDERS_PREFIX = "pagecache:renders:"

_personal_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
_shown = ContextVar("pagecache_shown", default=None)
_recent_pages = RecentPages(max_bytes=32 * 1024 * 1024)


def personal_cookie(name):
    """Pages requested with the cookie ``name`` belong to one reader: never cached."""
    _personal_cookies.add(name)


def shows(*topics):
    """Record that the page being rendered shows ``topics`` (see pagecache/versions.py)."""
    shown = _shown.get()
    if shown is not None:
        shown.update(topics)


def cache_public(view=None, *, query=("page",)):
    """Serve ``view``'s pages from the page cache to readers without personal cookies.

    ``query`` names the query-string parameters the page depends on; a request with
    any other (tracking parameters aside) is rendered for itself.
    """
    if view is None:
        return lambda view: cache_public(view, query=query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        render = lambda: view(request, *args, **kwargs)  # noqa: E731
        if request.method not in ("GET", "HEAD"):
            return _private(render())
        personal = _is_personal(request)
        params = _page_parameters(request, query)
        if params is None or not settings.PAGE_CACHE:
            return _private(render()) if personal else _uncached(request, render)
        key = _page_key(request, params)
        try:
            page = _page(request, key, render)
        except CacheUnavailable:
            return _private(render()) if personal else _uncached(request, render)
        if not isinstance(page, CachedPage):  # a page that is not kept: a 404, a redirect
            return _private(page) if personal else shared(page)
        if not personal:
            return page.respond(request)
        return page.respond_personally(request) or _private(render())

    return wrapped


def _page(request, key, render):
    """The shared page at ``key``: kept, or rendered once however many ask at a time."""
    request.shared_page = True
    try:
        page, stale = _kept_page(key)
        return page or _render_once(request, key, stale, render)
    finally:
        request.shared_page = False


def _kept_page(key):
    """``(current page, stale page)``: the page if it is current, else its last copy.

    While nothing changed anywhere since this process last found its copy current,
    the counter of changes says so (read at most every ``PAGE_CACHE_FRESHNESS``
    seconds); otherwise the versions of the page's topics are read (one round
    trip) and compared.
    """
    counter = recent_token()
    local, checked = _recent_pages.get(key)
    if local is not None and checked == counter:
        return local, None
    if local is not None and local.is_current(versions := current(local.shows)):
        _recent_pages.found_current(key, local, counter, _until(versions))
        return local, None
    stored = call(cache.get, key)
    fresher = stored is not None and (local is None or stored.shows != local.shows)
    if fresher and stored.is_current(versions := current(stored.shows)):
        _recent_pages.add(key, stored, counter, _until(versions))
        return stored, None
    return None, stored or local


def _render_once(request, key, stale, render):
    """Render the page afresh, unless another process already is: then its last copy,
    or the new one once it is there."""
    lock = f"{key}:rendering"
    rendering_here = call(cache.add, lock, 1, RENDER_LOCK_SECONDS)
    if not rendering_here:
        if stale is not None:
            return stale
        with contextlib.suppress(CacheUnavailable):
            if (page := _wait_for(key)) is not None:
                return page
    try:
        return _render_and_keep(request, key, render)
    finally:
        if rendering_here:
            with contextlib.suppress(CacheUnavailable):
                call(cache.delete, lock)


def _until(versions):
    """The first moment one of ``versions`` changes by itself, if one does."""
    return min((v.next_change for v in versions.values() if v and v.next_change), default=None)


def _wait_for(key):
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        page = call(cache.get, key)
        if page is not None and page.is_current(current(page.shows)):
            _recent_pages.add(key, page)
            return page
    return None


def _render_and_keep(request, key, render):
    if settings.PAGE_CACHE_COUNT_RENDERS:
        count_render(request.path)
    since = current_token()
    shown = {SITE}
    reset = _shown.set(shown)
    try:
        with Recording() as recording:
            response = _rendered(render())
    finally:
        _shown.reset(reset)
    if response.status_code != 200 or response.streaming or response.cookies:
        return response
    content, parts = recording.cut(response.content)
    versions = current(shown)
    page = CachedPage.from_response(
        response,
        shows={topic: version.token for topic, version in versions.items() if version},
        content=content,
        parts=parts,
    )
    # Kept only when no topic changed while it was being rendered.
    if all(version is not None and version.seen_by(since) for version in versions.values()):
        _recent_pages.add(key, page, since, _until(versions))
        with contextlib.suppress(CacheUnavailable):
            call(cache.set, key, page, settings.PAGE_CACHE_TIMEOUT)
    return page


def count_render(path):
    """Count one render of the shared page at ``path`` (for ``make bench``)."""
    key = RENDERS_PREFIX + path
    with contextlib.suppress(CacheUnavailable):
        call(cache.add, key, 0, None)
        call(cache.incr, key)


def renders(path):
    """How many times the shared page at ``path`` was rendered, when they are counted."""
    return call(cache.get, RENDERS_PREFIX + path) or 0


def remembered(name, compute, *, topics):
    """``compute()``, kept in the cache under the current versions of ``topics``.

    For what is costly and changes only with those topics, such as the number of
    articles in a listing. Computed every time when the page cache is off or the
    cache cannot be reached.
    """
    if not settings.PAGE_CACHE:
        return compute()
    shows(*topics)
    try:
        versions = current(topics)
        if any(version is None for version in versions.values()):
            return compute()
        tokens = ",".join(f"{topic}={versions[topic].token}" for topic in sorted(versions))
        key = f"pagecache:value:{hashlib.sha256(f'{name}|{tokens}'.encode()).hexdigest()}"
        value = call(cache.get, key)
    except CacheUnavailable:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(CacheUnavailable):
            call(cache.set, key, value, settings.PAGE_CACHE_TIMEOUT)
    return value


def _rendered(response):
    if getattr(response, "render", None) and not response.is_rendered:
        response.render()
    return response


def _private(response):
    """A page rendered for one reader."""
    patch_cache_control(response, private=True)
    return response


def _uncached(request, render):
    """A shared page rendered for this request alone: it still answers conditional requests."""
    request.shared_page = True
    response = _rendered(render())
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
        response = get_conditional_response(
            request,
            etag=response.headers["ETag"],
            last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
            response=response,
        )
    return shared(response)


def _is_personal(request):
    return not _personal_cookies.isdisjoint(request.COOKIES)


def _page_parameters(request, query):
    """The query parameters that shape the page, sorted; None when another one is there."""
    params = []
    for name, values in request.GET.lists():
        if name.startswith(TRACKING_PARAMETERS):
            continue
        if name not in query:
            return None
        params.extend((name, value) for value in values)
    return sorted(params)


def _page_key(request, params):
    address = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    return f"pagecache:page:{hashlib.sha256(address.encode()).hexdigest()}"
