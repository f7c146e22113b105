"""The sitemap: an index at /sitemap.xml naming one sitemap per section.

Every section lists public pages only, starting from ``Article.objects.published()``.
A section longer than ``SITEMAP_LIMIT`` URLs is split into pages (``?p=2``), each
named in the index.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Category, Expert

SITEMAP_LIMIT = 10_000


def newest_publication(**lookups):
    """The publication date of the newest published article matching ``lookups``, as a subquery."""
    return Subquery(
        Article.objects.published()
        .filter(**lookups)
        .order_by("-published_at")
        .values("published_at")[:1]
    )


class HomeSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


class ArticleSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        return (
            Article.objects.published()
            # A scheduled article was last saved before it appeared.
            .annotate(modified=Greatest("updated_at", "published_at"))
            .only("slug")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.modified

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max("modified"))["latest"]


class ArchiveSitemap(Sitemap):
    """The years and months that have published articles."""

    limit = SITEMAP_LIMIT

    def items(self):
        months = list(Article.objects.published().dates("published_at", "month"))
        years = sorted({datetime.date(month.year, 1, 1) for month in months})
        return [("year", year) for year in years] + [("month", month) for month in months]

    def location(self, item):
        period, date = item
        if period == "year":
            return reverse("articles:archive-year", kwargs={"year": f"{date.year:04d}"})
        return reverse(
            "articles:archive-month", kwargs={"year": f"{date.year:04d}", "month": f"{date:%m}"}
        )


class CategorySitemap(Sitemap):
    """Categories with published articles."""

    limit = SITEMAP_LIMIT

    def items(self):
        return (
            Category.objects.annotate(latest=newest_publication(categories=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.latest


class TagSitemap(Sitemap):
    """Tags of published articles."""

    limit = SITEMAP_LIMIT

    def items(self):
        return (
            Tag.objects.annotate(latest=newest_publication(tags=OuterRef("pk")))
            .filter(latest__isnull=False)
            .order_by("pk")
        )

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.latest


class ExpertSitemap(Sitemap):
    """Every expert's page: the profile stands even before a first publication."""

    limit = SITEMAP_LIMIT

    def items(self):
        return Expert.objects.annotate(latest=newest_publication(experts=OuterRef("pk"))).order_by(
            "pk"
        )

    def lastmod(self, item):
        return item.latest


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "archive": ArchiveSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "experts": ExpertSitemap,
}


def index(request):
    """The sitemap index, naming the sections that have pages.

    A sitemap without any URL is invalid, so an empty section is left out.
    """
    sections = {name: sitemap for name, sitemap in SITEMAPS.items() if sitemap().paginator.count}
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")


def section(request, section):
    """One section's sitemap, or one page of it with ``?p=N``."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
