import datetime

import feedparser
import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_feed_lists_recent_approved_comments(client):
    article = ArticleFactory(title="The corridor", slug="corridor")
    approved = CommentFactory(
        article=article, name="Sara", status="approved", body="A fine <b>point</b>."
    )
    CommentFactory(article=article, name="Held", status="pending")
    CommentFactory(article=article, name="Junk", status="spam")
    draft = ArticleFactory(draft=True)
    CommentFactory(article=draft, name="OnDraft", status="approved")

    response = client.get("/comments/feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Sara on “The corridor”"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/articles/corridor/#comment-{approved.pk}"
    assert entry.published_parsed
    assert entry.summary == "<p>A fine &lt;b&gt;point&lt;/b&gt;.</p>"


def test_feed_has_no_email_addresses(client):
    article = ArticleFactory()
    CommentFactory(article=article, status="approved", email="secret.person@example.net")

    response = client.get("/comments/feed/")

    assert "secret.person@example.net" not in response.text


def test_feed_is_newest_first_and_bounded(client):
    article = ArticleFactory()
    now = timezone.now()
    for number in range(35):
        CommentFactory(
            article=article,
            status="approved",
            name=f"Reader {number}",
            created_at=now - datetime.timedelta(minutes=number),
        )

    feed = feedparser.parse(client.get("/comments/feed/").content)

    assert len(feed.entries) == 30
    assert feed.entries[0].title.startswith("Reader 0 ")
