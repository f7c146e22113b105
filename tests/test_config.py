import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from config.views import server_error

ROOT = Path(__file__).resolve().parent.parent


def run_django(env_overrides, code="import django; django.setup(); print('started')"):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_missing_secret_key_without_debug_refuses_to_start():
    result = run_django({"DEBUG": "false"})

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_run_starts_without_secret_key():
    result = run_django({"DEBUG": "true"})

    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_settings_read_from_environment():
    code = (
        "from django.conf import settings as s; "
        "print(s.SITE_NAME, s.TIME_ZONE, s.ALLOWED_HOSTS, s.CACHES['default']['BACKEND'], "
        "s.DATABASES['default']['ENGINE'], s.EMAIL_BACKEND)"
    )
    result = run_django(
        {
            "SECRET_KEY": "x" * 50,
            "SITE_NAME": "Policy Review",
            "TIME_ZONE": "Asia/Tehran",
            "ALLOWED_HOSTS": "example.org,www.example.org",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
            "DATABASE_URL": "postgres://user:pw@db.example.org:5432/tribune",
            "EMAIL_URL": "smtp://mail.example.org:25",
        },
        code,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Policy",
        "Review",
        "Asia/Tehran",
        "['example.org',",
        "'www.example.org']",
        "config.cache.RedisCache",
        "django.db.backends.postgresql",
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_server_error_page_in_site_design(rf, settings):
    settings.SITE_NAME = "Policy Review"

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Policy Review" in html
    assert 'class="site-header"' in html


@pytest.mark.django_db
def test_migrations_are_up_to_date():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_system_checks_pass():
    code = (
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', fail_level='WARNING')"
    )
    result = run_django({"SECRET_KEY": "x" * 50, "DEBUG": "false"}, code)

    assert result.returncode == 0, result.stderr
