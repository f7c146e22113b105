import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_published_article_is_public():
    article = ArticleFactory()

    assert list(Article.objects.published()) == [article]
    assert article.is_published()


def test_draft_is_not_public():
    article = ArticleFactory(draft=True)

    assert not Article.objects.published().exists()
    assert not article.is_published()


def test_scheduled_article_becomes_public_when_due():
    due = timezone.now() + datetime.timedelta(hours=3)
    article = ArticleFactory(published_at=due)

    assert not Article.objects.published().exists()
    assert article.is_scheduled()
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        assert list(Article.objects.published()) == [article]
        assert article.is_published()
        assert not article.is_scheduled()


def test_draft_with_past_date_stays_hidden():
    ArticleFactory(draft=True, published_at=timezone.now() - datetime.timedelta(days=30))

    assert not Article.objects.published().exists()


def test_body_is_sanitised_on_save():
    article = ArticleFactory(
        body=(
            '<p onclick="steal()">Text<script>alert(1)</script></p>'
            '<a href="javascript:alert(1)">bad</a><a href="https://example.org/">good</a>'
            "<iframe src='https://example.org/'></iframe><style>p{}</style>"
        )
    )
    article.refresh_from_db()

    assert "<script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "<iframe" not in article.body
    assert "<style" not in article.body
    assert '<a href="https://example.org/" rel="noopener noreferrer">good</a>' in article.body
    assert "<p>Text</p>" in article.body


def test_slug_of_digits_only_is_refused():
    article = ArticleFactory.build(slug="2024")

    with pytest.raises(ValidationError) as raised:
        article.full_clean()

    assert "slug" in raised.value.message_dict


def test_articles_are_ordered_newest_first():
    older = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=5))
    newer = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=1))

    assert list(Article.objects.published()) == [newer, older]
