"""An editor schedules an article in the admin; it goes live by itself at that time."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article
from tests.articles.test_admin import admin_form_data, staff_member

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 5, 1, 8, 0, tzinfo=datetime.UTC)
GO_LIVE = datetime.datetime(2030, 5, 3, 9, 30, tzinfo=datetime.UTC)
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def clock():
    """Time stands still at ``NOW`` until a test moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def editor_client(client, clock):
    client.force_login(staff_member("Editors"))
    return client


@pytest.fixture
def scheduled(editor_client):
    """An article the editor saved in the admin as published, for a later date."""
    add = reverse("admin:articles_article_add")
    data = admin_form_data(
        editor_client.get(add),
        title="Scheduled analysis",
        slug="scheduled-analysis",
        lead="Out on Friday.",
        status="published",
        published_at_0="2030-05-03",
        published_at_1="09:30:00",
    )
    assert editor_client.post(add, data).status_code == 302
    return Article.objects.get(slug="scheduled-analysis")


def test_saved_with_a_future_date_it_is_scheduled(scheduled):
    assert scheduled.status == Article.Status.PUBLISHED
    assert scheduled.published_at == GO_LIVE
    assert scheduled.is_scheduled()
    assert list(Article.objects.scheduled()) == [scheduled]


def test_list_shows_it_as_scheduled(editor_client, scheduled):
    response = editor_client.get(CHANGELIST)
    filtered = editor_client.get(CHANGELIST, {"status": "scheduled"})
    published = editor_client.get(CHANGELIST, {"status": "published"})

    assert b'<td class="field-publication">Scheduled</td>' in response.content
    assert list(filtered.context["cl"].result_list) == [scheduled]
    assert list(published.context["cl"].result_list) == []


def test_change_form_says_when_it_goes_live(editor_client, scheduled):
    response = editor_client.get(reverse("admin:articles_article_change", args=[scheduled.pk]))

    content = response.content.decode()
    assert "Scheduled for May 3, 2030, 9:30 a.m." in content
    assert f'href="/articles/{scheduled.slug}/?preview"' in content
    assert "View on site" not in content


def test_readers_do_not_see_it_before_its_time(client, clock, scheduled):
    client.logout()
    clock.move_to(GO_LIVE - datetime.timedelta(minutes=1))

    assert client.get("/articles/scheduled-analysis/").status_code == 404
    assert b"Scheduled analysis" not in client.get("/").content


def test_it_goes_live_by_itself(client, clock, scheduled):
    client.logout()
    clock.move_to(GO_LIVE + datetime.timedelta(minutes=1))

    assert client.get("/articles/scheduled-analysis/").status_code == 200
    assert b"Scheduled analysis" in client.get("/").content
    scheduled.refresh_from_db()
    assert scheduled.published_at == GO_LIVE  # nothing had to run or change


def test_list_shows_it_as_published_once_live(editor_client, clock, scheduled):
    clock.move_to(GO_LIVE + datetime.timedelta(minutes=1))

    response = editor_client.get(CHANGELIST)

    assert b'<td class="field-publication">Published</td>' in response.content


def test_publish_now_brings_it_forward(editor_client, scheduled):
    editor_client.post(CHANGELIST, {"action": "publish_now", "_selected_action": [scheduled.pk]})
    editor_client.logout()

    scheduled.refresh_from_db()
    assert scheduled.published_at == NOW
    assert editor_client.get("/articles/scheduled-analysis/").status_code == 200


def test_editor_previews_it_before_its_time(editor_client, scheduled):
    response = editor_client.get("/articles/scheduled-analysis/?preview")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
