from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self):
        from newsroom.roles import sync_roles_after_migrate

        # Sent for this app after auth has created the permissions of every app
        # listed before it in INSTALLED_APPS (articles, taggit, pages, comments).
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="newsroom.sync_roles"
        )
