"""Related articles under an article: shared tags and categories first, then recency."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def note():
    return CategoryFactory(name="Note", slug="note")


@pytest.fixture
def economy():
    return CategoryFactory(name="Economy", slug="economy")


@pytest.fixture
def subject(note, economy):
    return ArticleFactory(
        title="Subject",
        slug="subject",
        published_at=days_ago(30),
        categories=[note, economy],
        tags=["energy", "diplomacy", "corridor"],
    )


def related_titles(article, limit=5):
    return [related.title for related in Article.objects.related_to(article, limit=limit)]


def test_more_shared_tags_rank_higher(subject):
    ArticleFactory(title="One tag", tags=["energy"], published_at=days_ago(1))
    ArticleFactory(title="Two tags", tags=["energy", "corridor"], published_at=days_ago(9))

    assert related_titles(subject)[:2] == ["Two tags", "One tag"]


def test_a_shared_tag_outranks_a_shared_category(subject, note):
    ArticleFactory(title="Same category", categories=[note], published_at=days_ago(1))
    ArticleFactory(title="Same tag", tags=["diplomacy"], published_at=days_ago(9))

    assert related_titles(subject)[:2] == ["Same tag", "Same category"]


def test_tag_and_category_outrank_a_tag_alone(subject, note):
    ArticleFactory(title="Tag only", tags=["energy"], published_at=days_ago(1))
    ArticleFactory(
        title="Tag and category", tags=["energy"], categories=[note], published_at=days_ago(9)
    )

    assert related_titles(subject)[:2] == ["Tag and category", "Tag only"]


def test_equal_scores_go_to_the_more_recent(subject, note, economy):
    # Two shared categories weigh as much as one shared tag.
    ArticleFactory(title="Older tag", tags=["energy"], published_at=days_ago(9))
    ArticleFactory(title="Newer categories", categories=[note, economy], published_at=days_ago(2))

    assert related_titles(subject)[:2] == ["Newer categories", "Older tag"]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"published_at": timezone.now() + datetime.timedelta(days=2)},
    ],
)
def test_unpublished_articles_never_appear(subject, note, economy, state):
    ArticleFactory(
        title="Hidden twin",
        categories=[note, economy],
        tags=["energy", "diplomacy", "corridor"],
        **state,
    )
    ArticleFactory(title="Visible stranger")

    assert related_titles(subject) == ["Visible stranger"]


def test_the_article_itself_never_appears(subject):
    ArticleFactory(title="Another", tags=["energy"])

    assert related_titles(subject) == ["Another"]


def test_fills_up_with_the_most_recent_articles(subject):
    ArticleFactory(title="Related", tags=["energy"], published_at=days_ago(40))
    for number in range(6):
        ArticleFactory(title=f"Recent {number}", published_at=days_ago(number + 1))

    assert related_titles(subject) == ["Related", "Recent 0", "Recent 1", "Recent 2", "Recent 3"]


def test_limit(subject):
    for _ in range(4):
        ArticleFactory(tags=["energy"])

    assert len(related_titles(subject, limit=3)) == 3


def test_tags_of_other_articles_do_not_count_for_the_subject(subject):
    """Sharing a tag with a third article is not sharing it with the subject."""
    ArticleFactory(title="Pair one", tags=["unrelated"], published_at=days_ago(1))
    ArticleFactory(title="Pair two", tags=["unrelated"], published_at=days_ago(2))
    ArticleFactory(title="Same tag", tags=["energy"], published_at=days_ago(20))

    assert related_titles(subject) == ["Same tag", "Pair one", "Pair two"]


def count_queries(article):
    with CaptureQueriesContext(connection) as queries:
        related_titles(article)
    return len(queries)


def test_fixed_number_of_queries(subject, note, economy):
    related_titles(subject)  # warm the content type cache
    for number in range(3):
        ArticleFactory(categories=[note], tags=["energy", f"extra-{number}"])
    few = count_queries(subject)

    for number in range(27):
        ArticleFactory(categories=[note, economy], tags=["energy", "corridor", f"more-{number}"])
    many = count_queries(subject)

    assert few == many == 4  # candidates, shared tags, shared categories, the articles


def test_article_page_lists_related_first(client, subject):
    ArticleFactory(title="Newest but unrelated", published_at=days_ago(1))
    ArticleFactory(
        title="Older but related",
        lead="Energy and the corridor.",
        tags=["energy"],
        published_at=days_ago(60),
    )

    html = client.get("/articles/subject/").text

    other = html.split('id="other-articles-title"', 1)[1].split("</section>", 1)[0]
    assert other.index("Older but related") < other.index("Newest but unrelated")
    assert "Energy and the corridor." in other
    assert ">Subject<" not in other


def test_candidates_are_the_most_recent_articles(subject):
    ArticleFactory(title="Old twin", tags=["energy", "diplomacy"], published_at=days_ago(90))
    for number in range(3):
        ArticleFactory(title=f"Recent {number}", published_at=days_ago(number + 1))

    within = [a.title for a in Article.objects.related_to(subject, among=4)]
    beyond = [a.title for a in Article.objects.related_to(subject, among=3)]

    assert within[0] == "Old twin"
    assert "Old twin" not in beyond
    assert beyond == ["Recent 0", "Recent 1", "Recent 2"]
