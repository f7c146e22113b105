"""The page cache: public pages rendered once, then served to every reader without cookies.

Home, articles, listings, archives, search, feeds and the sitemap look the same to every
reader who carries no personal cookie, so their rendered responses are kept in the cache
(Redis in production) under the site's *content version*. Whatever changes what the public
sees (an article published, edited or unpublished, a comment approved or removed, a
category, expert or tag edited) calls ``content_changed()``; once its transaction commits,
the version is replaced and every page is rendered afresh at its next request. Nothing
expires on a timer: the version also knows the next moment the site changes by itself (a
scheduled article goes live, comments close, the footer's year) and is replaced then. The
sources of such moments register with ``register_clock()``.

A reader with a personal cookie (a session, a flash message, or one an app named with
``personal_cookie()``, such as the comment cookies) gets the page rendered for them,
marked private. Cached pages hold nothing personal: ``request.shared_page`` tells the
templates to leave out what belongs to one reader (the comment form's CSRF token and
timestamp, fetched by a script when the reader starts writing).

Each process also keeps the pages it served lately (``RecentPages``): a page rendered
under a version never changes, so once the shared cache names the current version, a hit
costs one small read instead of fetching the whole page.

Cached pages answer conditional requests: ``ETag`` (a digest of the page) and
``Last-Modified`` (the last change), so a client revalidating its copy gets a 304.

When the cache cannot be reached, pages are rendered for every request, as without it.
"""

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
# Added by links from newsletters and social networks; they never change a page.
TRACKING_PARAMETERS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
# Response headers never stored with a page: they belong to one request.
UNSHARED_HEADERS = {"set-cookie", "x-request-id", "vary", "cache-control"}
SHARED_CACHE_DIRECTIVES = {"public": True, "max_age": 0, "must_revalidate": True}
SHARED_CACHE_CONTROL = "public, max-age=0, must-revalidate"
OUTAGE_LOG_INTERVAL = 60  # seconds between two warnings about an unreachable cache

_clocks = []
_personal_cookies = {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}
_last_outage_warning = 0.0
_version_unsaved = False  # a change this process could not announce to the cache


class CacheUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Version:
    token: str
    changed_at: float  # when this version began (Unix time)
    next_change: float | None  # when the site changes by itself next, if it does


def personal_cookie(name):
    """Pages requested with the cookie ``name`` belong to one reader: never cached."""
    _personal_cookies.add(name)


def register_clock(function):
    """Register ``function()``, which returns when pages next change by themselves.

    It returns an aware datetime, or None when it knows of no such moment.
    """
    _clocks.append(function)
    return function


@register_clock
def next_new_year():
    """The footer shows the year."""
    now = timezone.localtime()
    return now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


def content_changed():
    """Announce a change the public can see.

    The version is replaced at once and again after commit: a page rendered in
    between from what the database held before the commit is kept under a version
    that is already gone.
    """
    replace_version()
    transaction.on_commit(replace_version, robust=True)


def replace_version():
    global _version_unsaved
    try:
        _cache_call(cache.delete, VERSION_KEY)
    except CacheUnavailable:
        # Replaced at this process's next request that reaches the cache.
        _version_unsaved = True
    else:
        _version_unsaved = False


def current_version(stored=None):
    """The content version: ``stored`` (read from the cache) while it holds, else a new one."""
    if stored is not None and (stored.next_change is None or time.time() < stored.next_change):
        return stored
    now = time.time()
    moments = (clock() for clock in _clocks)
    upcoming = [moment.timestamp() for moment in moments if moment is not None]
    version = Version(
        token=uuid.uuid4().hex,
        changed_at=now,
        next_change=min((moment for moment in upcoming if moment > now), default=None),
    )
    _cache_call(cache.set, VERSION_KEY, version, None)
    return version


def _shared_version():
    """The current version as the cache holds it, once a change it missed is caught up."""
    if _version_unsaved:
        replace_version()
    return current_version(_cache_call(cache.get, VERSION_KEY))


def cache_public(view=None, *, query=("page",)):
    """Serve ``view``'s pages from the page cache to readers without personal cookies.

    ``query`` names the query-string parameters the page depends on; a request with
    any other (tracking parameters aside) is rendered for itself.
    """
    if view is None:
        return lambda view: cache_public(view, query=query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_personal(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        params = _page_parameters(request, query)
        request.shared_page = True
        if params is None or not settings.PAGE_CACHE:
            return _uncached(request, view(request, *args, **kwargs))
        key = _page_key(request, params)
        try:
            version = _shared_version()
            page = _recent_pages.get(key, version.token)
            if page is None:
                page = _cache_call(cache.get, key)
                if page is not None and page.version == version.token:
                    _recent_pages.add(key, page)
        except CacheUnavailable:
            return _uncached(request, view(request, *args, **kwargs))
        if page is None or page.version != version.token:
            response = _rendered(view(request, *args, **kwargs))
            if response.status_code != 200 or response.streaming or response.cookies:
                return _shared(response)
            page = CachedPage.from_response(response, version=version)
            _recent_pages.add(key, page)
            with contextlib.suppress(CacheUnavailable):
                _cache_call(cache.set, key, page, settings.PAGE_CACHE_TIMEOUT)
        return page.respond(request)

    return wrapped


def remembered(name, compute):
    """``compute()``, kept in the cache under the current content version.

    For what is costly and changes only with the content, such as the number
    of articles in a listing: any change that could alter it replaces the
    version, so a value kept under the current one is always right. Computed
    every time when the page cache is off or the cache cannot be reached.
    """
    if not settings.PAGE_CACHE:
        return compute()
    try:
        version = _shared_version()
        key = f"pagecache:value:{version.token}:{hashlib.sha256(name.encode()).hexdigest()}"
        value = _cache_call(cache.get, key)
    except CacheUnavailable:
        return compute()
    if value is None:
        value = compute()
        with contextlib.suppress(CacheUnavailable):
            _cache_call(cache.set, key, value, settings.PAGE_CACHE_TIMEOUT)
    return value


@dataclass(frozen=True)
class CachedPage:
    version: str  # the token of the content version it was rendered under
    status: int
    headers: dict  # the view's own, with those of a shared page
    content: bytes
    etag: str
    last_modified: float

    @classmethod
    def from_response(cls, response, *, version):
        # A page that says when it last changed (a feed) keeps its own date.
        last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        last_modified = last_modified or int(version.changed_at)
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in UNSHARED_HEADERS
        }
        headers.update(
            {
                "ETag": etag,
                "Last-Modified": http_date(last_modified),
                "Cache-Control": SHARED_CACHE_CONTROL,
                "Vary": "Cookie",
            }
        )
        return cls(
            version=version.token,
            status=response.status_code,
            headers=headers,
            content=response.content,
            etag=etag,
            last_modified=last_modified,
        )

    def respond(self, request):
        """The page, or a 304 to a request whose copy is still the current one."""
        response = HttpResponse(self.content, status=self.status, headers=self.headers)
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            response = get_conditional_response(
                request, etag=self.etag, last_modified=self.last_modified, response=response
            )
            response = _shared(response)
        return response


class RecentPages:
    """The pages this process served lately, at most ``max_bytes`` of them, oldest out first.

    A page rendered under one content version never changes, so once the shared
    cache has said which version is current, a copy kept here is as good as the
    shared one, without fetching it again.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self._pages = OrderedDict()  # key → CachedPage, least recently used first
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key, token):
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != token:
                return None
            self._pages.move_to_end(key)
            return page

    def add(self, key, page):
        with self._lock:
            if (earlier := self._pages.pop(key, None)) is not None:
                self._size -= len(earlier.content)
            if len(page.content) > self.max_bytes // 8:
                return
            self._pages[key] = page
            self._size += len(page.content)
            while self._size > self.max_bytes:
                _key, dropped = self._pages.popitem(last=False)
                self._size -= len(dropped.content)


_recent_pages = RecentPages(max_bytes=32 * 1024 * 1024)


def _rendered(response):
    if getattr(response, "render", None) and not response.is_rendered:
        response.render()
    return response


def _uncached(request, response):
    """A shared page rendered for this request alone: it still answers conditional requests."""
    response = _rendered(response)
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
        response = get_conditional_response(
            request,
            etag=response.headers["ETag"],
            last_modified=parse_http_date_safe(response.headers.get("Last-Modified", "")),
            response=response,
        )
    return _shared(response)


def _shared(response):
    """The same page for every reader: caches may keep it, but must ask us each time."""
    patch_cache_control(response, **SHARED_CACHE_DIRECTIVES)
    patch_vary_headers(response, ["Cookie"])
    return response


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


def _cache_call(method, *args):
    """Call the cache; an unreachable cache raises CacheUnavailable (logged now and then)."""
    global _last_outage_warning
    try:
        return method(*args)
    except Exception as error:
        now = time.monotonic()
        if now - _last_outage_warning > OUTAGE_LOG_INTERVAL:
            _last_outage_warning = now
            logger.warning("The page cache is off: the cache is unreachable (%s).", error)
        raise CacheUnavailable from error


def watch(*models):
    """Announce a change whenever one of ``models`` is saved or deleted."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(changed, sender=model, dispatch_uid=f"pagecache.{model._meta.label}")


def changed(**kwargs):
    """Signal receiver: any save or delete of a watched model is a change."""
    content_changed()
