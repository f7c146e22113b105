from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import m2m_changed
        from taggit.models import Tag, TaggedItem

        import pagecache
        from articles import search
        from articles.models import Article, Byline, Category, Expert

        # What the public pages show of these changes with them (pagecache/).
        pagecache.watch(Article, Byline, Category, Expert, Tag, TaggedItem)
        for field in (Article.experts.field, Article.categories.field):
            m2m_changed.connect(
                pagecache.changed,
                sender=field.remote_field.through,
                dispatch_uid=f"pagecache.{field.name}",
            )
        pagecache.register_clock(next_publication)
        checks.register(search.check_search_config, checks.Tags.database)


def next_publication():
    """When the next scheduled article goes live."""
    from articles.models import Article

    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
