from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

import pagecache
from comments import changes
from comments.models import Comment

FEED_SIZE = 30


class LatestCommentsFeed(Feed):
    """The site's recent approved comments. Carries no email address."""

    description = _("The latest approved comments from readers.")

    def title(self):
        return _("%(site)s: latest comments") % {"site": settings.SITE_NAME}

    def link(self):
        return reverse("articles:home")

    def items(self):
        pagecache.shows(changes.COMMENTS)
        return (
            Comment.objects.visible()
            .select_related("article")
            .only("name", "body", "created_at", "article__title", "article__slug")
            .order_by("-created_at", "-id")[:FEED_SIZE]
        )

    def item_title(self, item):
        return _("%(name)s on “%(title)s”") % {"name": item.name, "title": item.article.title}

    def item_description(self, item):
        # Comments are plain text: feed readers render descriptions as HTML.
        return linebreaks(item.body, autoescape=True)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return f"comment-{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item):
        return item.name

    def item_pubdate(self, item):
        return item.created_at
