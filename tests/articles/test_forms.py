"""The admin's article form: the editor widget and the featured image's checks."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django_ckeditor_5.widgets import CKEditor5Widget
from PIL import Image

from articles.forms import ArticleAdminForm
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ALT_REQUIRED = "Describe the image for readers who cannot see it."


def png(name="Photo from the summit.png", size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**overrides):
    return {
        "title": "Talks on the corridor",
        "slug": "talks-on-the-corridor",
        "lead": "The ministers met for two days.",
        "body": "<p>The talks lasted two days.</p>",
        "status": Article.Status.DRAFT,
        "published_at": "2024-05-19 10:00:00",
        "comments_enabled": "on",
        **overrides,
    }


def test_body_is_edited_with_ckeditor():
    form = ArticleAdminForm()

    assert isinstance(form.fields["body"].widget, CKEditor5Widget)
    assert 'data-upload-url="/editor/images/"' in str(form["body"])


def test_featured_image_without_alt_text_is_refused():
    form = ArticleAdminForm(data=form_data(), files={"image": png()})

    assert not form.is_valid()
    assert form.errors["image_alt"] == [ALT_REQUIRED]


def test_featured_image_with_blank_alt_text_is_refused():
    form = ArticleAdminForm(data=form_data(image_alt="   "), files={"image": png()})

    assert not form.is_valid()
    assert form.errors["image_alt"] == [ALT_REQUIRED]


def test_featured_image_with_alt_text_is_stored_under_a_random_name():
    form = ArticleAdminForm(
        data=form_data(image_alt="The ministers at the summit"), files={"image": png()}
    )

    assert form.is_valid(), form.errors
    article = form.save()

    assert re.fullmatch(r"articles/\d{4}/\d{2}/[0-9a-f]{32}\.png", article.image.name)
    assert article.image_alt == "The ministers at the summit"


def test_article_without_image_needs_no_alt_text():
    form = ArticleAdminForm(data=form_data())

    assert form.is_valid(), form.errors


def test_existing_image_is_kept_without_a_new_upload():
    article = ArticleFactory(
        image=ContentFile(png().read(), name="summit.png"), image_alt="The summit"
    )

    form = ArticleAdminForm(
        data=form_data(slug=article.slug, image_alt="The summit, seen from the hall"),
        instance=article,
    )

    assert form.is_valid(), form.errors
    assert form.save().image.name == article.image.name


def test_non_image_featured_file_is_refused():
    script = SimpleUploadedFile("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")

    form = ArticleAdminForm(data=form_data(image_alt="A photo"), files={"image": script})

    assert not form.is_valid()
    assert form.errors["image"] == [
        "The file is not an image, or it is damaged. Upload a JPEG, PNG, GIF or WebP image."
    ]


def test_oversized_featured_image_is_refused(settings):
    settings.UPLOAD_MAX_IMAGE_BYTES = 10

    form = ArticleAdminForm(data=form_data(image_alt="A photo"), files={"image": png()})

    assert not form.is_valid()
    assert form.errors["image"] == ["The image is larger than 10\xa0bytes."]


def test_model_validation_requires_alt_text_for_an_image():
    article = Article(image="articles/2024/05/summit.png", image_alt="")

    with pytest.raises(ValidationError) as error:
        article.clean()

    assert error.value.message_dict == {"image_alt": [ALT_REQUIRED]}
