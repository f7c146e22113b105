import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE, get_token
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article
from comments import posting
from comments.forms import CommentForm, make_timestamp
from comments.models import Comment
from comments.policy import comments_open
from edge.clientip import client_ip

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


@never_cache
@require_safe
def form_token(request, slug):
    """``GET /articles/<slug>/comment/token/``: this reader's CSRF token and form timestamp.

    The article pages kept in the page cache are the same for every reader, so
    their comment form leaves both out; static/js/comments.js asks for them here.
    """
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return JsonResponse({"csrfToken": get_token(request), "timestamp": make_timestamp(article)})


def csrf_failure(request, reason=""):
    """Django's CSRF failure page, with one exception: a comment sent without its token.

    A reader whose browser ran no script posts the comment form of a cached page
    as it is, without a token. Their comment is shown again, with a token, to be
    confirmed. A request from another site (wrong origin or referrer) gets the
    plain refusal.
    """
    if reason in (REASON_NO_CSRF_COOKIE, REASON_CSRF_TOKEN_MISSING):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        if match is not None and match.view_name == "comments:post":
            article = Article.objects.published().filter(slug=match.kwargs["slug"]).first()
            if article is not None and comments_open(article):
                return _confirm(request, article)
    return csrf.csrf_failure(request, reason=reason)


def _confirm(request, article):
    posted = request.POST
    reply_to = None
    if (parent := posted.get("parent", "")).isascii() and parent.isdigit():
        reply_to = Comment.objects.visible().filter(article=article, pk=int(parent)).first()
    initial = {
        "body": posted.get("body", ""),
        "name": posted.get("name", ""),
        "email": posted.get("email", ""),
        "url": posted.get("url", ""),
        "remember": bool(posted.get("remember")),
        "parent": reply_to,
    }
    context = {
        "article": article,
        "form": CommentForm(article=article, initial=initial),
        "reply_to": reply_to,
    }
    return render(request, "comments/confirm.html", context, status=403)


def count_attempt(request):
    """Count a posting attempt from the reader's address.

    Returns 0 while the address stays within ``COMMENTS_RATE_LIMIT`` attempts
    per ``COMMENTS_RATE_WINDOW`` seconds, else the seconds until the window ends.
    The cache key holds a keyed hash of the address, never the address itself.
    """
    window = max(settings.COMMENTS_RATE_WINDOW, 1)
    now = int(time.time())
    address = salted_hmac("comments.rate", client_ip(request)).hexdigest()
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
