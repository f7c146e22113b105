from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth import get_permission_codename
from django.db import models, transaction
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from articles.models import Article
from comments import notifications
from comments.models import Comment


class ArticleWithCommentsAdmin(ArticleAdmin):
    """The article list, with each article's approved and pending comments counted."""

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))
        at = columns.index("is_published") if "is_published" in columns else len(columns)
        columns[at:at] = ["approved_comments", "pending_comments"]
        return columns

    def get_queryset(self, request):
        # Two counts in the list's own query: still a fixed number of queries.
        return (
            super()
            .get_queryset(request)
            .annotate(
                approved_comment_count=models.Count(
                    "comments", filter=models.Q(comments__status=Comment.Status.APPROVED)
                ),
                pending_comment_count=models.Count(
                    "comments", filter=models.Q(comments__status=Comment.Status.PENDING)
                ),
            )
        )

    @admin.display(description=_("approved comments"), ordering="approved_comment_count")
    def approved_comments(self, article):
        return article.approved_comment_count

    @admin.display(description=_("pending comments"), ordering="pending_comment_count")
    def pending_comments(self, article):
        return article.pending_comment_count


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithCommentsAdmin)


class StatusFilter(admin.SimpleListFilter):
    """Status filter whose default is the moderation queue, with a count per status.

    Without ``?status=`` in the query the changelist shows pending comments;
    ``?status=all`` shows every comment.
    """

    title = _("status")
    parameter_name = "status"
    default = Comment.Status.PENDING
    all_value = "all"

    def lookups(self, request, model_admin):
        rows = (
            model_admin.get_queryset(request)
            .order_by()
            .values("status")
            .annotate(count=models.Count("pk"))
        )
        counts = {row["status"]: row["count"] for row in rows}
        choices = [
            (status, f"{label} ({counts.get(status, 0)})")
            for status, label in Comment.Status.choices
        ]
        choices.append((self.all_value, f"{_('All')} ({sum(counts.values())})"))
        return choices

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.all_value:
            return queryset
        if value not in Comment.Status.values:
            raise IncorrectLookupParameters(value)
        return queryset.filter(status=value)

    def choices(self, changelist):
        # Unlike the default, "All" is an explicit choice: no parameter means pending.
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "article_link",
        "name",
        "email",
        "status",
        "hold_reason",
        "created_at",
    ]
    list_filter = [StatusFilter, ("article", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    # The status filter counts by itself; facets would add a query per filter.
    show_facets = admin.ShowFacets.NEVER
    actions = ["approve", "mark_spam", "trash", "restore"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["article", "parent", "status", "hold_reason"]}),
        (_("Commenter"), {"fields": ["name", "email", "url"]}),
        (_("Comment"), {"fields": ["body"]}),
        (
            _("Details"),
            {
                "fields": [
                    "created_at",
                    "ip_address",
                    "user_agent",
                    "moderated_at",
                    "moderated_by",
                ]
            },
        ),
    ]
    readonly_fields = [
        "article",
        "parent",
        "hold_reason",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_at",
        "moderated_by",
    ]

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        # A plain string: the changelist escapes it.
        return Truncator(comment.body).chars(80)

    @admin.display(description=_("article"), ordering="article__title")
    def article_link(self, comment):
        article = comment.article
        if article.is_published():
            return format_html('<a href="{}">{}</a>', article.get_absolute_url(), article)
        return str(article)

    def has_add_permission(self, request):
        # Comments come from readers, never from the admin.
        return False

    def has_moderate_permission(self, request):
        codename = get_permission_codename("moderate", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_moderate_permission(request):
            readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            obj.moderate(obj.status, by=request.user)
            if obj.status == Comment.Status.APPROVED:
                self._tell_commenter(request, obj)

    def _tell_commenter(self, request, comment):
        """Send the approval notice once the approval is committed."""
        base_url = request.build_absolute_uri("/").rstrip("/")
        notifications.notify_commenter_approved(comment, base_url=base_url)

    def _moderate(self, request, queryset, status, method):
        """Apply a Comment moderation method to the selected comments not yet in ``status``.

        Returns the comments that changed.
        """
        changed = []
        with transaction.atomic():
            for comment in queryset.exclude(status=status):
                method(comment, by=request.user)
                changed.append(comment)
        return changed

    @admin.action(permissions=["moderate"], description=_("Approve selected comments"))
    def approve(self, request, queryset):

        def approve_and_tell(comment, *, by):
            comment.approve(by=by)
            self._tell_commenter(request, comment)

        count = len(self._moderate(request, queryset, Comment.Status.APPROVED, approve_and_tell))
        message = ngettext("%(count)d comment approved.", "%(count)d comments approved.", count) % {
            "count": count
        }
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["moderate"], description=_("Mark selected comments as spam"))
    def mark_spam(self, request, queryset):
        count = len(self._moderate(request, queryset, Comment.Status.SPAM, Comment.mark_spam))
        message = ngettext(
            "%(count)d comment marked as spam.", "%(count)d comments marked as spam.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["moderate"], description=_("Move selected comments to trash"))
    def trash(self, request, queryset):
        count = len(self._moderate(request, queryset, Comment.Status.TRASH, Comment.trash))
        message = ngettext(
            "%(count)d comment moved to trash.", "%(count)d comments moved to trash.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(permissions=["moderate"], description=_("Restore selected comments to pending"))
    def restore(self, request, queryset):
        count = len(self._moderate(request, queryset, Comment.Status.PENDING, Comment.restore))
        message = ngettext(
            "%(count)d comment restored to pending.",
            "%(count)d comments restored to pending.",
            count,
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)
