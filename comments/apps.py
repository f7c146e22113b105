from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from comments.roles import sync_roles_after_migrate


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self):
        # Sent for this app after auth has created its permissions, which by
        # then include those of articles and taggit (earlier in INSTALLED_APPS).
        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="comments.sync_roles"
        )
