"""The container's entry point (docker/entrypoint.sh), run here with the project's Python."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"


def entrypoint(*args, env):
    """Run the entry point as the image does, with ``python`` meaning this test's interpreter."""
    base = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "DATABASE_URL", "REDIS_URL"}
    }
    path = f"{Path(sys.executable).parent}{os.pathsep}{base.get('PATH', '')}"
    return subprocess.run(  # noqa: S603
        ["/bin/sh", str(ENTRYPOINT), *args],
        cwd=ROOT,
        env={**base, "PATH": path, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def container_env(tmp_path):
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir()
    return {
        "DEBUG": "false",
        "SECRET_KEY": "",
        "SECRET_KEY_FILE": str(secrets_dir / "secret_key"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_first_migrate_writes_a_private_random_key_that_later_runs_keep(container_env):
    key_file = Path(container_env["SECRET_KEY_FILE"])

    first = entrypoint("migrate", env=container_env)

    assert first.returncode == 0, first.stderr
    assert "Writing a new secret key" in first.stdout
    key = key_file.read_text().strip()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert "Applying articles.0001_initial" in first.stdout

    again = entrypoint("migrate", env=container_env)

    assert again.returncode == 0, again.stderr
    assert "Writing a new secret key" not in again.stdout
    assert key_file.read_text().strip() == key

    # The web servers read the same key from the file.
    shown = entrypoint(
        "python",
        "-c",
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SECRET_KEY)",
        env=container_env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == key


def test_a_given_secret_key_is_never_written_to_the_file(container_env):
    container_env["SECRET_KEY"] = "g" * 50

    result = entrypoint("migrate", env=container_env)

    assert result.returncode == 0, result.stderr
    assert not Path(container_env["SECRET_KEY_FILE"]).exists()


def test_migrate_without_any_key_refuses_to_start(container_env):
    del container_env["SECRET_KEY_FILE"]

    result = entrypoint("migrate", env=container_env)

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
