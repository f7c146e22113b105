import datetime

import pytest
import time_machine

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=datetime.UTC)


def test_visible_holds_only_approved_comments_on_published_articles():
    article = ArticleFactory()
    approved = CommentFactory(article=article, status=Comment.Status.APPROVED)
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(article=article, status=status)

    assert list(Comment.objects.visible()) == [approved]


@pytest.mark.parametrize("article_kind", ["draft", "scheduled"])
def test_visible_excludes_comments_on_articles_the_public_cannot_see(article_kind):
    article = ArticleFactory(**{article_kind: True})
    CommentFactory(article=article, status=Comment.Status.APPROVED)

    assert not Comment.objects.visible().exists()


def test_awaiting_moderation_holds_only_pending_comments():
    pending = CommentFactory()
    for status in (Comment.Status.APPROVED, Comment.Status.SPAM, Comment.Status.TRASH):
        CommentFactory(status=status)

    assert list(Comment.objects.awaiting_moderation()) == [pending]


@pytest.mark.parametrize(
    ("method", "initial", "expected"),
    [
        ("approve", Comment.Status.PENDING, Comment.Status.APPROVED),
        ("mark_spam", Comment.Status.PENDING, Comment.Status.SPAM),
        ("trash", Comment.Status.APPROVED, Comment.Status.TRASH),
        ("restore", Comment.Status.SPAM, Comment.Status.PENDING),
    ],
)
def test_moderation_method_records_status_who_and_when(method, initial, expected):
    moderator = UserFactory()
    comment = CommentFactory(status=initial, hold_reason="More than 2 links.")

    with time_machine.travel(NOW, tick=False):
        getattr(comment, method)(by=moderator)

    comment.refresh_from_db()
    assert comment.status == expected
    assert comment.moderated_at == NOW
    assert comment.moderated_by == moderator
    assert comment.hold_reason == "More than 2 links."
