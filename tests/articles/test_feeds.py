"""The feeds, read the way feed readers read them: with feedparser."""

import datetime
import re

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.feeds import FEED_SIZE
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, ExpertFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=datetime.UTC)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")

ARTICLE_FEEDS = ["/feed/", "/feed/atom/", "/category/note/feed/", "/experts/jane-doe/feed/"]
ALL_FEEDS = [*ARTICLE_FEEDS, "/comments/feed/"]


@pytest.fixture
def jane():
    return ExpertFactory(name="Jane Doe", slug="jane-doe")


@pytest.fixture
def note():
    return CategoryFactory(name="Note", slug="note", position=1)


@pytest.fixture
def articles(jane, note):
    """Two published articles in the category and by the expert, newest first."""
    political = CategoryFactory(name="Political", slug="political", position=2)
    omar = ExpertFactory(name="Omar Said", slug="omar-said")
    newer = ArticleFactory(
        title="The corridor after the summit",
        slug="corridor",
        lead="Ministers met for two days & agreed on little.",
        body="<h2>Context</h2><p>The talks lasted <strong>two days</strong>.</p>",
        published_at=WHEN,
        categories=[note, political],
        experts=[jane, omar],
        tags=["diplomacy", "energy"],
    )
    older = ArticleFactory(
        title="Energy prices in the region",
        slug="energy-prices",
        published_at=WHEN - datetime.timedelta(days=3),
        categories=[note],
        experts=[jane],
    )
    return [newer, older]


@pytest.fixture
def hidden(jane, note):
    """A draft and a scheduled article, in the same category and by the same expert."""
    return [
        ArticleFactory(title="Draft analysis", draft=True, categories=[note], experts=[jane]),
        ArticleFactory(
            title="Scheduled interview", scheduled=True, categories=[note], experts=[jane]
        ),
    ]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


@pytest.mark.parametrize("url", ARTICLE_FEEDS)
def test_feed_lists_published_articles_newest_first(client, articles, url):
    feed = parse(client, url)

    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == [article.title for article in articles]
    for entry, article in zip(feed.entries, articles, strict=True):
        assert entry.link == f"http://testserver{article.get_absolute_url()}"
        assert entry.published_parsed[:6] == article.published_at.utctimetuple()[:6]
        assert entry.author
        assert entry.tags


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_feed_is_well_formed(client, articles, url):
    CommentFactory(article=articles[0], status="approved")

    feed = parse(client, url)

    assert feed.bozo == 0
    assert feed.feed.title
    assert feed.entries


def test_rss_content_type_and_version(client, articles):
    response = client.get("/feed/")

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feedparser.parse(response.content).version == "rss20"


def test_atom_content_type_and_version(client, articles):
    response = client.get("/feed/atom/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feedparser.parse(response.content).version == "atom10"


def test_feed_title_is_the_site_name(client, settings, articles):
    settings.SITE_NAME = "Tribune Institute"

    assert parse(client, "/feed/").feed.title == "Tribune Institute"
    assert parse(client, "/feed/atom/").feed.title == "Tribune Institute"
    assert parse(client, "/category/note/feed/").feed.title == "Note – Tribune Institute"
    assert parse(client, "/experts/jane-doe/feed/").feed.title == "Jane Doe – Tribune Institute"


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_entry_carries_lead_body_categories_and_experts(client, articles, url):
    entry = parse(client, url).entries[0]

    assert entry.summary == "Ministers met for two days &amp; agreed on little."
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value == articles[0].body
    assert [tag.term for tag in entry.tags] == ["Note", "Political", "diplomacy", "energy"]
    assert [author.name for author in entry.authors] == ["Jane Doe", "Omar Said"]


def test_atom_entry_has_update_date(client, articles):
    entry = parse(client, "/feed/atom/").entries[0]

    assert entry.updated_parsed >= entry.published_parsed


def test_unsigned_article_is_authored_by_the_site(client, settings):
    settings.SITE_NAME = "Tribune Institute"
    ArticleFactory()

    for url in ["/feed/", "/feed/atom/"]:
        assert parse(client, url).entries[0].author == "Tribune Institute"


@pytest.mark.parametrize("url", ARTICLE_FEEDS)
def test_drafts_and_scheduled_articles_absent_from_feed(client, articles, hidden, url):
    titles = [entry.title for entry in parse(client, url).entries]

    assert "Draft analysis" not in titles
    assert "Scheduled interview" not in titles


def test_category_feed_lists_only_its_category(client, articles):
    feed = parse(client, "/category/political/feed/")

    assert [entry.title for entry in feed.entries] == ["The corridor after the summit"]
    assert feed.feed.link == "http://testserver/category/political/"


def test_expert_feed_lists_only_their_articles(client, articles):
    feed = parse(client, "/experts/omar-said/feed/")

    assert [entry.title for entry in feed.entries] == ["The corridor after the summit"]
    assert feed.feed.link == "http://testserver/experts/omar-said/"


@pytest.mark.parametrize("url", ["/category/unknown/feed/", "/experts/unknown/feed/"])
def test_unknown_category_or_expert_feed_is_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_holds_the_newest_articles_only(client):
    for number in range(FEED_SIZE + 3):
        ArticleFactory(published_at=WHEN - datetime.timedelta(hours=number))

    entries = parse(client, "/feed/").entries

    newest = Article.objects.order_by("-published_at")[:FEED_SIZE]
    assert [entry.title for entry in entries] == [article.title for article in newest]


@pytest.mark.parametrize("url", ALL_FEEDS)
def test_no_email_address_in_feed(client, articles, url):
    for number, article in enumerate(articles):
        CommentFactory(
            article=article, status="approved", email=f"secret.reader{number}@example.net"
        )
        CommentFactory(article=article, email=f"held.reader{number}@example.net")

    response = client.get(url)

    assert response.status_code == 200
    assert EMAIL.search(response.text) is None


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_html_in_title_is_escaped(client, url):
    ArticleFactory(title="Trade <b>war</b> & <script>peace</script>")

    response = client.get(url)

    assert "<b>" not in response.text
    assert "<script>" not in response.text
    entry = feedparser.parse(response.content).entries[0]
    assert entry.title_detail.type == "text/plain"
    assert entry.title == "Trade <b>war</b> & <script>peace</script>"


def grow(count, *, categories, experts):
    for number in range(count):
        ArticleFactory(
            published_at=WHEN - datetime.timedelta(hours=Article.objects.count() + number),
            categories=categories,
            experts=experts,
            tags=[f"tag-{Article.objects.count()}", "common"],
        )


@pytest.mark.parametrize("url", ARTICLE_FEEDS)
def test_feed_runs_a_fixed_number_of_queries(client, jane, note, url):
    categories = [note, CategoryFactory()]
    experts = [jane, ExpertFactory()]
    grow(3, categories=categories, experts=experts)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    grow(17, categories=[*categories, CategoryFactory()], experts=[*experts, ExpertFactory()])
    with CaptureQueriesContext(connection) as many:
        feed = feedparser.parse(client.get(url).content)

    assert len(feed.entries) == 20
    assert len(many) == len(few)


def test_home_page_head_announces_the_site_feeds(client):
    head = client.get("/").text.split("</head>", 1)[0]

    assert '<link rel="alternate" type="application/rss+xml"' in head
    assert 'href="/feed/"' in head
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert 'href="/feed/atom/"' in head


def test_category_page_head_announces_its_feed(client, note):
    head = client.get("/category/note/").text.split("</head>", 1)[0]

    assert 'href="/feed/"' in head
    assert 'href="/category/note/feed/"' in head


def test_expert_page_head_announces_their_feed(client, jane):
    head = client.get("/experts/jane-doe/").text.split("</head>", 1)[0]

    assert 'href="/feed/"' in head
    assert 'href="/experts/jane-doe/feed/"' in head
