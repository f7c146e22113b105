"""Every public page runs a fixed number of SQL queries, whatever the amount of content."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Byline
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 6, 15, tzinfo=datetime.UTC)

PAGES = [
    "/",
    "/?page=2",
    "/articles/subject/",
    "/category/subject-category/",
    "/tag/subject-tag/",
    "/experts/subject-expert/",
    "/articles/2025/",
    "/articles/2025/06/",
]


@pytest.fixture
def subject():
    category = CategoryFactory(name="Subject category", slug="subject-category")
    top_news = CategoryFactory(name="Top news", slug="top-news")
    expert = ExpertFactory(name="Subject Expert", slug="subject-expert")
    return ArticleFactory(
        slug="subject",
        published_at=WHEN,
        categories=[category, top_news],
        experts=[expert],
        tags=["subject-tag"],
    )


def grow(subject, *, articles, per_article):
    """Add articles, each (and the subject) with ``per_article`` more categories, experts, tags."""
    categories = list(subject.categories.all())
    experts = list(subject.experts.all())
    tags = list(subject.tags.names())
    categories += [CategoryFactory() for _ in range(per_article)]
    experts += [ExpertFactory() for _ in range(per_article)]
    tags += [f"extra-{subject.pk}-{Article.objects.count()}-{n}" for n in range(per_article)]
    subject.categories.set(categories)
    subject.tags.set(tags)
    for position, expert in enumerate(experts):
        Byline.objects.get_or_create(
            article=subject, expert=expert, defaults={"position": position}
        )
    for number in range(articles):
        ArticleFactory(
            published_at=WHEN - datetime.timedelta(hours=Article.objects.count() + number),
            categories=categories,
            experts=experts,
            tags=tags,
        )
    ArticleFactory(draft=True, categories=categories, experts=experts, tags=tags)
    ArticleFactory(
        published_at=timezone.now() + datetime.timedelta(days=3),
        categories=categories,
        experts=experts,
        tags=tags,
    )


def count_queries(client, url):
    client.get(url)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", PAGES)
def test_query_count_does_not_grow_with_content(client, settings, subject, url):
    settings.ARTICLES_PER_PAGE = 3
    grow(subject, articles=4, per_article=1)
    small = count_queries(client, url)

    grow(subject, articles=12, per_article=5)
    large = count_queries(client, url)

    assert small == large, f"{url}: {small} queries with little content, {large} with more"
    assert large <= 12, f"{url} runs {large} queries"
