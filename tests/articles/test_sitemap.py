"""The sitemap index, its sections and robots.txt, read the way crawlers read them."""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from articles.models import Article
from articles.sitemaps import SITEMAPS, ArticleSitemap
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db

# In CI the shared folder sits beside the checkout.
SCHEMAS = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "schemas"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
WHEN = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=datetime.UTC)


def schema(name):
    path = SCHEMAS / name
    if not path.is_file():
        pytest.skip(f"the sitemaps.org schema {name} is not in {SCHEMAS.resolve()}")
    return etree.XMLSchema(etree.parse(str(path)))


def path_of(url):
    """The path and query of an absolute URL on the test server."""
    parts = urlsplit(url)
    assert parts.scheme == "http"
    assert parts.netloc == "testserver"
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def fetch_xml(client, url):
    response = client.get(path_of(url) if url.startswith("http") else url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def section_urls(client):
    """The sitemaps that the index names."""
    index = fetch_xml(client, "/sitemap.xml")
    return index.xpath("//sm:sitemap/sm:loc/text()", namespaces=NS)


def page_urls(client):
    """Every page URL in every sitemap, with its lastmod (or None)."""
    urls = {}
    for section in section_urls(client):
        for url in fetch_xml(client, section).xpath("//sm:url", namespaces=NS):
            lastmod = url.xpath("sm:lastmod/text()", namespaces=NS)
            urls[url.xpath("sm:loc/text()", namespaces=NS)[0]] = lastmod[0] if lastmod else None
    return urls


@pytest.fixture
def content():
    """Published articles over two years, plus a draft and a scheduled article."""
    note = CategoryFactory(name="Note", slug="note")
    jane = ExpertFactory(name="Jane Doe", slug="jane-doe")
    ExpertFactory(name="Newcomer", slug="newcomer")
    ArticleFactory(
        slug="corridor",
        published_at=WHEN,
        categories=[note],
        experts=[jane],
        tags=["diplomacy"],
    )
    ArticleFactory(
        slug="energy-prices",
        published_at=WHEN.replace(year=2024, month=11),
        categories=[note],
        tags=["energy"],
    )
    ArticleFactory(
        slug="draft-analysis",
        draft=True,
        published_at=WHEN.replace(year=2023),
        categories=[CategoryFactory(name="Drafts only", slug="drafts-only")],
        tags=["draft-only-tag"],
    )
    ArticleFactory(
        slug="scheduled-interview",
        scheduled=True,
        categories=[CategoryFactory(name="Scheduled only", slug="scheduled-only")],
        tags=["scheduled-only-tag"],
    )


def test_index_is_valid(client, content):
    index = fetch_xml(client, "/sitemap.xml")

    schema("siteindex.xsd").assertValid(index)


def test_index_names_every_section(client, content):
    assert section_urls(client) == [
        f"http://testserver/sitemap-{section}.xml" for section in SITEMAPS
    ]


def test_every_section_is_valid(client, content):
    sitemap_schema = schema("sitemap.xsd")

    for section in section_urls(client):
        sitemap_schema.assertValid(fetch_xml(client, section))


def test_every_url_answers_200(client, content):
    urls = page_urls(client)

    assert urls
    for url in urls:
        assert client.get(path_of(url)).status_code == 200, url


def test_sitemap_lists_the_public_pages(client, content):
    assert set(page_urls(client)) == {
        f"http://testserver{path}"
        for path in [
            "/",
            "/articles/corridor/",
            "/articles/energy-prices/",
            "/articles/2024/",
            "/articles/2025/",
            "/articles/2024/11/",
            "/articles/2025/06/",
            "/category/note/",
            "/tag/diplomacy/",
            "/tag/energy/",
            "/experts/jane-doe/",
            "/experts/newcomer/",
        ]
    }


def test_drafts_and_scheduled_articles_absent_from_sitemap(client, content):
    listed = "\n".join(page_urls(client))

    for hidden in ["draft-analysis", "scheduled-interview", "2023", "-only"]:
        assert hidden not in listed


def test_articles_have_lastmod(client, content):
    urls = page_urls(client)

    assert urls["http://testserver/articles/corridor/"] == timezone.localdate().isoformat()
    assert urls["http://testserver/articles/energy-prices/"] is not None


def test_listings_lastmod_is_their_newest_publication(client, content):
    urls = page_urls(client)

    assert urls["http://testserver/category/note/"] == "2025-06-15"
    assert urls["http://testserver/tag/energy/"] == "2024-11-15"
    assert urls["http://testserver/experts/newcomer/"] is None


def test_empty_sections_left_out_of_the_index(client):
    ArticleFactory(published_at=WHEN)

    assert section_urls(client) == [
        f"http://testserver/sitemap-{section}.xml" for section in ["home", "articles", "archive"]
    ]
    schema("siteindex.xsd").assertValid(fetch_xml(client, "/sitemap.xml"))


def test_index_of_an_empty_site_is_valid(client):
    assert section_urls(client) == ["http://testserver/sitemap-home.xml"]
    schema("siteindex.xsd").assertValid(fetch_xml(client, "/sitemap.xml"))


def test_long_section_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for number in range(5):
        ArticleFactory(slug=f"paged-{number}", published_at=WHEN)

    sections = section_urls(client)

    pages = [url for url in sections if "/sitemap-articles.xml" in url]
    assert pages == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    listed = []
    for page in pages:
        urlset = fetch_xml(client, page)
        schema("sitemap.xsd").assertValid(urlset)
        listed += urlset.xpath("//sm:loc/text()", namespaces=NS)
    assert sorted(listed) == [f"http://testserver/articles/paged-{n}/" for n in range(5)]


def test_unicode_tag_is_listed_and_answers(client):
    ArticleFactory(published_at=WHEN, tags=["دیپلماسی"])

    tag_urls = [url for url in page_urls(client) if "/tag/" in url]

    assert tag_urls == ["http://testserver/tag/%D8%AF%DB%8C%D9%BE%D9%84%D9%85%D8%A7%D8%B3%DB%8C/"]
    assert client.get(tag_urls[0].removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("url", ["/sitemap-unknown.xml", "/sitemap-articles.xml?p=9"])
def test_unknown_section_or_page_is_404(client, content, url):
    assert client.get(url).status_code == 404


def grow(count):
    """Add ``count`` articles, each in a month, category, tag and byline of its own."""
    for _ in range(count):
        number = Article.objects.count()
        ArticleFactory(
            published_at=WHEN - datetime.timedelta(days=40 * number),
            categories=[CategoryFactory()],
            experts=[ExpertFactory()],
            tags=[f"tag-{number}"],
        )


@pytest.mark.parametrize("url", [*(f"/sitemap-{name}.xml" for name in SITEMAPS), "/sitemap.xml"])
def test_sitemap_runs_a_fixed_number_of_queries(client, url):
    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(10)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many) == len(few)


def test_robots_txt(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.text.splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Sitemap: http://testserver/sitemap.xml",
    ]


def test_robots_txt_names_the_sitemap_over_https(client):
    response = client.get("/robots.txt", secure=True)

    assert "Sitemap: https://testserver/sitemap.xml" in response.text.splitlines()
