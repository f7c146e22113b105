"""Every save of an article keeps a revision; editors restore one from the admin."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.test_admin import admin_form_data, edit_in_admin, staff_member
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return staff_member("Editors")


@pytest.fixture
def article(client, editor):
    """An article written in the admin by the editor, who stays logged in."""
    client.force_login(editor)
    add = reverse("admin:articles_article_add")
    data = admin_form_data(
        client.get(add),
        title="First title",
        slug="the-article",
        lead="First lead.",
        body="<p>First body.</p>",
    )
    assert client.post(add, data).status_code == 302
    return Article.objects.get(slug="the-article")


def history_url(article, record=None):
    if record is None:
        return reverse("admin:articles_article_history", args=[article.pk])
    return reverse("admin:articles_article_simple_history", args=[article.pk, record.pk])


def test_every_admin_save_is_a_revision_by_the_editor(client, editor, article):
    edit_in_admin(client, article, title="Second title")
    edit_in_admin(client, article, lead="Third lead.", body="<p>Third body.</p>")

    records = list(article.history.order_by("history_date", "history_id"))
    assert [r.history_type for r in records] == ["+", "~", "~"]
    assert [r.title for r in records] == ["First title", "Second title", "Second title"]
    assert {r.history_user for r in records} == {editor}
    assert all(r.history_date for r in records)


def test_saves_in_code_are_revisions_too(db):
    article = ArticleFactory(title="Before")

    article.title = "After"
    article.save()

    assert [r.title for r in article.history.all()] == ["After", "Before"]
    assert article.history.first().history_user is None


def test_editor_sees_the_history(client, article):
    edit_in_admin(client, article, title="Second title")

    response = client.get(history_url(article))

    assert response.status_code == 200
    content = response.content.decode()
    assert "editor" in content
    assert content.count(f"/admin/articles/article/{article.pk}/history/") >= 2


def test_editor_restores_the_first_version(client, editor, article):
    first = article.history.earliest()
    edit_in_admin(client, article, title="Second title", lead="Second lead.")
    edit_in_admin(client, article, body="<p>Third body.</p>")

    form_page = client.get(history_url(article, first))
    assert form_page.status_code == 200
    assert "Revert" in form_page.content.decode()
    response = client.post(history_url(article, first), admin_form_data(form_page))

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "First title"
    assert article.lead == "First lead."
    assert article.body == "<p>First body.</p>"
    assert article.history.count() == 4
    latest = article.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == editor
    assert latest.title == "First title"


def test_restoring_a_version_keeps_the_current_address_working(client, article):
    article.publish_now()
    published = article.history.latest()
    edit_in_admin(client, article, slug="renamed")

    form_page = client.get(history_url(article, published))
    client.post(history_url(article, published), admin_form_data(form_page))

    article.refresh_from_db()
    assert article.slug == "the-article"
    assert client.get("/articles/the-article/").status_code == 200
    assert client.get("/articles/renamed/").status_code == 301


@pytest.mark.parametrize("page", ["history", "version"])
def test_moderator_may_not_see_the_history(client, article, page):
    record = article.history.earliest() if page == "version" else None
    client.force_login(staff_member("Moderators"))

    response = client.get(history_url(article, record))

    assert response.status_code == 403


def test_moderator_may_not_restore_a_version(client, article):
    first = article.history.earliest()
    form_page = client.get(history_url(article, first))
    edit_in_admin(client, article, title="Second title")
    client.force_login(staff_member("Moderators"))

    response = client.post(history_url(article, first), admin_form_data(form_page))

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Second title"
