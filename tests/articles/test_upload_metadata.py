"""What uploaded images keep of their metadata: colour and orientation, never the GPS position."""

import io
import random
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, JpegImagePlugin, PngImagePlugin

from articles.uploads import without_metadata
from tests.articles.test_admin import edit_in_admin, staff_member
from tests.articles.test_uploads import open_image, stored_content, upload, user_with_permissions
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url():
    return reverse("articles:upload-image")


@pytest.fixture
def editor_client(client):
    client.force_login(user_with_permissions("articles.add_article", is_staff=True))
    return client


SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def xmp(description):
    return (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF'
        b' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b"<rdf:Description " + description + b"/></rdf:RDF></x:xmpmeta>"
    )


XMP = xmp(b'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Vienna"')
GPS_LATITUDE = (48.0, 12.0, 30.5)


def camera_exif():
    """EXIF data as a phone writes it: camera, serial number, date, GPS position, orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Phonemaker"
    exif[ExifTags.Base.Model] = "Phone 15 Pro"
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.DateTime] = "2024:05:19 10:00:00"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-0042"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (16.0, 22.0, 4.2)
    return exif


def orientation_exif(orientation):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    return exif


def picture(size=(48, 32), mode="RGB"):
    """A small image with detail, so that a lossy re-save would show."""
    pixels = random.Random(size[0]).randbytes(size[0] * size[1] * 3)
    return Image.frombytes("RGB", size, pixels).convert(mode)


def encode(image, image_format, **options):
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def phone_photo(mode="RGB"):
    """A JPEG with GPS position, camera, orientation 6, XMP, a comment and a colour profile."""
    return encode(
        picture(mode=mode),
        "JPEG",
        exif=camera_exif(),
        xmp=XMP,
        comment=b"Taken at home, Hauptstrasse 1",
        icc_profile=SRGB,
        quality=90,
        subsampling=0,
        progressive=True,
    )


def frames_of(image):
    """Every frame's pixels and duration."""
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append((image.convert("RGBA").tobytes(), image.info.get("duration")))
    return frames


DURATIONS = [100, 200, 300]


def animated(image_format, **options):
    """Three frames, shown for 100, 200 and 300 ms."""
    first, *others = (Image.new("RGBA", (16, 12), colour) for colour in ("red", "lime", "blue"))
    return encode(
        first, image_format, save_all=True, append_images=others, duration=DURATIONS, **options
    )


class TestJpegMetadata:
    def test_gps_position_camera_and_serial_number_are_removed(self, editor_client, url):
        photo = phone_photo()
        exif = open_image(photo).getexif()
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE
        assert exif[ExifTags.Base.Make] == "Phonemaker"
        assert exif[ExifTags.Base.Model] == "Phone 15 Pro"
        assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == "SN-0042"

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        exif = stored.getexif()
        assert dict(exif) == {ExifTags.Base.Orientation: 6}
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert exif.get_ifd(ExifTags.IFD.Exif) == {}

    def test_comment_and_xmp_are_removed(self, editor_client, url):
        photo = phone_photo()
        source = open_image(photo)
        assert source.info["comment"] == b"Taken at home, Hauptstrasse 1"
        assert b"Vienna" in source.info["xmp"]

        content = stored_content(upload(editor_client, url, photo, "photo.jpg"))

        stored = open_image(content)
        assert "comment" not in stored.info
        assert "xmp" not in stored.info
        assert [marker for marker, _data in stored.applist] == ["APP0", "APP1", "APP2"]
        assert b"Hauptstrasse" not in content
        assert b"Vienna" not in content

    def test_orientation_colour_profile_and_size_are_kept(self, editor_client, url):
        photo = phone_photo()

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        assert stored.format == "JPEG"
        assert stored.getexif()[ExifTags.Base.Orientation] == 6
        assert stored.info["icc_profile"] == SRGB
        assert stored.size == open_image(photo).size == (48, 32)

    def test_quality_subsampling_and_progressive_scan_are_kept(self, editor_client, url):
        photo = phone_photo()
        source = open_image(photo)
        assert source.info["progressive"]
        assert JpegImagePlugin.get_sampling(source) == 0

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        assert stored.quantization == source.quantization
        assert JpegImagePlugin.get_sampling(stored) == 0
        assert stored.info["progressive"]

    @pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
    def test_pixels_survive_the_new_encoding(self, editor_client, url, mode):
        photo = phone_photo(mode=mode)
        source = open_image(photo)

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        assert stored.mode == source.mode == mode
        differences = [abs(a - b) for a, b in zip(source.tobytes(), stored.tobytes(), strict=True)]
        assert max(differences) <= 8
        assert sum(differences) / len(differences) < 1

    @pytest.mark.parametrize(
        "options",
        [{}, {"icc_profile": SRGB}, {"exif": orientation_exif(6), "icc_profile": SRGB}],
        ids=["plain", "colour-profile", "orientation"],
    )
    def test_jpeg_without_metadata_is_stored_byte_for_byte(self, editor_client, url, options):
        photo = encode(picture(), "JPEG", **options)

        assert stored_content(upload(editor_client, url, photo, "photo.jpg")) == photo

    def test_orientation_only_in_xmp_does_not_become_exif(self, editor_client, url):
        """Browsers ignore XMP's orientation; moving it into EXIF would turn the picture."""
        orientation = xmp(b'xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="6"')
        photo = encode(picture(), "JPEG", xmp=orientation)
        assert open_image(photo).getexif()[ExifTags.Base.Orientation] == 6  # Pillow reads XMP

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        assert "xmp" not in stored.info
        assert "exif" not in stored.info

    @pytest.mark.filterwarnings("ignore:Corrupt EXIF data")
    def test_damaged_exif_is_removed(self, editor_client, url):
        photo = encode(picture(), "JPEG", exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff")

        stored = open_image(stored_content(upload(editor_client, url, photo, "photo.jpg")))

        assert "exif" not in stored.info

    def test_bytes_after_the_end_of_the_image_are_removed(self, editor_client, url):
        photo = encode(picture(), "JPEG") + b"ftypmp42 a motion photo's video"

        content = stored_content(upload(editor_client, url, photo, "photo.jpg"))

        assert b"motion photo" not in content
        assert content.endswith(b"\xff\xd9")

    def test_copy_larger_than_the_limit_is_refused(self, settings):
        settings.UPLOAD_MAX_IMAGE_BYTES = 200
        photo = SimpleUploadedFile("photo.jpg", phone_photo(), "image/jpeg")

        with pytest.raises(ValidationError) as error:
            without_metadata(photo, "JPEG")

        assert error.value.code == "too_large"


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_a_structure_the_cleaner_cannot_walk_is_refused_not_stored(image_format):
    """Chunks that run past the end of the file: refused rather than kept with their metadata."""
    if image_format == "PNG":
        content = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x40tEXt" + b"Author\x00"
    else:
        content = b"RIFF\x20\x00\x00\x00WEBP" + b"EXIF\x40\x00\x00\x00" + b"Exif\x00"
    broken = SimpleUploadedFile("broken", content)

    with pytest.raises(ValidationError) as error:
        without_metadata(broken, image_format)

    assert error.value.code == "invalid_image"


def png_text():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Jane Doe")
    info.add_text("Comment", "Taken at home", zip=True)
    info.add_itxt("Description", "Hauptstraße 1")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


class TestPngMetadata:
    def test_text_exif_and_xmp_are_removed_and_pixels_kept(self, editor_client, url):
        image = picture().convert("RGBA")
        image.putpixel((0, 0), (10, 20, 30, 0))
        png = encode(image, "PNG", pnginfo=png_text(), exif=camera_exif(), icc_profile=SRGB)
        source = open_image(png)
        assert source.text["Author"] == "Jane Doe"
        assert source.text["Description"] == "Hauptstraße 1"
        assert b"Vienna" in source.info["xmp"]
        assert source.getexif()[ExifTags.Base.Make] == "Phonemaker"

        content = stored_content(upload(editor_client, url, png))

        stored = open_image(content)
        assert stored.text == {}
        assert "xmp" not in stored.info
        assert "exif" not in stored.info
        assert b"Phonemaker" not in content
        assert stored.info["icc_profile"] == SRGB
        assert (stored.mode, stored.size) == (source.mode, source.size)
        assert stored.tobytes() == source.tobytes()
        assert len(content) < len(png)

    def test_palette_transparency_is_kept(self, editor_client, url):
        image = Image.new("P", (8, 8), 1)
        image.putpalette([0, 0, 0, 255, 0, 0])
        png = encode(image, "PNG", transparency=0, pnginfo=png_text())

        stored = open_image(stored_content(upload(editor_client, url, png)))

        assert stored.text == {}
        assert stored.info["transparency"] == 0
        assert stored.tobytes() == open_image(png).tobytes()

    def test_bytes_after_the_end_of_the_image_are_removed(self, editor_client, url):
        png = encode(picture(), "PNG")

        content = stored_content(upload(editor_client, url, png + b"PK\x03\x04 an archive"))

        assert content == png

    def test_animated_png_keeps_every_frame(self, editor_client, url):
        png = animated("PNG", loop=0, pnginfo=png_text())
        source = open_image(png)
        assert (source.n_frames, source.text["Author"]) == (3, "Jane Doe")

        stored = open_image(stored_content(upload(editor_client, url, png)))

        assert stored.text == {}
        assert [duration for _pixels, duration in frames_of(stored)] == DURATIONS
        assert frames_of(stored) == frames_of(source)


class TestWebpMetadata:
    def test_exif_and_xmp_are_removed_and_colour_profile_kept(self, editor_client, url):
        webp = encode(picture(), "WEBP", exif=camera_exif(), xmp=XMP, icc_profile=SRGB)
        source = open_image(webp)
        assert source.getexif()[ExifTags.Base.Make] == "Phonemaker"
        assert b"Vienna" in source.info["xmp"]

        content = stored_content(upload(editor_client, url, webp, "photo.webp"))

        stored = open_image(content)
        assert "exif" not in stored.info
        assert "xmp" not in stored.info
        assert b"Phonemaker" not in content
        # The VP8X header no longer announces EXIF (0x08) or XMP (0x04).
        assert content[12:16] == b"VP8X"
        assert content[20] & 0x0C == 0
        assert stored.info["icc_profile"] == SRGB
        # The compressed image is copied, not encoded again.
        assert stored.tobytes() == source.tobytes()

    def test_animated_webp_keeps_frames_durations_and_loop(self, editor_client, url):
        webp = animated("WEBP", loop=2, lossless=True, exif=camera_exif())
        source = open_image(webp)
        assert (source.n_frames, source.getexif()[ExifTags.Base.Make]) == (3, "Phonemaker")

        stored = open_image(stored_content(upload(editor_client, url, webp, "a.webp")))

        assert "exif" not in stored.info
        assert stored.info["loop"] == 2
        assert [duration for _pixels, duration in frames_of(stored)] == DURATIONS
        assert frames_of(stored) == frames_of(source)

    def test_webp_without_metadata_is_stored_byte_for_byte(self, editor_client, url):
        webp = encode(picture(), "WEBP", icc_profile=SRGB)

        assert stored_content(upload(editor_client, url, webp, "photo.webp")) == webp


def test_animated_gif_is_stored_as_sent(editor_client, url):
    gif = animated("GIF", loop=0, comment=b"GIF comments are left alone")

    content = stored_content(upload(editor_client, url, gif, "animation.gif"))

    assert content == gif
    assert open_image(content).n_frames == 3


def test_featured_image_loses_its_metadata_in_the_admin(client):
    client.force_login(staff_member("Editors"))
    article = ArticleFactory()
    photo = phone_photo()

    edit_in_admin(
        client,
        article,
        image=SimpleUploadedFile("IMG_0042.jpg", photo, "image/jpeg"),
        image_alt="The ministers at the summit",
    )

    assert re.fullmatch(r"articles/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", article.image.name)
    with article.image.open() as stored:
        content = stored.read()
    image = open_image(content)
    assert dict(image.getexif()) == {ExifTags.Base.Orientation: 6}
    assert image.info["icc_profile"] == SRGB
    assert "comment" not in image.info
    assert b"Phonemaker" not in content
    assert b"Vienna" not in content
