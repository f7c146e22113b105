"""The query strings WordPress answers on its home page, and where each leads in Tribune.

With plain permalinks (and still with pretty ones) WordPress answers ``/?p=123``,
``/?page_id=2``, a search (``/?s=words``), its feeds (``/?feed=rss2``), an author's
or a category's archive by id (``/?author=2``, ``/?cat=3``), a tag's by slug
(``/?tag=trade``) and numbered pages (``/?paged=2``), also combined
(``/?cat=3&feed=rss2``, ``/?author=2&paged=3``). Posts, pages, authors and
categories are found through the rows the import recorded; the rest follows a
pattern. When several are named, the one WordPress's template loader would pick
wins: a post or page, then a search, a category, a tag, an author.

A value that is not what WordPress expects (``/?author=abc``), or that names
nothing the import knows (``/?author=999``, where WordPress itself answers 404),
leads nowhere: the home page is shown, as for an unknown ``/?p=``.
"""

from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from taggit.models import Tag

from wordpress import archives
from wordpress.fields import wordpress_id
from wordpress.models import LegacyURL

# Addresses of one post or page, recorded by the import; the first known one wins.
SINGULAR = ("p", "page_id")
# The archives a query names, in the order WordPress's template loader tries them. The
# import recorded ``/?cat=3`` and ``/?author=2``; a tag is named by its slug.
ARCHIVES = ("cat", "tag", "author")
# Every query key this module reads: a request naming none of them costs nothing.
KEYS = frozenset((*SINGULAR, *ARCHIVES, "s", "feed", "paged"))

# WordPress's feed names (``?feed=…``) and the Tribune feed each becomes on the home page.
# An archive has one feed here, whatever the format; its comments have none.
HOME_FEEDS = {
    "feed": "feed-rss",  # WordPress's default feed, RSS 2.0
    "rss2": "feed-rss",
    "rss": "feed-rss",
    "rdf": "feed-rss",
    "atom": "feed-atom",
    "comments-rss2": "comments-feed",
    "comments-atom": "comments-feed",
}
COMMENT_FEEDS = frozenset(name for name in HOME_FEEDS if name.startswith("comments-"))


def target(query):
    """Where the home page with ``query`` (``request.GET``) leads now, or None for nowhere."""
    if KEYS.isdisjoint(query):
        return None
    if any(name in query for name in SINGULAR):
        return singular(query)
    feed = query.get("feed")
    if feed is not None and feed not in HOME_FEEDS:
        return None
    page = None
    if "paged" in query and (page := wordpress_id(query["paged"])) is None:
        return None
    if "s" in query:
        return None if feed else search(query["s"], page)  # Tribune has no feed of a search
    archive = next((name for name in ARCHIVES if name in query), None)
    if archive is None:
        if feed:
            return reverse(HOME_FEEDS[feed])
        return archives.listing_address("articles:home", {}, archives.Form("/", page=page))
    if feed in COMMENT_FEEDS:
        return None  # Tribune has no feed of an archive's comments
    if archive == "tag":
        return tag(query["tag"], feed=bool(feed), page=page)
    found = wordpress_id(query[archive])
    if found is None:
        return None
    form = archives.Form(f"/?{archive}={found}", feed=bool(feed), page=page)
    return LegacyURL.objects.target_of(form=form)


def singular(query):
    """The article or page of ``/?p=123`` or ``/?page_id=2``, or None."""
    for name in SINGULAR:
        found = wordpress_id(query.get(name, ""))
        if found is not None and (address := LegacyURL.objects.target_of(f"/?{name}={found}")):
            return address
    return None


def search(words, page):
    """Tribune's search for ``words`` (``/search/?q=…``), at ``page`` when past the first."""
    words = words.strip()
    address = reverse("articles:search")
    if not words:
        return address
    parameters = {"q": words}
    if page is not None and page > 1:
        parameters["page"] = page
    return f"{address}?{urlencode(parameters)}"


def tag(slug, *, feed=False, page=None):
    """The listing of the tag WordPress called ``slug`` (its feed, its page ``page``), or None.

    A tag whose slug changed is found through its old archive's row
    (``/tag/<slug>/``), any other by its slug, in one query.
    """
    slug = slug.strip().lower()  # WordPress's slugs are lower case
    if not slug or len(slug) > 200:
        return None
    if feed and archives.LISTING_FEEDS["articles:tag"] is None:
        return None  # Tribune has no feed of a tag: nothing to look up
    moved = LegacyURL.objects.filter(old_path=f"/tag/{slug}/", tag__isnull=False).values("tag")
    found = set(Tag.objects.filter(Q(slug=slug) | Q(pk__in=moved)).values_list("slug", flat=True))
    # A tag reached through the row has another slug: it is the one WordPress meant.
    current = next((other for other in found if other != slug), slug if found else None)
    if current is None:
        return None
    form = archives.Form(f"/tag/{slug}/", feed=feed, page=page)
    return archives.listing_address("articles:tag", {"slug": current}, form)
