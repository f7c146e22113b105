"""Form widgets of the admin."""

import json

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import get_select2_language
from taggit.forms import TagWidget
from taggit.utils import parse_tags


class TagAutocompleteWidget(TagWidget):
    """taggit's comma-separated text input, made a tag box with suggestions by script.

    The text input is what the form submits, with or without JavaScript. The
    script hides it behind a Select2 box (the one the admin ships) that suggests
    existing tag names from ``suggestions_url``, accepts new ones, and writes the
    chosen names back into the input in taggit's notation.
    """

    def __init__(self, suggestions_url, attrs=None):
        super().__init__(attrs)
        self.suggestions_url = suggestions_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-tag-suggestions": str(self.suggestions_url),
                # The names as a list, so the script need not parse taggit's notation.
                "data-tags": json.dumps(tag_names(value)),
            }
        )
        return context

    @property
    def media(self):
        # The same files, in the same order, as the admin's own autocomplete
        # widgets, so that the form's media lists each of them once.
        extra = "" if settings.DEBUG else ".min"
        language = get_select2_language()
        i18n = (f"admin/js/vendor/select2/i18n/{language}.js",) if language else ()
        return forms.Media(
            js=(
                f"admin/js/vendor/jquery/jquery{extra}.js",
                f"admin/js/vendor/select2/select2.full{extra}.js",
                *i18n,
                "admin/js/jquery.init.js",
                "js/tag-autocomplete.js",
            ),
            css={
                "screen": (
                    f"admin/css/vendor/select2/select2{extra}.css",
                    "admin/css/autocomplete.css",
                ),
            },
        )


def tag_names(value):
    """The tag names in a tag field's value: typed text, or the tags of an article."""
    if not value:
        return []
    if isinstance(value, str):
        try:
            return parse_tags(value)
        except ValueError:
            return []
    return sorted(getattr(tag, "name", tag) for tag in value)
