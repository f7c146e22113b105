"""Old WordPress archive addresses: authors, categories, tags and dates, their feeds and pages.

WordPress lists posts at ``/author/<nicename>/``, ``/category/<slug>/`` (nested as
``/category/parent/child/``), ``/tag/<slug>/`` and by date at ``/2018/``,
``/2018/10/`` and ``/2018/10/20/``. Each archive also has a feed (``feed/``,
``feed/atom/``, ``rss2/``…) and numbered pages (``page/2/``) under its address.

The import records one ``LegacyURL`` for each author, category and tag whose address
changed; the forms under it follow from that row here, with no row of their own.
Dates need no row at all: Tribune's date archives are ``/articles/<yyyy>/`` and
``/articles/<yyyy>/<mm>/``. Tribune has no day archive (the month stands in for it),
and no feed of a tag or a period (their feeds stay a 404).
"""

import re
from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse

# What WordPress adds to an archive's address: a feed (in one of its formats) or a page.
FORM = re.compile(
    r"^(?P<base>/(?:.+?/)??)"  # the shortest: /x/feed/rss2/ is a feed of /x/
    r"(?:(?:feed/)?(?:feed|rdf|rss|rss2|atom)/|page/(?P<page>[0-9]{1,6})/)$"
)
DATE = re.compile(r"^/(?P<year>[0-9]{4})/(?:(?P<month>[0-9]{1,2})/(?:(?P<day>[0-9]{1,2})/)?)?$")

# The Tribune listings an old archive can lead to, and the name of each one's feed.
LISTING_FEEDS = {
    "articles:home": "feed-rss",
    "articles:category": "feed-category",
    "articles:expert": "feed-expert",
    "articles:tag": None,
    "articles:archive-year": None,
    "articles:archive-month": None,
}


@dataclass(frozen=True)
class Form:
    """What an address asks of the archive at ``base``: its feed, or its page ``page``."""

    base: str
    feed: bool = False
    page: int | None = None  # as numbered in the address: /page/1/ is 1

    @property
    def plain(self):
        """Whether the address is the archive's own, with no feed or page after it."""
        return not self.feed and self.page is None


def form_of(path):
    """The archive ``path`` names, and what it asks of it.

    ``/tag/x/page/2/`` is page 2 of ``/tag/x/``, ``/tag/x/feed/atom/`` its feed;
    a path that is no feed or page is the plain form of itself.
    """
    slashed = path if path.endswith("/") else f"{path}/"
    match = FORM.match(slashed)
    if match is None:
        return Form(slashed)
    page = match["page"]
    return Form(match["base"], feed=page is None, page=None if page is None else int(page))


def listing_address(view_name, kwargs, form=None):
    """The address of the Tribune listing (``articles:tag``, ``{"slug": …}``), or of ``form`` of it.

    None when Tribune has no such listing, or no feed of it.
    """
    if view_name not in LISTING_FEEDS:
        return None
    if form is not None and form.feed:
        feed = LISTING_FEEDS[view_name]
        return reverse(feed, kwargs=kwargs) if feed else None
    address = reverse(view_name, kwargs=kwargs)
    page = form.page if form is not None else None
    return f"{address}?page={page}" if page is not None and page > 1 else address


def date_archive(form):
    """Tribune's address for a WordPress date archive (``/2018/10/20/`` → the month), or None."""
    match = DATE.match(form.base)
    if match is None:
        return None
    year, month, day = match["year"], match["month"], match["day"]
    if month is None:
        return listing_address("articles:archive-year", {"year": year}, form)
    if not 1 <= int(month) <= 12 or (day is not None and not 1 <= int(day) <= 31):
        return None
    kwargs = {"year": year, "month": f"{int(month):02d}"}
    return listing_address("articles:archive-month", kwargs, form)


def same_listing(form, urlconf=None):
    """The feed or page ``form`` asks of a listing Tribune serves at the same address.

    ``/category/news/page/2/`` → ``/category/news/?page=2``, ``/feed/rss2/`` → ``/feed/``.
    """
    try:
        match = resolve(form.base, urlconf)
    except Resolver404:
        return None
    return listing_address(match.view_name, match.kwargs, form)
