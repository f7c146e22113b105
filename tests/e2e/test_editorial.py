"""An editor writes an article in CKEditor 5, previews it and publishes it."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.db.models import Q
from PIL import Image
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Water diplomacy on the Nile"
SLUG = "water-diplomacy-on-the-nile"
LINK = "https://example.org/treaty"


@pytest.fixture
def editor():
    """A staff member with the article rights an editor has (not the Editors group)."""
    user = UserFactory(username="editor", is_staff=True)
    models = {"articles": ["article", "category", "expert", "byline"], "taggit": ["tag"]}
    wanted = Q()
    for app_label, model_names in models.items():
        for model_name in model_names:
            wanted |= Q(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model_name}" for action in ("add", "change", "view")],
            )
    user.user_permissions.set(Permission.objects.filter(wanted))
    return user


def log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("password")
    page.locator("#login-form [type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()


def save_and_continue(page):
    page.locator('[name="_continue"]').first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def choose_heading(page, level):
    page.locator(".ck-heading-dropdown .ck-dropdown__button").click()
    page.locator(".ck-heading-dropdown .ck-dropdown__panel").get_by_text(
        f"Heading {level}", exact=True
    ).click()


def test_editor_writes_previews_and_publishes(page, browser, live_server, editor):
    ArticleFactory(title="An earlier analysis")
    log_in(page, live_server, editor)

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.locator("#id_lead").fill("The basin states met to share the river.")

    body = page.locator(".ck-editor__editable")
    body.click()
    page.keyboard.type("The talks in Addis Ababa lasted three days.")
    page.keyboard.press("Enter")
    choose_heading(page, 2)
    page.keyboard.type("Negotiations")
    page.keyboard.press("Enter")
    page.keyboard.type("Read the treaty")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    url_field = page.get_by_label("Link URL")
    url_field.fill(LINK)
    url_field.press("Enter")
    expect(body.locator("h2")).to_have_text("Negotiations")
    expect(body.locator(f'a[href="{LINK}"]')).to_have_text("Read the treaty")
    expect(page.locator("#id_status")).to_have_value("draft")

    save_and_continue(page)

    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.DRAFT
    change_url = page.url
    page.goto(live_server.url + f"/articles/{SLUG}/?preview")
    expect(page.locator(".notice--preview")).to_be_visible()
    expect(page.locator(".article__body h2")).to_have_text("Negotiations")
    expect(page.locator(f'.article__body a[href="{LINK}"]')).to_have_text("Read the treaty")

    page.goto(change_url)
    page.locator("#id_status").select_option("published")
    save_and_continue(page)

    reader = browser.new_context()
    try:
        public = reader.new_page()
        public.goto(live_server.url + "/")
        expect(public.locator("main")).to_contain_text(TITLE)
        sidebar = public.get_by_role("complementary")
        expect(sidebar.get_by_role("heading", name="Latest publications")).to_be_visible()
        expect(sidebar).to_contain_text(TITLE)

        public.get_by_role("link", name=TITLE).first.click()
        expect(public).to_have_url(live_server.url + f"/articles/{SLUG}/")
        expect(public.locator(".notice--preview")).to_have_count(0)
        expect(public.locator(".article__body h2")).to_have_text("Negotiations")
        link = public.locator(f'.article__body a[href="{LINK}"]')
        expect(link).to_have_text("Read the treaty")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    finally:
        reader.close()


def test_editor_uploads_an_image_into_the_body(page, live_server, editor):
    """The editor's upload goes through the CSRF-protected endpoint and lands in the body."""
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "teal").save(buffer, "PNG")
    log_in(page, live_server, editor)
    page.goto(live_server.url + "/admin/articles/article/add/")

    page.locator(".ck-editor__editable").click()
    page.locator(".ck-file-dialog-button input[type=file]").first.set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": buffer.getvalue()}]
    )

    image = page.locator(".ck-editor__editable img")
    expect(image).to_have_attribute(
        "src", re.compile(r"/media/uploads/\d{4}/\d{2}/[0-9a-f]{32}\.png$")
    )
