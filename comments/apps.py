from datetime import timedelta

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        import pagecache
        from comments import changes, posting
        from comments.templatetags import comments  # noqa: F401 -- fills the personal parts

        changes.connect()
        pagecache.register_clock(changes.COMMENT_FORMS, next_closing)
        pagecache.personal_cookie(posting.AUTHOR_COOKIE)
        pagecache.personal_cookie(posting.OWN_COOKIE)


def next_closing():
    """When the form of the next article to close its comments disappears."""
    from django.conf import settings

    from articles.models import Article

    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days is None:
        return None
    now = timezone.now()
    oldest_open = (
        Article.objects.published()
        .filter(comments_enabled=True, published_at__gt=now - timedelta(days=days))
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return oldest_open + timedelta(days=days) if oldest_open else None
