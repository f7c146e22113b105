"""What search engines and sharing previews read in a page's head."""

import datetime
import io
import json
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from articles.seo import json_ld_script
from tests.articles.test_admin import staff_member
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db

BREAKOUT = "</script><script>alert(1)</script>"


class Head(HTMLParser):
    """The tags of a page's head that describe it: meta, links, JSON-LD."""

    def __init__(self, html):
        super().__init__()
        self.meta = []  # (name or property, content), in order
        self.links = []  # (rel, href)
        self.json_ld = []
        self.title = ""
        self._in = None
        self._text = ""
        self.feed(html.split("</head>", 1)[0])

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            self.meta.append((attrs.get("name") or attrs.get("property"), attrs["content"]))
        elif tag == "link":
            self.links.append((attrs.get("rel"), attrs.get("href")))
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in, self._text = "json_ld", ""
        elif tag == "title":
            self._in, self._text = "title", ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in == "json_ld":
            self.json_ld.append(json.loads(self._text))
        elif tag == "title" and self._in == "title":
            self.title = self._text
        if tag in ("script", "title"):
            self._in = None

    def all(self, key):
        return [content for name, content in self.meta if name == key]

    def one(self, key):
        values = self.all(key)
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def canonical(self):
        hrefs = [href for rel, href in self.links if rel == "canonical"]
        assert len(hrefs) <= 1, hrefs
        return hrefs[0] if hrefs else None

    def schema(self, type_name):
        found = [data for data in self.json_ld if data["@type"] == type_name]
        assert len(found) == 1, [data["@type"] for data in self.json_ld]
        return found[0]


def head(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, url
    return Head(response.text)


def png(size=(1200, 630)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name="summit.png")


@pytest.fixture
def expert():
    return ExpertFactory(
        name="Jane Doe",
        slug="jane-doe",
        title="Analyst of international affairs",
        bio="Jane Doe follows the foreign policy of the region.",
    )


@pytest.fixture
def article(expert):
    note = CategoryFactory(name="Note", slug="note", position=1)
    political = CategoryFactory(name="Political", slug="political", position=2)
    second = ExpertFactory(name="Rick Roe", slug="rick-roe", title="Senior fellow")
    return ArticleFactory(
        title="A greater role in the region",
        slug="greater-role",
        lead="During the recent visit the ministers discussed the corridor.",
        published_at=datetime.datetime(2021, 5, 19, 10, 0, tzinfo=datetime.UTC),
        categories=[note, political],
        experts=[expert, second],
        tags=["energy", "diplomacy"],
    )


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("Editors"))
    return client


class TestCanonical:
    def test_article_canonical_is_absolute_and_drops_the_query(self, client, article):
        page = head(client, "/articles/greater-role/?utm_source=newsletter")

        assert page.canonical() == "http://testserver/articles/greater-role/"
        assert page.one("og:url") == "http://testserver/articles/greater-role/"

    @pytest.mark.parametrize(
        ("query", "canonical"),
        [
            ("", "http://testserver/category/note/"),
            ("?page=1", "http://testserver/category/note/"),
            ("?page=2", "http://testserver/category/note/?page=2"),
            ("?page=2&utm_source=x&sort=old", "http://testserver/category/note/?page=2"),
        ],
    )
    def test_listing_canonical_keeps_only_the_page(
        self, client, settings, article, query, canonical
    ):
        settings.ARTICLES_PER_PAGE = 1
        ArticleFactory(categories=[article.categories.get(slug="note")])

        assert head(client, f"/category/note/{query}").canonical() == canonical

    def test_home_canonical(self, client, article):
        assert head(client, "/").canonical() == "http://testserver/"

    @pytest.mark.parametrize(
        "url",
        [
            "/",
            "/articles/greater-role/",
            "/category/note/",
            "/tag/energy/",
            "/experts/jane-doe/",
            "/articles/2021/",
            "/articles/2021/05/",
        ],
    )
    def test_every_public_page_has_canonical_and_sharing_tags(self, client, article, url):
        page = head(client, url)

        assert page.canonical().startswith("http://testserver/")
        assert page.one("og:site_name") == "Tribune"
        assert page.one("og:title")
        assert page.one("og:description")
        assert page.one("og:type") in {"article", "website"}
        assert page.one("twitter:card") in {"summary", "summary_large_image"}
        assert page.title.endswith("Tribune")

    def test_not_found_page_has_no_canonical(self, client):
        response = client.get("/articles/no-such-thing/")

        assert response.status_code == 404
        assert Head(response.text).canonical() is None


class TestTitleAndDescription:
    def test_article_without_seo_fields_uses_title_and_lead(self, client, article):
        page = head(client, "/articles/greater-role/")

        assert page.title == "A greater role in the region – Tribune"
        assert page.one("description") == (
            "During the recent visit the ministers discussed the corridor."
        )
        assert page.one("og:title") == "A greater role in the region"
        assert page.one("twitter:title") == "A greater role in the region"
        assert page.one("og:description") == page.one("description")

    def test_article_seo_fields_win(self, client, article):
        article.seo_title = "Russia's greater role"
        article.seo_description = "What the visit changed for the corridor."
        article.save()

        page = head(client, "/articles/greater-role/")

        assert page.title == "Russia's greater role – Tribune"
        assert page.one("description") == "What the visit changed for the corridor."
        assert page.one("og:title") == "Russia's greater role"
        assert page.one("og:description") == "What the visit changed for the corridor."
        assert page.one("twitter:description") == "What the visit changed for the corridor."

    def test_long_lead_is_shortened_to_160_characters(self, client):
        ArticleFactory(slug="long", lead="word " * 100)

        page = head(client, "/articles/long/")

        assert len(page.one("description")) <= 160
        assert page.one("og:description") == page.one("description")

    def test_category_description(self, client, article):
        category = article.categories.get(slug="note")
        category.description = "Short notes on current affairs."
        category.save()

        page = head(client, "/category/note/")

        assert page.one("og:title") == "Note"
        assert page.one("og:description") == "Short notes on current affairs."

    def test_site_name_comes_from_settings(self, client, settings, article):
        settings.SITE_NAME = "Policy Review"

        page = head(client, "/articles/greater-role/")

        assert page.one("og:site_name") == "Policy Review"
        assert page.schema("NewsArticle")["publisher"]["name"] == "Policy Review"


class TestSharing:
    def test_article_open_graph_facts(self, client, article):
        page = head(client, "/articles/greater-role/")

        assert page.one("og:type") == "article"
        assert page.one("article:published_time") == "2021-05-19T10:00:00+00:00"
        assert page.one("article:modified_time")
        assert page.one("article:section") == "Note"
        assert page.all("article:tag") == ["diplomacy", "energy"]
        assert page.all("article:author") == [
            "http://testserver/experts/jane-doe/",
            "http://testserver/experts/rick-roe/",
        ]

    def test_without_image_a_summary_card(self, client, article):
        page = head(client, "/articles/greater-role/")

        assert page.one("twitter:card") == "summary"
        assert page.all("og:image") == []
        assert page.all("twitter:image") == []
        assert "image" not in page.schema("NewsArticle")

    def test_with_image_a_large_card_with_absolute_image(self, client, article):
        article.image = png()
        article.image_alt = "The ministers at the summit"
        article.save()

        page = head(client, "/articles/greater-role/")

        image_url = page.one("og:image")
        assert image_url.startswith("http://testserver/media/articles/")
        assert image_url.endswith(".png")
        assert page.one("og:image:alt") == "The ministers at the summit"
        assert page.one("og:image:width") == "1200"
        assert page.one("og:image:height") == "630"
        assert page.one("twitter:card") == "summary_large_image"
        assert page.one("twitter:image") == image_url
        assert page.one("twitter:image:alt") == "The ministers at the summit"
        assert page.schema("NewsArticle")["image"] == [image_url]

    def test_unreadable_image_is_not_shared(self, client, article):
        article.image = "articles/2021/05/gone.png"
        article.image_alt = "Gone"
        article.save()

        page = head(client, "/articles/greater-role/")

        assert page.all("og:image") == []
        assert page.one("twitter:card") == "summary"


class TestNewsArticle:
    def test_json_ld_carries_the_article(self, client, article):
        data = head(client, "/articles/greater-role/").schema("NewsArticle")

        assert data["@context"] == "https://schema.org"
        assert data["headline"] == "A greater role in the region"
        assert (
            data["description"] == "During the recent visit the ministers discussed the corridor."
        )
        assert data["datePublished"] == "2021-05-19T10:00:00+00:00"
        assert datetime.datetime.fromisoformat(data["dateModified"]) >= datetime.datetime(
            2021, 5, 19, tzinfo=datetime.UTC
        )
        assert data["mainEntityOfPage"] == {
            "@type": "WebPage",
            "@id": "http://testserver/articles/greater-role/",
        }
        assert data["publisher"] == {
            "@type": "Organization",
            "name": "Tribune",
            "url": "http://testserver/",
        }
        assert data["articleSection"] == ["Note", "Political"]
        assert data["keywords"] == ["diplomacy", "energy"]

    def test_authors_are_people_with_their_titles_in_byline_order(self, client, article):
        data = head(client, "/articles/greater-role/").schema("NewsArticle")

        assert data["author"] == [
            {
                "@type": "Person",
                "name": "Jane Doe",
                "jobTitle": "Analyst of international affairs",
                "url": "http://testserver/experts/jane-doe/",
            },
            {
                "@type": "Person",
                "name": "Rick Roe",
                "jobTitle": "Senior fellow",
                "url": "http://testserver/experts/rick-roe/",
            },
        ]

    def test_unsigned_article_is_the_sites_own(self, client):
        ArticleFactory(slug="unsigned")

        data = head(client, "/articles/unsigned/").schema("NewsArticle")

        assert data["author"] == [
            {"@type": "Organization", "name": "Tribune", "url": "http://testserver/"}
        ]

    def test_breadcrumbs_lead_from_home_through_the_first_category(self, client, article):
        data = head(client, "/articles/greater-role/").schema("BreadcrumbList")

        assert data["itemListElement"] == [
            {"@type": "ListItem", "position": 1, "name": "Tribune", "item": "http://testserver/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": "Note",
                "item": "http://testserver/category/note/",
            },
            {
                "@type": "ListItem",
                "position": 3,
                "name": "A greater role in the region",
                "item": "http://testserver/articles/greater-role/",
            },
        ]

    def test_breadcrumbs_without_category(self, client):
        ArticleFactory(slug="uncategorised", title="Uncategorised")

        data = head(client, "/articles/uncategorised/").schema("BreadcrumbList")

        assert [item["name"] for item in data["itemListElement"]] == ["Tribune", "Uncategorised"]

    def test_title_cannot_break_out_of_the_script(self, client):
        ArticleFactory(slug="breakout", title=f"Tricky {BREAKOUT} & co", experts=[])

        response = client.get("/articles/breakout/")

        assert BREAKOUT not in response.text
        assert "<script>alert(1)" not in response.text
        page = Head(response.text)
        assert page.schema("NewsArticle")["headline"] == f"Tricky {BREAKOUT} & co"
        assert page.schema("BreadcrumbList")["itemListElement"][-1]["name"] == (
            f"Tricky {BREAKOUT} & co"
        )

    def test_json_ld_script_escapes_markup_characters(self):
        html = json_ld_script({"headline": "<b>&</b>"})

        assert html == (
            '<script type="application/ld+json">'
            '{"headline": "\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}</script>'
        )


class TestExpertPage:
    def test_person(self, client, expert):
        data = head(client, "/experts/jane-doe/").schema("Person")

        assert data["name"] == "Jane Doe"
        assert data["jobTitle"] == "Analyst of international affairs"
        assert data["description"] == "Jane Doe follows the foreign policy of the region."
        assert data["url"] == "http://testserver/experts/jane-doe/"
        assert "image" not in data

    def test_person_with_photo(self, client, expert):
        expert.photo = "experts/2024/01/jane.png"
        expert.save()

        page = head(client, "/experts/jane-doe/")

        assert page.schema("Person")["image"] == "http://testserver/media/experts/2024/01/jane.png"
        assert page.one("og:image") == "http://testserver/media/experts/2024/01/jane.png"
        assert page.one("og:image:alt") == "Portrait of Jane Doe"

    def test_expert_page_two_has_its_own_canonical(self, client, settings, expert):
        settings.ARTICLES_PER_PAGE = 1
        ArticleFactory(experts=[expert])
        ArticleFactory(experts=[expert])

        page = head(client, "/experts/jane-doe/?page=2")

        assert page.canonical() == "http://testserver/experts/jane-doe/?page=2"


class TestRobots:
    @pytest.mark.parametrize("state", ["draft", "scheduled"])
    def test_preview_is_noindex(self, editor_client, state):
        ArticleFactory(slug="unfinished", **{state: True})

        page = head(editor_client, "/articles/unfinished/?preview")

        assert page.all("robots") == ["noindex"]

    def test_published_article_may_be_indexed(self, client, article):
        assert head(client, "/articles/greater-role/").all("robots") == []
