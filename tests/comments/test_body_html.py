"""A comment's text is turned into HTML once, when it is stored or edited."""

import pytest
from django.template import Context, Template

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

PERSIAN = (
    "نظر محمود فاضلی درباره «گزارش ۲۰۲۴»:\nhttps://example.org/report?id=7&x=<b>"
    "\n\n<script>alert(1)</script> و Jane Doe"
)


def as_the_template_did(text):
    """What the thread rendered at every request before: ``body|urlize|linebreaks``."""
    return Template("{{ body|urlize|linebreaks }}").render(Context({"body": text}))


def test_stored_html_is_what_the_page_rendered_before():
    comment = CommentFactory(body=PERSIAN)

    assert comment.body_html == as_the_template_did(PERSIAN)
    assert "<script>" not in comment.body_html
    assert "&lt;script&gt;" in comment.body_html
    assert 'href="https://example.org/report?id=7&amp;x="' in comment.body_html
    assert 'rel="nofollow"' in comment.body_html


def test_editing_the_text_remakes_the_html():
    comment = CommentFactory(body="First thought.")
    comment.body = "Second thought: www.example.org"
    comment.save(update_fields=["body"])

    comment.refresh_from_db()
    assert "Second thought" in comment.body_html
    assert 'href="http://www.example.org"' in comment.body_html


def test_other_saves_leave_the_html_alone():
    comment = CommentFactory(body="Kept as it is.")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>marker</p>")
    comment.refresh_from_db()

    comment.approve(by=None)

    comment.refresh_from_db()
    assert comment.body_html == "<p>marker</p>"


def test_comments_created_or_edited_in_bulk_get_their_html():
    article = ArticleFactory()
    (created,) = Comment.objects.bulk_create(
        [Comment(article=article, name="Sara", email="s@example.org", body="سلام <b>دنیا</b>")]
    )
    created.refresh_from_db()
    assert created.body_html == as_the_template_did("سلام <b>دنیا</b>")

    created.body = "Edited in bulk"
    Comment.objects.bulk_update([created], ["body"])
    created.refresh_from_db()
    assert created.body_html == "<p>Edited in bulk</p>"


def test_text_cannot_be_changed_without_its_html():
    CommentFactory()

    with pytest.raises(TypeError):
        Comment.objects.update(body="Silently different")


def test_the_page_shows_the_stored_html(client):
    comment = CommentFactory(body=PERSIAN, status=Comment.Status.APPROVED)

    page = client.get(comment.article.get_absolute_url()).text

    assert comment.body_html in page
    assert "<script>alert(1)</script>" not in page
