"""Images from the editor (the upload endpoint) and the featured image on the public page."""

import io
import random
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.uploads import validate_image
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "The file is not an image, or it is damaged. Upload a JPEG, PNG, GIF or WebP image."


def image_bytes(size=(8, 8), image_format="PNG", noise=False):
    """A real image made by Pillow; ``noise`` makes it large, as noise does not compress."""
    if noise:
        pixels = random.Random(size[0]).randbytes(size[0] * size[1] * 3)
        image = Image.frombytes("RGB", size, pixels)
    else:
        image = Image.new("RGB", size, "teal")
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def user_with_permissions(*permissions, **fields):
    """A user holding exactly ``permissions`` ("app_label.codename")."""
    user = UserFactory(**fields)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture(autouse=True)
def _forget_renditions():
    """Imagekit remembers in the cache which renditions exist; each test starts afresh."""
    cache.clear()


@pytest.fixture
def url():
    return reverse("articles:upload-image")


@pytest.fixture
def editor_client(client):
    client.force_login(
        user_with_permissions("articles.add_article", "articles.view_article", is_staff=True)
    )
    return client


def upload(client, url, content, name="picture.png", content_type="image/png"):
    return client.post(url, {"upload": SimpleUploadedFile(name, content, content_type)})


def stored_content(response):
    """The bytes of the file that the upload in ``response`` stored."""
    assert response.status_code == 200, response.content
    with default_storage.open(response.json()["url"].removeprefix("/media/")) as stored:
        return stored.read()


def open_image(content):
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def stored_uploads():
    folder = timezone.localdate().strftime("uploads/%Y/%m")
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


class TestAcceptedUploads:
    def test_png_is_stored_under_dated_folder_with_random_name(self, editor_client, url):
        content = image_bytes()

        response = upload(editor_client, url, content, name="../My holiday <photo>.png")

        assert response.status_code == 200
        stored_url = response.json()["url"]
        folder = timezone.localdate().strftime("uploads/%Y/%m")
        assert re.fullmatch(rf"/media/{folder}/[0-9a-f]{{32}}\.png", stored_url)
        name = stored_url.removeprefix("/media/")
        with default_storage.open(name) as stored:
            assert stored.read() == content

    @pytest.mark.parametrize(
        ("image_format", "extension"),
        [("JPEG", "jpg"), ("GIF", "gif"), ("WEBP", "webp")],
    )
    def test_extension_follows_content_not_client_name(
        self, editor_client, url, image_format, extension
    ):
        response = upload(editor_client, url, image_bytes(image_format=image_format))

        assert response.status_code == 200
        assert response.json()["url"].endswith(f".{extension}")

    @pytest.mark.parametrize(
        "permissions",
        [["articles.add_article"], ["articles.change_article"]],
        ids=["add", "change"],
    )
    def test_either_article_permission_is_enough(self, client, url, permissions):
        client.force_login(user_with_permissions(*permissions))

        response = upload(client, url, image_bytes())

        assert response.status_code == 200

    def test_superuser_may_upload(self, client, url):
        client.force_login(UserFactory(is_superuser=True, is_staff=True))

        assert upload(client, url, image_bytes()).status_code == 200


class TestRefusedFiles:
    def test_script_renamed_png_is_refused(self, editor_client, url):
        response = upload(editor_client, url, b"<script>alert(document.cookie)</script>")

        assert response.status_code == 400
        assert response.json() == {"error": {"message": NOT_AN_IMAGE}}
        assert stored_uploads() == []

    def test_oversized_image_is_refused(self, editor_client, url, settings):
        settings.UPLOAD_MAX_IMAGE_BYTES = 1024 * 1024
        content = image_bytes(size=(700, 700), noise=True)
        assert len(content) > settings.UPLOAD_MAX_IMAGE_BYTES

        response = upload(editor_client, url, content)

        assert response.status_code == 413
        assert response.json() == {"error": {"message": "The image is larger than 1 MB."}}
        assert stored_uploads() == []

    def test_size_limit_message_names_ten_megabytes(self):
        file = SimpleUploadedFile("big.png", image_bytes())
        file.size = 10 * 1024 * 1024 + 1

        with pytest.raises(ValidationError) as error:
            validate_image(file)

        assert error.value.messages == ["The image is larger than 10 MB."]

    def test_svg_is_refused(self, editor_client, url):
        svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'

        response = upload(editor_client, url, svg, name="logo.svg", content_type="image/svg+xml")

        assert response.status_code == 400
        assert response.json()["error"]["message"] == (
            "SVG images are not accepted. Upload a JPEG, PNG, GIF or WebP image."
        )

    def test_svg_named_png_is_refused(self, editor_client, url):
        svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>'

        response = upload(editor_client, url, svg)

        assert response.status_code == 400
        assert response.json()["error"]["message"].startswith("SVG images are not accepted.")

    def test_image_in_another_format_is_refused(self, editor_client, url):
        response = upload(editor_client, url, image_bytes(image_format="BMP"))

        assert response.status_code == 400
        assert response.json()["error"]["message"] == (
            "BMP images are not accepted. Upload a JPEG, PNG, GIF or WebP image."
        )

    def test_truncated_image_is_refused(self, editor_client, url):
        content = image_bytes(size=(200, 200), noise=True)

        response = upload(editor_client, url, content[: len(content) // 2])

        assert response.status_code == 400
        assert response.json()["error"]["message"] == NOT_AN_IMAGE

    @pytest.mark.parametrize("side", [7, 10], ids=["over-limit-warning", "over-twice-limit"])
    def test_decompression_bomb_is_refused(self, editor_client, url, monkeypatch, side):
        monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 32)

        response = upload(editor_client, url, image_bytes(size=(side, side)))

        assert response.status_code == 400
        assert response.json()["error"]["message"] == (
            "The image has too many pixels to be processed safely."
        )

    def test_missing_file_is_refused(self, editor_client, url):
        response = editor_client.post(url, {})

        assert response.status_code == 400
        assert response.json() == {"error": {"message": "Choose an image to upload."}}


class TestWhoMayUpload:
    @pytest.mark.parametrize(
        ("role", "message"),
        [
            ("anonymous", "Log in to upload images."),
            ("reader", "You do not have permission to upload images."),
            ("moderator", "You do not have permission to upload images."),
        ],
    )
    def test_refused_with_a_message(self, client, url, role, message):
        if role == "reader":
            client.force_login(UserFactory())
        elif role == "moderator":
            client.force_login(
                user_with_permissions(
                    "comments.view_comment",
                    "comments.change_comment",
                    "comments.moderate_comment",
                    is_staff=True,
                )
            )

        response = upload(client, url, image_bytes())

        assert response.status_code == 403
        assert response.json() == {"error": {"message": message}}
        assert stored_uploads() == []

    def test_get_is_not_allowed(self, editor_client, url):
        response = editor_client.get(url)

        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert response.json() == {"error": {"message": "Images are uploaded with a POST request."}}

    def test_post_without_csrf_token_is_refused(self, url):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_with_permissions("articles.add_article"))

        response = upload(client, url, image_bytes())

        assert response.status_code == 403
        assert stored_uploads() == []

    def test_csrf_header_from_cookie_is_accepted(self, url):
        """CKEditor sends the CSRF cookie's value in the X-CSRFToken header."""
        client = Client(enforce_csrf_checks=True)
        client.force_login(user_with_permissions("articles.add_article"))
        token = "a" * 32
        client.cookies["csrftoken"] = token

        response = client.post(
            url,
            {"upload": SimpleUploadedFile("picture.png", image_bytes())},
            headers={"X-CSRFToken": token},
        )

        assert response.status_code == 200


def article_with_image(size=(1600, 900), **fields):
    return ArticleFactory(
        image=ContentFile(image_bytes(size=size), name="photo.png"),
        image_alt="Ministers shaking hands",
        **fields,
    )


class TestFeaturedImageOnPublicPage:
    def test_picture_offers_webp_renditions_in_two_widths(self, client):
        article = article_with_image()

        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        picture = response.text.split("<picture>", 1)[1].split("</picture>", 1)[0]
        srcset = re.search(r'<source type="image/webp" srcset="([^"]+)"', picture).group(1)
        candidates = [candidate.split() for candidate in srcset.split(", ")]
        assert [width for _, width in candidates] == ["640w", "1280w"]
        assert all(url.endswith(".webp") for url, _ in candidates)
        assert 'sizes="' in picture
        assert re.search(
            r'<img src="/media/articles/[^"]+\.png" alt="Ministers shaking hands" '
            r'width="1600" height="900">',
            picture,
        )

    def test_renditions_are_webp_files_of_those_widths(self, client):
        article = article_with_image()

        client.get(article.get_absolute_url())

        for rendition, width in [(article.image_small, 640), (article.image_large, 1280)]:
            with default_storage.open(rendition.name) as stored, Image.open(stored) as image:
                assert (image.format, image.width) == ("WEBP", width)

    def test_widths_describe_renditions_of_a_small_portrait_image(self):
        article = article_with_image(size=(400, 800))

        srcset = article.image_renditions().webp_srcset

        assert [candidate.split()[1] for candidate in srcset.split(", ")] == ["320w", "400w"]

    def test_image_adds_no_queries(self, client, settings):
        settings.PAGE_CACHE = False  # counts the queries of rendering the page
        plain = ArticleFactory()
        illustrated = article_with_image()
        client.get(illustrated.get_absolute_url())  # the renditions are made once

        with CaptureQueriesContext(connection) as without_image:
            client.get(plain.get_absolute_url())
        with CaptureQueriesContext(connection) as with_image:
            client.get(illustrated.get_absolute_url())

        assert len(with_image) == len(without_image)

    def test_missing_image_file_leaves_page_without_image(self, client):
        article = article_with_image()
        default_storage.delete(article.image.name)

        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        assert "<picture>" not in response.text
        assert article.title in response.text

    def test_damaged_image_file_leaves_page_without_image(self, client):
        article = ArticleFactory(
            image=ContentFile(b"not an image at all", name="broken.png"), image_alt="Broken"
        )

        for _attempt in range(2):
            response = client.get(article.get_absolute_url())

            assert response.status_code == 200
            assert "<picture>" not in response.text
