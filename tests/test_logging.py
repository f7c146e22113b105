"""The console log: one line per request and per error, each with the request's id."""

import io
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from edge.logging import request_id
from tests.factories import ArticleFactory
from tests.test_faults import comment_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def console():
    """What the site writes to its console handler (stdout) during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    output = io.StringIO()
    previous = handler.setStream(output)
    yield output
    handler.setStream(previous)


def request_lines(console):
    return [line for line in console.getvalue().splitlines() if " tribune.request " in line]


def test_one_line_per_request_with_method_path_status_duration_and_id(client, console):
    response = client.get("/healthz")

    current = response["X-Request-ID"]
    [line] = request_lines(console)
    assert f"[{current}] GET /healthz 200 " in line
    assert line.endswith("ms")
    assert " INFO tribune.request " in line


def test_new_request_id_is_made_when_none_is_given(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32
    assert int(first, 16) >= 0
    assert first != second


def test_safe_incoming_request_id_is_reused_and_echoed(client, console):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.42_x"})

    assert response["X-Request-ID"] == "lb-7f3a.42_x"
    assert "[lb-7f3a.42_x] GET /healthz 200" in request_lines(console)[0]


@pytest.mark.parametrize(
    "unsafe",
    ["abc\ndef", "x" * 200, "a b", "<script>", "id;rm", ""],
    ids=["newline", "too-long", "space", "markup", "semicolon", "empty"],
)
def test_unsafe_incoming_request_id_is_replaced(client, console, unsafe):
    response = client.get("/healthz", headers={"X-Request-ID": unsafe})

    current = response["X-Request-ID"]
    assert current != unsafe
    assert len(current) == 32
    assert f"[{current}]" in request_lines(console)[0]


def test_query_string_is_not_logged(client, console):
    client.get("/healthz?email=jane.reader%40example.net")

    output = console.getvalue()
    assert "GET /healthz 200" in output
    assert "jane.reader" not in output
    assert "?" not in request_lines(console)[0]


def test_commenter_email_never_reaches_the_log(client, console):
    article = ArticleFactory(slug="the-corridor")

    response = client.post("/articles/the-corridor/comment/", comment_data(article))

    assert response.status_code == 303
    assert "POST /articles/the-corridor/comment/ 303" in request_lines(console)[0]
    assert "jane.reader@example.net" not in console.getvalue()


def test_control_characters_in_path_are_escaped(client, console):
    client.get("/%1b%5b31mforged%0aline/")

    [line] = request_lines(console)
    assert "\x1b" not in console.getvalue()
    assert "\\x1b[31mforged\\nline/" in line


def test_error_is_one_line_with_the_request_id(console):
    client = Client(raise_request_exception=False)
    broken = mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=ProgrammingError("no such table")
    )

    with broken:
        response = client.get("/", headers={"X-Request-ID": "req-500"})

    assert response.status_code == 500
    errors = [line for line in console.getvalue().splitlines() if " ERROR " in line]
    assert len(errors) == 1
    [error] = errors
    assert "[req-500] Internal Server Error: /" in error
    assert "Traceback (most recent call last):\\n" in error
    assert "ProgrammingError: no such table" in error
    assert "[req-500] GET / 500" in request_lines(console)[-1]


def test_records_outside_a_request_have_no_id(console):
    logging.getLogger("tribune.test").warning("outside")

    assert "[-] outside" in console.getvalue()
    assert request_id.get() == "-"


def test_sentry_is_set_up_without_personal_data_when_dsn_is_given():
    code = (
        "import django; django.setup(); import sentry_sdk; client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['send_default_pii'], "
        "client.options['max_request_body_size'], client.options['traces_sample_rate'])"
    )
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith("SENTRY_")},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 50,
        "SENTRY_DSN": "https://public@sentry.example.org/1",
    }

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False", "never", "0.0"]
