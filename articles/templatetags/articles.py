from django import template
from django.utils import timezone

from articles.models import Article, Category

register = template.Library()


@register.inclusion_tag("includes/recent_articles.html")
def recent_articles(count=5, exclude=None):
    """The sidebar's "Latest publications": title and excerpt of recent articles."""
    articles = Article.objects.published()
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return {"articles": articles.only("title", "slug", "lead", "published_at")[:count]}


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def main_navigation(context, count=8):
    """The header's navigation: the first categories by position."""
    request = context.get("request")
    return {
        "categories": Category.objects.all()[:count],
        "current_path": request.path if request else "",
    }


@register.filter
def machine_datetime(value):
    """``value`` for a ``<time datetime>``: ISO 8601 in local time, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
