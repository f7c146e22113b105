"""The sitemap: an index at /sitemap.xml naming one sitemap per section.

Every section lists public pages only, starting from ``Article.objects.published()``.
A section longer than ``SITEMAP_LIMIT`` URLs is split into pages (``?p=2``), each
named in the index. 2,000 URLs a page, as WordPress does, keeps each file small
enough to serve and parse quickly; search engines accept up to 50,000.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, F, Max, OuterRef
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
    objects without a published article too. The index needs only how many
    there are and the newest date of all, both read through indexes; the dates
    of each come from one grouped query, made for the section's own sitemap.
    """

    limit = SITEMAP_LIMIT
    relation = ""
    every_object = False

    def get_queryset(self):
        raise NotImplementedError

    def items(self):
        objects = self.get_queryset().order_by("pk")
        if self.every_object:
            return objects
        published = Article.objects.published().filter(**{self.relation: OuterRef("pk")})
        return objects.filter(Exists(published))

    @cached_property
    def _newest(self):
        return newest_publications(self.relation)

    def lastmod(self, item):
        return self._newest.get(item.pk)

    def links(self):
        """The rows linking articles to these objects, with an ``article_id`` field."""
        return getattr(Article, self.relation).through.objects.all()

    def get_latest_lastmod(self):
        # The newest articles first, until one has such a link: the index is read backwards.
        linked = self.links().filter(article_id=OuterRef("pk"))
        newest = Article.objects.published().filter(Exists(linked)).order_by("-published_at")
        return newest.values_list("published_at", flat=True).first()


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

    def links(self):
        # taggit's generic links name the article ``object_id``.
        tagged = Article.tags.through.objects.filter(
            content_type=ContentType.objects.get_for_model(Article)
        )
        return tagged.annotate(article_id=F("object_id"))

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
