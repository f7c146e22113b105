"""Readers with a cookie: the kept page with their own parts, identical to a whole render."""

import os
import re
import subprocess
import sys

import pytest
from django.test import Client, override_settings

from comments.models import Comment
from tests.articles.test_admin import staff_member
from tests.comments.test_posting import post_comment
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory
from tests.pagecache.test_pagecache import queries_of

pytestmark = pytest.mark.django_db

# The values that differ between any two renders: Django masks the CSRF token anew each
# time, and the form's signed timestamp says when it was shown.
PER_RENDER = re.compile(rb'(name="(?:csrfmiddlewaretoken|timestamp)" value=")[^"]*(")')


@pytest.fixture
def article():
    category = CategoryFactory(slug="analysis", name="تحلیل")
    article = ArticleFactory(
        slug="the-corridor",
        title="کریدور زنگزور و Jane Doe در ۲۰۲۴",
        categories=[category],
    )
    first = CommentFactory(
        article=article, status=Comment.Status.APPROVED, name="محمود فاضلی", body="نظر اول"
    )
    CommentFactory(article=article, parent=first, status=Comment.Status.APPROVED, body="Reply")
    return article


def copy_of(client):
    twin = Client()
    for name, morsel in client.cookies.items():
        twin.cookies[name] = morsel.value
    return twin


def assert_same_as_a_whole_render(reader, url):
    """``reader``'s page from the cache, against the page rendered for them without it."""
    twin = copy_of(reader)
    served = reader.get(url)
    with override_settings(PAGE_CACHE=False):
        whole = twin.get(url)

    assert served.status_code == whole.status_code == 200
    assert "private" in served["Cache-Control"]
    assert PER_RENDER.sub(rb"\1\2", served.content) == PER_RENDER.sub(rb"\1\2", whole.content)
    return served


URLS = ["/", "/articles/the-corridor/", "/category/analysis/", "/feed/", "/comments/feed/"]


@pytest.mark.parametrize("url", URLS)
def test_a_remembered_commenter_gets_the_page_a_whole_render_gives(article, url):
    reader = Client()
    post_comment(reader, article, remember="on", name="Sara Ahmadi", email="sara@example.org")
    Client().get(url)  # kept by an anonymous reader

    served = assert_same_as_a_whole_render(reader, url)

    if url == "/articles/the-corridor/":
        assert "Sara Ahmadi" in served.text  # their name in the form
        assert "Your comment is awaiting moderation." in served.text  # their held comment


def test_the_notice_after_posting_is_shown_once(article):
    reader = Client()
    post_comment(reader, article)
    Client().get("/articles/the-corridor/")

    served = assert_same_as_a_whole_render(reader, "/articles/the-corridor/")
    again = reader.get("/articles/the-corridor/")

    assert served.text.count("Your comment is awaiting moderation.") == 2  # notice and comment
    assert again.text.count("Your comment is awaiting moderation.") == 1


def test_a_reply_form_for_a_reader_with_a_cookie(article):
    parent = article.comments.filter(parent=None).get()
    url = f"/articles/the-corridor/?replytocom={parent.pk}"
    reader = Client()
    reader.cookies["comment_ids"] = "none"
    Client().get(url)

    served = assert_same_as_a_whole_render(reader, url)

    assert f'name="parent" value="{parent.pk}"' in served.text


@pytest.mark.parametrize("url", URLS)
def test_a_signed_in_editor_gets_the_page_a_whole_render_gives(article, url):
    editor = Client()
    editor.force_login(staff_member("Editors"))
    Client().get(url)

    assert_same_as_a_whole_render(editor, url)


def test_a_listing_costs_a_reader_with_a_cookie_no_query(article):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    Client().get("/category/analysis/")

    response, count = queries_of(reader, "/category/analysis/")

    assert count == 0
    assert "private" in response["Cache-Control"]


def test_an_article_costs_a_reader_with_a_cookie_its_own_part_only(article):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    Client().get("/articles/the-corridor/")
    reader.get("/articles/the-corridor/")  # the thread is kept from now on

    _response, count = queries_of(reader, "/articles/the-corridor/")

    assert count == 1  # the article, to fill in the form; the thread comes from the cache


def test_the_thread_a_reader_sees_follows_an_approval(article):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    reader.get("/articles/the-corridor/")
    pending = CommentFactory(article=article, body="Just approved")

    pending.approve(by=None)

    assert "Just approved" in reader.get("/articles/the-corridor/").text
    assert_same_as_a_whole_render(reader, "/articles/the-corridor/")


def test_the_shared_page_carries_no_marks_of_its_parts(article):
    page = Client().get("/articles/the-corridor/").content

    assert b"pagecache:" not in page
    assert b'id="comment-form"' in page


def test_a_part_no_process_knows_how_to_fill_gets_a_whole_render(article, monkeypatch):
    from pagecache import parts

    Client().get("/articles/the-corridor/")
    monkeypatch.setattr(parts, "_fillers", {})
    reader = Client()
    reader.cookies["comment_author"] = "x"

    response = reader.get("/articles/the-corridor/")

    assert response.status_code == 200
    assert 'id="comment-form"' in response.text


def test_a_new_process_can_fill_the_parts_before_it_loads_any_template():
    script = (
        "import django; django.setup(); from pagecache import parts; print(sorted(parts._fillers))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}

    found = subprocess.run(  # noqa: S603 -- this interpreter, a fixed script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )

    assert "'comments:form', 'comments:section'" in found.stdout
