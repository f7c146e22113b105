"""Comments on the public pages: the threads and the form, and counts on article cards.

``{% render_comments article %}`` loads every comment of the article in two
queries (approved ones, then the reader's own held ones) and builds the
threads in Python, so a discussion of any length costs the same.

On a page shared by every reader (``request.shared_page``, see
pagecache/) nothing belongs to one reader: no own held comments, no
remembered name, no notices, and the form has empty CSRF token and timestamp
fields, which static/js/comments.js fills in when the reader starts writing.
"""

from dataclasses import dataclass, field

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.db.models import Count

import pagecache
from comments import changes
from comments.forms import CommentForm
from comments.models import Comment
from comments.policy import comments_open
from comments.posting import own_comment_ids, remembered_author

register = template.Library()

COUNT_ATTRIBUTE = "comment_count"
SHOWN_FIELDS = ("article", "parent", "name", "url", "body_html", "created_at", "status")


@dataclass
class Node:
    """A comment in a thread, with the replies shown under it."""

    comment: Comment
    own_pending: bool = False
    children: list = field(default_factory=list)


def build_threads(comments, *, depth, own_pending=()):
    """Nest ``comments`` (oldest first) into threads at most ``depth`` levels deep.

    A reply deeper than ``depth`` is shown beside its parent, at the deepest
    level; a reply whose parent is not shown starts a thread of its own.
    """
    depth = max(depth, 1)
    roots = []
    placed = {}  # pk → (node, the list holding it, its level)
    for comment in comments:
        node = Node(comment, own_pending=comment.pk in own_pending)
        parent = placed.get(comment.parent_id)
        if parent is None:
            siblings, level = roots, 1
        else:
            parent_node, parent_siblings, parent_level = parent
            if parent_level < depth:
                siblings, level = parent_node.children, parent_level + 1
            else:
                siblings, level = parent_siblings, parent_level
        siblings.append(node)
        placed[comment.pk] = (node, siblings, level)
    return roots


@register.inclusion_tag("comments/section.html", takes_context=True)
def render_comments(context, article):
    """The comments of ``article``, the form (or "Comments are closed.") and notices."""
    request = context.get("request")
    shared = getattr(request, "shared_page", False)
    pagecache.shows(changes.thread(article.pk), changes.COMMENT_FORMS)
    approved = list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED).only(*SHOWN_FIELDS)
    )
    own = []
    if not shared and (own_ids := own_comment_ids(request)):
        # Held as spam reads the same to its author as held for moderation.
        own = list(
            Comment.objects.filter(
                article=article,
                pk__in=own_ids,
                status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
            ).only(*SHOWN_FIELDS)
        )
    shown = sorted(approved + own, key=lambda comment: (comment.created_at, comment.pk))
    is_open = comments_open(article)
    reply_to = _reply_to(request, approved) if is_open else None
    return {
        "article": article,
        "count": len(approved),
        "threads": build_threads(
            shown,
            depth=settings.COMMENTS_THREAD_DEPTH,
            own_pending={comment.pk for comment in own},
        ),
        "open": is_open,
        "unpublished": not article.is_published(),
        "form": _blank_form(request, article, reply_to=reply_to) if is_open else None,
        "reply_to": reply_to,
        "shared": shared,
        "messages": list(get_messages(request)) if request is not None and not shared else [],
    }


@register.inclusion_tag("comments/form.html", takes_context=True)
def comment_form(context, article):
    """The comment form alone, or "Comments are closed."."""
    request = context.get("request")
    pagecache.shows(changes.COMMENT_FORMS)
    is_open = comments_open(article)
    return {
        "article": article,
        "open": is_open,
        "unpublished": not article.is_published(),
        "form": _blank_form(request, article, reply_to=None) if is_open else None,
        "reply_to": None,
        "shared": getattr(request, "shared_page", False),
    }


def _reply_to(request, approved):
    """The approved comment named by ``?replytocom=<id>``, if any."""
    if request is None:
        return None
    value = request.GET.get("replytocom", "")
    if not (value.isascii() and value.isdigit()):
        return None
    return next((comment for comment in approved if comment.pk == int(value)), None)


def _blank_form(request, article, *, reply_to):
    """The form, pre-filled from the reader's own remember-me cookie when they gave consent."""
    initial = {"parent": reply_to}
    shared = getattr(request, "shared_page", False)
    if request is not None and not shared and (author := remembered_author(request)):
        initial.update(author, remember=True)
    return CommentForm(article=article, initial=initial)


@register.simple_tag
def with_comment_counts(articles):
    """Set ``comment_count`` (approved comments) on every article of ``articles``, in one query."""
    add_comment_counts(articles)
    return ""


@register.simple_tag
def comment_count(article):
    """The approved comments of ``article``: ``{% comment_count article as count %}``.

    Listings call ``{% with_comment_counts object_list %}`` first, so every card
    finds its count already set and the page runs one query for all of them.
    """
    if not hasattr(article, COUNT_ATTRIBUTE):
        add_comment_counts([article])
    return getattr(article, COUNT_ATTRIBUTE)


def add_comment_counts(articles):
    pagecache.shows(*(changes.thread(article.pk) for article in articles))
    articles = [article for article in articles if not hasattr(article, COUNT_ATTRIBUTE)]
    if not articles:
        return
    counts = dict(
        Comment.objects.filter(
            article__in={article.pk for article in articles}, status=Comment.Status.APPROVED
        )
        .order_by()
        .values("article")
        .annotate(count=Count("pk"))
        .values_list("article", "count")
    )
    for article in articles:
        setattr(article, COUNT_ATTRIBUTE, counts.get(article.pk, 0))
