from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.html import linebreaks, urlize
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments import changes
from pagecache.querysets import AnnouncingQuerySet

ANONYMOUS_NAME = "Anonymous"


def text_to_html(text):
    """A comment's plain text as HTML: escaped, addresses linked (``nofollow``), paragraphs."""
    return linebreaks(urlize(text, nofollow=True, autoescape=True))


class CommentQuerySet(AnnouncingQuerySet):
    announce_by = "article"

    def changed_topics(self, article_pks):
        return changes.of_articles(article_pks)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for comment in objs:
            comment.body_html = text_to_html(comment.body)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if "body" in fields:
            for comment in objs:
                comment.body_html = text_to_html(comment.body)
            fields = [*fields, "body_html"]
        return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True

    def update(self, **kwargs):
        if "body" in kwargs and "body_html" not in kwargs:
            raise TypeError("A comment's text is changed with save() or bulk_update().")
        return super().update(**kwargs)

    update.alters_data = True

    def visible(self):
        """Comments the public may read: approved ones on published articles."""
        return self.filter(status=Comment.Status.APPROVED, article__in=Article.objects.published())

    def awaiting_moderation(self):
        return self.filter(status=Comment.Status.PENDING)

    def by_email(self, address):
        return self.filter(email__iexact=address.strip())

    def older_than(self, moment):
        return self.filter(created_at__lt=moment)

    def with_tracking_data(self):
        return self.exclude(ip_address__isnull=True, user_agent="")

    def clear_tracking_data(self):
        """Forget IP addresses and user agents; returns the number of comments changed."""
        return self.update(ip_address=None, user_agent="")

    def erase_personal_data(self):
        """Anonymise these comments, as WordPress's personal-data eraser does.

        Approved comments keep their text under the name "Anonymous"; comments
        that were never published are deleted. Returns (anonymised, deleted).
        """
        approved = self.filter(status=Comment.Status.APPROVED)
        anonymised = approved.update(
            name=ANONYMOUS_NAME, email="", url="", ip_address=None, user_agent=""
        )
        deleted, _by_model = self.exclude(status=Comment.Status.APPROVED).delete()
        return anonymised, deleted


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("article")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("in reply to"),
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    url = models.URLField(_("website"), max_length=200, blank=True)
    body = models.TextField(_("comment"))
    # The text as the page shows it (paragraphs, addresses as links), made once on each save.
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    hold_reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", _("Can moderate comments"))]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_idx"),
            models.Index(fields=["status", "-created_at"], name="comment_status_idx"),
            # Finding a commenter's earlier comments by email, in any case (email__iexact).
            models.Index(Upper("email"), name="comment_email_upper_idx"),
        ]

    def __str__(self):
        return _("Comment by %(name)s on %(article)s") % {
            "name": self.name,
            "article": self.article,
        }

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is None or "body" in update_fields:
            self.body_html = text_to_html(self.body)
            if update_fields is not None:
                update_fields = {*update_fields, "body_html"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#comment-{self.pk}"

    def moderate(self, status, *, by, reason=""):
        """Set the moderation state and record who decided it and when."""
        self.status = status
        self.moderated_at = timezone.now()
        self.moderated_by = by
        if reason:
            self.hold_reason = reason
        self.save(update_fields=["status", "moderated_at", "moderated_by", "hold_reason"])

    def approve(self, *, by):
        self.moderate(self.Status.APPROVED, by=by)

    def mark_spam(self, *, by):
        self.moderate(self.Status.SPAM, by=by)

    def trash(self, *, by):
        self.moderate(self.Status.TRASH, by=by)

    def restore(self, *, by):
        """Back to the queue, e.g. a comment wrongly marked as spam."""
        self.moderate(self.Status.PENDING, by=by)
