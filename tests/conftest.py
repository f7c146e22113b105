import pytest
from django.core.cache import cache

from pagecache import serving, versions


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast hashing, plain static files, a throwaway media folder, an empty cache (the
    comment rate limit counts there, the page cache keeps pages there) and no login lockout."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "imagekit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    cache.clear()
    serving._recent_pages.clear()
    # Every test of a public page goes through the page cache, as in production.
    settings.PAGE_CACHE = True
    # The test client's login() gives the authentication backends no request, which
    # django-axes refuses; the lockout tests (tests/test_security.py) turn it back on.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _changes_announced_as_on_commit(request, monkeypatch):
    """A test runs inside a transaction that never commits: what a change announces
    for after its commit is announced at once. Tests with a real commit keep Django's."""
    marker = request.node.get_closest_marker("django_db")
    commits = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not commits:
        monkeypatch.setattr(versions, "_on_commit", lambda function: function())
