import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    note = CategoryFactory(name="Note", slug="note", position=1)
    top = CategoryFactory(name="Top news", slug="top-news", position=2)
    expert = ExpertFactory(
        name="Jane Doe", slug="jane-doe", title="Analyst of international affairs"
    )
    ArticleFactory(
        title="Russia's effort to play a greater role",
        slug="greater-role",
        lead="During the recent visit the ministers discussed the corridor.",
        body="<h2>Background</h2><p>The talks lasted two days.</p>",
        published_at=datetime.datetime(2021, 5, 19, 9, 0, tzinfo=datetime.UTC),
        categories=[note, top],
        experts=[expert],
        tags=["diplomacy"],
    )
    ArticleFactory(title="Energy markets after the winter", lead="Prices settled.")
    ArticleFactory(title="A draft nobody may read", draft=True)


def serious_violations(page):
    violations = Axe().run(page).response["violations"]
    return [
        (violation["id"], violation["help"])
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]


def test_reader_opens_home_and_follows_an_article(page, live_server, content):
    page.goto(live_server.url + "/")

    expect(page).to_have_title("Tribune")
    top_news = page.locator("section.top-news")
    expect(top_news).to_contain_text("Russia's effort to play a greater role")
    expect(page.locator("main")).not_to_contain_text("A draft nobody may read")
    assert serious_violations(page) == []

    top_news.get_by_role("link", name="Russia's effort to play a greater role").click()

    expect(page).to_have_url(live_server.url + "/articles/greater-role/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Russia's effort to play a greater role"
    )
    expect(page.locator("article .dateline")).to_have_text("2021/05/19 | Note, Top news")
    expect(page.locator(".article__lead")).to_have_text(
        "Tribune – During the recent visit the ministers discussed the corridor."
    )
    expect(page.locator(".byline")).to_have_text("Jane Doe – Analyst of international affairs")
    expect(page.locator(".article__body h2")).to_have_text("Background")
    sidebar = page.get_by_role("complementary")
    expect(sidebar.get_by_role("heading", name="Latest publications")).to_be_visible()
    expect(sidebar).to_contain_text("Energy markets after the winter")
    expect(sidebar).not_to_contain_text("A draft nobody may read")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Jane Doe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jane Doe")


def test_skip_link_moves_focus_to_content(page, live_server, content):
    page.goto(live_server.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/#content")


def test_page_reads_on_a_phone_without_horizontal_scroll(browser, live_server, content):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + "/articles/greater-role/")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    context.close()

    assert scroll_width <= 375
