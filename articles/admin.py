"""The newsroom: articles, categories, experts and old article addresses.

Who may do what is decided by the staff groups (``newsroom.roles``); the admin
classes only use Django's model permissions. The comments app adds its own
columns to the article list (comments/admin.py).
"""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Lower
from django.http import JsonResponse
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from simple_history.admin import SimpleHistoryAdmin
from taggit.models import Tag

from articles.forms import ArticleAdminForm
from articles.models import Article, Byline, Category, Expert, SlugRedirect

# How many existing tag names the tag box suggests at a time.
TAG_SUGGESTIONS = 20


class IndexedNameAdmin(admin.ModelAdmin):
    """The admin of a model whose names are part of its articles' search vectors.

    Renaming or deleting one refreshes the vectors of the articles it was on,
    so that search finds them by the new name, and no longer by the old one.
    """

    articles_field = None  # the Article relation: "categories" or "experts"

    def articles_of(self, objects):
        """The articles linked to ``objects``, by id: still found once the links are gone."""
        linked = Article.objects.filter(**{f"{self.articles_field}__in": objects})
        return Article.objects.filter(pk__in=list(linked.values_list("pk", flat=True).distinct()))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            self.articles_of([obj]).update_search_vectors()

    def delete_model(self, request, obj):
        # Found before the deletion takes the links with it.
        articles = self.articles_of([obj])
        super().delete_model(request, obj)
        articles.update_search_vectors()

    def delete_queryset(self, request, queryset):
        articles = self.articles_of(queryset)
        super().delete_queryset(request, queryset)
        articles.update_search_vectors()


@admin.register(Category)
class CategoryAdmin(IndexedNameAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    articles_field = "categories"


@admin.register(Expert)
class ExpertAdmin(IndexedNameAdmin):
    list_display = ["name", "title"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "title"]
    articles_field = "experts"


class PublicationFilter(admin.SimpleListFilter):
    """Draft, scheduled or published, the way a reader would see the article."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", _("Draft")),
            ("scheduled", _("Scheduled")),
            ("published", _("Published")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case None:
                return queryset
            case "draft":
                return queryset.filter(status=Article.Status.DRAFT)
            case "scheduled":
                return queryset.scheduled()
            case "published":
                return queryset.published()
        raise IncorrectLookupParameters(self.value())


class BylineInline(admin.TabularInline):
    model = Byline
    fields = ["expert", "position"]
    ordering = ["position", "id"]
    extra = 1
    autocomplete_fields = ["expert"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "publication",
        "published_at",
        "expert_names",
        "category_names",
        "is_published",
    ]
    list_filter = [PublicationFilter, "categories", "experts", "published_at"]
    search_fields = ["title", "lead", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # Tags are a taggit field, not a ManyToManyField: their tag box is the
    # form's widget, fed by ``tag_suggestions`` below.
    autocomplete_fields = ["categories"]
    readonly_fields = ["visibility"]
    inlines = [BylineInline]
    actions = ["publish_now", "unpublish"]
    history_list_display = ["status", "published_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body"]}),
        (
            _("Publication"),
            {"fields": ["status", "published_at", "visibility", "categories", "tags"]},
        ),
        (_("Image"), {"fields": ["image", "image_alt"]}),
        (_("Discussion"), {"fields": ["comments_enabled"]}),
        (
            _("Search engines"),
            {"fields": ["seo_title", "seo_description"], "classes": ["collapse"]},
        ),
    ]

    def get_queryset(self, request):
        # Prefetches keep the list at a fixed number of queries.
        return super().get_queryset(request).for_listing()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The experts and categories just saved are part of the search vector.
        form.instance.update_search_vector()

    # Columns ------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def publication(self, article):
        if article.is_scheduled():
            return _("Scheduled")
        return article.get_status_display()

    @admin.display(description=_("experts"))
    def expert_names(self, article):
        return ", ".join(byline.expert.name for byline in article.bylines.all())

    @admin.display(description=_("categories"))
    def category_names(self, article):
        return ", ".join(category.name for category in article.categories.all())

    @admin.display(description=_("visibility"))
    def visibility(self, article):
        when = formats.date_format(timezone.localtime(article.published_at), "DATETIME_FORMAT")
        if article.status == Article.Status.DRAFT:
            return _("Draft: not visible to readers; editors can open it with Preview.")
        if article.is_scheduled():
            return _("Scheduled for %(date)s: it goes live by itself at that time.") % {
                "date": when
            }
        return _("Published on %(date)s: visible to readers.") % {"date": when}

    # Links on the change form ---------------------------------------------------

    def view_on_site(self, article):
        """Only a published article has a public page; others get Preview instead."""
        return article.get_absolute_url() if article.is_published() else None

    def preview_url(self, article):
        if article is None or article.pk is None or article.is_published():
            return None
        return f"{article.get_absolute_url()}?preview"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["preview_url"] = self.preview_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history's submit line reads a variable that nothing sets.
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Tag suggestions --------------------------------------------------------------

    def get_urls(self):
        suggestions = path(
            "tag-suggestions/",
            self.admin_site.admin_view(require_safe(self.tag_suggestions)),
            name="articles_article_tag_suggestions",
        )
        return [suggestions, *super().get_urls()]

    def tag_suggestions(self, request):
        """Existing tag names containing ``term``, for the tag box of the article form.

        Names that start with the term come first. The answer has Select2's
        shape, with the name as the value: the form takes names, new or not.
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()[: Tag._meta.get_field("name").max_length]
        names = (
            Tag.objects.filter(name__icontains=term)
            .annotate(starts=Case(When(name__istartswith=term, then=Value(0)), default=Value(1)))
            .order_by("starts", Lower("name"), "name")
            .values_list("name", flat=True)[:TAG_SUGGESTIONS]
        )
        return JsonResponse({"results": [{"id": name, "text": name} for name in names]})

    # Actions --------------------------------------------------------------------

    def _apply(self, request, queryset, change, message):
        """Call ``change`` on every selected article; count those it changed."""
        changed = 0
        with transaction.atomic():
            for article in queryset:
                # Recorded as the author of the history entry this save makes.
                article._history_user = request.user
                if change(article):
                    self.log_change(request, article, message)
                    changed += 1
        return changed

    @admin.action(description=_("Publish now"), permissions=["change"])
    def publish_now(self, request, queryset):
        changed = self._apply(request, queryset, Article.publish_now, _("Published now."))
        self.message_user(
            request,
            ngettext("%(count)d article published.", "%(count)d articles published.", changed)
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish"), permissions=["change"])
    def unpublish(self, request, queryset):
        changed = self._apply(request, queryset, Article.unpublish, _("Unpublished."))
        self.message_user(
            request,
            ngettext(
                "%(count)d article taken back to draft.",
                "%(count)d articles taken back to draft.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    """Old addresses of published articles, kept by ``Article.save()``; read-only."""

    list_display = ["old_slug", "article", "created_at"]
    list_select_related = ["article"]
    search_fields = ["old_slug", "article__title", "article__slug"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
