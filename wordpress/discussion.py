"""Comments of the imported posts: threads, statuses and commenters; pingbacks are left out."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from comments.models import ANONYMOUS_NAME, Comment
from comments.privacy import truncate_ip
from wordpress.fields import parse_date
from wordpress.models import ImportedObject
from wordpress.text import clean_line, html_to_text
from wordpress.text import truncate as truncate_text

# Shown with each imported comment in the moderation queue.
HOLD_REASON = "Imported from WordPress."
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
PING_TYPES = ("pingback", "trackback")


def count_comment_in_file(importer, comment):
    if comment.type in PING_TYPES:
        importer.report.found("comments", comment.type)
        return
    importer.report.found("comments", comment_status_key(comment))
    if comment.parent not in ("", "0"):
        importer.report.found("comments", "replies")


def comment_status_key(comment):
    return str(COMMENT_STATUS.get(comment.approved, Comment.Status.PENDING))


def skip_comment(importer, comment, reason):
    if comment.type in PING_TYPES:
        importer.report.outcome("comments", comment.type, "skipped")
        importer.report.skip(f"{comment.type}s: not comments", comment.url)
        return
    importer.report.outcome("comments", comment_status_key(comment), "skipped")
    if comment.parent not in ("", "0"):
        importer.report.outcome("comments", "replies", "skipped")
    if reason:
        importer.report.skip(reason, clean_line(comment.author))


def import_comments(importer, item, article):
    """The post's comments, parents before replies; pingbacks and trackbacks are skipped.

    New comments are written a generation at a time (all top-level ones, then
    their replies…), each generation in one query.
    """
    report = importer.report
    wanted = {}
    for comment in item.comments:
        count_comment_in_file(importer, comment)
        if comment.type in PING_TYPES:
            skip_comment(importer, comment, "")
        elif comment.type not in ("", "comment"):
            skip_comment(importer, comment, f"comments of the type “{comment.type}”")
        elif not comment.id:
            skip_comment(importer, comment, "comments without an id")
        elif importer.first_sight(ImportedObject.Kind.COMMENT, comment.id):
            wanted[comment.id] = comment
        else:
            skip_comment(importer, comment, "")
    if not wanted:
        return
    mapped = importer.mapped_many(ImportedObject.Kind.COMMENT, list(wanted))
    existing = Comment.objects.in_bulk(list(mapped.values())) if mapped else {}
    saved = {}  # WordPress comment id → our pk
    remaining = list(wanted.values())
    while remaining:
        generation = [
            comment
            for comment in remaining
            if comment.parent in ("", "0", comment.id) or comment.parent in saved
        ]
        if not generation:
            # The parent is missing, a pingback, or part of a loop: start a thread of its own.
            generation = [remaining[0]]
            report.note("replies whose parent was not imported: shown as threads of their own")
        chosen = {comment.id for comment in generation}
        remaining = [comment for comment in remaining if comment.id not in chosen]
        new = []
        for comment in generation:
            parent_pk = saved.get(comment.parent)
            values = comment_values(importer, comment, article, parent_pk)
            instance = existing.get(mapped.get(comment.id))
            if instance is None:
                new.append((comment, Comment(**values)))
                outcome = "created"
            else:
                outcome = importer.upsert(instance, values, created=False)
                saved[comment.id] = instance.pk
            report.outcome("comments", str(values["status"]), outcome)
            if parent_pk is not None:
                report.outcome("comments", "replies", outcome)
            elif comment.parent not in ("", "0"):
                report.outcome("comments", "replies", "skipped")
        if new:
            Comment.objects.bulk_create([instance for _comment, instance in new])
        for comment, instance in new:
            saved[comment.id] = instance.pk
            if comment.id in mapped:  # imported before, deleted in Tribune since
                importer.remember(ImportedObject.Kind.COMMENT, comment.id, instance.pk, stale=True)
        importer.remember_new(
            ImportedObject.Kind.COMMENT,
            [(comment.id, instance.pk) for comment, instance in new if comment.id not in mapped],
        )


def comment_values(importer, comment, article, parent_pk):
    url = comment.url
    if url and not valid_url(url):
        importer.report.note("commenters' websites dropped (not an http(s) URL)", url[:80])
        url = ""
    created_at = parse_date(comment.date_gmt) or parse_date(comment.date) or timezone.now()
    return {
        "article_id": article.pk,
        "parent_id": parent_pk,
        "name": truncate_text(clean_line(html_to_text(comment.author)) or ANONYMOUS_NAME, 100),
        "email": comment.email[:254],
        "url": url,
        "body": html_to_text(comment.content),
        "status": COMMENT_STATUS.get(comment.approved, Comment.Status.PENDING),
        "hold_reason": HOLD_REASON,
        "created_at": created_at,
        # Stored truncated, as every comment's address is (comments.privacy).
        "ip_address": kept_ip(comment.ip, created_at),
    }


def kept_ip(address, created_at):
    """The address as our privacy rules keep it: truncated, and only for recent comments.

    ``purge_comment_ips`` clears addresses older than COMMENTS_IP_RETENTION_DAYS;
    an older comment is imported without one.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.COMMENTS_IP_RETENTION_DAYS)
    return truncate_ip(address) if created_at >= cutoff else None


def valid_url(url):
    if len(url) > 200:
        return False
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True
