from django import forms
from django.core.files.uploadedfile import UploadedFile
from django_ckeditor_5.widgets import CKEditor5Widget

from articles.models import Article
from articles.uploads import ACCEPTED_FORMATS, unique_image_name, validate_image


class ArticleAdminForm(forms.ModelForm):
    """The article form of the admin: CKEditor 5 for the body, checked featured images.

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
        widgets = {"body": CKEditor5Widget(config_name="default")}
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

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            # Stored under a new name that matches its content, never the client's.
            image.name = unique_image_name(validate_image(image))
        return image
