"""Email about comments: to moderators when one waits, to the commenter when approved.

Mail goes out after the transaction that stored the comment commits, and a
mail failure is logged, never raised: a comment is never lost because the
mail server is down.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def moderator_addresses():
    """Addresses of active users allowed to moderate comments."""
    permission = Permission.objects.get(
        content_type__app_label="comments", codename="moderate_comment"
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission)
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(set(users))


def notify_moderators(comment, *, base_url):
    """After commit, tell the moderators that ``comment`` waits for them."""
    if not settings.COMMENTS_NOTIFY_MODERATORS or comment.status != comment.Status.PENDING:
        return
    transaction.on_commit(lambda: _send_to_moderators(comment, base_url=base_url))


def notify_commenter_approved(comment, *, base_url):
    """After commit, tell the commenter that their comment is now public."""
    if not settings.COMMENTS_NOTIFY_ON_APPROVAL or not comment.email:
        return
    transaction.on_commit(lambda: _send_to_commenter(comment, base_url=base_url))


def _send_to_moderators(comment, *, base_url):
    try:
        recipients = moderator_addresses()
        if not recipients:
            return
        context = {
            "comment": comment,
            "article": comment.article,
            "site_name": settings.SITE_NAME,
            "queue_url": base_url + reverse("admin:comments_comment_changelist"),
            "change_url": base_url + reverse("admin:comments_comment_change", args=[comment.pk]),
            "article_url": base_url + comment.article.get_absolute_url(),
        }
        subject = _("[%(site)s] Comment waiting for moderation: “%(title)s”") % {
            "site": settings.SITE_NAME,
            "title": comment.article.title,
        }
        body = render_to_string("comments/email/moderators.txt", context)
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
        )
    except Exception:
        logger.exception("Could not notify moderators of comment %s", comment.pk)


def _send_to_commenter(comment, *, base_url):
    try:
        context = {
            "comment": comment,
            "article": comment.article,
            "site_name": settings.SITE_NAME,
            "comment_url": base_url + comment.get_absolute_url(),
        }
        subject = _("[%(site)s] Your comment on “%(title)s” is published") % {
            "site": settings.SITE_NAME,
            "title": comment.article.title,
        }
        body = render_to_string("comments/email/approved.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [comment.email])
    except Exception:
        logger.exception("Could not tell the author of comment %s it was approved", comment.pk)
