"""Shared helpers of the WordPress import tests: the fixture files and counting every table."""

from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from django.test import override_settings

from wordpress.importer import import_export

HERE = Path(__file__).resolve().parent
# The real exports shared between the projects (see SOURCES.md there).
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "wordpress"
HANDMADE = HERE / "handmade-wxr-1.0.xml"

THEME = SHARED / "themeunittestdata.wordpress.xml"
SMALL = SHARED / "small-export.xml"
UTF8 = SHARED / "wxr-utf-8-challenges.xml"
CDATA = SHARED / "crazy-cdata-escaped.xml"


def shared(path):
    """``path`` when the shared fixtures are there, else skip the test with the reason."""
    if not path.is_file():
        pytest.skip(f"The shared WordPress fixtures are not available ({path.name} is missing).")
    return path


def location(client, path, data=None):
    """Where ``path`` (with the query ``data``) redirects to, permanently."""
    response = client.get(path, data)
    assert response.status_code == 301, (path, data)
    return response["Location"]


def table_counts():
    """The number of rows of every model's table: what "nothing was written" compares."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def imported_for_module(path, django_db_blocker):
    """Import ``path`` once for a whole test module, and roll it back after the module.

    Each test runs in a savepoint inside this transaction, so what a test
    changes is undone before the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_export(path)
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def theme_import(django_db_setup, django_db_blocker):
    """The theme unit test data, imported once for the test module."""
    yield from imported_for_module(shared(THEME), django_db_blocker)


@pytest.fixture(scope="module")
def handmade_import(django_db_setup, django_db_blocker):
    """The hand-written export, imported once for the test module.

    Its comments are from 2020: a long IP retention keeps their (truncated) addresses.
    """
    with override_settings(COMMENTS_IP_RETENTION_DAYS=365_000):
        yield from imported_for_module(HANDMADE, django_db_blocker)
