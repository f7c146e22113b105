"""Images uploaded by editors: the editor's upload endpoint, the shared validator and cleaner.

The same ``validate_image`` checks the images pasted or dropped into CKEditor 5
and the article's featured image. A file is accepted only when Pillow reads it
in full as a JPEG, PNG, GIF or WebP image, whatever its name or the content type
the browser claims, and only up to ``settings.UPLOAD_MAX_IMAGE_BYTES``.

Both paths then store the image through ``without_metadata``, which removes what
a camera or an editing program wrote about the photo rather than its pixels:
the GPS position, the camera's make, model and serial number, dates, XMP, IPTC
and comments. Only what the image needs to look right is kept: its colour
profile and, for JPEG, the orientation of photos taken in portrait.

The endpoint answers in the format of CKEditor 5's simple upload adapter:
``{"url": "..."}`` on success, ``{"error": {"message": "..."}}`` otherwise.
"""

import io
import struct
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from PIL import ExifTags, Image

# Pillow format name → file extension of the stored copy.
ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}

UPLOAD_PERMISSIONS = ("articles.add_article", "articles.change_article")

# Phones store portrait photos sideways and rely on this EXIF tag to show them upright.
ORIENTATION = ExifTags.Base.Orientation

# PNG chunks about the pixels, their colours and the animation of an APNG; every
# other chunk is dropped: tEXt, zTXt and iTXt (which also carries XMP), eXIf,
# tIME and the private chunks of programs and cameras.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEPT_CHUNKS = frozenset(
    (
        b"IHDR PLTE IDAT IEND tRNS bKGD pHYs sBIT"  # pixels
        b" iCCP sRGB gAMA cHRM cICP mDCV cLLI"  # colours
        b" acTL fcTL fdAT"  # animation
    ).split()
)

# WebP chunks of a RIFF file that hold the image, its colour profile and its
# frames; "EXIF", "XMP " and unknown chunks are dropped, and with them the flags
# of the VP8X header that announce EXIF (0x08) and XMP (0x04).
WEBP_KEPT_CHUNKS = frozenset([b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ICCP", b"ANIM", b"ANMF"])
WEBP_EXIF_AND_XMP_FLAGS = 0x08 | 0x04


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
        raise too_large()
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


def too_large():
    return ValidationError(
        _("The image is larger than %(limit)s.")
        % {"limit": max_size_text(settings.UPLOAD_MAX_IMAGE_BYTES)},
        code="too_large",
    )


def accepted_formats_text():
    return _("Upload a JPEG, PNG, GIF or WebP image.")


def unsupported_format(name):
    message = _("%(format)s images are not accepted.") % {"format": name}
    return ValidationError(" ".join([message, accepted_formats_text()]), code="unsupported_format")


def looks_like_svg(file):
    """SVG is text that Pillow cannot read; recognised only to name it in the message."""
    file.seek(0)
    return b"<svg" in file.read(4096).lower()


def without_metadata(file, image_format):
    """``file`` itself when it carries no private metadata, otherwise a cleaned copy.

    ``file`` is an image that ``validate_image`` accepted as ``image_format``; the
    copy is a ``ContentFile`` of the same name. What is removed, by format:

    - JPEG: re-saved by Pillow with the source's quantisation tables and chroma
      subsampling (so at its quality), progressive if it was. The colour profile
      stays, and of the EXIF data only the orientation; the rest of EXIF (GPS,
      camera, serial number, dates, thumbnail), XMP, IPTC, comments and bytes
      after the end of the image go.
    - PNG and WebP: the chunks of the file that describe neither pixels, nor
      colours, nor animation are left out (text, EXIF, XMP…). The image data is
      copied byte for byte: no loss, no bigger file, every frame of an animation.
    - GIF: left as sent. Its comment and application extensions could be dropped
      only by decoding the frames and writing a new palette image, which risks
      the colours and the animation for little gain.

    Raises ``ValidationError`` (``too_large``) in the unlikely case that the
    re-saved JPEG outgrows ``settings.UPLOAD_MAX_IMAGE_BYTES``.
    """
    clean = METADATA_CLEANERS.get(image_format)
    if clean is None:
        return file
    file.seek(0)
    content = file.read()
    file.seek(0)
    try:
        cleaned = clean(content)
    except (struct.error, IndexError, ValueError, OSError) as error:
        # Pillow read the image, but its structure is not what the cleaner walks:
        # refused rather than stored with metadata that could not be removed.
        raise ValidationError(
            _("The file is not an image, or it is damaged."), code="invalid_image"
        ) from error
    if cleaned is None:
        return file
    if len(cleaned) > settings.UPLOAD_MAX_IMAGE_BYTES:
        raise too_large()
    return ContentFile(cleaned, name=file.name)


def jpeg_without_metadata(content):
    """The JPEG re-saved with only its colour profile and orientation; None if that is all."""
    with Image.open(io.BytesIO(content)) as image:
        kept_exif = orientation_only_exif(image)
        if not jpeg_has_metadata(image, content, kept_exif):
            return None
        output = io.BytesIO()
        image.save(
            output,
            "JPEG",
            quality="keep",
            subsampling="keep",
            qtables="keep",
            # Huffman tables made for this image: smaller, and not lossy.
            optimize=True,
            progressive=bool(image.info.get("progressive")),
            icc_profile=image.info.get("icc_profile"),
            exif=kept_exif,
            # Pillow would copy the source's comment otherwise.
            comment=b"",
            dpi=image.info.get("dpi", (0, 0)),
        )
    return output.getvalue()


def orientation_only_exif(image):
    """EXIF data holding nothing but the orientation of ``image``; empty without one."""
    # Read from the EXIF block alone: ``getexif()`` would also take an orientation
    # from XMP, which browsers ignore, and so turn a picture they show upright.
    found = Image.Exif()
    try:
        found.load(image.info.get("exif", b""))
        orientation = found.get(ORIENTATION)
    except Exception:
        # Damaged EXIF data, for which Pillow raises many kinds of errors: dropped whole.
        return b""
    if orientation not in range(1, 9):
        return b""
    exif = Image.Exif()
    exif[ORIENTATION] = int(orientation)
    return exif.tobytes()


def jpeg_has_metadata(image, content, kept_exif):
    """Whether a JPEG holds more than ``save()`` would keep of it.

    Harmless segments: a JFIF header without a thumbnail, the colour profile,
    Adobe's colour transform and an EXIF block that is exactly ``kept_exif``.
    Any other segment, or data after the end of the image (where phones append
    videos and other pictures), is metadata.
    """
    if not content.endswith(b"\xff\xd9"):
        return True
    return not all(
        (marker == "APP0" and data.startswith(b"JFIF\0") and len(data) == 14)
        or (marker == "APP1" and data == kept_exif)
        or (marker == "APP2" and data.startswith(b"ICC_PROFILE\0"))
        or (marker == "APP14" and data.startswith(b"Adobe"))
        for marker, data in image.applist
    )


def png_without_metadata(content):
    """The PNG without the chunks that ``PNG_KEPT_CHUNKS`` leaves out, or None if it has none.

    Chunks are copied as they are, CRC included; the validator has read the file
    in full, so its chunks are whole up to IEND. Whatever follows IEND is dropped.
    """
    kept = [PNG_SIGNATURE]
    dropped = False
    position = len(PNG_SIGNATURE)
    kind = None
    while kind != b"IEND":
        length, kind = struct.unpack_from(">I4s", content, position)
        end = position + 12 + length  # length, type, data, CRC
        if end > len(content):
            raise ValueError("a PNG chunk runs past the end of the file")
        if kind in PNG_KEPT_CHUNKS:
            kept.append(content[position:end])
        else:
            dropped = True
        position = end
    if not dropped and position == len(content):
        return None
    return b"".join(kept)


def webp_without_metadata(content):
    """The WebP without its EXIF, XMP and unknown chunks, or None if it has none.

    Frames of an animation are ANMF chunks, copied as they are with their
    durations; the loop count is in the ANIM chunk, also kept.
    """
    riff_end = 8 + int.from_bytes(content[4:8], "little")
    kept = []
    dropped = riff_end != len(content)
    position = 12  # "RIFF", size, "WEBP"
    while position + 8 <= min(riff_end, len(content)):
        kind = content[position : position + 4]
        size = int.from_bytes(content[position + 4 : position + 8], "little")
        if position + 8 + size > len(content):
            raise ValueError("a WebP chunk runs past the end of the file")
        end = position + 8 + size + size % 2  # chunks are padded to an even size
        chunk = content[position:end]
        if kind == b"VP8X":
            flags = chunk[8] & ~WEBP_EXIF_AND_XMP_FLAGS
            chunk = chunk[:8] + bytes([flags]) + chunk[9:]
        if kind in WEBP_KEPT_CHUNKS:
            kept.append(chunk)
        else:
            dropped = True
        position = end
    if not dropped:
        return None
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


# Pillow format name → function returning the cleaned bytes, or None when there
# is nothing to remove. GIF is left as sent (see ``without_metadata``).
METADATA_CLEANERS = {
    "JPEG": jpeg_without_metadata,
    "PNG": png_without_metadata,
    "WEBP": webp_without_metadata,
}


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
        file = without_metadata(file, image_format)
    except ValidationError as error:
        return error_response(error.messages[0], 413 if error.code == "too_large" else 400)
    return JsonResponse({"url": store_image(file, image_format)})
