"""Production hardening: deploy checks, security headers, cookies, login lockout, admin path."""

import datetime
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import timezone

from edge.middleware import SecurityHeadersMiddleware
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent

# Variables the test run sets, or that change what production means: none leaks into a
# subprocess that is meant to start like a production server.
CLEARED = re.compile(
    r"SECRET_KEY.*|DEBUG|DATABASE_URL|ALLOWED_HOSTS|SECURE_.*|BEHIND_TLS_PROXY|ADMIN_URL"
    r"|AXES_.*|AWS_.*|CSP_.*|SENTRY_.*"
)

PUBLIC_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
ADMIN_CSP = {
    **PUBLIC_CSP,
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}


def policy(response):
    """The response's Content-Security-Policy as {directive: sources}, in any order."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: sources for name, *sources in directives}


def run_production(code=None, *, args=(), **env_overrides):
    """Run Python (``code``, or ``manage.py args``) with a production-like environment."""
    env = {key: value for key, value in os.environ.items() if not CLEARED.fullmatch(key)}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "tribune.example.org",
            **env_overrides,
        }
    )
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603


def settings_values(*names, **env_overrides):
    code = "from django.conf import settings as s; " + "; ".join(
        f"print(repr(s.{name}))" for name in names
    )
    result = run_production(code, **env_overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


# Production settings


def test_check_deploy_reports_nothing_in_production():
    result = run_production(args=["check", "--deploy", "--fail-level", "WARNING"])

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_warns_about_a_weak_key_rotated_out():
    result = run_production(
        args=["check", "--deploy", "--fail-level", "WARNING"], SECRET_KEY_FALLBACKS="short"
    )

    assert result.returncode != 0
    assert "security.W025" in result.stderr


def test_https_is_on_by_default_in_production():
    assert settings_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    ) == ["True", "31536000", "True", "True", "True", "True"]


def test_plain_http_run_turns_https_off_by_environment():
    assert settings_values(
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="false",
    ) == ["False", "0", "False"]


def test_proxy_header_trusted_only_behind_tls_proxy():
    code = "from django.conf import settings as s; print(getattr(s, 'SECURE_PROXY_SSL_HEADER'))"

    assert run_production(code).stdout.strip() == "None"
    assert (
        run_production(code, BEHIND_TLS_PROXY="true").stdout.strip()
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


@pytest.mark.django_db
def test_health_check_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


# Headers


@pytest.mark.django_db
def test_public_page_security_headers(client):
    response = client.get("/", secure=True)

    assert response.status_code == 200
    assert policy(response) == PUBLIC_CSP
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Permissions-Policy"].startswith("camera=(), microphone=(), geolocation=()")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_public_policy_allows_no_inline_script_or_style(client):
    header = client.get("/")["Content-Security-Policy"]

    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header


@pytest.mark.django_db
def test_admin_has_its_own_policy_with_inline_styles_only(client):
    response = client.get("/admin/login/", secure=True)

    assert response.status_code == 200
    assert policy(response) == ADMIN_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" in response


def test_admin_policy_follows_admin_url(settings):
    settings.ADMIN_URL = "office/"
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse())

    admin = middleware(RequestFactory().get("/office/login/"))
    public = middleware(RequestFactory().get("/admin/login/"))

    assert policy(admin) == ADMIN_CSP
    assert policy(public) == PUBLIC_CSP


def test_built_policy_is_the_one_django_csp_builds():
    from csp.utils import build_policy
    from django.conf import settings

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse())

    public = middleware(RequestFactory().get("/"))
    admin = middleware(RequestFactory().get("/admin/"))

    assert public["Content-Security-Policy"] == build_policy()
    admin_directives = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
    assert admin["Content-Security-Policy"] == build_policy(config=admin_directives)


def test_a_view_with_a_policy_of_its_own_keeps_it():
    from csp.decorators import csp_update

    view = csp_update({"img-src": "https://maps.example"})(lambda request: HttpResponse())
    middleware = SecurityHeadersMiddleware(view)

    header = middleware(RequestFactory().get("/"))["Content-Security-Policy"]

    assert "https://maps.example" in header
    assert "script-src 'self'" in header


def test_a_changed_policy_is_sent_at_once(settings):
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse())
    middleware(RequestFactory().get("/"))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}

    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == "default-src 'none'"


def test_no_hsts_over_plain_http(client, db):
    assert "Strict-Transport-Security" not in client.get("/")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


@pytest.mark.parametrize(
    "template",
    sorted(
        path.relative_to(ROOT / "templates")
        for path in (ROOT / "templates").rglob("*.html")
        if "admin" not in path.parts
    ),
    ids=str,
)
def test_public_templates_have_no_inline_script_or_style(template):
    """The public CSP would block them; JSON data blocks are not scripts and are allowed."""
    text = (ROOT / "templates" / template).read_text()

    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)


# Cookies


@pytest.fixture
def editor():
    return UserFactory(username="editor", password="right-password", is_staff=True)


def log_in(client, username, password, address="192.0.2.10"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        secure=True,
        REMOTE_ADDR=address,
    )


@pytest.mark.django_db
def test_session_cookie_is_secure_and_http_only_after_admin_login(client, editor):
    response = log_in(client, "editor", "right-password")

    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_csrf_cookie_is_secure_and_left_to_the_editor_script(client):
    response = client.get("/admin/login/", secure=True)

    cookie = response.cookies["csrftoken"]
    assert cookie["secure"] is True
    assert not cookie["httponly"]  # CKEditor 5 reads it for its uploads


# Login lockout (django-axes)


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True


@pytest.mark.django_db
@pytest.mark.usefixtures("lockout")
def test_right_password_is_refused_after_five_failures(client, editor):
    failures = [log_in(client, "editor", "wrong").status_code for _ in range(5)]

    response = log_in(client, "editor", "right-password")

    assert failures == [200, 200, 200, 200, 429]  # the fifth failure locks the pair out

    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.usefixtures("lockout")
def test_four_failures_do_not_lock_out(client, editor):
    for _ in range(4):
        log_in(client, "editor", "wrong")

    assert log_in(client, "editor", "right-password").status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("lockout")
def test_lockout_leaves_other_users_and_addresses_alone(client, editor):
    UserFactory(username="moderator", password="their-password", is_staff=True)
    for _ in range(5):
        log_in(client, "editor", "wrong")

    assert log_in(Client(), "moderator", "their-password").status_code == 302
    assert log_in(Client(), "editor", "right-password", address="198.51.100.7").status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("lockout")
def test_lockout_ends_after_fifteen_minutes(client, editor):
    for _ in range(5):
        log_in(client, "editor", "wrong")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert log_in(client, "editor", "right-password").status_code == 302


# The admin's path


def test_admin_url_moves_the_admin():
    code = (
        "import django; django.setup(); from django.urls import resolve, reverse, Resolver404; "
        "print(reverse('admin:index')); "
        "print(resolve('/office/editors/login/').view_name); "
        "\ntry:\n    resolve('/admin/')\nexcept Resolver404:\n    print('gone')"
    )

    result = run_production(code, ADMIN_URL="office/editors/")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/office/editors/", "admin:login", "gone"]


@pytest.mark.parametrize("value", ["", "admin", "/admin/", "<int:x>/"])
def test_invalid_admin_url_refuses_to_start(value):
    result = run_production("import django; django.setup()", ADMIN_URL=value)

    assert result.returncode != 0
    assert "ADMIN_URL must be a relative path ending with '/'" in result.stderr
