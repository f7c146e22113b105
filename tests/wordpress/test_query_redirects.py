"""WordPress's query strings on the home page after the import: search, feeds, archives, pages.

A small WXR 1.2 export written here, with the ids WordPress gives: two authors
(users 2 and 7), four categories with their term ids (one Persian, whose slug
Tribune cannot keep, and a nested one), a tag whose slug stays and a Persian one
whose slug changes, and four posts.

WordPress answers 404 for an author or a category id it does not know; Tribune
shows its home page instead, as it does for an unknown ``/?p=``: the page names
``/`` as its canonical address, so nothing new gets indexed.
"""

from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Category, Expert
from tests.wordpress import exports
from tests.wordpress.conftest import imported_for_module, location, table_counts
from tests.wordpress.exports import (
    EUROPE,
    NEWS,
    NEWS_FA,
    NEWS_PERSIAN,
    TRADE,
    TRADE_FA,
    TRADE_PERSIAN,
    author,
    category,
    tag,
)
from wordpress.importer import import_export
from wordpress.models import LegacyURL

pytestmark = pytest.mark.django_db

MIDDLEWARE = "wordpress.middleware.LegacyURLMiddleware"
SITE = "http://queries.example"


def post(post_id, slug, creator, date, terms):
    return exports.post(post_id, slug, creator, date, terms, link=f"{SITE}/?p={post_id}")


EXPORT = exports.export(
    SITE,
    "Queries",
    author(2, "jane", "Jane Roe"),
    author(7, "john", "John Smith"),
    category(3, "news", "News"),
    category(4, NEWS_PERSIAN[1], NEWS_FA),
    category(5, "world", "World"),
    category(6, "europe", "Europe", parent="world"),
    tag(8, "trade", "Trade"),
    tag(9, TRADE_PERSIAN[1], TRADE_FA),
    post(11, "harbour-talks", "jane", "2018-10-20 09:00:00", [NEWS, NEWS_PERSIAN, TRADE_PERSIAN]),
    post(12, "grain-prices", "jane", "2018-10-22 09:00:00", [NEWS, TRADE]),
    post(13, "rail-freight", "jane", "2019-01-05 09:00:00", [EUROPE, TRADE]),
    post(14, "port-fees", "john", "2019-02-01 09:00:00", [NEWS, TRADE]),
)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "queries.xml"
    path.write_text(EXPORT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(export, django_db_setup, django_db_blocker):
    """The export, imported once for the module (each test rolls back its own changes)."""
    yield from imported_for_module(export, django_db_blocker)


@pytest.fixture
def one_per_page(settings):
    """One article a page, so that every numbered page of the export's listings exists."""
    settings.ARTICLES_PER_PAGE = 1


def lands(client, address):
    """``address`` (a redirect's target) answers 200 itself."""
    response = client.get(address)
    assert response.status_code == 200, address
    return response


def shows_the_home_page(client, path, data=None):
    response = client.get(path, data)
    assert response.status_code == 200, (path, data)
    assert response.resolver_match.view_name == "articles:home"
    return response


def expert_page(name):
    return Expert.objects.get(name=name).get_absolute_url()


# Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    ["grain", "grain prices", f"{TRADE_FA} و {NEWS_FA}", "salt & pepper #1", "100% + more?=yes"],
)
def test_search_redirects_to_tribunes_search(report, client, words):
    address = location(client, "/", {"s": words})
    parts = urlsplit(address)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/search/")
    assert parse_qs(parts.query) == {"q": [words]}
    assert not parts.fragment
    lands(client, address)


def test_search_with_spaces_and_persian_from_a_raw_address(report, client):
    address = location(client, "/?s=grain+prices%20" + quote(TRADE_FA))
    assert parse_qs(urlsplit(address).query) == {"q": [f"grain prices {TRADE_FA}"]}


def test_search_finds_the_article(report, client):
    response = client.get("/?s=freight", follow=True)
    assert response.redirect_chain == [("/search/?q=freight", 301)]
    assert "Rail-Freight" in response.text


@pytest.mark.parametrize("query", ["/?s=", "/?s=+", "/?s=&paged=2"])
def test_empty_search_leads_to_the_search_page(report, client, query):
    assert location(client, query) == "/search/"
    lands(client, "/search/")


def test_search_keeps_its_page_number(report, client, one_per_page):
    address = location(client, "/?s=text&paged=2")
    assert parse_qs(urlsplit(address).query) == {"q": ["text"], "page": ["2"]}
    lands(client, address)
    assert location(client, "/?s=text&paged=1") == "/search/?q=text"


def test_search_ignores_the_archive_it_was_made_in(report, client):
    # WordPress narrows such a search; Tribune's search has no such filter.
    assert location(client, "/?s=grain&cat=3") == "/search/?q=grain"


# Feeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("feed", "new"),
    [
        ("rss2", "/feed/"),
        ("rss", "/feed/"),
        ("rdf", "/feed/"),
        ("feed", "/feed/"),
        ("atom", "/feed/atom/"),
        ("comments-rss2", "/comments/feed/"),
        ("comments-atom", "/comments/feed/"),
    ],
)
def test_feed_of_the_site(report, client, feed, new):
    assert location(client, "/", {"feed": feed}) == new
    assert "xml" in lands(client, new)["Content-Type"]


def test_feed_of_a_category_by_id(report, client):
    assert location(client, "/?cat=3&feed=rss2") == "/category/news/feed/"
    assert "Grain-Prices" in lands(client, "/category/news/feed/").text


def test_feed_of_an_author_by_id(report, client):
    new = location(client, "/?author=2&feed=atom")
    assert new == f"{expert_page('Jane Roe')}feed/"
    assert "Harbour-Talks" in lands(client, new).text


@pytest.mark.parametrize(
    "query", ["/?tag=trade&feed=rss2", "/?cat=3&feed=comments-rss2", "/?s=grain&feed=rss2"]
)
def test_feed_tribune_does_not_have_shows_the_home_page(report, client, query):
    shows_the_home_page(client, query)


# Authors and categories by id ------------------------------------------------------------


def test_author_by_id_redirects_to_the_expert_page(report, client):
    assert location(client, "/?author=2") == expert_page("Jane Roe")
    assert location(client, "/?author=7") == expert_page("John Smith")
    assert "Rail-Freight" in lands(client, expert_page("Jane Roe")).text


def test_author_page_number(report, client, one_per_page):
    new = location(client, "/?author=2&paged=3")
    assert new == f"{expert_page('Jane Roe')}?page=3"
    assert "Harbour-Talks" in lands(client, new).text
    assert location(client, "/?author=2&paged=1") == expert_page("Jane Roe")


@pytest.mark.parametrize(
    ("cat", "name"), [("3", "News"), ("4", NEWS_FA), ("5", "World"), ("6", "Europe")]
)
def test_category_by_id_redirects_to_the_category(report, client, cat, name):
    new = location(client, "/", {"cat": cat})
    assert new == Category.objects.get(name=name).get_absolute_url()
    lands(client, new)


def test_category_page_number(report, client, one_per_page):
    assert location(client, "/?cat=3&paged=2") == "/category/news/?page=2"
    lands(client, "/category/news/?page=2")


def test_category_then_tag_then_author(report, client):
    # As WordPress's template loader picks: a category, then a tag, then an author.
    assert location(client, "/?author=2&tag=trade&cat=6") == "/category/europe/"
    assert location(client, "/?author=2&tag=trade") == "/tag/trade/"


@pytest.mark.parametrize("query", ["/?author=999", "/?cat=999", "/?author=0", "/?cat=999&paged=2"])
def test_unknown_id_shows_the_home_page(report, client, query):
    shows_the_home_page(client, query)


def test_one_row_per_author_and_category_id(report):
    rows = LegacyURL.objects.filter(old_path__startswith="/?").exclude(old_path__startswith="/?p=")
    assert dict(rows.values_list("old_path", "site_url")) == dict.fromkeys(
        ["/?author=2", "/?author=7", "/?cat=3", "/?cat=4", "/?cat=5", "/?cat=6"],
        "http://queries.example",
    )


def test_report_counts_the_query_forms(report):
    assert report.query_redirects == {"author": 2, "category": 4}
    assert "of which query forms (/?author=N, /?cat=N): 2 author, 4 category" in report.render()


# Tags ------------------------------------------------------------------------------------


def test_tag_with_the_same_slug(report, client, one_per_page):
    assert location(client, "/?tag=trade") == "/tag/trade/"
    assert location(client, "/?tag=Trade") == "/tag/trade/"
    assert location(client, "/?tag=trade&paged=2") == "/tag/trade/?page=2"
    lands(client, "/tag/trade/?page=2")


@pytest.mark.parametrize("value", [TRADE_FA, TRADE_PERSIAN[1], TRADE_PERSIAN[1].upper()])
def test_tag_whose_slug_changed_goes_through_its_row(report, client, value):
    new_slug = Tag.objects.get(name=TRADE_FA).slug
    assert new_slug != TRADE_FA
    # The raw address, as an old link or a crawler writes it.
    new = location(client, f"/?tag={quote(value, safe='%')}")
    assert new == f"/tag/{quote(new_slug)}/"
    assert "Harbour-Talks" in lands(client, new).text


def test_tag_row_wins_over_a_later_tag_with_the_old_slug(report, client):
    imported = Tag.objects.get(name=TRADE_FA)
    Tag.objects.create(name="Commerce", slug=TRADE_FA)
    assert location(client, "/", {"tag": TRADE_FA}) == f"/tag/{quote(imported.slug)}/"


def test_tag_costs_one_query(report, client):
    with CaptureQueriesContext(connection) as queries:
        location(client, "/?tag=trade")
    assert len(queries) == 1


@pytest.mark.parametrize("query", ["/?tag=unknown", "/?tag=", "/?tag=trade,news"])
def test_unknown_tag_shows_the_home_page(report, client, query):
    shows_the_home_page(client, query)


# Pages, posts, malformed values ----------------------------------------------------------


def test_page_number_of_the_home_page(report, client, one_per_page):
    assert location(client, "/?paged=2") == "/?page=2"
    assert "Rail-Freight" in lands(client, "/?page=2").text
    assert location(client, "/?paged=1") == "/"


def test_post_query_form_still_wins(report, client):
    assert location(client, "/?p=12") == "/articles/grain-prices/"
    assert location(client, "/?p=12&feed=rss2&cat=3") == "/articles/grain-prices/"


@pytest.mark.parametrize(
    "query",
    [
        "/?author=abc",
        "/?author=-2",
        "/?author=",
        "/?author=２",  # a digit, but not an ASCII one
        "/?cat=3x",
        "/?paged=two",
        "/?cat=3&paged=0",
        "/?feed=json",
        "/?cat=3&feed=",
        "/?s=grain&paged=x",
        f"/?author={'9' * 5000}",
        "/?p=abc&cat=3",
    ],
)
def test_malformed_value_shows_the_home_page(report, client, query):
    shows_the_home_page(client, query)


def test_only_get_and_head_are_redirected(report, client):
    assert client.head("/?s=grain").status_code == 301
    assert client.post("/?s=grain").status_code != 301


def test_search_never_leads_to_another_host(report, client):
    address = location(client, "/", {"s": "//evil.example/"})
    assert address.startswith("/search/?q=")
    assert not urlsplit(address).netloc


# Cost and running again ------------------------------------------------------------------


@pytest.mark.parametrize("query", ["/?s=grain", "/?feed=rss2", "/?paged=2", "/?s="])
def test_pattern_forms_cost_no_query(report, client, query):
    with CaptureQueriesContext(connection) as queries:
        location(client, query)
    assert len(queries) == 0


@pytest.mark.parametrize("path", ["/", "/?page=2", "/?utm_source=newsletter"])
def test_home_page_without_query_forms_costs_no_query_more(
    report, client, settings, one_per_page, path
):
    client.get(path)  # warm the caches
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as with_middleware:
        assert client.get(path).status_code == 200
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != MIDDLEWARE]
    with CaptureQueriesContext(connection) as without:
        assert client.get(path).status_code == 200
    assert len(with_middleware) == len(without)
    assert not [query for query in with_middleware if "wordpress_legacyurl" in query["sql"]]


def test_importing_again_adds_no_row(report, export):
    before = table_counts()
    again = import_export(export)
    assert table_counts() == before
    assert again.redirects == {"unchanged": sum(report.redirects.values())}
    assert again.query_redirects == report.query_redirects
