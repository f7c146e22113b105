"""Privacy: no commenter's email on a public page, cookies only with consent, addresses cut."""

import datetime

import pytest
from django.core.cache import cache

from comments.models import Comment
from comments.posting import AUTHOR_COOKIE, OWN_COOKIE
from tests.comments.test_posting import comment_data, post_comment
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, ExpertFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 6, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor", title="The corridor")


@pytest.fixture
def seeded(settings):
    """Articles with comments in every status, threads included, each with its own address."""
    settings.ARTICLES_PER_PAGE = 2
    category = CategoryFactory(name="Subject", slug="subject")
    top_news = CategoryFactory(name="Top news", slug="top-news")
    expert = ExpertFactory(slug="jane-doe")
    articles = [
        ArticleFactory(
            slug=f"article-{number}",
            published_at=WHEN - datetime.timedelta(days=number),
            categories=[category, top_news],
            experts=[expert],
            tags=["diplomacy"],
        )
        for number in range(4)
    ]
    ArticleFactory(slug="a-draft", draft=True, categories=[category])
    emails = []
    for article in articles:
        parent = None
        for status in Comment.Status.values * 2:
            email = f"private.{article.slug}.{len(emails)}@commenter.example"
            comment = CommentFactory(
                article=article,
                email=email,
                status=status,
                url="https://commenter.example/",
                parent=parent if status == Comment.Status.APPROVED else None,
            )
            if status == Comment.Status.APPROVED:
                parent = comment
            emails.append(email)
    return articles, emails


PUBLIC_PAGES = [
    "/",
    "/?page=2",
    "/articles/article-0/",
    "/articles/article-3/",
    "/articles/article-0/?replytocom=1",
    "/category/subject/",
    "/category/subject/?page=2",
    "/tag/diplomacy/",
    "/experts/jane-doe/",
    "/articles/2025/",
    "/articles/2025/06/",
    "/no-such-page/",
    "/articles/a-draft/",
    "/articles/article-0/comment/",
    "/comments/feed/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_no_commenter_email_on_a_public_page(client, seeded, url):
    _, emails = seeded

    response = client.get(url)

    assert response.status_code in {200, 404, 405}, url
    leaked = [email for email in emails if email in response.text]
    assert leaked == []
    assert "@commenter.example" not in response.text


def test_article_pages_show_the_seeded_discussion(client, seeded):
    """The pages above do render the comments: the test would see a leak."""
    page = client.get("/articles/article-0/")

    assert page.text.count('class="comment__author"') == 2
    assert "https://commenter.example/" in page.text


def test_no_other_commenter_email_on_the_pages_a_commenter_sees(client, seeded):
    articles, emails = seeded

    response = post_comment(client, articles[0], email="me@reader.example", remember="on")
    page = client.get(response["Location"])
    closed = ArticleFactory(slug="closed", comments_enabled=False)
    refused = post_comment(client, closed)
    failed = post_comment(client, articles[0], email="broken")

    for response in (page, refused, failed):
        assert not [email for email in emails if email in response.text]
    # Their own address comes back to them alone, in the pre-filled form.
    assert 'value="me@reader.example"' in page.text


# Cookies: remember-me only with consent; own comments


def test_details_are_remembered_only_with_consent(client, article):
    response = post_comment(client, article)

    assert AUTHOR_COOKIE not in response.cookies or not response.cookies[AUTHOR_COOKIE].value
    page = client.get("/articles/the-corridor/")
    assert "jane.reader@example.net" not in page.text


def test_remembered_details_prefill_the_form(client, article):
    response = post_comment(client, article, url="https://jane.example.net/", remember="on")

    cookie = response.cookies[AUTHOR_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600
    page = client.get("/articles/the-corridor/")
    assert 'value="Jane Reader"' in page.text
    assert 'value="jane.reader@example.net"' in page.text
    assert 'value="https://jane.example.net/"' in page.text
    assert 'name="remember" id="id_remember" checked' in page.text


def test_posting_without_consent_forgets_remembered_details(client, article):
    post_comment(client, article, remember="on")

    response = post_comment(client, article, body="A second, different remark.")

    assert response.cookies[AUTHOR_COOKIE].value == ""
    assert response.cookies[AUTHOR_COOKIE]["max-age"] == 0
    page = client.get("/articles/the-corridor/")
    assert "jane.reader@example.net" not in page.text


def test_own_comments_cookie_is_signed_httponly_and_keeps_the_last_twenty(client, article):
    for number in range(22):
        response = post_comment(client, article, body=f"Remark number {number}.")
        cache.clear()  # stay under the rate limit

    cookie = response.cookies[OWN_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    page = client.get("/articles/the-corridor/")
    assert "Remark number 21." in page.text
    assert "Remark number 2." in page.text
    assert "Remark number 1." not in page.text
    assert page.text.count('class="comment__awaiting"') == 20


def test_tampered_own_comments_cookie_shows_nothing(client, article):
    comment = CommentFactory(article=article, body="Someone else's held remark.")
    client.cookies[OWN_COOKIE] = str(comment.pk)

    page = client.get("/articles/the-corridor/")

    assert page.status_code == 200
    assert "Someone else's held remark." not in page.text


# What is stored about the reader


@pytest.mark.parametrize(
    ("address", "stored"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("2001:db8:85a3:1234:5678:8a2e:370:7334", "2001:db8:85a3::"),
        ("::ffff:198.51.100.9", "198.51.100.0"),
    ],
)
def test_ip_address_is_stored_truncated(client, article, address, stored):
    client.post("/articles/the-corridor/comment/", comment_data(article), REMOTE_ADDR=address)

    assert Comment.objects.get().ip_address == stored


def test_user_agent_is_stored_cut_to_500_characters(client, article):
    client.post(
        "/articles/the-corridor/comment/",
        comment_data(article),
        headers={"user-agent": "Robot/1.0 " + "x" * 700},
    )

    assert len(Comment.objects.get().user_agent) == 500
