"""What a page tells search engines and sharing previews about itself.

``PageMeta`` gathers a page's canonical URL, title, description, sharing image,
Open Graph article facts, JSON-LD objects (schema.org) and Scholar citation
tags; ``templates/includes/seo.html`` displays it. The builders below read only
what the page has already loaded, so they add no query.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles import citations

DESCRIPTION_LENGTH = 160
SCHEMA_CONTEXT = "https://schema.org"

# The characters that could end a <script> element or start markup, as json_script escapes them.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass
class SharedImage:
    url: str
    alt: str
    width: int | None = None
    height: int | None = None


@dataclass
class PageMeta:
    title: str
    description: str
    canonical: str | None
    site_name: str
    og_type: str = "website"
    image: SharedImage | None = None
    noindex: bool = False
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    tags: list = field(default_factory=list)
    author_urls: list = field(default_factory=list)
    json_ld: list = field(default_factory=list)
    citation_tags: list = field(default_factory=list)

    @property
    def twitter_card(self):
        return "summary_large_image" if self.image else "summary"


def json_ld_script(data):
    """``data`` as a ``<script type="application/ld+json">`` element that no value can end early."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(  # noqa: S308 - the only markup-significant characters are escaped above
        f'<script type="application/ld+json">{text.translate(JSON_SCRIPT_ESCAPES)}</script>'
    )


def site_description():
    return _("%(SITE_NAME)s publishes notes, analyses and interviews by its experts.") % {
        "SITE_NAME": settings.SITE_NAME
    }


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else None


def listing_url(request, page_number=None):
    """The canonical address of a listing: its path, plus ``?page=N`` past the first page."""
    if request is None or request.method not in ("GET", "HEAD"):
        return None
    query = f"?page={page_number}" if page_number and page_number > 1 else ""
    return request.build_absolute_uri(f"{request.path}{query}")


def _iso(moment):
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def page_meta(request, *, title=None, description=None, page_number=None):
    """A listing or any other page: home, category, tag, archives, and the default."""
    return PageMeta(
        title=title or settings.SITE_NAME,
        description=Truncator(description or site_description()).chars(DESCRIPTION_LENGTH),
        canonical=listing_url(request, page_number),
        site_name=settings.SITE_NAME,
    )


# -- Experts -------------------------------------------------------------------------------


def expert_description(expert):
    description = expert.title or expert.name
    if expert.bio:
        description = f"{description} – {Truncator(expert.bio).chars(120)}"
    return description


def person(expert, request, *, image=True):
    """A schema.org ``Person`` for ``expert``."""
    data = {
        "@type": "Person",
        "name": expert.name,
        "url": absolute(request, expert.get_absolute_url()),
    }
    if expert.title:
        data["jobTitle"] = expert.title
    if image and expert.photo:
        data["image"] = absolute(request, expert.photo.url)
    return data


def expert_meta(expert, request, *, page_number=None):
    photo = None
    if expert.photo:
        alt = _("Portrait of %(name)s") % {"name": expert.name}
        photo = SharedImage(url=absolute(request, expert.photo.url), alt=alt)
    profile = {
        "@context": SCHEMA_CONTEXT,
        **person(expert, request),
        "worksFor": organization(request),
    }
    if expert.bio:
        profile["description"] = expert.bio
    return PageMeta(
        title=expert.name,
        description=Truncator(expert_description(expert)).chars(DESCRIPTION_LENGTH),
        canonical=listing_url(request, page_number),
        site_name=settings.SITE_NAME,
        image=photo,
        json_ld=[profile],
    )


# -- Articles ------------------------------------------------------------------------------


def organization(request):
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(request, reverse("articles:home")),
    }


def article_description(article):
    return article.seo_description or Truncator(article.lead).chars(DESCRIPTION_LENGTH)


def article_image(article, request):
    """The featured image to share, or None when there is none or it cannot be read."""
    image = article.image_renditions()
    if image is None:
        return None
    return SharedImage(
        url=absolute(request, image.url),
        alt=article.image_alt,
        width=image.width,
        height=image.height,
    )


def news_article(article, request, *, url, image):
    """schema.org ``NewsArticle``: authors as ``Person`` with their titles, publisher, sections."""
    experts = [byline.expert for byline in article.bylines.all()]
    publisher = organization(request)
    data = {
        "@context": SCHEMA_CONTEXT,
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article_description(article),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": _iso(article.published_at),
        "dateModified": _iso(article.updated_at),
        # Unsigned pieces are the site's own.
        "author": [person(expert, request, image=False) for expert in experts] or [publisher],
        "publisher": publisher,
        "articleSection": [category.name for category in article.categories.all()],
        "keywords": sorted((tag.name for tag in article.tags.all()), key=str.casefold),
        "inLanguage": get_language() or settings.LANGUAGE_CODE,
    }
    if image is not None:
        data["image"] = [image.url]
    return data


def breadcrumbs(article, request, *, url):
    """schema.org ``BreadcrumbList``: home, the article's first category, the article."""
    trail = [(settings.SITE_NAME, absolute(request, reverse("articles:home")))]
    first_category = next(iter(article.categories.all()), None)
    if first_category is not None:
        trail.append((first_category.name, absolute(request, first_category.get_absolute_url())))
    trail.append((article.title, url))
    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": item}
            for position, (name, item) in enumerate(trail, start=1)
        ],
    }


def article_citation(article, request):
    return citations.citation_for(
        article,
        url=absolute(request, article.get_absolute_url()),
        site_name=settings.SITE_NAME,
        language=get_language() or settings.LANGUAGE_CODE,
    )


def article_meta(article, request):
    url = absolute(request, article.get_absolute_url())
    image = article_image(article, request)
    categories = list(article.categories.all())
    return PageMeta(
        title=article.seo_title or article.title,
        description=article_description(article),
        canonical=url,
        site_name=settings.SITE_NAME,
        og_type="article",
        image=image,
        noindex=not article.is_published(),
        published_time=_iso(article.published_at),
        modified_time=_iso(article.updated_at),
        section=categories[0].name if categories else "",
        tags=sorted((tag.name for tag in article.tags.all()), key=str.casefold),
        author_urls=[
            absolute(request, byline.expert.get_absolute_url()) for byline in article.bylines.all()
        ],
        json_ld=[
            news_article(article, request, url=url, image=image),
            breadcrumbs(article, request, url=url),
        ],
        citation_tags=citations.highwire_tags(article_citation(article, request)),
    )
