"""Every public page: no serious axe-core violations, no Nu HTML Checker errors, clean print.

axe runs in Chromium against the live server; the Nu checker (vnu.jar from the
npm package ``vnu-jar``, run with Java) reads the same pages as rendered by
Django. Both fail the build on the first problem.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client

from tests.comments.test_posting import comment_data
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, ExpertFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WHEN = datetime.datetime(2025, 6, 15, 9, 0, tzinfo=datetime.UTC)

PAGES = {
    "home": "/",
    "article": "/articles/corridor/",
    "category": "/category/note/",
    "tag": "/tag/diplomacy/",
    "expert": "/experts/jane-doe/",
    "year archive": "/articles/2025/",
    "month archive": "/articles/2025/06/",
    "search results": "/search/?q=corridor",
    "search without results": "/search/?q=nothingmatchesthis",
    "empty search": "/search/",
    "not found": "/no-such-page/",
}


@pytest.fixture
def content(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    note = CategoryFactory(name="Note", slug="note", position=1)
    top = CategoryFactory(name="Top news", slug="top-news", position=2)
    expert = ExpertFactory(
        name="Jane Doe",
        slug="jane-doe",
        title="Analyst of international affairs",
        bio="Jane Doe follows the foreign policy of the region.",
    )
    article = ArticleFactory(
        title="The corridor and the summit",
        slug="corridor",
        lead="During the recent visit the ministers discussed the corridor.",
        body=(
            "<h2>Background</h2><p>The talks lasted two days.</p>"
            "<blockquote><p>A quoted sentence.</p></blockquote>"
            "<ul><li>One</li><li>Two</li></ul>"
            '<p>See <a href="https://example.org/report">the report</a>.</p>'
        ),
        published_at=WHEN,
        categories=[note, top],
        experts=[expert],
        tags=["diplomacy", "energy"],
    )
    for number in range(3):
        ArticleFactory(
            title=f"Energy note {number}",
            published_at=WHEN - datetime.timedelta(days=number + 1),
            categories=[note],
            experts=[expert],
            tags=["diplomacy"],
        )
    first = CommentFactory(
        article=article, status="approved", name="Sara", url="https://s.example/"
    )
    CommentFactory(article=article, status="approved", name="Omid", parent=first)
    return article


def invalid_comment_page(client, article):
    """The page a reader sees after posting the comment form with mistakes."""
    return client.post(
        f"/articles/{article.slug}/comment/",
        comment_data(article, body="", email="not-an-address", url="javascript:alert(1)"),
    )


def serious(violations):
    return [
        f"{item['id']} ({item['impact']}): {item['help']} — "
        + "; ".join(node["target"][0] for node in item["nodes"][:3])
        for item in violations
        if item["impact"] in {"serious", "critical"}
    ]


def test_axe_finds_no_serious_violations(page, live_server, content):
    problems = {}
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        if found := serious(Axe().run(page).response["violations"]):
            problems[name] = found

    # The comment form showing its errors: bypass the browser's own checks.
    page.goto(live_server.url + PAGES["article"])
    page.evaluate("document.getElementById('comment-form').noValidate = true")
    page.fill("#id_email", "not-an-address")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".errorlist")
    if found := serious(Axe().run(page).response["violations"]):
        problems["comment form with errors"] = found

    assert problems == {}


def test_nu_checker_finds_no_errors(content, tmp_path):
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        pytest.fail("The Nu HTML Checker needs Java and `npm install` (vnu-jar); see the README.")
    client = Client()
    files = {}
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code in {200, 404}, path
        files[name] = response.content
    files["comment form with errors"] = invalid_comment_page(client, content).content
    names = {}
    for number, (name, html) in enumerate(files.items()):
        target = tmp_path / f"page-{number}.html"
        target.write_bytes(html)
        names[target.name] = name
    command = [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]

    result = subprocess.run(  # noqa: S603
        [*command, *(str(tmp_path / file_name) for file_name in names)],
        capture_output=True,
        text=True,
        timeout=300,
    )

    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [
        f"{names.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))}: "
        f"line {message.get('lastLine')}: {message.get('message')}"
        for message in messages
        if message.get("type") in {"error", "non-document-error"}
    ]
    assert errors == [], "\n".join(errors)


def test_article_prints_without_navigation_sidebar_or_form(page, live_server, content):
    page.goto(live_server.url + PAGES["article"])
    page.emulate_media(media="print")

    for selector in [".site-nav", ".page__sidebar", "#comment-form", ".skip-link"]:
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator(".article__body").is_visible()
    link_after = page.evaluate(
        "getComputedStyle(document.querySelector('.article__body a'), '::after').content"
    )
    assert "example.org/report" in link_after


def test_keyboard_reaches_and_submits_the_comment_form(page, live_server, content):
    page.goto(live_server.url + PAGES["article"])

    page.focus("#id_body")
    page.keyboard.type("Typed with the keyboard only.")
    for value in ["Keyboard Reader", "keys@example.net"]:
        page.keyboard.press("Tab")
        page.keyboard.type(value)
    focused = page.evaluate("document.activeElement.id")
    assert focused == "id_email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.locator("#comment-form button[type=submit]").focus()
    page.keyboard.press("Enter")

    page.wait_for_selector("text=Your comment is awaiting moderation.")
