"""A reader posts a comment: the whole path, bad input, cookies, privacy of the address."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client, override_settings
from django.utils import timezone

from comments.forms import make_timestamp
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

AWAITING = "Your comment is awaiting moderation."


def signed_timestamp(article, *, seconds_ago=60):
    """The form's timestamp as if the reader had opened the page ``seconds_ago``."""
    with time_machine.travel(timezone.now() - datetime.timedelta(seconds=seconds_ago)):
        return make_timestamp(article)


def comment_data(article, **overrides):
    """What the form posts; an override of ``None`` leaves the field out."""
    data = {
        "body": "The corridor matters more than the summit.",
        "name": "Jane Reader",
        "email": "jane.reader@example.net",
        "url": "",
        "homepage": "",
        "timestamp": signed_timestamp(article),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_comment(client, article, **overrides):
    return client.post(f"/articles/{article.slug}/comment/", comment_data(article, **overrides))


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor", title="The corridor")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator", is_staff=True, email="moderator@example.org")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="comments", codename="moderate_comment")
    )
    return user


# The reader's whole path


def test_valid_comment_is_stored_pending_and_redirects_303_to_it(client, article):
    response = post_comment(client, article)

    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/articles/the-corridor/#comment-{comment.pk}"
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "Held: every comment is held for moderation."
    assert comment.article == article


def test_reader_sees_the_notice_and_their_own_pending_comment(client, article):
    response = post_comment(client, article, body="My own remark, still held.")

    page = client.get(response["Location"])
    comment = Comment.objects.get()
    assert page.status_code == 200
    assert page.text.count(AWAITING) == 2  # the notice and the mark on the comment
    assert f'id="comment-{comment.pk}"' in page.text
    assert "My own remark, still held." in page.text


def test_another_visitor_does_not_see_a_pending_comment(client, article):
    post_comment(client, article, body="My own remark, still held.")

    page = Client().get("/articles/the-corridor/")
    assert "My own remark, still held." not in page.text
    assert AWAITING not in page.text


def test_approved_comment_is_seen_by_the_public(client, article, moderator):
    post_comment(client, article, body="Worth reading twice.")
    comment = Comment.objects.get()

    comment.approve(by=moderator)

    page = Client().get("/articles/the-corridor/")
    assert "Worth reading twice." in page.text
    assert "1 Comment" in page.text
    assert AWAITING not in page.text


def test_auto_approved_comment_thanks_the_reader(client, article, settings):
    settings.COMMENTS_HOLD_ALL = False

    response = post_comment(client, article)

    page = client.get(response["Location"])
    assert "Thank you, your comment has been published." in page.text
    assert Comment.objects.get().status == Comment.Status.APPROVED


def test_reply_is_stored_with_its_parent_and_shown_nested(client, article):
    parent = CommentFactory(article=article, status=Comment.Status.APPROVED, body="First.")

    page = client.get(f"/articles/the-corridor/?replytocom={parent.pk}")
    assert f'name="parent" value="{parent.pk}"' in page.text
    assert f"Reply to {parent.name}" in page.text

    response = post_comment(client, article, body="An answer.", parent=str(parent.pk))
    reply = Comment.objects.get(body="An answer.")
    assert reply.parent == parent
    page = client.get(response["Location"])
    nested = page.text.split(f'id="comment-{parent.pk}"', 1)[1]
    assert '<ol class="comments__replies">' in nested
    assert f'id="comment-{reply.pk}"' in nested


def test_moderators_are_emailed_about_a_pending_comment(
    client, article, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)

    assert [message.to for message in mailoutbox] == [["moderator@example.org"]]
    assert "The corridor" in mailoutbox[0].subject


def test_no_email_for_an_approved_comment(
    client, article, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_HOLD_ALL = False

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(client, article)

    assert mailoutbox == []


def test_mail_failure_still_stores_the_comment(
    client, article, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_mail(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("comments.notifications.send_mass_mail", broken_mail)

    with django_capture_on_commit_callbacks(execute=True):
        response = post_comment(client, article)

    assert response.status_code == 303
    assert Comment.objects.get().status == Comment.Status.PENDING


# What is stored


def test_text_is_stored_as_plain_text_with_line_breaks(client, article):
    post_comment(client, article, body="  First line.\r\nSecond line.\rThird.  ")

    assert Comment.objects.get().body == "First line.\nSecond line.\nThird."


def test_website_without_scheme_is_stored_as_https(client, article):
    post_comment(client, article, url="jane.example.net")

    assert Comment.objects.get().url == "https://jane.example.net"


# Bad input: a clear message, the right status, nothing stored, never a 500


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("body", "Please write your comment."),
        ("name", "Please enter your name."),
        ("email", "Please enter your email address."),
    ],
)
def test_missing_required_field_is_refused_next_to_the_field(client, article, field, message):
    response = post_comment(client, article, **{field: None})

    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Jane Reader" in response.text or field == "name"
    assert not Comment.objects.exists()


def test_blank_comment_is_refused(client, article):
    response = post_comment(client, article, body="   \n\t  ")

    assert response.status_code == 400
    assert "Please write your comment." in response.text
    assert not Comment.objects.exists()


def test_error_page_keeps_the_text_and_links_back_to_the_article(client, article):
    response = post_comment(client, article, body="Kept while I fix my email.", email="nope")

    assert response.status_code == 400
    assert "Kept while I fix my email." in response.text
    assert 'href="/articles/the-corridor/"' in response.text
    assert 'id="comment-form"' in response.text


def test_oversized_comment_is_refused_with_the_limit(client, article, settings):
    settings.COMMENTS_MAX_LENGTH = 50

    response = post_comment(client, article, body="x" * 51)

    assert response.status_code == 400
    assert "Your comment is too long: 51 characters, at most 50 are allowed." in response.text
    assert not Comment.objects.exists()


def test_comment_at_the_default_limit_is_accepted(client, article):
    response = post_comment(client, article, body="x" * 5000)

    assert response.status_code == 303


def test_default_limit_is_5000_characters(client, article):
    response = post_comment(client, article, body="x" * 5001)

    assert response.status_code == 400
    assert "at most 5000 are allowed" in response.text


def test_oversized_name_is_refused(client, article):
    response = post_comment(client, article, name="n" * 101)

    assert response.status_code == 400
    assert "Please shorten your name to 100 characters or fewer." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("email", ["jane", "jane@", "jane@example", "<jane@example.net>"])
def test_invalid_email_is_refused(client, article, email):
    response = post_comment(client, article, email=email)

    assert response.status_code == 400
    assert "Please enter a valid email address, such as name@example.org." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.net/",
        "http://",
        "not a web address",
    ],
)
def test_website_other_than_http_or_https_is_refused(client, article, url):
    response = post_comment(client, article, url=url)

    assert response.status_code == 400
    assert "Enter a website address starting with http:// or https://." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field", ["body", "name", "email", "url"])
def test_null_character_is_refused(client, article, field):
    value = {
        "body": "Hello\x00world",
        "name": "Jane\x00",
        "email": "jane\x00@example.net",
        "url": "https://example.net/\x00",
    }[field]

    response = post_comment(client, article, **{field: value})

    assert response.status_code == 400
    assert '<ul class="errorlist"' in response.text
    assert not Comment.objects.exists()


def test_null_character_message_is_clear(client, article):
    response = post_comment(client, article, body="Hello\x00world")

    assert "Null characters are not allowed." in response.text


def test_control_characters_are_dropped_line_breaks_and_tabs_kept(client, article):
    post_comment(
        client, article, body="Bell\x07 and escape\x1b[31m.\n\tIndented.", name="Ja\x08ne\x0b Doe"
    )

    comment = Comment.objects.get()
    assert comment.body == "Bell and escape[31m.\n\tIndented."
    assert comment.name == "Jane Doe"


def test_comment_of_control_characters_only_is_refused(client, article):
    response = post_comment(client, article, body="\x07\x1b\x7f")

    assert response.status_code == 400
    assert "Please write your comment." in response.text


MARKUP = '<script>alert("x")</script><b onmouseover="alert(1)">bold</b>'


@pytest.mark.parametrize("field", ["body", "name", "email", "url"])
def test_markup_in_any_field_is_shown_escaped_on_the_error_page(client, article, field):
    # An invalid email keeps every field's text on the error page.
    response = post_comment(client, article, **{"email": "invalid", field: MARKUP})

    assert response.status_code == 400
    assert "<script>alert" not in response.text
    assert "<b onmouseover" not in response.text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text


def test_markup_in_name_and_text_is_shown_escaped_once_approved(client, article, moderator):
    post_comment(client, article, name=MARKUP, body=MARKUP + "\nhttps://example.org/?q=<x>")
    Comment.objects.get().approve(by=moderator)

    page = client.get("/articles/the-corridor/")

    assert "<script>alert" not in page.text
    assert "<b onmouseover" not in page.text
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert f'<span class="comment__author">{escaped}' in page.text
    assert f'<div class="comment__text"><p>{escaped}' in page.text
    assert f'aria-label="Reply to {escaped}' in page.text


def test_parent_from_another_article_is_refused(client, article):
    elsewhere = CommentFactory(status=Comment.Status.APPROVED)

    response = post_comment(client, article, parent=str(elsewhere.pk))

    assert response.status_code == 400
    assert "The comment you are replying to is not available any more." in response.text
    assert f'name="parent" value="{elsewhere.pk}"' not in response.text
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_parent_not_approved_is_refused(client, article, status):
    parent = CommentFactory(article=article, status=status)

    response = post_comment(client, article, parent=str(parent.pk))

    assert response.status_code == 400
    assert "The comment you are replying to is not available any more." in response.text
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("parent", ["abc", "-1", "99999", "1.5"])
def test_malformed_parent_is_refused(client, article, parent):
    response = post_comment(client, article, parent=parent)

    assert response.status_code == 400
    assert "The comment you are replying to is not available any more." in response.text


def test_unknown_article_is_404(client, article):
    response = client.post("/articles/no-such-article/comment/", comment_data(article))

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_unpublished_article_is_404(client, kind):
    unpublished = ArticleFactory(**{kind: True})

    response = post_comment(client, unpublished)

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_are_405(client, article, method):
    response = getattr(client, method)("/articles/the-corridor/comment/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "To comment, use the form at the end of the article." in response.text


def test_comments_disabled_on_the_article_is_403(client):
    closed = ArticleFactory(slug="closed", comments_enabled=False)

    response = post_comment(client, closed)

    assert response.status_code == 403
    assert "Comments are closed." in response.text
    assert not Comment.objects.exists()


def test_comments_closed_by_age_is_403(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=15))

    response = post_comment(client, old)

    assert response.status_code == 403
    assert "Comments are closed." in response.text
    assert not Comment.objects.exists()


def test_article_within_the_closing_age_takes_comments(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    recent = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=13))

    assert post_comment(client, recent).status_code == 303


def test_bad_input_changes_nothing_already_stored(client, article):
    existing = CommentFactory(article=article, status=Comment.Status.APPROVED, body="Kept.")

    post_comment(client, article, email="broken", parent=str(existing.pk))

    existing.refresh_from_db()
    assert existing.body == "Kept."
    assert existing.status == Comment.Status.APPROVED
    assert Comment.objects.count() == 1


def test_comment_is_stored_while_the_cache_server_is_down(client, article, caplog):
    # A Redis cache on a port where nothing listens: every cache call fails.
    dead_redis = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }

    with override_settings(CACHES=dead_redis):
        response = post_comment(client, article, body="Posted while Redis was down.")
        page = client.get(response["Location"])

    assert response.status_code == 303
    assert Comment.objects.filter(body="Posted while Redis was down.").exists()
    assert "the cache is unreachable" in caplog.text
    assert page.status_code == 200
