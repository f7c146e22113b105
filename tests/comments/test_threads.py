"""The threads' HTML, written without templates: structure, escaping, translations."""

import pytest
from django.utils.html import escape

from comments.models import Comment
from comments.threads import build_threads, threads_html
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script> محمود & <b>'


def html_of(comments, *, is_open=True, own=()):
    return threads_html(build_threads(comments, depth=3, own_pending=set(own)), is_open=is_open)


def test_everything_a_reader_wrote_is_escaped():
    comment = CommentFactory(
        name=HOSTILE, url='https://example.org/?a=1&b="x"', body=HOSTILE, status="approved"
    )

    html = html_of([comment])

    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; محمود &amp; &lt;b&gt;" in html
    assert 'href="https://example.org/?a=1&amp;b=&quot;x&quot;"' in html
    assert f'aria-label="{escape("Reply to " + HOSTILE)}"' in html


def test_replies_nest_and_own_held_comments_are_marked():
    parent = CommentFactory(status=Comment.Status.APPROVED, body="Parent")
    reply = CommentFactory(article=parent.article, parent=parent, status=Comment.Status.APPROVED)
    held = CommentFactory(article=parent.article, status=Comment.Status.PENDING)

    html = html_of([parent, reply, held], own=[held.pk])

    assert html.count('<li class="comments__item">') == 3
    assert html.index(f'id="comment-{parent.pk}"') < html.index('<ol class="comments__replies">')
    assert html.index('<ol class="comments__replies">') < html.index(f'id="comment-{reply.pk}"')
    assert f'id="comment-{held.pk}" class="comment comment--pending"' in html
    assert html.count("Your comment is awaiting moderation.") == 1
    assert html.count(">Reply</a>") == 2  # not under the held comment


def test_closed_comments_offer_no_reply():
    assert "replytocom" not in html_of([CommentFactory(status="approved")], is_open=False)
