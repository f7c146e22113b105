"""A reader posts a comment: store it as the policy decides, tell the moderators.

Also the two cookies posting leaves in the reader's browser, both signed and
invisible to scripts:

- ``comment_author``: name, email and website, only when the reader ticked
  "Save my name, email, and website…"; it pre-fills the form;
- ``comment_ids``: the reader's own recent comments, so the article shows them
  their comments still awaiting moderation, and nobody else.
"""

from django.conf import settings
from django.core import signing

from comments import policy
from comments.models import Comment
from comments.notifications import notify_moderators
from comments.privacy import truncate_ip
from edge.clientip import client_ip

AUTHOR_COOKIE = "comment_author"
AUTHOR_SALT = "comments.author"
AUTHOR_MAX_AGE = 365 * 24 * 3600
OWN_COOKIE = "comment_ids"
OWN_SALT = "comments.own"
OWN_MAX_AGE = 30 * 24 * 3600
OWN_KEEP = 20
USER_AGENT_LENGTH = 500


def post_comment(*, article, form, request):
    """Store the comment of the valid ``form`` on ``article``; return it.

    The policy's decision and its reason are stored with the comment; the
    moderators hear of it (after commit) when it waits for them.
    """
    comment = form.build_comment()
    full_ip = client_ip(request)
    comment.ip_address = truncate_ip(full_ip)
    comment.user_agent = request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH]
    decision = policy.decide(
        comment,
        ip_address=full_ip,
        user_agent=comment.user_agent,
        referrer=request.headers.get("Referer", ""),
        permalink=request.build_absolute_uri(article.get_absolute_url()),
    )
    comment.status = decision.status
    comment.hold_reason = decision.reason[: Comment._meta.get_field("hold_reason").max_length]
    comment.save()
    if comment.status == Comment.Status.PENDING:
        notify_moderators(comment, base_url=request.build_absolute_uri("/").rstrip("/"))
    return comment


def remembered_author(request):
    """Name, email and website saved with the reader's consent, or ``{}``."""
    value = request.COOKIES.get(AUTHOR_COOKIE)
    if not value:
        return {}
    try:
        data = signing.loads(value, salt=AUTHOR_SALT, max_age=AUTHOR_MAX_AGE)
    except signing.BadSignature:
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: str(data.get(key, "")) for key in ("name", "email", "url")}


def remember_author(response, comment):
    response.set_cookie(
        AUTHOR_COOKIE,
        signing.dumps(
            {"name": comment.name, "email": comment.email, "url": comment.url},
            salt=AUTHOR_SALT,
            compress=True,
        ),
        max_age=AUTHOR_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_author(response):
    response.delete_cookie(AUTHOR_COOKIE, samesite="Lax")


def own_comment_ids(request):
    """Ids of the reader's own recent comments, from their signed cookie."""
    if request is None:
        return []
    value = request.get_signed_cookie(OWN_COOKIE, default="", salt=OWN_SALT, max_age=OWN_MAX_AGE)
    return [int(part) for part in value.split(".") if part.isascii() and part.isdigit()][-OWN_KEEP:]


def add_own_comment(response, request, comment):
    ids = [pk for pk in own_comment_ids(request) if pk != comment.pk] + [comment.pk]
    response.set_signed_cookie(
        OWN_COOKIE,
        ".".join(str(pk) for pk in ids[-OWN_KEEP:]),
        salt=OWN_SALT,
        max_age=OWN_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
