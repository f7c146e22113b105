from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.core import checks

        from articles import changes, search

        changes.connect()
        checks.register(search.check_search_config, checks.Tags.database)
