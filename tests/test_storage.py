"""Static files with long cache headers; uploaded images on local disk or S3-compatible storage."""

import gzip
import json
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from tests.test_security import run_production

SHOW_STORAGE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from django.core.files.storage import storages; d = storages['default']; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'class': type(d).__name__, "
    "'url': d.url('uploads/2026/01/photo.jpg'), "
    "'img_src': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
    "'admin_img_src': s.ADMIN_CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
)


def storage_from(**env):
    result = run_production(SHOW_STORAGE, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_media_on_local_disk_by_default():
    shown = storage_from()

    assert shown["class"] == "FileSystemStorage"
    assert shown["img_src"] == ["'self'", "data:"]


@pytest.mark.parametrize(
    ("env", "url"),
    [
        (
            {"AWS_S3_ENDPOINT_URL": "https://objects.example.org:9000"},
            "https://objects.example.org:9000/tribune-media/uploads/2026/01/photo.jpg",
        ),
        (
            {"AWS_S3_CUSTOM_DOMAIN": "media.example.org"},
            "https://media.example.org/uploads/2026/01/photo.jpg",
        ),
        (
            {"AWS_S3_REGION_NAME": "eu-west-3"},
            "https://tribune-media.s3.amazonaws.com/uploads/2026/01/photo.jpg",
        ),
    ],
    ids=["endpoint", "custom-domain", "aws"],
)
def test_media_on_s3_when_a_bucket_is_named(env, url):
    shown = storage_from(
        AWS_STORAGE_BUCKET_NAME="tribune-media",
        AWS_ACCESS_KEY_ID="test-access-key",
        AWS_SECRET_ACCESS_KEY="test-secret-key",
        **env,
    )

    assert shown["class"] == "S3Storage"
    options = shown["storage"]["OPTIONS"]
    assert shown["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["bucket_name"] == "tribune-media"
    assert options["querystring_auth"] is False
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert "test-secret-key" not in json.dumps(options)
    assert shown["url"] == url
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
    assert origin in shown["img_src"]
    assert origin in shown["admin_img_src"]


def test_extra_image_sources_join_the_policy():
    shown = storage_from(CSP_EXTRA_IMG_SRC="https://images.example.org,https://cdn.example.net")

    assert shown["img_src"] == [
        "'self'",
        "data:",
        "https://images.example.org",
        "https://cdn.example.net",
    ]


@pytest.fixture
def collected_static(settings, tmp_path):
    """The site's stylesheet collected as in production: hashed names and compressed copies."""
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    return manifest["paths"]


def test_hashed_static_files_are_cached_for_years_and_compressed(collected_static):
    hashed = collected_static["css/site.css"]

    response = Client().get(f"/static/{hashed}", headers={"Accept-Encoding": "gzip"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.getvalue()).startswith(b"/*")


def test_unhashed_static_names_are_cached_briefly(collected_static):
    response = Client().get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"
    assert response.getvalue()
