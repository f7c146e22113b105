"""Feeds of published articles: the whole site (RSS and Atom), one category, one expert.

Each item carries the lead as its description, the full sanitised body as its
content, the experts as its authors and the categories and tags as its
categories. No email address is ever written: RSS's ``<author>`` requires one,
so experts are named with ``<dc:creator>`` instead.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Category, Expert

FEED_SIZE = 20


class ArticleRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the body in ``content:encoded`` and one ``dc:creator`` per author."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
            "xmlns:dc": "http://purl.org/dc/elements/1.1/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.addQuickElement("dc:creator", name)
        handler.addQuickElement("content:encoded", item["content"])


class ArticleAtomFeed(Atom1Feed):
    """Atom 1.0 with the body as ``<content type="html">`` and one ``<author>`` per author."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestArticlesFeed(Feed):
    """The site's latest published articles, newest first."""

    feed_type = ArticleRssFeed

    def title(self):
        return settings.SITE_NAME

    def description(self):
        return _("The latest notes, analyses and interviews from %(site)s.") % {
            "site": settings.SITE_NAME
        }

    def link(self):
        return reverse("articles:home")

    def items(self):
        return latest(Article.objects.published())

    def item_title(self, item):
        # Titles are plain text: the feed generator escapes them once, as
        # Atom's type="text" requires; feed readers show them as written.
        return item.title

    def item_description(self, item):
        # Descriptions are read as HTML; the lead is plain text.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        # A scheduled article was last saved before it appeared.
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        names = [category.name for category in item.categories.all()]
        names += [tag.name for tag in item.tags.all() if tag.name not in names]
        return names

    def item_extra_kwargs(self, item):
        return {"authors": authors(item), "content": item.body}


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = ArticleAtomFeed

    def subtitle(self):
        return self.description()


class CategoryFeed(LatestArticlesFeed):
    """The latest published articles in one category."""

    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} – {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or _("The latest articles in %(category)s.") % {"category": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return latest(Article.objects.published().filed_under(obj))


class ExpertFeed(LatestArticlesFeed):
    """The latest published articles signed by one expert."""

    def get_object(self, request, slug):
        return get_object_or_404(Expert, slug=slug)

    def title(self, obj):
        return f"{obj.name} – {settings.SITE_NAME}"

    def description(self, obj):
        return _("The latest publications by %(expert)s.") % {"expert": obj.name}

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return latest(Article.objects.published().signed_by(obj))


def latest(articles):
    """The newest ``FEED_SIZE`` of ``articles``, with what an item shows prefetched."""
    return (
        articles.for_listing().prefetch_related("tags").order_by("-published_at", "-id")[:FEED_SIZE]
    )


def authors(article):
    """The experts signing ``article``, or the publication itself for an unsigned one.

    Atom requires an author on every entry.
    """
    return [byline.expert.name for byline in article.bylines.all()] or [settings.SITE_NAME]
