"""Changing a published article's slug in the admin keeps its old addresses working."""

import pytest
from django.urls import reverse

from articles.models import SlugRedirect
from tests.articles.test_admin import edit_in_admin, staff_member
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("Editors"))
    return client


def answer(client, slug):
    """What an anonymous reader gets at ``/articles/<slug>/``."""
    client.logout()
    return client.get(f"/articles/{slug}/")


def test_old_address_redirects_permanently_to_the_new_one(editor_client):
    article = ArticleFactory(slug="first-slug")

    edit_in_admin(editor_client, article, slug="second-slug")

    response = answer(editor_client, "first-slug")
    assert response.status_code == 301
    assert response["Location"] == "/articles/second-slug/"
    assert answer(editor_client, "second-slug").status_code == 200


def test_every_old_address_redirects_to_the_newest(client):
    article = ArticleFactory(slug="first-slug")
    editor = staff_member("Editors")

    for slug in ("second-slug", "third-slug"):
        client.force_login(editor)
        edit_in_admin(client, article, slug=slug)

    for old in ("first-slug", "second-slug"):
        response = answer(client, old)
        assert response.status_code == 301
        assert response["Location"] == "/articles/third-slug/"
    assert answer(client, "third-slug").status_code == 200


def test_renaming_a_draft_leaves_no_redirect(editor_client):
    article = ArticleFactory(slug="draft-slug", draft=True)

    edit_in_admin(editor_client, article, slug="better-slug")

    assert not SlugRedirect.objects.exists()
    assert answer(editor_client, "draft-slug").status_code == 404


def test_renaming_a_scheduled_article_leaves_no_redirect(editor_client):
    article = ArticleFactory(slug="scheduled-slug", scheduled=True)

    edit_in_admin(editor_client, article, slug="better-slug")

    assert not SlugRedirect.objects.exists()


def test_going_back_to_an_old_slug_serves_the_article_there(client):
    article = ArticleFactory(slug="original")
    editor = staff_member("Editors")
    client.force_login(editor)
    edit_in_admin(client, article, slug="renamed")
    client.force_login(editor)

    edit_in_admin(client, article, slug="original")

    assert answer(client, "original").status_code == 200
    response = answer(client, "renamed")
    assert response.status_code == 301
    assert response["Location"] == "/articles/original/"
    assert list(SlugRedirect.objects.values_list("old_slug", flat=True)) == ["renamed"]


def test_old_address_of_an_unpublished_article_is_gone(client):
    article = ArticleFactory(slug="first-slug")
    client.force_login(staff_member("Editors"))
    edit_in_admin(client, article, slug="second-slug")

    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302

    assert answer(client, "first-slug").status_code == 404
    assert answer(client, "second-slug").status_code == 404
