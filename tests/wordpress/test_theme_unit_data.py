"""The WordPress theme unit test data: every count, the conversions, redirects and privacy.

The file is imported once for the module (``theme_import``); each test runs in a
savepoint of that import and is rolled back after it.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article, Byline, Category, Expert
from comments.models import Comment
from pages.models import Page
from tests.wordpress.conftest import THEME, table_counts
from wordpress.discussion import HOLD_REASON
from wordpress.importer import import_export
from wordpress.models import LegacyURL
from wordpress.wxr import Item, WXRReader

pytestmark = pytest.mark.django_db


# Counts ----------------------------------------------------------------------------------


def test_posts_by_status(theme_import):
    # 51 posts: 49 published (one of them password-protected), 1 scheduled, 1 draft.
    assert theme_import.total("posts") == 51
    assert theme_import.row("posts", "publish").created == 48
    assert theme_import.row("posts", "password-protected").created == 1
    assert theme_import.row("posts", "future").created == 1
    assert theme_import.row("posts", "draft").created == 1
    assert Article.objects.count() == 51
    assert Article.objects.published().count() == 48
    assert Article.objects.scheduled().count() == 1
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 2


def test_scheduled_post_keeps_its_future_date(theme_import):
    scheduled = Article.objects.get(slug="scheduled")
    assert scheduled.is_scheduled()
    assert scheduled.published_at.isoformat() == "2030-01-01T19:00:18+00:00"


def test_password_protected_post_becomes_a_reported_draft(theme_import):
    article = Article.objects.get(slug="template-password-protected")
    assert article.status == Article.Status.DRAFT
    assert theme_import.notes["password-protected posts imported as drafts"] == [article.title]


def test_pages_attachments_and_menu_items(theme_import):
    assert theme_import.row("pages", "publish").in_file == 21
    assert theme_import.row("pages", "publish").created == 21
    assert Page.objects.count() == 21
    assert theme_import.row("attachments", "inherit").in_file == 38
    assert len(theme_import.attachments) == 38
    assert theme_import.row("menu items", "nav_menu_item").in_file == 70
    assert theme_import.row("menu items", "nav_menu_item").skipped == 70


def test_authors_and_malformed_creators(theme_import):
    assert theme_import.row("authors", "declared").created == 2
    assert sorted(Expert.objects.values_list("name", "slug")) == [
        ("Theme Buster", "themedemos"),
        ("Theme Reviewer", "themereviewteam"),
    ]
    malformed = theme_import.skipped[
        "malformed authors (dc:creator is not a declared login): no expert, no byline"
    ]
    assert sorted(malformed) == [
        "“>themereviewteam” on post 1730",
        "“themereviewteam>” on nav_menu_item 1723",
    ]
    # Every article but the one by ">themereviewteam" is signed.
    assert Byline.objects.count() == 50
    assert not Article.objects.get(slug="block-category-common").experts.exists()


def test_categories_flattened_with_their_parent_recorded(theme_import):
    assert theme_import.row("categories", "declared").created == 67
    # The 67 categories and "Top news" for the sticky post.
    assert Category.objects.count() == 68
    assert Category.objects.get(slug="grandchild-category").description == (
        "This is a description for the Grandchild Category.\n\nParent: Child Category 03"
    )
    assert Category.objects.get(slug="child-2").description == "Parent: Child 1"
    assert Category.objects.filter(description__contains="Parent: ").count() == 10


def test_tags_including_those_used_but_not_declared(theme_import):
    assert theme_import.row("tags", "declared").created == 110
    # "columns" is new; "content" has the name of the declared "content-2".
    assert theme_import.row("tags", "used, not declared").in_file == 2
    assert theme_import.row("tags", "used, not declared").created == 1
    assert Tag.objects.count() == 111


def test_comments_by_status_and_threads(theme_import):
    # 32 in the file: 28 comments (25 approved, 3 pending), 2 pingbacks, 2 trackbacks.
    approved, pending = (
        theme_import.row("comments", "approved"),
        theme_import.row("comments", "pending"),
    )
    pings = (
        theme_import.row("comments", "pingback").in_file
        + theme_import.row("comments", "trackback").in_file
    )
    assert (approved.in_file, pending.in_file, pings) == (25, 3, 4)
    assert theme_import.total("comments") - theme_import.row("comments", "replies").in_file == 32
    # 5 of them are on pages, which take no comments: 3 approved, 2 pending.
    assert len(theme_import.skipped["comments on a page"]) == 5
    assert (approved.created, approved.skipped) == (22, 3)
    assert (pending.created, pending.skipped) == (1, 2)
    assert theme_import.row("comments", "pingback").skipped == 2
    assert theme_import.row("comments", "trackback").skipped == 2
    assert Counter(Comment.objects.values_list("status", flat=True)) == {
        "approved": 22,
        "pending": 1,
    }
    # 10 replies in the file, 9 of them on posts.
    replies = theme_import.row("comments", "replies")
    assert (replies.in_file, replies.created, replies.skipped) == (10, 9, 1)
    assert Comment.objects.filter(parent__isnull=False).count() == 9
    assert all(
        reply.parent.article_id == reply.article_id
        for reply in Comment.objects.exclude(parent=None)
    )


def test_approved_count_matches_the_source_description(theme_import):
    # SOURCES.md: "29 approved" counts the pingbacks and trackbacks, all approved.
    pings_approved = sum(
        1
        for record in WXRReader(THEME)
        if isinstance(record, Item)
        for comment in record.comments
        if comment.type in ("pingback", "trackback") and comment.approved == "1"
    )
    assert theme_import.row("comments", "approved").in_file + pings_approved == 29


def test_every_imported_comment_says_where_it_came_from(theme_import):
    assert set(Comment.objects.values_list("hold_reason", flat=True)) == {HOLD_REASON}


def test_sticky_post_is_top_news(theme_import):
    assert list(Category.objects.get(slug="top-news").articles.values_list("slug", flat=True)) == [
        "template-sticky"
    ]


def test_redirect_counts(theme_import):
    # 50 pretty permalinks (the draft has none), 51 "?p=", 21 "?page_id=", 10 nested categories,
    # 67 "?cat=" (its authors have no ids).
    assert theme_import.redirects == {"created": 202}
    assert LegacyURL.objects.count() == 202
    assert theme_import.query_redirects == {"category": 67}


# Conversions -----------------------------------------------------------------------------


def test_bodies_carry_no_shortcodes_or_block_comments(theme_import):
    bodies = list(Article.objects.values_list("body", flat=True))
    assert not [body for body in bodies if "[caption" in body or "[gallery" in body]
    assert not [body for body in bodies if "<!--" in body or "wp:paragraph" in body]


def test_caption_becomes_a_figure(theme_import):
    body = Article.objects.get(slug="post-format-image-caption").body
    assert "<figure>" in body
    assert "<figcaption>" in body


def test_classic_text_gets_paragraphs(theme_import):
    body = Article.objects.get(slug="template-more-tag").body
    assert body.startswith("<p>")
    assert body.count("<p>") >= 3


def test_excerpt_becomes_the_lead(theme_import):
    assert Article.objects.get(slug="template-excerpt-defined").lead.startswith(
        "This is a user-defined post excerpt."
    )
    generated = Article.objects.get(slug="template-excerpt-generated").lead
    assert generated.startswith("This is the post content.")
    assert "<" not in generated


def test_untitled_post_gets_a_title_from_its_slug(theme_import):
    assert Article.objects.get(slug="edge-case-no-title").title == "Edge case no title"


def test_title_with_markup_is_plain_text(theme_import):
    assert Article.objects.get(slug="markup-title-with-markup").title == (
        "Markup: Title With Markup"
    )


def test_dates_are_the_gmt_ones(theme_import):
    article = Article.objects.get(slug="keyboard-navigation")
    assert article.published_at.isoformat() == "2018-10-21T03:03:48+00:00"


# Reading: redirects, pages, queries ------------------------------------------------------


def test_old_permalink_redirects_to_the_article(theme_import, client):
    response = client.get("/2018/10/20/keyboard-navigation/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/keyboard-navigation/"


def test_old_permalink_without_its_slash_redirects(theme_import, client):
    response = client.get("/2018/10/20/keyboard-navigation")
    assert response.status_code == 301
    assert response["Location"] == "/articles/keyboard-navigation/"


def test_old_permalink_with_another_slug_redirects(theme_import, client):
    response = client.get("/2018/11/02/block-category-formatting/")
    assert response["Location"] == "/articles/blocks-formatting/"


def test_query_form_on_the_home_page_redirects(theme_import, client):
    response = client.get("/", {"p": "1724"})
    assert response.status_code == 301
    assert response["Location"] == "/articles/keyboard-navigation/"


def test_redirect_lands_on_the_article(theme_import, client):
    response = client.get("/?p=1724", follow=True)
    assert response.redirect_chain == [("/articles/keyboard-navigation/", 301)]
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path", ["/2020/01/01/scheduled/", "/2012/01/04/template-password-protected/"]
)
def test_old_address_of_an_article_not_public_stays_404(theme_import, client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("post_id", ["1153", "1164"])
def test_query_form_of_an_article_not_public_shows_the_home_page(theme_import, client, post_id):
    assert client.get("/", {"p": post_id}).status_code == 200


def test_unknown_old_address_stays_404(theme_import, client):
    assert client.get("/2001/01/01/never-was/").status_code == 404


def test_page_is_served_at_its_old_address(theme_import, client):
    response = client.get("/about/page-with-comments/")
    assert response.status_code == 200
    assert "Page with comments" in response.text


def test_greek_page_is_served_at_its_old_address(theme_import, client):
    response = client.get("/greek/%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2/")
    assert response.status_code == 200
    assert "Επίπεδο 2" in response.text


def test_page_query_form_redirects_to_the_page(theme_import, client):
    response = client.get("/", {"page_id": "155"})
    assert response.status_code == 301
    assert response["Location"] == "/about/page-with-comments/"


def test_nested_category_address_redirects(theme_import, client):
    response = client.get("/category/parent/child-1/child-2/")
    assert response.status_code == 301
    assert response["Location"] == "/category/child-2/"


@pytest.mark.parametrize("path", ["/", "/articles/keyboard-navigation/", "/category/markup/"])
def test_public_pages_run_the_same_queries_with_the_fallbacks(theme_import, client, path, settings):
    client.get(path)  # warm the caches
    with CaptureQueriesContext(connection) as with_fallbacks:
        assert client.get(path).status_code == 200
    settings.MIDDLEWARE = [
        name
        for name in settings.MIDDLEWARE
        if name
        not in (
            "pages.middleware.PageFallbackMiddleware",
            "wordpress.middleware.LegacyURLMiddleware",
        )
    ]
    with CaptureQueriesContext(connection) as without:
        assert client.get(path).status_code == 200
    assert len(with_fallbacks) == len(without)


# Privacy ---------------------------------------------------------------------------------


def test_no_commenter_email_on_the_imported_pages(theme_import, client):
    emails = set(Comment.objects.exclude(email="").values_list("email", flat=True))
    assert emails
    commented = Article.objects.published().filter(comments__isnull=False).distinct()
    responses = [client.get(article.get_absolute_url()) for article in commented]
    responses.append(client.get("/comments/feed/"))
    for response in responses:
        assert response.status_code == 200
        assert not [email for email in emails if email in response.text]
    assert "Anon" in client.get("/articles/template-comments/").text


# Running again ---------------------------------------------------------------------------


def test_importing_again_changes_nothing(theme_import):
    before = table_counts()
    report = import_export(THEME)
    assert table_counts() == before
    assert report.total("posts", "created") == 0
    assert report.total("posts", "updated") == 0
    assert report.total("posts", "unchanged") == 51
    assert report.total("comments", "unchanged") == 23 + 9
    assert report.redirects == {"unchanged": 202}
