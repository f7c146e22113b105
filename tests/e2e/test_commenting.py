"""A reader comments, a moderator approves in the admin, a fresh visitor reads it."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = "The corridor will matter long after the summit is forgotten."


@pytest.fixture
def article(settings):
    settings.COMMENTS_MIN_SECONDS = 0  # the robot types faster than any reader
    cache.clear()
    return ArticleFactory(title="The corridor and the summit", slug="the-corridor")


@pytest.fixture
def moderator():
    user = UserFactory(username="moderator", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=["view_comment", "change_comment", "moderate_comment"],
        )
    )
    return user


def test_reader_posts_moderator_approves_visitor_reads(browser, live_server, article, moderator):
    article_url = f"{live_server.url}/articles/the-corridor/"

    # The reader posts and sees their comment, held.
    reader = browser.new_context()
    page = reader.new_page()
    page.goto(article_url)
    form = page.locator("#comment-form")
    expect(form.get_by_role("heading", name="Submit a Comment")).to_be_visible()
    form.get_by_label(re.compile(r"^Comment\b")).fill(COMMENT)
    form.get_by_label(re.compile(r"^Name\b")).fill("Jane Reader")
    form.get_by_label(re.compile(r"^Email\b")).fill("jane.reader@example.net")
    form.get_by_role("button", name="Post Comment").click()

    expect(page).to_have_url(re.compile(r"/articles/the-corridor/#comment-\d+$"))
    notice = page.locator(".comments-section__messages")
    expect(notice).to_have_text("Your comment is awaiting moderation.")
    own = page.locator("article.comment--pending")
    expect(own).to_contain_text(COMMENT)
    expect(own).to_contain_text("Your comment is awaiting moderation.")
    assert serious_violations(page) == []
    reader.close()

    # Nobody else sees it yet.
    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(article_url)
    expect(page.locator("#comments")).not_to_contain_text(COMMENT)
    visitor.close()

    # The moderator approves it from the queue.
    staff = browser.new_context()
    page = staff.new_page()
    page.goto(f"{live_server.url}/admin/login/?next=/admin/comments/comment/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Log in").click()
    row = page.locator("#result_list tbody tr", has_text="Jane Reader")
    expect(row).to_have_count(1)
    row.locator("input[name=_selected_action]").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 comment approved.")
    staff.close()

    # A fresh visitor reads it.
    visitor = browser.new_context()
    page = visitor.new_page()
    page.goto(article_url)
    comments = page.locator("#comments")
    expect(comments.get_by_role("heading", name="1 Comment")).to_be_visible()
    expect(comments.locator("article.comment")).to_contain_text(COMMENT)
    expect(comments).not_to_contain_text("Your comment is awaiting moderation.")
    visitor.close()


def test_reader_without_javascript_confirms_once(browser, live_server, article):
    """The cached page's form has no token; the server shows the comment again to confirm."""
    article_url = f"{live_server.url}/articles/the-corridor/"
    no_script = browser.new_context(java_script_enabled=False)
    page = no_script.new_page()
    page.goto(article_url)
    page.goto(article_url)  # now from the page cache, as every reader gets it
    form = page.locator("#comment-form")
    expect(form.locator("input[name=csrfmiddlewaretoken]")).to_have_value("")
    form.get_by_label(re.compile(r"^Comment\b")).fill(COMMENT)
    form.get_by_label(re.compile(r"^Name\b")).fill("Jane Reader")
    form.get_by_label(re.compile(r"^Email\b")).fill("jane.reader@example.net")
    form.get_by_role("button", name="Post Comment").click()

    expect(page.get_by_role("heading", name="Confirm your comment")).to_be_visible()
    form = page.locator("#comment-form")
    expect(form.get_by_label(re.compile(r"^Comment\b"))).to_have_value(COMMENT)
    form.get_by_role("button", name="Post Comment").click()

    expect(page).to_have_url(re.compile(r"/articles/the-corridor/#comment-\d+$"))
    expect(page.locator("article.comment--pending")).to_contain_text(COMMENT)
    no_script.close()


def serious_violations(page):
    violations = Axe().run(page).response["violations"]
    return [
        (violation["id"], violation["help"])
        for violation in violations
        if violation["impact"] in {"serious", "critical"}
    ]
