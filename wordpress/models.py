"""What an import remembers: which Tribune row came from which WordPress object, and old URLs.

An export is identified by its site URL (``wp:base_blog_url``, else
``wp:base_site_url``, else the channel's link). WordPress numbers posts,
pages, attachments and menu items in one sequence, yet real exports repeat
ids (the theme unit test data reuses ids across menu items), so every
mapping is keyed on (site, kind, WordPress key): a post and a page of the
same site can never be mistaken for one another.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Category
from pages.models import Page


class ImportedObject(models.Model):
    """One WordPress object and the Tribune row made from it, so a re-import updates that row."""

    class Kind(models.TextChoices):
        AUTHOR = "author", _("author → expert")
        CATEGORY = "category", _("category")
        TAG = "tag", _("tag")
        POST = "post", _("post → article")
        PAGE = "page", _("page")
        COMMENT = "comment", _("comment")

    site_url = models.CharField(_("site URL"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The post, comment or term id; the login for authors, the slug for terms.
    wp_key = models.CharField(_("WordPress key"), max_length=255)
    # The primary key of the Tribune row; its model follows from ``kind``.
    object_id = models.BigIntegerField(_("object id"))
    imported_at = models.DateTimeField(_("last imported"), auto_now=True)

    class Meta:
        verbose_name = _("imported object")
        verbose_name_plural = _("imported objects")
        constraints = [
            models.UniqueConstraint(
                fields=["site_url", "kind", "wp_key"], name="wordpress_imported_object_key"
            ),
        ]

    def __str__(self):
        return f"{self.site_url} {self.kind} {self.wp_key} → {self.object_id}"


class LegacyURLQuerySet(models.QuerySet):
    def target_of(self, *paths):
        """The current address of what used to live at the first of ``paths`` known, or None.

        None as well when the article is not public (a draft or scheduled
        article's old address stays a 404, like its new one).
        """
        found = {
            legacy.old_path: legacy
            for legacy in self.filter(old_path__in=paths).select_related(
                "article", "page", "category"
            )
        }
        legacy = next((found[path] for path in paths if path in found), None)
        return legacy.target() if legacy is not None else None


class LegacyURL(models.Model):
    """An address of the old WordPress site, answered with a 301 to its new home.

    ``old_path`` is the decoded path of the old permalink (``/2018/10/20/slug/``)
    or the query form WordPress also answers (``/?p=123``, ``/?page_id=2``).
    """

    old_path = models.CharField(_("old address"), max_length=500, unique=True)
    site_url = models.CharField(_("site URL"), max_length=200)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    page = models.ForeignKey(
        Page, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = LegacyURLQuerySet.as_manager()

    class Meta:
        verbose_name = _("old WordPress address")
        verbose_name_plural = _("old WordPress addresses")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(article__isnull=False, page__isnull=True, category__isnull=True)
                    | models.Q(article__isnull=True, page__isnull=False, category__isnull=True)
                    | models.Q(article__isnull=True, page__isnull=True, category__isnull=False)
                ),
                name="wordpress_legacy_url_one_target",
            ),
        ]

    def __str__(self):
        return self.old_path

    def target(self):
        """Where the old address leads now, or None while the article is not public."""
        if self.article is not None:
            return self.article.get_absolute_url() if self.article.is_published() else None
        if self.page is not None:
            return self.page.get_absolute_url()
        if self.category is not None:
            return self.category.get_absolute_url()
        return None
