from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wordpress.models import TARGETS, LegacyURL


@admin.register(LegacyURL)
class LegacyURLAdmin(admin.ModelAdmin):
    """The old WordPress addresses and where they lead; made by the import, read here."""

    list_display = ["old_path", "new_address", "site_url"]
    search_fields = ["old_path"]
    list_select_related = TARGETS

    @admin.display(description=_("new address"))
    def new_address(self, legacy):
        return legacy.target() or _("(not public)")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
