"""The page cache: public pages rendered once, then served to every reader without cookies.

Home, articles, listings, archives, search, feeds and the sitemap look the same to every
reader who carries no personal cookie, so their rendered responses are kept in the cache
(Redis in production). Each page is kept with what it shows: the *topics* it recorded
while it was rendered (``shows("article:42")``), each at the version it had then. A
content app that changes something pages show announces it: ``changed("comments:42")``.
Once the transaction commits, those topics get new versions and only the pages that
show them are rendered afresh; every other page stays as it was. Nothing expires on a
timer: a topic that changes by itself at a known moment (a scheduled article goes live)
has a clock (``register_clock()``) and gets its new version then.

The API content apps use, all here:

- ``cache_public(view, query=...)``: serve a view's pages from the cache;
- ``shows(*topics)``: what the page being rendered shows (``SITE`` always);
- ``changed(*topics)``: what a change altered, announced after commit;
- ``remembered(name, compute, topics=...)``: a costly value kept under its topics;
- ``personal_part(name, args, html)`` and ``fills(name)``: a part of a kept page rendered
  for each reader with a cookie, the rest of the page served from the cache;
- ``register_clock(topic, function)`` and ``personal_cookie(name)``.

The page cache imports no content app; topic names mean nothing to it.

A reader with a personal cookie (a session, a flash message, or one an app named with
``personal_cookie()``, such as the comment cookies) gets the kept page with its personal
parts rendered for them (pagecache/parts.py), marked private: the same bytes a whole
render for them would give. Kept pages hold nothing personal: ``request.shared_page``
tells the templates to leave out what belongs to one reader.

One page is rendered once per change: while one process renders it, the others serve its
previous copy, or wait briefly for the new one. Cached pages answer conditional requests
(``ETag``, ``Last-Modified``). When the cache cannot be reached, pages are rendered for
every request, as without it, and changes made meanwhile are announced once it is back.
"""

from pagecache.pages import SHARED_CACHE_CONTROL, CachedPage, RecentPages
from pagecache.parts import fills, personal_part
from pagecache.serving import cache_public, personal_cookie, remembered, shows
from pagecache.versions import SITE, changed, register_clock, topics_of

__all__ = [
    "SHARED_CACHE_CONTROL",
    "SITE",
    "CachedPage",
    "RecentPages",
    "cache_public",
    "changed",
    "fills",
    "personal_cookie",
    "personal_part",
    "register_clock",
    "remembered",
    "shows",
    "topics_of",
]
