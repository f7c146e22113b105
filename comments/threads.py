"""Comment threads: nesting the comments of an article, and their HTML.

The HTML is written here rather than by templates: a discussion of a few hundred
comments is the largest part of an article page, and a template include per
comment cost more than all the rest of the page. Everything that comes from a
reader is escaped (``escape``); the text is the HTML made once when the comment
was stored (``Comment.body_html``).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from comments.models import Comment


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


def threads_html(nodes, *, is_open):
    """The ``<li>`` of each thread of ``nodes``, replies nested in their own list."""
    texts = _Texts()
    return SafeString("".join(_thread(node, is_open, texts) for node in nodes))


class _Texts:
    """The interface texts, translated once per thread rather than once per comment."""

    def __init__(self):
        self.awaiting = escape(gettext("Your comment is awaiting moderation."))
        self.reply = escape(gettext("Reply"))
        self.reply_to = gettext("Reply to %(name)s")


def _thread(node, is_open, texts):
    replies = ""
    if node.children:
        inner = "".join(_thread(child, is_open, texts) for child in node.children)
        replies = f'\n<ol class="comments__replies">{inner}</ol>'
    return f'\n<li class="comments__item">\n{_comment(node, is_open, texts)}{replies}\n</li>'


def _comment(node, is_open, texts):
    """One comment's ``<article>``; every value from the reader goes through ``escape``."""
    comment = node.comment
    pk = int(comment.pk)
    name = escape(comment.name)
    author = (
        f'<a href="{escape(comment.url)}" rel="nofollow ugc noopener">{name}</a>'
        if comment.url
        else name
    )
    created = timezone.localtime(comment.created_at)
    awaiting = pending = actions = ""
    if node.own_pending:
        pending = " comment--pending"
        awaiting = f'\n  <p class="comment__awaiting">{texts.awaiting}</p>'
    elif is_open:
        label = escape(texts.reply_to % {"name": comment.name})
        actions = (
            f'\n  <p class="comment__actions"><a class="comment__reply" '
            f'href="?replytocom={pk}#comment-form" rel="nofollow" aria-label="{label}">'
            f"{texts.reply}</a></p>"
        )
    return (
        f'<article id="comment-{pk}" class="comment{pending}">\n'
        f'  <header class="comment__meta">\n'
        f'    <span class="comment__author">{author}</span>\n'
        f'    <a class="comment__permalink" href="#comment-{pk}">'
        f'<time datetime="{created.replace(microsecond=0).isoformat()}">'
        f"{created.strftime('%Y/%m/%d %H:%M')}</time></a>\n"
        f"  </header>{awaiting}\n"
        f'  <div class="comment__text">{comment.body_html}</div>{actions}\n'
        f"</article>"
    )
