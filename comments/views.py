import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from articles.models import Article
from comments import posting
from comments.forms import CommentForm
from comments.models import Comment
from comments.policy import comments_open

logger = logging.getLogger(__name__)


def post(request, slug):
    """``POST /articles/<slug>/comment/``: the comment form's target.

    Answers 303 to the article for a stored comment, 400 with the form and
    its errors, 403 when comments are closed, 404 for an article the public
    cannot see, 405 for any other method and 429 when one address posts too often.
    """
    article_url = reverse("articles:detail", kwargs={"slug": slug})
    if request.method != "POST":
        response = _message(
            request,
            status=405,
            title=_("Comments are posted with the form"),
            message=_("To comment, use the form at the end of the article."),
            back_url=article_url,
        )
        response["Allow"] = "POST"
        return response

    retry_after = count_attempt(request)
    if retry_after:
        response = _message(
            request,
            status=429,
            title=_("Too many comments"),
            message=_(
                "You have posted too many comments in a short time. "
                "Please wait a few minutes, then try again."
            ),
            back_url=article_url,
        )
        response["Retry-After"] = str(retry_after)
        return response

    article = get_object_or_404(Article.objects.published(), slug=slug)
    if not comments_open(article):
        return _message(
            request,
            status=403,
            title=_("Comments are closed."),
            message=_("This article no longer takes comments."),
            back_url=article_url,
        )

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        context = {"article": article, "form": form, "reply_to": form.reply_to()}
        return render(request, "comments/post_failed.html", context, status=400)

    comment = posting.post_comment(article=article, form=form, request=request)
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, _("Thank you, your comment has been published."))
    else:
        # Spam is not announced: its author reads what any held comment gets.
        messages.info(request, _("Your comment is awaiting moderation."))
    response = HttpResponseRedirect(comment.get_absolute_url(), status=303)
    posting.add_own_comment(response, request, comment)
    if form.cleaned_data["remember"]:
        posting.remember_author(response, comment)
    else:
        posting.forget_author(response)
    return response


def count_attempt(request):
    """Count a posting attempt from the reader's address.

    Returns 0 while the address stays within ``COMMENTS_RATE_LIMIT`` attempts
    per ``COMMENTS_RATE_WINDOW`` seconds, else the seconds until the window ends.
    The cache key holds a keyed hash of the address, never the address itself.
    """
    window = max(settings.COMMENTS_RATE_WINDOW, 1)
    now = int(time.time())
    address = salted_hmac("comments.rate", request.META.get("REMOTE_ADDR", "")).hexdigest()
    key = f"comments:rate:{address[:32]}:{now // window}"
    try:
        attempts = _increment(key, timeout=window)
    except Exception:  # a cache outage lifts the limit; it never blocks a comment
        logger.warning("The comment rate limit is off: the cache is unreachable.", exc_info=True)
        return 0
    if attempts > settings.COMMENTS_RATE_LIMIT:
        return window - now % window
    return 0


def _increment(key, *, timeout):
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1


def _message(request, *, status, title, message, back_url):
    context = {"title": title, "message": message, "back_url": back_url}
    return render(request, "comments/message.html", context, status=status)
