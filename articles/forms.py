from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget
from taggit.models import Tag

from articles.models import Article
from articles.uploads import ACCEPTED_FORMATS, unique_image_name, validate_image, without_metadata
from articles.widgets import TagAutocompleteWidget


class ArticleAdminForm(forms.ModelForm):
    """The article form of the admin: CKEditor 5 body, suggested tags, checked featured images.

    The body is sanitised by ``Article.save()`` whatever the form lets through;
    the rule that a featured image needs alt text is ``Article.clean()``, which
    the form runs like any model validation.
    """

    class Meta:
        model = Article
        # The admin's fieldsets pick from these; experts are edited as bylines.
        fields = [
            "title", "slug", "lead", "body", "categories", "tags", "image", "image_alt",
            "status", "published_at", "comments_enabled", "seo_title", "seo_description",
        ]  # fmt: skip
        widgets = {
            "body": CKEditor5Widget(config_name="default"),
            "tags": TagAutocompleteWidget(reverse_lazy("admin:articles_article_tag_suggestions")),
        }
        # A plain file field: the image is read by ``validate_image`` alone, the
        # same check as the editor's uploads, rather than a second Pillow pass
        # and a check of the file name's extension.
        field_classes = {"image": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if image_field := self.fields.get("image"):
            # The client's file name is replaced, so its length does not matter.
            image_field.max_length = None
            accept = ",".join(f"image/{name.lower()}" for name in ACCEPTED_FORMATS)
            image_field.widget.attrs.setdefault("accept", accept)

    def clean_tags(self):
        names = self.cleaned_data.get("tags") or []
        limit = Tag._meta.get_field("name").max_length
        if any(len(name) > limit for name in names):
            # Refused here rather than by the database, which would fail the save.
            raise forms.ValidationError(
                _("A tag name can have at most %(limit)d characters."), params={"limit": limit}
            )
        return names

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            image_format = validate_image(image)
            # Stored without its GPS position and other metadata, under a new
            # name that matches its content, never the client's.
            image = without_metadata(image, image_format)
            image.name = unique_image_name(image_format)
        return image
