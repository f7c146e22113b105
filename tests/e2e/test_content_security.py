"""The Content-Security-Policy blocks nothing the site itself needs, public or admin."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from PIL import Image
from playwright.sync_api import expect

from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def violations(page):
    """What the browser refused because of the policy, as its console reported it."""
    refused = []

    def record(message):
        if "Content Security Policy" in message.text:
            refused.append(message.text)

    page.on("console", record)
    return refused


def test_public_pages_break_no_policy(page, live_server, violations):
    category = CategoryFactory(name="Analysis", slug="analysis")
    ArticleFactory(slug="the-corridor", title="The corridor", categories=[category])

    for path in ("/", "/articles/the-corridor/", "/category/analysis/", "/no-such-page/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")

    assert violations == []


def test_admin_editor_breaks_no_policy(page, live_server, violations):
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["articles", "taggit"])
    )
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()

    page.goto(live_server.url + "/admin/articles/article/add/")
    body = page.locator(".ck-editor__editable")
    body.click()
    page.keyboard.type("The talks lasted three days.")
    expect(body).to_contain_text("The talks lasted three days.")
    expect(page.locator(".ck-toolbar")).to_be_visible()
    assert page.locator(".ck-toolbar").evaluate("e => getComputedStyle(e).display") == "flex"
    page.locator(".ck-file-dialog-button input[type=file]").first.set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": png()}]
    )
    expect(body.locator("img")).to_have_attribute("src", re.compile(r"/media/uploads/"))
    expect(body.locator("img")).to_have_js_property("complete", True)

    assert violations == []
