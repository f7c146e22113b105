import logging

import pytest
from django.contrib.auth.models import Permission

from comments import notifications
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://tribune.example.org"


@pytest.fixture
def moderator():
    user = UserFactory(username="mod", email="mod@tribune.example.org", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="moderate_comment"))
    return user


@pytest.fixture
def comment():
    article = ArticleFactory(title="The corridor", slug="corridor")
    return CommentFactory(
        article=article, name="Sara", email="sara@example.net", body="Interesting point."
    )


def test_moderators_get_mail_for_a_pending_comment(
    moderator, comment, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="reader", email="reader@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_moderators(comment, base_url=BASE_URL)

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["mod@tribune.example.org"]
    assert "Comment waiting for moderation" in message.subject
    assert "The corridor" in message.subject
    assert "Interesting point." in message.body
    assert f"{BASE_URL}/admin/comments/comment/{comment.pk}/change/" in message.body


def test_no_mail_before_commit(moderator, comment, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.notify_moderators(comment, base_url=BASE_URL)

    assert len(callbacks) == 1
    assert mailoutbox == []


def test_no_mail_for_approved_comment(
    moderator, comment, mailoutbox, django_capture_on_commit_callbacks
):
    comment.status = "approved"

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_moderators(comment, base_url=BASE_URL)

    assert mailoutbox == []


def test_moderator_mail_can_be_switched_off(
    moderator, comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_MODERATORS = False

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_moderators(comment, base_url=BASE_URL)

    assert mailoutbox == []


def test_commenter_told_when_approved(comment, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_commenter_approved(comment, base_url=BASE_URL)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sara@example.net"]
    assert "is published" in mailoutbox[0].subject
    assert f"{BASE_URL}/articles/corridor/#comment-{comment.pk}" in mailoutbox[0].body


def test_commenter_mail_can_be_switched_off(
    comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_NOTIFY_ON_APPROVAL = False

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify_commenter_approved(comment, base_url=BASE_URL)

    assert mailoutbox == []


def test_mail_failure_is_logged_not_raised(
    moderator, comment, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(notifications, "send_mass_mail", broken)

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        notifications.notify_moderators(comment, base_url=BASE_URL)

    assert "Could not notify moderators" in caplog.text
    comment.refresh_from_db()
    assert comment.pk
