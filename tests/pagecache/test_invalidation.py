"""Which pages a change renders afresh, and that every write path announces its change.

A page served from the cache must be the page a fresh render gives: after each
admin action, command, bulk write and import below, every page read before the
change is compared with a render that bypasses the cache.
"""

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from articles.models import Article, Category
from comments.models import Comment
from tests.articles.test_admin import staff_member
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory
from tests.pagecache.test_pagecache import queries_of
from tests.wordpress.conftest import HANDMADE
from tests.wordpress.test_handmade_export import media_dir  # noqa: F401
from wordpress.importer import import_export

pytestmark = pytest.mark.django_db

HOME = "/"


@pytest.fixture
def site():
    """Two articles in categories of their own, each with an approved comment."""
    europe, asia = CategoryFactory(slug="europe"), CategoryFactory(slug="asia")
    first = ArticleFactory(slug="first", title="The first", categories=[europe])
    second = ArticleFactory(slug="second", title="The second", categories=[asia])
    CommentFactory(article=first, status=Comment.Status.APPROVED, body="Early word.")
    CommentFactory(article=second, status=Comment.Status.APPROVED, body="Another word.")
    return first, second


def warm(*urls):
    for url in urls:
        assert Client().get(url).status_code == 200


def served_from_cache(url):
    _response, count = queries_of(Client(), url)
    return count == 0


def fresh(url):
    with override_settings(PAGE_CACHE=False):
        return Client().get(url).content


def assert_cache_matches_fresh(urls):
    stale = [url for url in urls if Client().get(url).content != fresh(url)]
    assert stale == []


PAGES = [
    HOME,
    "/articles/first/",
    "/articles/second/",
    "/category/europe/",
    "/category/asia/",
    "/feed/",
    "/comments/feed/",
    "/sitemap-articles.xml",
]


# Which pages change ------------------------------------------------------------------


def test_approving_a_comment_renders_that_article_and_its_listings_only(site):
    first, _second = site
    warm(*PAGES)
    pending = CommentFactory(article=first, status=Comment.Status.PENDING, body="Late word.")

    pending.approve(by=None)

    # The article, the listings that count its comments, the comment feed...
    for url in (HOME, "/articles/first/", "/category/europe/", "/comments/feed/"):
        assert not served_from_cache(url), url
    # ...and nothing else.
    for url in ("/articles/second/", "/category/asia/", "/feed/", "/sitemap-articles.xml"):
        assert served_from_cache(url), url
    assert_cache_matches_fresh(PAGES)


def test_a_new_comment_held_for_moderation_renders_nothing(site):
    first, _second = site
    warm(*PAGES)

    CommentFactory(article=first, status=Comment.Status.PENDING)

    assert all(served_from_cache(url) for url in PAGES)


def test_publishing_refreshes_every_page_with_latest_publications(site):
    warm(*PAGES)

    ArticleFactory(slug="third", title="A third analysis")

    for url in (HOME, "/articles/first/", "/articles/second/", "/category/asia/", "/feed/"):
        assert not served_from_cache(url), url
    assert "A third analysis" in Client().get("/articles/second/").text


# Every write path announces ----------------------------------------------------------


def test_comments_approved_with_update(site):
    first, _second = site
    warm(*PAGES)
    CommentFactory(article=first, status=Comment.Status.PENDING, body="Bulk approved.")

    Comment.objects.filter(status=Comment.Status.PENDING).update(status=Comment.Status.APPROVED)

    assert "Bulk approved." in Client().get("/articles/first/").text
    assert served_from_cache("/articles/second/")
    assert_cache_matches_fresh(PAGES)


def test_comments_created_in_bulk(site):
    first, _second = site
    warm(*PAGES)

    Comment.objects.bulk_create(
        [
            Comment(article=first, name="Sara", email="s@example.org", body="Bulk one.",
                    status=Comment.Status.APPROVED),
        ]
    )  # fmt: skip

    assert "Bulk one." in Client().get("/articles/first/").text
    assert_cache_matches_fresh(PAGES)


def test_articles_changed_with_update_and_bulk_update(site):
    first, second = site
    warm(*PAGES)

    Article.objects.filter(pk=first.pk).update(title="Retitled with update")
    second.title = "Retitled in bulk"
    Article.objects.bulk_update([second], ["title"])

    assert "Retitled with update" in Client().get(HOME).text
    assert "Retitled in bulk" in Client().get("/articles/second/").text
    assert_cache_matches_fresh(PAGES)


def test_category_changed_with_update(site):
    warm(*PAGES)

    Category.objects.filter(slug="europe").update(name="Europa")

    assert "Europa" in Client().get("/articles/second/").text
    assert_cache_matches_fresh(PAGES)


def test_admin_actions(site):
    first, second = site
    warm(*PAGES)
    editor, moderator = Client(), Client()
    editor.force_login(staff_member("Editors"))
    moderator.force_login(staff_member("Moderators"))
    pending = CommentFactory(article=second, status=Comment.Status.PENDING, body="Queued.")

    moderator.post(
        "/admin/comments/comment/",
        {"action": "approve", "_selected_action": [pending.pk]},
    )
    editor.post("/admin/articles/article/", {"action": "unpublish", "_selected_action": [first.pk]})

    assert "Queued." in Client().get("/articles/second/").text
    assert Client().get("/articles/first/").status_code == 404
    assert_cache_matches_fresh([url for url in PAGES if url != "/articles/first/"])


def test_comment_data_erase_command(site):
    first, _second = site
    warm(*PAGES)
    address = first.comments.get().email

    call_command("comment_data", "erase", "--email", address, stdout=None)

    assert "Anonymous" in Client().get("/articles/first/").text
    assert_cache_matches_fresh(PAGES)


def test_wordpress_import_of_featured_images(media_dir):  # noqa: F811
    import_export(HANDMADE)
    article = Article.objects.get(slug="spam-and-trash")
    article.published_at = timezone.now() - timezone.timedelta(days=1)
    Article.objects.filter(pk=article.pk).update(status="published")
    urls = [HOME, article.get_absolute_url()]
    warm(*urls)

    import_export(HANDMADE, media_dir=media_dir)  # the image is set with update()

    assert "map" in Client().get(article.get_absolute_url()).text
    assert_cache_matches_fresh(urls)


def test_wordpress_import_of_changed_categories(tmp_path):
    from tests.wordpress import exports

    def export_with(*terms):
        path = tmp_path / "export.xml"
        elements = [
            exports.author(1, "jdoe", "Jane Doe"),
            exports.category(1, "news", "News"),
            exports.category(2, "europe", "Europe"),
            exports.post(10, "corridor-talks", "jdoe", "2024-03-01 10:00:00", terms,
                         link="http://old.example/corridor-talks/"),
        ]  # fmt: skip
        path.write_text(exports.export("http://old.example", "Old", *elements), encoding="utf-8")
        return path

    import_export(export_with(exports.NEWS))
    url = Article.objects.get(slug="corridor-talks").get_absolute_url()
    warm(url, "/category/europe/")

    import_export(export_with(exports.EUROPE))  # the links are rewritten in bulk

    assert "Corridor-Talks" in Client().get("/category/europe/").text
    assert_cache_matches_fresh([url, "/category/europe/"])
