"""Old WordPress archive addresses after the import: authors, categories, tags and dates.

A small WXR 1.2 export written here: two authors whose WordPress nicenames clash
(WordPress gave the later user ``-2``), one whose login holds ``@``, a Persian
category and tag (percent-encoded slugs Tribune cannot keep), a nested category,
and a category and a tag whose addresses stay the same.
"""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Category, Expert
from pagecache import SHARED_CACHE_CONTROL
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
from wordpress.archives import Form, form_of
from wordpress.importer import import_export
from wordpress.models import LegacyURL
from wordpress.text import user_nicename

pytestmark = pytest.mark.django_db

SITE = "http://archives.example"
EVERY_TERM = [NEWS, NEWS_PERSIAN, EUROPE, TRADE, TRADE_PERSIAN]


def post(post_id, slug, creator, date, terms):
    link = f"{SITE}/{date[:10].replace('-', '/')}/{slug}/"
    return exports.post(post_id, slug, creator, date, terms, link=link)


EXPORT = exports.export(
    SITE,
    "Archives",
    author(9, "john-smith", "Another John"),
    author(3, "John.Smith", "John Smith"),
    author(5, "jane@example.com", "Jane Roe"),
    category(None, "news", "News"),
    category(None, NEWS_PERSIAN[1], NEWS_FA),
    category(None, "world", "World"),
    category(None, "europe", "Europe", parent="world"),
    tag(None, "trade", "Trade"),
    tag(None, TRADE_PERSIAN[1], TRADE_FA),
    post(1, "harbour-talks", "John.Smith", "2018-10-20 09:00:00", EVERY_TERM),
    post(2, "grain-prices", "jane@example.com", "2018-10-22 09:00:00", [NEWS, TRADE]),
    post(3, "rail-freight", "john-smith", "2019-01-05 09:00:00", [EUROPE]),
)


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("archives") / "archives.xml"
    path.write_text(EXPORT, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def report(export, django_db_setup, django_db_blocker):
    """The export, imported once for the module (each test rolls back its own changes)."""
    yield from imported_for_module(export, django_db_blocker)


# Nicenames -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("login", "nicename"),
    [
        ("admin", "admin"),
        ("John.Smith", "john-smith"),
        ("jane@example.com", "janeexample-com"),
        ("Jane  Doe", "jane-doe"),
        ("under_score", "under_score"),
        ("-.dots.-", "dots"),
        ("Renée", "renee"),
        ("@@", ""),
    ],
)
def test_nicename_as_wordpress_makes_it(login, nicename):
    assert user_nicename(login) == nicename


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/author/jane/", Form("/author/jane/")),
        ("/author/jane/feed", Form("/author/jane/", feed=True)),
        ("/category/a/b/feed/rss2/", Form("/category/a/b/", feed=True)),
        ("/feed/atom/", Form("/", feed=True)),
        ("/tag/x/page/3/", Form("/tag/x/", page=3)),
        ("/page/2/", Form("/", page=2)),
    ],
)
def test_form_of_an_old_address(path, form):
    assert form_of(path) == form


# Authors ---------------------------------------------------------------------------------


def test_author_archive_redirects_to_the_expert_page(report, client):
    expert = Expert.objects.get(name="John Smith")
    assert location(client, "/author/john-smith/") == f"/experts/{expert.slug}/"
    response = client.get("/author/john-smith/", follow=True)
    assert response.redirect_chain == [(f"/experts/{expert.slug}/", 301)]
    assert response.status_code == 200
    assert "John Smith" in response.text
    assert "Harbour-Talks" in response.text


def test_author_archive_without_its_slash_redirects(report, client):
    assert location(client, "/author/john-smith") == location(client, "/author/john-smith/")


@pytest.mark.parametrize("suffix", ["feed/", "feed", "feed/atom/", "feed/rss2/", "rss2/"])
def test_author_feed_redirects_to_the_expert_feed(report, client, suffix):
    slug = Expert.objects.get(name="John Smith").slug
    assert location(client, f"/author/john-smith/{suffix}") == f"/experts/{slug}/feed/"
    response = client.get(f"/author/john-smith/{suffix}", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    assert "Harbour-Talks" in response.text


def test_author_page_redirects_to_the_expert_page_number(report, client):
    slug = Expert.objects.get(name="John Smith").slug
    assert location(client, "/author/john-smith/page/2/") == f"/experts/{slug}/?page=2"
    assert location(client, "/author/john-smith/page/1/") == f"/experts/{slug}/"


def test_clashing_nicename_got_its_suffix_in_the_order_of_user_ids(report, client):
    # "john-smith" (user 9) came after "John.Smith" (user 3), whose nicename it would have had.
    assert location(client, "/author/john-smith-2/") == (
        Expert.objects.get(name="Another John").get_absolute_url()
    )


def test_login_with_an_at_sign(report, client):
    assert location(client, "/author/janeexample-com/") == (
        Expert.objects.get(name="Jane Roe").get_absolute_url()
    )


def test_one_row_per_author_none_for_its_feed_or_pages(report):
    authors = LegacyURL.objects.filter(old_path__startswith="/author/")
    assert set(authors.values_list("old_path", flat=True)) == {
        "/author/john-smith/",
        "/author/john-smith-2/",
        "/author/janeexample-com/",
    }


@pytest.mark.parametrize(
    "path", ["/author/nobody/", "/author/nobody/feed/", "/author/nobody/page/2/", "/author/"]
)
def test_unknown_author_stays_a_404(report, client, path):
    assert client.get(path).status_code == 404


def test_article_address_has_no_feed_or_pages(report, client):
    assert location(client, "/2018/10/20/harbour-talks/") == "/articles/harbour-talks/"
    assert client.get("/2018/10/20/harbour-talks/feed/").status_code == 404
    assert client.get("/2018/10/20/harbour-talks/page/2/").status_code == 404


# Categories and tags ---------------------------------------------------------------------


def test_category_whose_slug_changed_redirects(report, client):
    category = Category.objects.get(name=NEWS_FA)
    new = f"/category/{category.slug}/"
    assert location(client, f"/category/{quote(NEWS_FA)}/") == new
    assert location(client, f"/category/{quote(NEWS_FA)}/feed/") == f"{new}feed/"
    assert location(client, f"/category/{quote(NEWS_FA)}/page/3/") == f"{new}?page=3"
    assert client.get(new).status_code == 200


def test_nested_category_and_its_forms_redirect(report, client):
    assert location(client, "/category/world/europe/") == "/category/europe/"
    assert location(client, "/category/world/europe/feed/") == "/category/europe/feed/"
    assert location(client, "/category/world/europe/page/2/") == "/category/europe/?page=2"


def test_category_with_the_same_address_gets_no_row(report, client):
    assert not LegacyURL.objects.filter(old_path__startswith="/category/news/").exists()
    assert client.get("/category/news/").status_code == 200
    assert client.get("/category/news/feed/").status_code == 200
    # WordPress's numbered pages still lead to Tribune's, by pattern.
    assert location(client, "/category/news/page/2/") == "/category/news/?page=2"


def test_feed_of_a_missing_category_stays_a_404(report, client):
    # Tribune's own address: no redirect to itself.
    assert client.get("/category/unknown/feed/").status_code == 404


@pytest.mark.parametrize(
    ("old", "new"), [("/page/2/", "/?page=2"), ("/feed/rss2/", "/feed/"), ("/rss/", "/feed/")]
)
def test_home_page_numbers_and_feeds(report, client, old, new):
    assert location(client, old) == new


def test_tag_whose_slug_changed_redirects(report, client):
    response = client.get(f"/tag/{quote(TRADE_FA)}/", follow=True)
    assert response.status_code == 200
    assert len(response.redirect_chain) == 1
    new, _status = response.redirect_chain[0]
    assert new != f"/tag/{quote(TRADE_FA)}/"
    assert "Harbour-Talks" in response.text
    assert location(client, f"/tag/{quote(TRADE_FA)}/page/2/") == f"{new}?page=2"


def test_tag_feed_stays_a_404(report, client):
    # Tribune has no feed of a tag: an HTML page is no answer to a feed reader.
    assert client.get(f"/tag/{quote(TRADE_FA)}/feed/").status_code == 404


def test_tag_with_the_same_address_gets_no_row(report, client):
    assert not LegacyURL.objects.filter(old_path__startswith="/tag/trade/").exists()
    assert client.get("/tag/trade/").status_code == 200


def test_report_counts_the_archive_redirects(report):
    assert report.archive_redirects == {"author": 3, "category": 2, "tag": 1}
    assert "of which archives (with their feeds and pages): 3 author, 2 category, 1 tag" in (
        report.render()
    )


# Dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/2018/", "/articles/2018/"),
        ("/2018/10/", "/articles/2018/10/"),
        ("/2018/10/20/", "/articles/2018/10/"),
        ("/2018/1/", "/articles/2018/01/"),
        ("/2018/10/page/2/", "/articles/2018/10/?page=2"),
        ("/2018/page/2/", "/articles/2018/?page=2"),
    ],
)
def test_date_archive_redirects_by_pattern(report, client, old, new):
    with CaptureQueriesContext(connection) as queries:
        assert location(client, old) == new
    assert not [query for query in queries if "wordpress_legacyurl" in query["sql"]]


def test_date_archive_lands_on_tribunes(report, client):
    response = client.get("/2018/10/", follow=True)
    assert response.status_code == 200
    assert "Harbour-Talks" in response.text


@pytest.mark.parametrize("path", ["/2018/13/", "/2018/10/32/", "/2018/feed/"])
def test_impossible_date_or_feed_stays_a_404(report, client, path):
    assert client.get(path).status_code == 404


# Running again, and the page cache -------------------------------------------------------


def test_importing_again_adds_no_row(report, export):
    before = table_counts()
    addresses = set(LegacyURL.objects.values_list("old_path", "expert", "category", "tag"))
    again = import_export(export)
    assert table_counts() == before
    assert set(LegacyURL.objects.values_list("old_path", "expert", "category", "tag")) == addresses
    assert again.redirects == {"unchanged": sum(report.redirects.values())}
    assert again.archive_redirects == report.archive_redirects


def test_redirect_with_the_page_cache(report, client, settings):
    assert settings.PAGE_CACHE
    expert_page = Expert.objects.get(name="John Smith").get_absolute_url()
    assert client.get(expert_page)["Cache-Control"] == SHARED_CACHE_CONTROL  # now cached
    for _ in range(2):
        assert location(client, "/author/john-smith/") == expert_page
        response = client.get("/author/john-smith/", follow=True)
        assert response.status_code == 200
        assert response["Cache-Control"] == SHARED_CACHE_CONTROL
        assert "John Smith" in response.text
