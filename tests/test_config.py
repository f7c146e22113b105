import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from edge.views import server_error

ROOT = Path(__file__).resolve().parent.parent


def run_django(env_overrides, code="import django; django.setup(); print('started')"):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DATABASE_URL"}
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


KEY_CODE = "from django.conf import settings; print(settings.SECRET_KEY)"


def test_secret_key_is_read_from_secret_key_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 50 + "\n")

    result = run_django({"DEBUG": "false", "SECRET_KEY_FILE": str(key_file)}, KEY_CODE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50


def test_secret_key_in_the_environment_wins_over_the_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text("k" * 50)

    result = run_django(
        {"DEBUG": "false", "SECRET_KEY": "e" * 50, "SECRET_KEY_FILE": str(key_file)}, KEY_CODE
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "e" * 50


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "SECRET_KEY_FILE cannot be read"), ("  \n", "SECRET_KEY_FILE is empty")],
)
def test_unusable_secret_key_file_refuses_to_start(tmp_path, content, message):
    key_file = tmp_path / "secret_key"
    if content is not None:
        key_file.write_text(content)

    # Not even with DEBUG: a file that was asked for and is missing is a mistake to report.
    result = run_django({"DEBUG": "true", "SECRET_KEY_FILE": str(key_file)}, KEY_CODE)

    assert result.returncode != 0
    assert message in result.stderr
    assert str(key_file) in result.stderr


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
