"""The page cache: pages kept for readers without cookies, replaced the moment content changes."""

import datetime

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pagecache
from articles.models import Article
from comments.models import Comment
from comments.posting import AUTHOR_COOKIE, AUTHOR_SALT
from pagecache import versions
from tests.articles.test_admin import edit_in_admin, staff_member
from tests.comments.test_posting import comment_data
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("articles:home")
POSTED = "Posted from a cached page."


def queries_of(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


@pytest.fixture
def editor_client():
    editor = Client()
    editor.force_login(staff_member("Editors"))
    return editor


@pytest.fixture
def moderator_client():
    moderator = Client()
    moderator.force_login(staff_member("Moderators"))
    return moderator


# Serving from the cache ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        HOME,
        "/articles/the-corridor/",
        "/category/analysis/",
        "/search/?q=corridor",
        "/feed/",
        "/comments/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
    ],
)
def test_second_reader_gets_the_same_page_without_a_query(client, url):
    ArticleFactory(
        slug="the-corridor", title="The corridor", categories=[CategoryFactory(slug="analysis")]
    )
    first, _ = queries_of(client, url)
    second, count = queries_of(Client(), url)

    assert first.status_code == second.status_code == 200
    assert count == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_cached_page_is_public_but_revalidated(client):
    ArticleFactory()
    client.get(HOME)
    response = client.get(HOME)

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=0", "must-revalidate"}
    assert "Cookie" in response["Vary"]
    assert "Set-Cookie" not in response.headers
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("url", ["/articles/the-corridor/", "/feed/"])
def test_conditional_get_answers_not_modified(client, url):
    ArticleFactory(slug="the-corridor")
    response = client.get(url)

    by_etag = client.get(url, headers={"If-None-Match": response["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    other_etag = client.get(url, headers={"If-None-Match": '"something-else"'})

    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_date.status_code == 304
    assert other_etag.status_code == 200


def test_etag_changes_with_the_content(client):
    article = ArticleFactory(title="First title")
    before = client.get(article.get_absolute_url())
    article.title = "Second title"
    article.save()

    after = client.get(article.get_absolute_url(), headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert "Second title" in after.text
    assert after["ETag"] != before["ETag"]


def test_unknown_query_parameter_is_rendered_for_itself(client):
    ArticleFactory()
    client.get(HOME + "?anything=1")

    _, count = queries_of(client, HOME + "?anything=1")

    assert count > 0


def test_tracking_parameters_do_not_multiply_pages(client):
    ArticleFactory()
    client.get(HOME)

    response, count = queries_of(client, HOME + "?utm_source=newsletter&fbclid=abc")

    assert response.status_code == 200
    assert count == 0


def test_each_host_has_its_own_pages(client, settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    ArticleFactory()

    one = client.get("/feed/", headers={"Host": "one.example"})
    two = client.get("/feed/", headers={"Host": "two.example"})

    assert "http://one.example/" in one.text
    assert "http://two.example/" in two.text


def test_missing_page_is_not_kept(client):
    client.get("/articles/not-yet/")
    ArticleFactory(slug="not-yet", title="Arrived")

    assert "Arrived" in client.get("/articles/not-yet/").text


# Readers with a cookie of their own ---------------------------------------------------


@pytest.mark.parametrize("cookie", ["sessionid", "comment_author", "comment_ids", "messages"])
def test_reader_with_a_personal_cookie_gets_a_page_of_their_own(client, cookie):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies[cookie] = "anything"

    response, count = queries_of(client, article.get_absolute_url())

    assert count > 0
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_remembered_reader_finds_the_form_filled_in(client):
    article = ArticleFactory()
    Client().get(article.get_absolute_url())  # the shared page is in the cache
    client.cookies[AUTHOR_COOKIE] = signing.dumps(
        {"name": "Jane Reader", "email": "jane@example.net", "url": ""}, salt=AUTHOR_SALT
    )
    response = client.get(article.get_absolute_url())

    assert 'value="Jane Reader"' in response.text
    assert 'name="csrfmiddlewaretoken" value=""' not in response.text


def test_staff_see_drafts_in_preview_never_from_the_cache(editor_client):
    article = ArticleFactory(draft=True, title="Draft in progress")

    response = editor_client.get(article.get_absolute_url() + "?preview")

    assert response.status_code == 200
    assert "Draft in progress" in response.text
    assert "no-store" in response["Cache-Control"]
    assert Client().get(article.get_absolute_url() + "?preview").status_code == 404


# Invalidation: the next page view shows the change -------------------------------------


def test_publishing_in_the_admin_shows_the_article_at_once(client, editor_client):
    article = ArticleFactory(draft=True, title="Fresh analysis")
    assert "Fresh analysis" not in client.get(HOME).text
    assert client.get(article.get_absolute_url()).status_code == 404

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk], "index": "0"},
    )

    assert "Fresh analysis" in client.get(HOME).text
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Fresh analysis" in client.get("/feed/").text
    assert article.get_absolute_url() in client.get("/sitemap-articles.xml").text


def test_editing_in_the_admin_shows_the_new_text_everywhere(client, editor_client):
    category = CategoryFactory(slug="analysis")
    article = ArticleFactory(title="Old title", categories=[category])
    for url in (HOME, article.get_absolute_url(), "/category/analysis/", "/feed/"):
        assert "Old title" in client.get(url).text

    edit_in_admin(editor_client, article, title="New title")

    for url in (HOME, article.get_absolute_url(), "/category/analysis/", "/feed/"):
        text = client.get(url).text
        assert "New title" in text, url
        assert "Old title" not in text, url


def test_unpublishing_removes_the_article_at_once(client, editor_client):
    article = ArticleFactory(title="Withdrawn note")
    client.get(article.get_absolute_url())
    assert "Withdrawn note" in client.get(HOME).text

    editor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish", "_selected_action": [article.pk], "index": "0"},
    )

    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Withdrawn note" not in client.get(HOME).text
    assert "Withdrawn note" not in client.get("/feed/").text


def test_approving_a_comment_shows_it_at_once(client, moderator_client):
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="A remark worth publishing.")
    page = client.get(article.get_absolute_url())
    assert "A remark worth publishing." not in page.text
    assert "No comments yet" in page.text

    moderator_client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk], "index": "0"},
    )

    page = client.get(article.get_absolute_url())
    assert "A remark worth publishing." in page.text
    assert "1 Comment" in page.text
    assert "A remark worth publishing." in client.get("/comments/feed/").text


def test_removing_an_approved_comment_hides_it_at_once(client):
    comment = CommentFactory(status=Comment.Status.APPROVED, body="Soon in the trash.")
    url = comment.article.get_absolute_url()
    assert "Soon in the trash." in client.get(url).text

    comment.status = Comment.Status.TRASH
    comment.save()

    assert "Soon in the trash." not in client.get(url).text


def test_a_comment_held_for_moderation_keeps_the_cached_page(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())

    CommentFactory(article=article)
    _, count = queries_of(client, article.get_absolute_url())

    assert count == 0


def test_anonymising_comments_updates_their_pages(client):
    comment = CommentFactory(status=Comment.Status.APPROVED, name="Jane Reader")
    url = comment.article.get_absolute_url()
    assert "Jane Reader" in client.get(url).text

    Comment.objects.by_email(comment.email).erase_personal_data()

    assert "Jane Reader" not in client.get(url).text


def test_renaming_a_category_updates_the_navigation(client):
    category = CategoryFactory(name="Economy", slug="economy")
    ArticleFactory(categories=[category])
    assert "Economy" in client.get(HOME).text

    category.name = "Economics"
    category.save()

    assert "Economics" in client.get(HOME).text


def test_scheduled_article_appears_when_its_time_comes(client):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    ArticleFactory(title="Embargoed report", published_at=publish_at)
    assert "Embargoed report" not in client.get(HOME).text

    with time_machine.travel(publish_at + datetime.timedelta(seconds=1)):
        assert "Embargoed report" in client.get(HOME).text


def test_comments_close_when_their_time_comes(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=29))
    assert 'id="comment-form"' in client.get(article.get_absolute_url()).text

    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        page = client.get(article.get_absolute_url()).text

    assert 'id="comment-form"' not in page
    assert "Comments are closed." in page


def test_the_footer_year_turns_with_the_new_year(client):
    with time_machine.travel(datetime.datetime(2030, 12, 31, 23, 0, tzinfo=datetime.UTC)):
        ArticleFactory()
        assert "© 2030" in client.get(HOME).text
    with time_machine.travel(datetime.datetime(2031, 1, 1, 0, 1, tzinfo=datetime.UTC)):
        assert "© 2031" in client.get(HOME).text


# The comment form on a shared page -----------------------------------------------------


def test_shared_page_holds_no_token_and_points_to_its_own(client):
    article = ArticleFactory(slug="the-corridor")

    page = client.get(article.get_absolute_url()).text

    assert 'name="csrfmiddlewaretoken" value=""' in page
    assert 'name="timestamp" value=""' in page
    assert 'data-token-url="/articles/the-corridor/comment/token/"' in page
    assert "js/comments.js" in page
    assert "csrftoken" not in client.cookies


def test_token_endpoint_gives_this_reader_a_token_and_timestamp(client):
    article = ArticleFactory(slug="the-corridor")

    response = client.get(reverse("comments:form-token", args=["the-corridor"]))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["csrfToken"]
    assert data["timestamp"].startswith(f"{article.pk}:")
    assert "csrftoken" in response.cookies


def test_token_endpoint_knows_only_published_articles(client):
    ArticleFactory(slug="a-draft", draft=True)

    assert client.get(reverse("comments:form-token", args=["a-draft"])).status_code == 404
    assert client.post(reverse("comments:form-token", args=["a-draft"])).status_code == 405


def fetch_token(client, article):
    return client.get(reverse("comments:form-token", args=[article.slug])).json()


def test_comment_with_the_fetched_token_is_posted(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    reader = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    reader.get(article.get_absolute_url())

    token = fetch_token(reader, article)
    response = reader.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(
            article,
            body=POSTED,
            csrfmiddlewaretoken=token["csrfToken"],
            timestamp=token["timestamp"],
        ),
    )

    assert response.status_code == 303
    assert Comment.objects.filter(article=article, body=POSTED).exists()


def test_comment_without_a_token_is_shown_again_to_confirm(settings):
    settings.COMMENTS_MIN_SECONDS = 0
    reader = Client(enforce_csrf_checks=True)
    article = ArticleFactory(title="The corridor")
    url = reverse("comments:post", args=[article.slug])

    confirm = reader.post(
        url, comment_data(article, body=POSTED, csrfmiddlewaretoken="", timestamp="")
    )

    assert confirm.status_code == 403
    assert "Confirm your comment" in confirm.text
    assert POSTED in confirm.text
    assert not Comment.objects.exists()

    form = confirm.context["form"]
    token = confirm.context["csrf_token"]
    posted = reader.post(
        url,
        comment_data(
            article,
            body=POSTED,
            csrfmiddlewaretoken=str(token),
            timestamp=form.fresh_timestamp(),
        ),
    )
    assert posted.status_code == 303
    assert Comment.objects.filter(article=article).count() == 1


def test_comment_shown_again_to_confirm_is_escaped():
    reader = Client(enforce_csrf_checks=True)
    article = ArticleFactory()
    text = "<script>alert(1)</script> & the corridor"

    confirm = reader.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article, body=text, name="<b>Jane</b>"),
    )

    assert confirm.status_code == 403
    assert "<script>alert(1)</script>" not in confirm.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; the corridor" in confirm.text
    assert "<b>Jane</b>" not in confirm.text


def test_comment_from_another_site_is_refused_without_a_form(settings):
    reader = Client(enforce_csrf_checks=True)
    article = ArticleFactory()

    response = reader.post(
        reverse("comments:post", args=[article.slug]),
        comment_data(article),
        headers={"Origin": "https://elsewhere.example"},
    )

    assert response.status_code == 403
    assert "Confirm your comment" not in response.text
    assert 'id="comment-form"' not in response.text
    assert not Comment.objects.exists()


def test_other_forms_without_a_token_get_the_plain_refusal():
    staff = Client(enforce_csrf_checks=True)

    response = staff.post(reverse("admin:login"), {"username": "a", "password": "b"})

    assert response.status_code == 403
    assert "Confirm your comment" not in response.text


# Listing counts --------------------------------------------------------------------------


def counts_in(client, url):
    """The page, and how many times its render counted the listing's articles."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, sum(
        'COUNT(*) AS "__count"' in query["sql"] for query in queries.captured_queries
    )


@pytest.fixture
def analysis(settings):
    """A category of five articles, two a page."""
    settings.ARTICLES_PER_PAGE = 2
    category = CategoryFactory(slug="analysis")
    for _ in range(5):
        ArticleFactory(categories=[category])
    return category


def test_a_listing_is_counted_once_for_all_its_pages_and_readers(analysis):
    reader = Client()
    reader.cookies["comment_author"] = "x"  # rendered for this reader, not from the cache

    first, counted = counts_in(reader, "/category/analysis/")
    second, counted_again = counts_in(reader, "/category/analysis/?page=2")

    assert "Page 1 of 3" in first.text
    assert "Page 2 of 3" in second.text
    assert (counted, counted_again) == (1, 0)


def test_the_count_follows_a_new_article_at_once(analysis):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    counts_in(reader, "/category/analysis/")

    ArticleFactory(categories=[analysis])
    page, counted = counts_in(reader, "/category/analysis/?page=2")

    assert "Page 2 of 3" in page.text
    assert counted == 1
    ArticleFactory(categories=[analysis])
    assert "Page 2 of 4" in counts_in(reader, "/category/analysis/?page=2")[0].text


def test_search_results_are_counted_once_per_query(analysis):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    ArticleFactory(title="Corridor politics")

    counted = [
        counts_in(reader, url)[1]
        for url in ("/search/?q=corridor", "/search/?q=corridor&page=1", "/search/?q=trade")
    ]

    assert counted == [1, 0, 1]


def test_without_the_page_cache_every_render_counts(analysis, settings):
    settings.PAGE_CACHE = False

    counted = [counts_in(Client(), "/category/analysis/")[1] for _ in range(2)]

    assert counted == [1, 1]


# When the cache is down ----------------------------------------------------------------


@pytest.fixture
def unreachable_cache(settings):
    """Redis on a port where nothing listens."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (HOME, "The corridor"),
        ("/articles/the-corridor/", "The corridor"),
        ("/feed/", "The corridor"),
        ("/sitemap.xml", "sitemap-articles.xml"),
    ],
)
def test_pages_are_served_uncached_while_the_cache_is_down(
    client, unreachable_cache, url, expected
):
    ArticleFactory(slug="the-corridor", title="The corridor")

    response = client.get(url)

    assert response.status_code == 200
    assert expected in response.text


def test_listings_count_their_articles_while_the_cache_is_down(client, unreachable_cache):
    category = CategoryFactory(slug="analysis")
    ArticleFactory(title="The corridor", categories=[category])

    response = client.get("/category/analysis/")

    assert response.status_code == 200
    assert "The corridor" in response.text


def test_saving_while_the_cache_is_down_still_works(client, unreachable_cache):
    article = ArticleFactory(title="Saved during the outage")
    article.title = "Edited during the outage"
    article.save()

    assert "Edited during the outage" in client.get(article.get_absolute_url()).text


def test_change_missed_by_the_cache_is_caught_up(client, monkeypatch):
    article = ArticleFactory(title="Before the outage")
    client.get(article.get_absolute_url())

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "incr", unreachable)
        patch.setattr(cache, "set_many", unreachable)
        article.title = "During the outage"
        article.save()

    assert "During the outage" in client.get(article.get_absolute_url()).text


def test_count_missed_by_the_cache_is_caught_up_for_a_reader_with_a_cookie(analysis, monkeypatch):
    reader = Client()
    reader.cookies["comment_author"] = "x"
    assert "Page 2 of 3" in counts_in(reader, "/category/analysis/?page=2")[0].text

    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    with monkeypatch.context() as patch:
        patch.setattr(cache, "incr", unreachable)
        patch.setattr(cache, "set_many", unreachable)
        ArticleFactory(categories=[analysis])
        ArticleFactory(categories=[analysis])

    assert "Page 2 of 4" in counts_in(reader, "/category/analysis/?page=2")[0].text


def test_page_cache_can_be_switched_off(client, settings):
    settings.PAGE_CACHE = False
    ArticleFactory()
    client.get(HOME)

    _, count = queries_of(client, HOME)

    assert count > 0
    assert cache.get(versions.COUNTER_KEY) is None


def test_user_accounts_do_not_touch_the_cache(client):
    ArticleFactory()
    client.get(HOME)

    UserFactory()
    _, count = queries_of(client, HOME)

    assert count == 0
    assert Article.objects.count() == 1


# What each process keeps -----------------------------------------------------------------


def page_of(size):
    return pagecache.CachedPage(
        shows={"site": 1}, status=200, headers={}, content=b"x" * size, etag='"e"', last_modified=0
    )


def test_recent_pages_keep_within_their_size_dropping_the_least_recently_used():
    recent = pagecache.RecentPages(max_bytes=800)
    keys = "abcdefgh"
    for key in keys:
        recent.add(key, page_of(100))
    recent.get("a")  # "b" is now the least recently used

    recent.add("i", page_of(100))

    assert recent.get("b") == (None, None)
    assert all(recent.get(key)[0] for key in "acdefghi")


def test_recent_pages_leave_out_a_page_too_large_to_keep():
    recent = pagecache.RecentPages(max_bytes=800)

    recent.add("huge", page_of(200))

    assert recent.get("huge") == (None, None)


def test_redis_backend_builds_its_client_once():
    from config.cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:9/0", {})

    assert backend._cache.get_client() is backend._cache.get_client()
    assert backend._cache.get_client(write=True) is backend._cache.get_client()


@pytest.mark.parametrize("url", ["/articles/the-corridor/", "/feed/"])
def test_conditional_get_without_the_page_cache(client, settings, url):
    settings.PAGE_CACHE = False
    ArticleFactory(slug="the-corridor")
    response = client.get(url)

    again = client.get(url, headers={"If-None-Match": response["ETag"]})

    assert again.status_code == 304
