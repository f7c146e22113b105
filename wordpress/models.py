"""What an import remembers: which Tribune row came from which WordPress object, and old URLs.

An export is identified by its site URL (``wp:base_blog_url``, else
``wp:base_site_url``, else the channel's link). WordPress numbers posts,
pages, attachments and menu items in one sequence, yet real exports repeat
ids (the theme unit test data reuses ids across menu items), so every
mapping is keyed on (site, kind, WordPress key): a post and a page of the
same site can never be mistaken for one another.
"""

import functools
import operator

from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.models import Article, Category, Expert
from pages.models import Page
from wordpress import archives


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


# What an old address can lead to: one of these, never two.
TARGETS = ("article", "page", "category", "expert", "tag")


def one_target():
    """The condition that exactly one of the ``TARGETS`` is set."""
    return functools.reduce(
        operator.or_,
        (models.Q(**{f"{name}__isnull": name != chosen for name in TARGETS}) for chosen in TARGETS),
    )


class LegacyURLQuerySet(models.QuerySet):
    def target_of(self, *paths, form=None):
        """The current address of what used to live at the first of ``paths`` known, or None.

        None as well when the article is not public (a draft or scheduled
        article's old address stays a 404, like its new one). With ``form``
        (``archives.Form``: the feed or a numbered page of an old archive), the
        archive's own address is looked up in the same query, and leads to that
        feed or page of its new listing when none of ``paths`` is known.
        """
        wanted = [*paths, form.base] if form is not None else paths
        found = {
            legacy.old_path: legacy
            for legacy in self.filter(old_path__in=wanted).select_related(*TARGETS)
        }
        legacy = next((found[path] for path in paths if path in found), None)
        if legacy is not None:
            return legacy.target()
        if form is not None and form.base in found:
            return found[form.base].target(form)
        return None


class LegacyURL(models.Model):
    """An address of the old WordPress site, answered with a 301 to its new home.

    ``old_path`` is the decoded path of the old permalink (``/2018/10/20/slug/``),
    the query form WordPress also answers (``/?p=123``, ``/?page_id=2``), or the
    address of an author, category or tag archive (``/author/jane/``, also by id:
    ``/?author=2``, ``/?cat=3``), whose feed and pages follow it (see ``archives``
    and ``query_forms``).
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
    expert = models.ForeignKey(
        Expert, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, null=True, blank=True, related_name="+")

    objects = LegacyURLQuerySet.as_manager()

    class Meta:
        verbose_name = _("old WordPress address")
        verbose_name_plural = _("old WordPress addresses")
        constraints = [
            models.CheckConstraint(condition=one_target(), name="wordpress_legacy_url_one_target"),
        ]

    def __str__(self):
        return self.old_path

    def target(self, form=None):
        """Where the old address leads now, or None while the article is not public.

        ``form`` asks for the feed or a numbered page of an old archive's new
        listing; an article or a page has neither.
        """
        if self.article is not None:
            if form is not None or not self.article.is_published():
                return None
            return self.article.get_absolute_url()
        if self.page is not None:
            return None if form is not None else self.page.get_absolute_url()
        return archives.listing_address(*self.listing(), form)

    def listing(self):
        """The listing an old archive leads to: its URL name and arguments."""
        if self.category is not None:
            return "articles:category", {"slug": self.category.slug}
        if self.expert is not None:
            return "articles:expert", {"slug": self.expert.slug}
        return "articles:tag", {"slug": self.tag.slug}
