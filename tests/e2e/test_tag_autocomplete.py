"""An editor tags an article in the tag box: suggested tags, new ones, quoted ones."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from taggit.models import Tag

from articles.models import Article
from tests.articles.test_admin import staff_member
from tests.e2e.test_editorial import log_in, save_and_continue
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editor():
    return staff_member("Editors")


def tag_box(page):
    return page.locator(".field-tags .select2-search__field")


def chosen(page):
    """The names shown as chosen in the tag box."""
    return page.locator(".field-tags .select2-selection__choice")


def suggestion(page, name):
    return page.locator(".select2-results__option", has_text=name)


def test_editor_picks_a_suggested_tag_and_types_a_new_one(page, live_server, editor):
    Tag.objects.create(name="diplomacy")
    Tag.objects.create(name="energy")
    log_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:articles_article_add"))

    page.locator("#id_title").press_sequentially("Talks on the river")
    expect(page.locator("#id_slug")).to_have_value("talks-on-the-river")
    page.locator("#id_lead").fill("The basin states met to share the river.")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("The talks lasted three days.")

    expect(page.locator("#id_tags")).to_be_hidden()
    page.get_by_text("Tags:", exact=True).click()
    expect(tag_box(page)).to_be_focused()
    tag_box(page).press_sequentially("dip")
    expect(suggestion(page, "diplomacy")).to_be_visible()
    expect(suggestion(page, "energy")).to_have_count(0)
    suggestion(page, "diplomacy").click()
    tag_box(page).press_sequentially("water security")
    expect(page.locator(".select2-results__option--highlighted")).to_have_text("water security")
    tag_box(page).press("Enter")

    expect(chosen(page)).to_have_count(2)
    expect(page.locator("#id_tags")).to_have_value('diplomacy, "water security"')
    save_and_continue(page)

    article = Article.objects.get(slug="talks-on-the-river")
    assert sorted(article.tags.names()) == ["diplomacy", "water security"]
    assert Tag.objects.filter(name="diplomacy").count() == 1
    # The saved form shows the article's tags in the box again.
    expect(chosen(page)).to_have_count(2)
    expect(chosen(page).nth(1)).to_have_attribute("title", "water security")


def test_editor_removes_a_tag_and_ends_a_new_one_with_a_comma(page, live_server, editor):
    article = ArticleFactory(tags=["Smith, John", "energy"])
    log_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:articles_article_change", args=[article.pk]))

    expect(chosen(page)).to_have_count(2)
    chosen(page).filter(has_text="energy").locator(".select2-selection__choice__remove").click()
    page.keyboard.press("Escape")
    tag_box(page).press_sequentially("gas,")

    expect(chosen(page)).to_have_count(2)
    expect(page.locator("#id_tags")).to_have_value('"Smith, John", gas')
    save_and_continue(page)

    assert sorted(article.tags.names()) == ["Smith, John", "gas"]


def test_suggested_names_are_shown_as_text(page, live_server, editor):
    Tag.objects.create(name="<b>bold</b> move")
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message) or dialog.dismiss())
    log_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:articles_article_add"))

    tag_box(page).click()
    tag_box(page).press_sequentially("bold")

    expect(suggestion(page, "<b>bold</b> move")).to_be_visible()
    expect(page.locator(".select2-results b")).to_have_count(0)
    assert dialogs == []


def test_without_javascript_tags_are_typed_as_text(browser, live_server, editor):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, live_server, editor)
        page.goto(live_server.url + reverse("admin:articles_article_add"))

        page.locator("#id_title").fill("Talks on the river")
        page.locator("#id_slug").fill("talks-on-the-river")
        page.locator("#id_lead").fill("The basin states met to share the river.")
        page.locator("textarea#id_body").fill("<p>The talks lasted three days.</p>", force=True)
        expect(page.locator(".field-tags .select2-container")).to_have_count(0)
        page.get_by_label("Tags:").fill('diplomacy, "water security"')
        save_and_continue(page)

        article = Article.objects.get(slug="talks-on-the-river")
        assert sorted(article.tags.names()) == ["diplomacy", "water security"]
        # Shown again in taggit's notation, quoted names first.
        expect(page.get_by_label("Tags:")).to_have_value('"water security", diplomacy')
    finally:
        context.close()
