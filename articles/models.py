import logging
from collections import Counter
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from imagekit.cachefiles.backends import CacheFileState
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit
from simple_history.models import HistoricalRecords
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

import pagecache
from articles import changes, search
from articles.links import slug_url
from articles.markup import sanitize_html
from pagecache.querysets import AnnouncingQuerySet

logger = logging.getLogger(__name__)

# A slug made only of digits would be shadowed by the date archives
# (/articles/2024/), so it is refused.
not_only_digits = RegexValidator(
    r"^\d+$",
    inverse_match=True,
    message=_("A slug cannot be made of digits only."),
)


class TaxonomyQuerySet(AnnouncingQuerySet):
    """Categories and experts are shown on every page (navigation, cards, bylines)."""

    def changed_topics(self, pks):
        return (pagecache.SITE,)


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Lower numbers come first in the navigation.")
    )

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:category", self.slug)


class Expert(models.Model):
    name = models.CharField(_("name"), max_length=150)
    family_name = models.CharField(
        _("family name"),
        max_length=150,
        blank=True,
        help_text=_(
            "For citations, when it is not the last word of the name (with “van”, “al”… "
            "before it): e.g. “García Márquez”, or “Xi” in “Xi Jinping”."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Analyst of international affairs”."),
    )
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="experts/%Y/%m/", blank=True)

    objects = TaxonomyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:expert", self.slug)

    @property
    def initials(self):
        return "".join(part[0] for part in self.name.split()[:2]).upper()


# The article of the outer query, in the subqueries of ArticleQuerySet's filters.
THIS = models.OuterRef("pk")

# Related articles are chosen among this many of the most recent (ArticleQuerySet.related_to).
RELATED_AMONG = 1000


class ArticleQuerySet(AnnouncingQuerySet):
    def changed_topics(self, pks):
        return changes.of_articles(pks)

    def published(self):
        """The one definition of what the public may see.

        A published article whose ``published_at`` lies in the future is
        scheduled: it becomes visible by itself once that moment has passed.
        A page that lists published articles shows what changes with them.
        """
        pagecache.shows(changes.ARTICLES)
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_listing(self):
        """Load what an article card shows, in a fixed number of queries."""
        return self.prefetch_related(
            "categories",
            models.Prefetch(
                "bylines", queryset=Byline.objects.select_related("expert").order_by("position")
            ),
        )

    # A listing filters with EXISTS rather than a join: PostgreSQL can then walk
    # the articles newest first and stop at the page's last one, where a join
    # makes it sort every article of a popular tag or category to show ten.

    def in_category(self, slug):
        return self._filed(category__slug=slug)

    def filed_under(self, category):
        return self._filed(category=category)

    def _filed(self, **category):
        filings = Article.categories.through.objects.filter(article=THIS, **category)
        return self.filter(models.Exists(filings))

    def signed_by(self, expert):
        return self.filter(models.Exists(Byline.objects.filter(article=THIS, expert=expert)))

    def tagged(self, tag):
        tagged_articles = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Article), object_id=THIS
        )
        return self.filter(models.Exists(tagged_articles.filter(tag=tag)))

    def scheduled(self):
        """Published articles whose time has not come yet."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def related_to(self, article, limit=5, *, among=RELATED_AMONG):
        """Up to ``limit`` published articles nearest to ``article``, nearest first.

        Score = 2 × shared tags + shared categories: tags name a precise subject,
        categories are broad sections and formats ("Note", "Top news"). Ties go
        to the more recent; articles sharing nothing fill the list by recency.

        The candidates are the ``among`` most recent articles: what readers are
        offered next stays current, and it costs the same however large the
        archive grows (a popular tag may be shared by thousands).
        """
        pks = self.related_pks(article, limit, among=among)
        found = self.in_bulk(pks)
        return [found[pk] for pk in pks if pk in found]

    def related_pks(self, article, limit=5, *, among=RELATED_AMONG):
        """The ids of ``related_to()``, in three small queries: the candidates, then the
        tags and the categories they share with ``article``, scored here."""
        candidates = (
            self.published().exclude(pk=article.pk).order_by("-published_at", "-id")[:among]
        )
        recent = list(candidates.values_list("pk", flat=True))
        if not recent:
            return []
        tagged = self.model.tags.through.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model)
        )
        filed = self.model.categories.through.objects
        score = Counter()
        shared_tags = tagged.filter(
            object_id__in=candidates.values("pk"),
            tag_id__in=tagged.filter(object_id=article.pk).values("tag_id"),
        )
        for pk in shared_tags.values_list("object_id", flat=True):
            score[pk] += 2
        shared_categories = filed.filter(
            article_id__in=candidates.values("pk"),
            category_id__in=filed.filter(article_id=article.pk).values("category_id"),
        )
        for pk in shared_categories.values_list("article_id", flat=True):
            score[pk] += 1
        recency = {pk: position for position, pk in enumerate(recent)}
        return sorted(recent, key=lambda pk: (-score[pk], recency[pk]))[:limit]

    def search(self, query):
        """Articles matching the reader's ``query``, best first (see ``articles.search``)."""
        return search.search(self, query)

    def update_search_vectors(self, *, batch_size=None):
        """Recompute these articles' stored search vectors (PostgreSQL only): in one query, or
        in one per ``batch_size`` articles. Returns the number of articles updated."""
        return search.update_vectors(self, batch_size=batch_size)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True, validators=[not_only_digits])
    lead = models.TextField(
        _("lead"), help_text=_("Plain text summary, shown under the title and in listings.")
    )
    body = models.TextField(_("body"), blank=True)
    experts = models.ManyToManyField(
        Expert, through="Byline", related_name="articles", blank=True, verbose_name=_("experts")
    )
    categories = models.ManyToManyField(
        Category, related_name="articles", blank=True, verbose_name=_("categories")
    )
    tags = TaggableManager(_("tags"), blank=True)
    image = models.ImageField(_("image"), upload_to="articles/%Y/%m/", blank=True)
    # Responsive WebP renditions of the featured image, made on first use.
    image_small = ImageSpecField(
        source="image",
        processors=[ResizeToFit(640, 640, upscale=False)],
        format="WEBP",
        options={"quality": 82},
    )
    image_large = ImageSpecField(
        source="image",
        processors=[ResizeToFit(1280, 1280, upscale=False)],
        format="WEBP",
        options={"quality": 82},
    )
    image_alt = models.CharField(
        _("image description"),
        max_length=255,
        blank=True,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A date in the future schedules the article."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    comments_enabled = models.BooleanField(_("comments enabled"), default=True)
    seo_title = models.CharField(_("SEO title"), max_length=70, blank=True)
    seo_description = models.CharField(_("SEO description"), max_length=160, blank=True)
    # Search: the body's words without markup, and (on PostgreSQL) the weighted
    # vector of title, lead, experts, categories and body; both kept by save().
    body_text = models.TextField(_("body as plain text"), blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "body_text", "search_vector"])

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="article_status_pub_idx"),
            # The newest change, for the sitemap's dates (articles/sitemaps.py).
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
            # A GIN index on PostgreSQL; other databases make it a plain index.
            GinIndex(fields=["search_vector"], name="article_search_vector_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.body_text = search.plain_text(self.body)
        previous = self._previous_public_slug()
        super().save(*args, **kwargs)
        self.update_search_vector()
        if previous:
            # Links to the old address keep working (301 to the new one).
            SlugRedirect.objects.update_or_create(old_slug=previous, defaults={"article": self})
        SlugRedirect.objects.filter(old_slug=self.slug).delete()

    def get_absolute_url(self):
        return slug_url("articles:detail", self.slug)

    def update_search_vector(self):
        """Recompute the stored search vector from the saved row, experts and categories.

        ``save()`` calls it; so does whatever changes the bylines or categories
        afterwards (the admin's ``save_related``).
        """
        Article.objects.filter(pk=self.pk).update_search_vectors()

    def _previous_public_slug(self):
        """The stored slug, when this save changes the slug of a published article."""
        if self.pk is None:
            return None
        return (
            Article.objects.published()
            .filter(pk=self.pk)
            .exclude(slug=self.slug)
            .values_list("slug", flat=True)
            .first()
        )

    def is_published(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    is_published.boolean = True
    is_published.short_description = _("visible")

    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at > timezone.now()

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for readers who cannot see it.")}
            )

    def image_renditions(self):
        """The featured image with its WebP renditions, or None when it cannot be shown.

        Renditions are made on first use and remembered in the cache, never the
        database. A missing or unreadable file leaves the page without its
        image instead of failing the page.
        """
        if not self.image:
            return None
        renditions = [self.image_small, self.image_large]
        try:
            width, height = self.image.width, self.image.height
            srcset = ", ".join(
                f"{rendition.url} {fitted_width(rendition, width, height)}w"
                for rendition in renditions
            )
            url = self.image.url
        except Exception:
            logger.warning(
                "Article %s: the featured image cannot be shown.", self.pk, exc_info=True
            )
            for rendition in renditions:
                # Try again next time rather than point at a file never made.
                rendition.cachefile_backend.set_state(rendition, CacheFileState.DOES_NOT_EXIST)
            return None
        return FeaturedImage(url=url, width=width, height=height, webp_srcset=srcset)

    def publish_now(self):
        """Make the article visible from now on; returns whether anything changed.

        A draft or scheduled article gets today's date; one already visible
        keeps its original publication date.
        """
        if self.is_published():
            return False
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        self.save()
        return True

    def unpublish(self):
        """Take the article back to draft; returns whether anything changed."""
        if self.status == self.Status.DRAFT:
            return False
        self.status = self.Status.DRAFT
        self.save()
        return True


class FeaturedImage(NamedTuple):
    url: str
    width: int
    height: int
    webp_srcset: str


def fitted_width(rendition, width, height):
    """The width of ``rendition`` made from a ``width``×``height`` image by ResizeToFit."""
    box = rendition.generator.processors[0]
    return round(width * min(box.width / width, box.height / height, 1))


class Byline(models.Model):
    """An expert signing an article; ``position`` orders the byline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="bylines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(fields=["article", "expert"], name="unique_byline"),
        ]

    def __str__(self):
        return f"{self.expert} – {self.article}"


class SlugRedirect(models.Model):
    """An earlier address of a published article, answered with a permanent redirect."""

    old_slug = models.SlugField(_("old slug"), max_length=255, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("slug redirect")
        verbose_name_plural = _("slug redirects")

    def __str__(self):
        return f"{self.old_slug} → {self.article.slug}"
