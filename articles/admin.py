from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Byline, Category, Expert


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "title"]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["expert"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "is_published"]
    list_filter = ["status", "categories"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["categories"]
    inlines = [BylineInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body"]}),
        (_("Publication"), {"fields": ["status", "published_at", "categories", "tags"]}),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Discussion"), {"fields": ["comments_enabled"]}),
        (
            _("Search engines"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
    ]
