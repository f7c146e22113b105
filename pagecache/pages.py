"""A rendered page as it is kept, and the pages each process keeps for itself."""

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from pagecache.parts import filled

# Response headers never stored with a page: they belong to one request.
UNSHARED_HEADERS = {"set-cookie", "x-request-id", "vary", "cache-control"}
SHARED_CACHE_DIRECTIVES = {"public": True, "max_age": 0, "must_revalidate": True}
SHARED_CACHE_CONTROL = "public, max-age=0, must-revalidate"


@dataclass(frozen=True)
class CachedPage:
    shows: dict  # topic → the token of its version when the page was rendered
    status: int
    headers: dict  # the view's own, with those of a shared page
    content: bytes
    etag: str
    last_modified: float
    own_headers: dict = field(default_factory=dict)  # the view's own alone
    parts: tuple | None = ()  # where its personal parts sit; None: it cannot be filled in

    @classmethod
    def from_response(cls, response, *, shows, content=None, parts=()):
        # A page that says when it last changed (a feed) keeps its own date.
        last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        last_modified = last_modified or int(time.time())
        content = response.content if content is None else content
        etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
        own_headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() not in UNSHARED_HEADERS
        }
        headers = dict(own_headers)
        headers.update(
            {
                "ETag": etag,
                "Last-Modified": http_date(last_modified),
                "Cache-Control": SHARED_CACHE_CONTROL,
                "Vary": "Cookie",
            }
        )
        return cls(
            shows=shows,
            status=response.status_code,
            headers=headers,
            content=content,
            etag=etag,
            last_modified=last_modified,
            own_headers=own_headers,
            parts=parts,
        )

    def is_current(self, versions):
        """Whether every topic the page shows is still at the version it was rendered under."""
        return all(
            (version := versions.get(topic)) is not None and version.token == token
            for topic, token in self.shows.items()
        )

    def respond(self, request):
        """The page, or a 304 to a request whose copy is still the current one."""
        response = HttpResponse(self.content, status=self.status, headers=self.headers)
        if "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META:
            response = get_conditional_response(
                request, etag=self.etag, last_modified=self.last_modified, response=response
            )
            response = shared(response)
        return response

    def respond_personally(self, request):
        """The page as rendered for this reader alone, its personal parts filled in for
        them; None when a part cannot be (the page is then rendered for them whole)."""
        if self.parts is None:
            return None
        content = filled(self.content, self.parts, request) if self.parts else self.content
        if content is None:
            return None
        response = HttpResponse(content, status=self.status, headers=self.own_headers)
        patch_cache_control(response, private=True)
        return response


def shared(response):
    """The same page for every reader: caches may keep it, but must ask us each time."""
    patch_cache_control(response, **SHARED_CACHE_DIRECTIVES)
    patch_vary_headers(response, ["Cookie"])
    return response


class RecentPages:
    """The pages this process served lately, at most ``max_bytes`` of them, oldest out first.

    A page never changes once rendered; whether it is still current is asked of the
    shared cache (the versions of its topics), without fetching the page again. Each
    page also keeps the counter of changes at which it was last found current: while
    the counter stays there, nothing changed anywhere and the page is current still.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        # key → [CachedPage, counter when last found current, time until which it holds]
        self._pages = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key, now=None):
        """``(page, counter when it was last found current)``, or ``(None, None)``; the
        counter is None once a topic of the page has reached its moment to change."""
        with self._lock:
            entry = self._pages.get(key)
            if entry is None:
                return None, None
            self._pages.move_to_end(key)
            page, counter, until = entry
            if until is not None and (now or time.time()) >= until:
                counter = None
            return page, counter

    def found_current(self, key, page, counter, until=None):
        with self._lock:
            entry = self._pages.get(key)
            if entry is not None and entry[0] is page:
                entry[1:] = [counter, until]

    def clear(self):
        with self._lock:
            self._pages.clear()
            self._size = 0

    def add(self, key, page, counter=None, until=None):
        with self._lock:
            if (earlier := self._pages.pop(key, None)) is not None:
                self._size -= len(earlier[0].content)
            if len(page.content) > self.max_bytes // 8:
                return
            self._pages[key] = [page, counter, until]
            self._size += len(page.content)
            while self._size > self.max_bytes:
                _key, (dropped, *_found) = self._pages.popitem(last=False)
                self._size -= len(dropped.content)
