"""The sitemap: an index at /sitemap.xml naming one sitemap per section.

Every section lists public pages only, starting from ``Article.objects.published()``.
A section longer than ``SITEMAP_LIMIT`` URLs is split into pages (``?p=2``), each
named in the index. 2,000 URLs a page, as WordPress does, keeps each file small
enough to serve and parse quickly; search engines accept up to 50,000.
"""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils.functional import cached_property
from taggit.models import Tag

from articles.models import Article, Category, Expert

SITEMAP_LIMIT = 2_000


def newest_publications(relation):
    """``{pk: date of its newest published article}`` for each object ``relation`` leads to.

    One grouped query for every category, tag or expert at once.
    """
    return dict(
        Article.objects.published()
        .exclude(**{f"{relation}__isnull": True})
        .order_by()
        .values(relation)
        .annotate(latest=Max("published_at"))
        .values_list(relation, "latest")
    )


class LatestPublicationSitemap(Sitemap):
    """Pages of categories, tags or experts, each last modified by its newest article.

    ``relation`` is the article field that leads to them; ``every_object`` lists
    objects without a published article too.
    """

    limit = SITEMAP_LIMIT
    relation = ""
    every_object = False

    def get_queryset(self):
        raise NotImplementedError

    @cached_property
    def _objects(self):
        latest = newest_publications(self.relation)
        objects = []
        for obj in self.get_queryset().order_by("pk"):
            obj.latest = latest.get(obj.pk)
            if obj.latest is not None or self.every_object:
                objects.append(obj)
        return objects

    def items(self):
        return self._objects

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return max((item.latest for item in self._objects if item.latest), default=None)


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
        # The greatest of the two newest dates, each read from its own index.
        newest = Article.objects.published().aggregate(
            updated=Max("updated_at"), published=Max("published_at")
        )
        return max((date for date in newest.values() if date), default=None)


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


class CategorySitemap(LatestPublicationSitemap):
    """Categories with published articles."""

    relation = "categories"

    def get_queryset(self):
        return Category.objects.all()


class TagSitemap(LatestPublicationSitemap):
    """Tags of published articles."""

    relation = "tags"

    def get_queryset(self):
        return Tag.objects.all()

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})


class ExpertSitemap(LatestPublicationSitemap):
    """Every expert's page: the profile stands even before a first publication."""

    relation = "experts"
    every_object = True

    def get_queryset(self):
        return Expert.objects.all()


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
    sitemaps = {name: sitemap_class() for name, sitemap_class in SITEMAPS.items()}
    sections = {name: sitemap for name, sitemap in sitemaps.items() if sitemap.paginator.count}
    return sitemap_views.index(request, sections, sitemap_url_name="sitemap-section")


def section(request, section):
    """One section's sitemap, or one page of it with ``?p=N``."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)
