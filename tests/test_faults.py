"""Faults: the database down gets a 503 and the site recovers; the mail down loses nothing."""

import contextlib
import logging
import socket
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from comments.models import Comment
from tests.comments.test_posting import comment_data
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

TRY_AGAIN = (
    "We could not save your comment right now. Your text is below: "
    "please copy it and try again in a few minutes."
)


@contextlib.contextmanager
def database_down():
    """Every attempt to use the database fails as with PostgreSQL stopped."""
    refused = OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=refused):
        yield


@pytest.fixture
def article():
    category = CategoryFactory(name="Analysis", slug="analysis")
    return ArticleFactory(slug="the-corridor", title="The corridor", categories=[category])


# The database down


@pytest.mark.parametrize("url", ["/", "/articles/the-corridor/", "/category/analysis/"])
def test_page_answers_503_in_site_design_while_database_is_down(client, article, url):
    with database_down():
        response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Temporarily unavailable" in html
    assert 'class="site-header"' in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert "5432" not in html


def test_page_already_in_the_cache_is_still_served_while_database_is_down(client, article):
    """Nothing can change while the database is down, so a cached page is still right."""
    kept = client.get("/articles/the-corridor/")

    with database_down():
        cached = client.get("/articles/the-corridor/")
        not_cached = client.get("/category/analysis/")
        personal = client.get("/articles/the-corridor/", headers={"Cookie": "comment_author=x"})

    assert cached.status_code == 200
    assert cached.content == kept.content
    assert not_cached.status_code == 503
    assert personal.status_code == 503


def test_missing_page_answers_503_while_database_is_down(article):
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.get("/no-such-page/")

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_healthz_answers_503_json_while_database_is_down(client):
    with database_down():
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_database_down_logs_one_warning_line_without_traceback(client, article, caplog):
    with caplog.at_level(logging.INFO), database_down():
        client.get("/articles/the-corridor/")

    problems = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(problems) == 1
    assert problems[0].name == "tribune.database"
    assert "OperationalError" in problems[0].getMessage()
    assert problems[0].exc_info is None


def test_site_recovers_by_itself_when_database_is_back(client, article):
    with database_down():
        assert client.get("/articles/the-corridor/").status_code == 503
        assert client.get("/healthz").status_code == 503

    assert client.get("/articles/the-corridor/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_database_errors_other_than_connection_stay_server_errors(article):
    client = Client(raise_request_exception=False)
    broken = mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=ProgrammingError("no such table")
    )

    with broken:
        response = client.get("/articles/the-corridor/")

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


# A comment while the database is down


def test_comment_while_database_is_down_gets_try_again_page_with_its_text(client, article):
    text = "Sanctions <script>alert(1)</script> & the corridor"

    with database_down():
        response = client.post("/articles/the-corridor/comment/", comment_data(article, body=text))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert TRY_AGAIN in html
    assert "Sanctions &lt;script&gt;alert(1)&lt;/script&gt; &amp; the corridor" in html
    assert "<script>" not in html
    assert 'href="/articles/the-corridor/"' in html
    assert "jane.reader@example.net" not in html


def test_comment_after_database_is_back_is_stored(client, article):
    with database_down():
        client.post("/articles/the-corridor/comment/", comment_data(article))

    response = client.post("/articles/the-corridor/comment/", comment_data(article))

    assert response.status_code == 303
    assert Comment.objects.get().body == "The corridor matters more than the summit."


# The mail server down


def unused_local_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_comment_is_stored_while_mail_server_is_down(
    client, article, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_local_port()
    settings.EMAIL_TIMEOUT = 5
    moderator = UserFactory(username="moderator", is_staff=True, email="mod@example.org")
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_comment"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post("/articles/the-corridor/comment/", comment_data(article))

    assert len(callbacks) == 1  # the moderators' notification was attempted
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert any(
        record.name == "comments.notifications" and record.levelno == logging.ERROR
        for record in caplog.records
    )
