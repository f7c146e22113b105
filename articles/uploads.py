"""Images uploaded by editors: the editor's upload endpoint and the shared validator.

The same ``validate_image`` checks the images pasted or dropped into CKEditor 5
and the article's featured image. A file is accepted only when Pillow reads it
in full as a JPEG, PNG, GIF or WebP image, whatever its name or the content type
the browser claims, and only up to ``settings.UPLOAD_MAX_IMAGE_BYTES``.

The endpoint answers in the format of CKEditor 5's simple upload adapter:
``{"url": "..."}`` on success, ``{"error": {"message": "..."}}`` otherwise.
"""

import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from PIL import Image

# Pillow format name → file extension of the stored copy.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

UPLOAD_PERMISSIONS = ("articles.add_article", "articles.change_article")


def max_size_text(size):
    """``10 MB`` for whole megabytes, the usual file size wording otherwise."""
    megabytes, remainder = divmod(size, 1024 * 1024)
    if megabytes and not remainder:
        return _("%(count)s MB") % {"count": megabytes}
    return filesizeformat(size)


def validate_image(file):
    """Refuse anything but a complete JPEG, PNG, GIF or WebP image of an acceptable size.

    Usable as a form field validator; also returns the detected Pillow format
    (``"PNG"``…) so that callers can name the stored file after its content.
    """
    if file.size > settings.UPLOAD_MAX_IMAGE_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)s.")
            % {"limit": max_size_text(settings.UPLOAD_MAX_IMAGE_BYTES)},
            code="too_large",
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its pixel limit; refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as image:
                image_format = image.format
                if Image.MAX_IMAGE_PIXELS and image.width * image.height > Image.MAX_IMAGE_PIXELS:
                    # Checked here too: the warnings filter is not thread-safe.
                    raise Image.DecompressionBombError(image.size)
                image.verify()
            if image_format in ACCEPTED_FORMATS:
                # verify() does not decode the pixels: a truncated file only
                # shows when the image is loaded in full.
                file.seek(0)
                with Image.open(file) as image:
                    image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("The image has too many pixels to be processed safely."), code="too_many_pixels"
        ) from error
    except Exception as error:
        # Pillow raises many kinds of errors for damaged or foreign files.
        if looks_like_svg(file):
            raise unsupported_format("SVG") from error
        raise ValidationError(
            " ".join([_("The file is not an image, or it is damaged."), accepted_formats_text()]),
            code="invalid_image",
        ) from error
    finally:
        file.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise unsupported_format(image_format)
    return image_format


def accepted_formats_text():
    return _("Upload a JPEG, PNG, GIF or WebP image.")


def unsupported_format(name):
    message = _("%(format)s images are not accepted.") % {"format": name}
    return ValidationError(" ".join([message, accepted_formats_text()]), code="unsupported_format")


def looks_like_svg(file):
    """SVG is text that Pillow cannot read; recognised only to name it in the message."""
    file.seek(0)
    return b"<svg" in file.read(4096).lower()


def unique_image_name(image_format):
    """A random file name with the extension of the detected format, never the client's name."""
    return f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[image_format]}"


def store_image(file, image_format):
    """Save ``file`` under ``uploads/<year>/<month>/`` with a new random name; return its URL."""
    folder = timezone.localdate().strftime("uploads/%Y/%m")
    name = default_storage.save(f"{folder}/{unique_image_name(image_format)}", file)
    return default_storage.url(name)


def error_response(message, status):
    return JsonResponse({"error": {"message": str(message)}}, status=status)


def may_upload(user):
    return user.is_authenticated and any(user.has_perm(perm) for perm in UPLOAD_PERMISSIONS)


@csrf_protect
def upload_image(request):
    """Receive an image from CKEditor 5 (field ``upload``) and answer with its URL.

    Statuses: 200 stored; 400 no file, not an image or not an accepted format;
    403 not logged in or without the permission to add or change articles
    (as JSON rather than a redirect, since the editor posts in the background);
    405 anything but POST; 413 larger than the limit.
    """
    if request.method != "POST":
        response = error_response(_("Images are uploaded with a POST request."), 405)
        response["Allow"] = "POST"
        return response
    if not request.user.is_authenticated:
        return error_response(_("Log in to upload images."), 403)
    if not may_upload(request.user):
        return error_response(_("You do not have permission to upload images."), 403)
    file = request.FILES.get("upload")
    if file is None:
        return error_response(_("Choose an image to upload."), 400)
    try:
        image_format = validate_image(file)
    except ValidationError as error:
        return error_response(error.messages[0], 413 if error.code == "too_large" else 400)
    return JsonResponse({"url": store_image(file, image_format)})
