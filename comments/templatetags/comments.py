"""Comments on the public pages: the threads and the form, and counts on article cards.

``{% render_comments article %}`` loads every comment of the article in two
queries (approved ones, then the reader's own held ones) and builds the
threads in Python, so a discussion of any length costs the same.

On a page shared by every reader (``request.shared_page``, see
pagecache/) nothing belongs to one reader: no own held comments, no
remembered name, no notices, and the form has empty CSRF token and timestamp
fields, which static/js/comments.js fills in when the reader starts writing.
"""

from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.db.models import Count
from django.template.context_processors import csrf
from django.template.loader import get_template
from django.utils.safestring import SafeString

import pagecache
from articles.models import Article
from comments import changes
from comments.forms import CommentForm
from comments.models import Comment
from comments.policy import comments_open
from comments.posting import own_comment_ids, remembered_author
from comments.threads import build_threads, threads_html

register = template.Library()

SECTION_PART = "comments:section"
FORM_PART = "comments:form"
COUNT_ATTRIBUTE = "comment_count"
SHOWN_FIELDS = ("article", "parent", "name", "url", "body_html", "created_at", "status")


@register.simple_tag(takes_context=True)
def render_comments(context, article):
    """The comments of ``article``, the form (or "Comments are closed.") and notices.

    A personal part of the page: on a page kept for every reader, each reader
    with a cookie gets this part rendered for them alone (``fill_section``).
    """
    html = section(context.get("request"), article)
    return pagecache.personal_part(SECTION_PART, [article.pk], html)


@register.simple_tag(takes_context=True)
def comment_form(context, article):
    """The comment form alone, or "Comments are closed."."""
    html = form_html(context.get("request"), article)
    return pagecache.personal_part(FORM_PART, [article.pk], html)


@pagecache.fills(SECTION_PART)
def fill_section(request, article_pk):
    article = _public_article(article_pk)
    return None if article is None else section(request, article)


@pagecache.fills(FORM_PART)
def fill_form(request, article_pk):
    article = _public_article(article_pk)
    return None if article is None else form_html(request, article)


def _public_article(pk):
    return (
        Article.objects.published()
        .filter(pk=pk)
        .only("pk", "slug", "status", "published_at", "comments_enabled")
        .first()
    )


def section(request, article):
    """The comment section's HTML, for every reader on a shared page, else for this one."""
    shared = getattr(request, "shared_page", False)
    pagecache.shows(changes.thread(article.pk), changes.COMMENT_FORMS)
    own = [] if shared else _own_held(request, article)
    is_open = comments_open(article)
    count, threads = _threads(article, own, is_open)
    reply_to = _reply_to(request, article) if is_open else None
    return get_template("comments/section.html").render(
        {
            "article": article,
            "count": count,
            "threads": threads,
            "open": is_open,
            "unpublished": not article.is_published(),
            "form": _blank_form(request, article, reply_to=reply_to) if is_open else None,
            "reply_to": reply_to,
            "shared": shared,
            "messages": list(get_messages(request)) if request is not None and not shared else [],
            **_csrf(request),
        }
    )


def form_html(request, article):
    pagecache.shows(changes.COMMENT_FORMS)
    is_open = comments_open(article)
    return get_template("comments/form.html").render(
        {
            "article": article,
            "open": is_open,
            "unpublished": not article.is_published(),
            "form": _blank_form(request, article, reply_to=None) if is_open else None,
            "reply_to": None,
            "shared": getattr(request, "shared_page", False),
            **_csrf(request),
        }
    )


def _csrf(request):
    return csrf(request) if request is not None else {}


def _own_held(request, article):
    """The reader's own comments on ``article`` still held (spam reads the same to them)."""
    if not (own_ids := own_comment_ids(request)):
        return []
    return list(
        Comment.objects.filter(
            article=article,
            pk__in=own_ids,
            status__in=[Comment.Status.PENDING, Comment.Status.SPAM],
        ).only(*SHOWN_FIELDS)
    )


def _threads(article, own, is_open):
    """``(approved count, the threads' HTML)``: kept in the cache while the article's
    comments stay as they are, unless the reader's own held comments are among them."""

    def render():
        approved = _approved(article)
        shown = sorted(approved + own, key=lambda comment: (comment.created_at, comment.pk))
        threads = build_threads(
            shown,
            depth=settings.COMMENTS_THREAD_DEPTH,
            own_pending={comment.pk for comment in own},
        )
        return len(approved), threads_html(threads, is_open=is_open)

    if own:
        count, html = render()
    else:
        count, html = pagecache.remembered(
            f"thread:{article.pk}:{is_open}",
            render,
            topics=(pagecache.SITE, changes.thread(article.pk)),
        )
    return count, SafeString(html)


def _approved(article):
    return list(
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED).only(*SHOWN_FIELDS)
    )


def _reply_to(request, article):
    """The approved comment of ``article`` named by ``?replytocom=<id>``, if any."""
    if request is None:
        return None
    value = request.GET.get("replytocom", "")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return (
        Comment.objects.filter(article=article, pk=int(value), status=Comment.Status.APPROVED)
        .only(*SHOWN_FIELDS)
        .first()
    )


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
