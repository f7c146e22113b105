"""Drafts and scheduled articles stay out of every public page until due."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 10, 12, 0, tzinfo=datetime.UTC)
DUE = NOW + datetime.timedelta(days=2)

PUBLIC_PAGES = [
    "/",
    "/category/top-news/",
    "/tag/secret-tag/",
    "/experts/hidden-expert/",
    "/articles/2026/",
    "/articles/2026/03/",
]


@pytest.fixture
def hidden_articles():
    """A visible article, a draft and a scheduled article sharing category, tag and expert."""
    category = CategoryFactory(name="Top news", slug="top-news")
    expert = ExpertFactory(name="Hidden Expert", slug="hidden-expert")
    shared = {"categories": [category], "experts": [expert], "tags": ["secret-tag"]}
    with time_machine.travel(NOW, tick=False):
        ArticleFactory(
            title="Already public",
            slug="already-public",
            published_at=NOW - datetime.timedelta(days=1),
            **shared,
        )
        ArticleFactory(
            title="Unfinished draft",
            slug="unfinished-draft",
            draft=True,
            published_at=NOW - datetime.timedelta(days=1),
            **shared,
        )
        ArticleFactory(
            title="Scheduled analysis",
            slug="scheduled-analysis",
            published_at=DUE,
            **shared,
        )
    return category, expert  # fmt: skip


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_draft_and_scheduled_absent_before_due(client, hidden_articles, url):
    with time_machine.travel(NOW, tick=False):
        response = client.get(url)

    assert response.status_code == 200
    assert "Already public" in response.text
    assert "Unfinished draft" not in response.text
    assert "Scheduled analysis" not in response.text


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_scheduled_article_appears_by_itself_when_due(client, hidden_articles, url):
    with time_machine.travel(DUE + datetime.timedelta(minutes=1), tick=False):
        response = client.get(url)

    assert "Scheduled analysis" in response.text
    assert "Unfinished draft" not in response.text


def test_sidebar_on_article_page_hides_draft_and_scheduled(client, hidden_articles):
    with time_machine.travel(NOW, tick=False):
        html = client.get("/articles/already-public/").text

    assert "Unfinished draft" not in html
    assert "Scheduled analysis" not in html


@pytest.mark.parametrize("slug", ["unfinished-draft", "scheduled-analysis"])
def test_hidden_article_page_is_404(client, hidden_articles, slug):
    with time_machine.travel(NOW, tick=False):
        assert client.get(f"/articles/{slug}/").status_code == 404


def test_scheduled_article_page_opens_when_due(client, hidden_articles):
    with time_machine.travel(DUE + datetime.timedelta(seconds=1), tick=False):
        response = client.get("/articles/scheduled-analysis/")

    assert response.status_code == 200


def test_future_month_archive_is_404_until_due(client):
    future = timezone.now() + datetime.timedelta(days=400)
    ArticleFactory(published_at=future)

    assert client.get(future.strftime("/articles/%Y/%m/")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 404), ("reader", 404), ("editor", 200)],
)
def test_preview_of_draft_only_for_editors(client, hidden_articles, role, status):
    if role == "reader":
        client.force_login(UserFactory(username="reader"))
    elif role == "editor":
        editor = UserFactory(username="editor", is_staff=True)
        editor.user_permissions.add(Permission.objects.get(codename="change_article"))
        client.force_login(editor)

    with time_machine.travel(NOW, tick=False):
        response = client.get("/articles/unfinished-draft/?preview")

    assert response.status_code == status
    if status == 200:
        assert "Preview: this draft is not public." in response.text
        assert response.headers["Cache-Control"] == "private, no-store"
