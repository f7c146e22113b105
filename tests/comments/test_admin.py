import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
INDEX = reverse("admin:index")
NOW = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=datetime.UTC)


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def make_superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def make_moderator():
    return staff_with("view_comment", "change_comment", "delete_comment", "moderate_comment")


MODERATING_USERS = pytest.mark.parametrize(
    "make_user", [make_superuser, make_moderator], ids=["superuser", "moderator"]
)


@pytest.fixture
def login(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def post_action(client, action, comments, query=""):
    return client.post(
        f"{CHANGELIST}{query}",
        {"action": action, "_selected_action": [c.pk for c in comments], "index": "0"},
        follow=True,
    )


@MODERATING_USERS
def test_changelist_opens_on_pending_comments(login, make_user):
    client = login(make_user())
    CommentFactory(email="waiting@example.net")
    CommentFactory(email="published@example.net", status=Comment.Status.APPROVED)
    CommentFactory(email="junk@example.net", status=Comment.Status.SPAM)

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    assert [c.email for c in response.context["cl"].result_list] == ["waiting@example.net"]


@MODERATING_USERS
def test_status_all_shows_every_comment(login, make_user):
    client = login(make_user())
    for status in Comment.Status.values:
        CommentFactory(email=f"{status}@example.net", status=status)

    response = client.get(CHANGELIST, {"status": "all"})

    shown = {c.email for c in response.context["cl"].result_list}
    assert shown == {f"{status}@example.net" for status in Comment.Status.values}


def test_status_filter_counts_each_status(login):
    client = login(make_moderator())
    CommentFactory.create_batch(2)
    CommentFactory(status=Comment.Status.SPAM)

    response = client.get(CHANGELIST)

    for label in ("Pending (2)", "Approved (0)", "Spam (1)", "Trash (0)", "All (3)"):
        assert label in response.text


def test_unknown_status_falls_back_to_the_queue(login):
    client = login(make_moderator())

    response = client.get(CHANGELIST, {"status": "nonsense"})

    assert response.status_code == 302
    assert response["Location"] == f"{CHANGELIST}?e=1"


@MODERATING_USERS
def test_search_by_email_finds_the_comment(login, make_user):
    client = login(make_user())
    CommentFactory(email="needle@example.net")
    CommentFactory(email="hay@example.net")

    response = client.get(CHANGELIST, {"q": "needle@example"})

    assert [c.email for c in response.context["cl"].result_list] == ["needle@example.net"]


def test_filter_by_article(login):
    client = login(make_moderator())
    article = ArticleFactory()
    CommentFactory(article=article, email="here@example.net")
    CommentFactory(email="elsewhere@example.net")

    response = client.get(CHANGELIST, {"article__id__exact": article.pk})

    assert [c.email for c in response.context["cl"].result_list] == ["here@example.net"]


def test_excerpt_is_escaped_and_truncated(login):
    client = login(make_moderator())
    CommentFactory(body="<script>alert('x')</script> " + "word " * 20 + "conclusion")

    response = client.get(CHANGELIST)

    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; word" in response.text
    assert "conclusion" not in response.text
    assert "…</a>" in response.text


@MODERATING_USERS
@pytest.mark.parametrize(
    ("action", "initial", "expected", "message"),
    [
        ("approve", "pending", Comment.Status.APPROVED, "2 comments approved."),
        ("mark_spam", "pending", Comment.Status.SPAM, "2 comments marked as spam."),
        ("trash", "approved", Comment.Status.TRASH, "2 comments moved to trash."),
        ("restore", "spam", Comment.Status.PENDING, "2 comments restored to pending."),
    ],
)
def test_bulk_action_moderates_selected_comments(
    login, make_user, action, initial, expected, message
):
    user = make_user()
    client = login(user)
    selected = CommentFactory.create_batch(2, status=initial)
    untouched = CommentFactory(status=initial)

    with time_machine.travel(NOW, tick=False):
        response = post_action(client, action, selected, query=f"?status={initial}")

    assert response.status_code == 200
    assert message in response.text
    for comment in selected:
        comment.refresh_from_db()
        assert comment.status == expected
        assert comment.moderated_by == user
        assert comment.moderated_at == NOW
    untouched.refresh_from_db()
    assert untouched.status == initial
    assert untouched.moderated_at is None


def test_action_message_for_one_comment(login):
    client = login(make_moderator())

    response = post_action(client, "approve", [CommentFactory()])

    assert "1 comment approved." in response.text


def test_staff_without_moderate_permission_sees_no_moderation_actions(login):
    client = login(staff_with("view_comment", "change_comment"))
    CommentFactory()

    response = client.get(CHANGELIST)

    assert response.status_code == 200
    for action in ("approve", "mark_spam", "trash", "restore"):
        assert f'value="{action}"' not in response.text


@pytest.mark.parametrize("action", ["approve", "mark_spam", "trash", "restore"])
def test_crafted_action_without_moderate_permission_changes_nothing(login, action):
    client = login(staff_with("view_comment", "change_comment", "delete_comment"))
    comment = CommentFactory(status=Comment.Status.SPAM if action == "restore" else "pending")

    response = post_action(client, action, [comment], query="?status=all")

    assert response.status_code == 200
    assert "No action selected." in response.text
    refreshed = Comment.objects.get(pk=comment.pk)
    assert refreshed.status == comment.status
    assert refreshed.moderated_at is None


def test_comments_cannot_be_added_in_the_admin(login):
    client = login(make_superuser())

    response = client.get(reverse("admin:comments_comment_add"))

    assert response.status_code == 403


def change_form_data(comment, **changes):
    data = {
        "name": comment.name,
        "email": comment.email,
        "url": comment.url,
        "body": comment.body,
        "status": comment.status,
        "_save": "Save",
    }
    return {**data, **changes}


def test_change_form_records_a_status_change(login):
    moderator = make_moderator()
    client = login(moderator)
    comment = CommentFactory()

    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("admin:comments_comment_change", args=[comment.pk]),
            change_form_data(comment, status="approved", body="Corrected text."),
        )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert comment.body == "Corrected text."
    assert comment.moderated_by == moderator
    assert comment.moderated_at == NOW


def test_change_form_edit_without_status_change_is_not_a_moderation(login):
    client = login(make_moderator())
    comment = CommentFactory()

    client.post(
        reverse("admin:comments_comment_change", args=[comment.pk]),
        change_form_data(comment, name="Corrected Name"),
    )

    comment.refresh_from_db()
    assert comment.name == "Corrected Name"
    assert comment.moderated_at is None


def test_change_form_keeps_status_read_only_without_moderate_permission(login):
    client = login(staff_with("view_comment", "change_comment"))
    comment = CommentFactory(ip_address="192.0.2.0")

    url = reverse("admin:comments_comment_change", args=[comment.pk])
    page = client.get(url)
    client.post(url, change_form_data(comment, status="approved"))

    assert 'name="status"' not in page.text
    assert 'name="ip_address"' not in page.text
    assert 'name="body"' in page.text
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


@MODERATING_USERS
def test_admin_index_shows_pending_count_linking_to_the_queue(login, make_user):
    client = login(make_user())
    CommentFactory.create_batch(2)
    CommentFactory(status=Comment.Status.APPROVED)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "2 comments awaiting moderation" in response.text
    assert f'href="{CHANGELIST}?status=pending"' in response.text


def test_admin_index_says_when_the_queue_is_empty(login):
    client = login(make_moderator())

    response = client.get(INDEX)

    assert "No comments awaiting moderation" in response.text


def test_admin_index_hides_pending_count_without_comment_view_permission(login):
    client = login(staff_with("view_article", "change_article"))
    CommentFactory.create_batch(2)

    response = client.get(INDEX)

    assert response.status_code == 200
    assert "awaiting moderation" not in response.text
    assert 'id="moderation-queue"' not in response.text


@MODERATING_USERS
def test_changelist_runs_a_fixed_number_of_queries(login, make_user):
    client = login(make_user())
    articles = ArticleFactory.create_batch(6)
    CommentFactory.create_batch(3, article=articles[0])
    client.get(CHANGELIST)  # warm caches (content types, permissions)

    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    for article in articles:
        CommentFactory.create_batch(10 if article is not articles[0] else 7, article=article)
    with CaptureQueriesContext(connection) as many:
        response = client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 60
    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)


def test_approving_tells_the_commenter(login, mailoutbox, django_capture_on_commit_callbacks):
    client = login(make_moderator())
    comment = CommentFactory(email="sara@example.net")
    CommentFactory(email="already@example.net", status=Comment.Status.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, "approve", Comment.objects.all(), query="?status=all")

    assert [message.to for message in mailoutbox] == [[comment.email]]
    assert f"http://testserver{comment.get_absolute_url()}" in mailoutbox[0].body


def test_approving_in_the_change_form_tells_the_commenter(
    login, mailoutbox, django_capture_on_commit_callbacks
):
    client = login(make_moderator())
    comment = CommentFactory(email="sara@example.net")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:comments_comment_change", args=[comment.pk]),
            change_form_data(comment, status="approved"),
        )

    assert [message.to for message in mailoutbox] == [["sara@example.net"]]


@pytest.mark.parametrize("action", ["mark_spam", "trash"])
def test_rejecting_sends_no_mail(login, action, mailoutbox, django_capture_on_commit_callbacks):
    client = login(make_moderator())
    comment = CommentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        post_action(client, action, [comment])

    assert mailoutbox == []
