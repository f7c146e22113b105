from django import forms
from django.contrib import admin
from django_ckeditor_5.widgets import CKEditor5Widget

from pages.models import Page


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["url", "title", "content"]
        widgets = {"content": CKEditor5Widget(config_name="default")}


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["url", "title", "updated_at"]
    search_fields = ["url", "title"]
    view_on_site = True
