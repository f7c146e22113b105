"""Comments on the public pages: threads, form, counts, and a fixed number of queries."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.core import signing
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.posting import OWN_COOKIE, OWN_SALT
from comments.threads import build_threads
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db

START = timezone.now() - datetime.timedelta(hours=12)


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor", title="The corridor")


def approved(article, *, minutes, parent=None, **fields):
    return CommentFactory(
        article=article,
        parent=parent,
        status=Comment.Status.APPROVED,
        created_at=START + datetime.timedelta(minutes=minutes),
        **fields,
    )


def comment_ids(html):
    return [int(pk) for pk in re.findall(r'<article id="comment-(\d+)"', html)]


def section(html):
    return html.split('id="comments"', 1)[1].split('id="comment-form"', 1)[0]


# Heading and order


@pytest.mark.parametrize(
    ("count", "heading"), [(0, "No comments yet"), (1, "1 Comment"), (3, "3 Comments")]
)
def test_heading_counts_approved_comments(client, article, count, heading):
    for minute in range(count):
        approved(article, minutes=minute)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.SPAM)

    page = client.get("/articles/the-corridor/")

    assert f'<h2 id="comments-title" class="section-title">{heading}</h2>' in page.text


def test_only_approved_comments_are_shown_oldest_first(client, article):
    later = approved(article, minutes=30, body="Later.")
    earlier = approved(article, minutes=10, body="Earlier.")
    for status in ("pending", "spam", "trash"):
        CommentFactory(article=article, status=status, body=f"Hidden {status}.")

    page = client.get("/articles/the-corridor/")

    assert comment_ids(page.text) == [earlier.pk, later.pk]
    assert "Hidden" not in page.text


def test_comments_section_sits_between_the_article_and_other_articles(client, article):
    ArticleFactory(title="Another analysis")

    page = client.get("/articles/the-corridor/")

    assert page.text.index('</article>\n<section class="comments-section"') > 0
    assert page.text.index('id="comment-form"') < page.text.index('id="other-articles-title"')


# One comment


def test_comment_shows_name_date_permalink_and_text(client, article):
    comment = approved(article, minutes=0, name="Jane Reader", body="Line one.\nLine two.")

    page = client.get("/articles/the-corridor/")

    assert f'<article id="comment-{comment.pk}" class="comment">' in page.text
    assert '<span class="comment__author">Jane Reader</span>' in page.text
    assert f'href="#comment-{comment.pk}"' in page.text
    expected = comment.created_at.replace(microsecond=0).isoformat()
    assert f'<time datetime="{expected}">' in page.text
    assert "<p>Line one.<br>Line two.</p>" in page.text


def test_name_links_to_the_website_with_nofollow_ugc_noopener(client, article):
    approved(article, minutes=0, name="Jane", url="https://jane.example.net/")

    page = client.get("/articles/the-corridor/")

    assert '<a href="https://jane.example.net/" rel="nofollow ugc noopener">Jane</a>' in page.text


def test_plain_urls_in_the_text_become_nofollow_links(client, article):
    approved(article, minutes=0, body="See https://example.org/report for details.")

    page = client.get("/articles/the-corridor/")

    assert (
        '<a href="https://example.org/report" rel="nofollow">https://example.org/report</a>'
        in page.text
    )


def test_text_is_escaped(client, article):
    approved(article, minutes=0, body='<img src=x onerror="alert(1)"> & <a href="x">')

    page = client.get("/articles/the-corridor/")

    assert "<img src=x" not in page.text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;a href=&quot;x&quot;&gt;" in (
        page.text
    )


def test_email_is_not_shown(client, article):
    approved(article, minutes=0, email="secret.reader@example.net")

    page = client.get("/articles/the-corridor/")

    assert "secret.reader@example.net" not in page.text


# Threads


def test_replies_are_nested_under_their_parent(client, article):
    first = approved(article, minutes=0)
    reply = approved(article, minutes=1, parent=first)
    second = approved(article, minutes=2)

    page = client.get("/articles/the-corridor/")

    html = section(page.text)
    assert comment_ids(html) == [first.pk, reply.pk, second.pk]
    first_item = html.split(f'id="comment-{first.pk}"', 1)[1].split(f'id="comment-{second.pk}"')[0]
    assert '<ol class="comments__replies">' in first_item
    assert f'id="comment-{reply.pk}"' in first_item


def test_replies_deeper_than_the_setting_are_shown_at_the_deepest_level(settings):
    settings.COMMENTS_THREAD_DEPTH = 3
    article = ArticleFactory()
    one = approved(article, minutes=0)
    two = approved(article, minutes=1, parent=one)
    three = approved(article, minutes=2, parent=two)
    four = approved(article, minutes=3, parent=three)
    five = approved(article, minutes=4, parent=four)

    threads = build_threads([one, two, three, four, five], depth=3)

    assert [node.comment for node in threads] == [one]
    level_two = threads[0].children
    assert [node.comment for node in level_two] == [two]
    assert [node.comment for node in level_two[0].children] == [three, four, five]
    assert all(not node.children for node in level_two[0].children)


def test_depth_of_one_shows_a_flat_list():
    article = ArticleFactory()
    one = approved(article, minutes=0)
    two = approved(article, minutes=1, parent=one)

    assert [node.comment for node in build_threads([one, two], depth=1)] == [one, two]


def test_reply_to_a_removed_comment_starts_its_own_thread(client, article):
    parent = approved(article, minutes=0)
    reply = approved(article, minutes=1, parent=parent)
    Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.TRASH)

    page = client.get("/articles/the-corridor/")

    assert comment_ids(page.text) == [reply.pk]


# Reply links and the form


def test_each_approved_comment_has_a_reply_link(client, article):
    comment = approved(article, minutes=0, name="Jane")

    page = client.get("/articles/the-corridor/")

    assert (
        f'<a class="comment__reply" href="?replytocom={comment.pk}#comment-form" rel="nofollow"'
        ' aria-label="Reply to Jane">Reply</a>'
    ) in page.text


def test_replytocom_sets_the_parent_and_offers_to_cancel(client, article):
    comment = approved(article, minutes=0, name="Jane")

    page = client.get(f"/articles/the-corridor/?replytocom={comment.pk}")

    assert f'<input type="hidden" name="parent" value="{comment.pk}">' in page.text
    assert "Reply to Jane" in page.text
    assert f'href="/articles/the-corridor/#comment-{comment.pk}">Cancel reply</a>' in page.text


@pytest.mark.parametrize("value", ["abc", "99999", "-1", "１"])
def test_unknown_replytocom_is_ignored(client, article, value):
    page = client.get(f"/articles/the-corridor/?replytocom={value}")

    assert page.status_code == 200
    assert 'name="parent"' not in page.text


def test_replytocom_for_a_pending_comment_is_ignored(client, article):
    pending = CommentFactory(article=article)

    page = client.get(f"/articles/the-corridor/?replytocom={pending.pk}")

    assert 'name="parent"' not in page.text


def test_form_has_the_reference_fields_and_texts(client, article):
    page = client.get("/articles/the-corridor/")

    form = page.text.split('<form id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="/articles/the-corridor/comment/"' in form
    for text in (
        "Submit a Comment",
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Post Comment",
        "csrfmiddlewaretoken",
        'name="timestamp"',
    ):
        assert text in form
    for name, label in [("body", "Comment"), ("name", "Name"), ("email", "Email")]:
        assert f'<label for="id_{name}">{label} <span' in form
        assert re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*required', form)
    assert '<label for="id_url">Website</label>' in form
    assert 'type="checkbox" name="remember"' in form
    assert "<script" not in form


def test_disabled_comments_replace_the_form_but_keep_the_discussion(client):
    article = ArticleFactory(slug="closed", comments_enabled=False)
    approved(article, minutes=0, body="An earlier remark.")

    page = client.get("/articles/closed/")

    assert "Comments are closed." in page.text
    assert 'id="comment-form"' not in page.text
    assert "An earlier remark." in page.text
    assert "replytocom" not in page.text


def test_comments_closed_by_age_replace_the_form(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 7
    ArticleFactory(slug="old", published_at=timezone.now() - datetime.timedelta(days=8))

    page = client.get("/articles/old/")

    assert "Comments are closed." in page.text
    assert 'id="comment-form"' not in page.text


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_preview_of_an_unpublished_article_shows_no_comment_form(client, state):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)
    ArticleFactory(slug="not-yet", **{state: True})

    page = client.get("/articles/not-yet/?preview")

    assert page.status_code == 200
    assert 'id="comment-form"' not in page.text
    assert "Readers can comment once the article is published." in page.text


def test_preview_of_an_unpublished_article_with_comments_off_says_closed(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(editor)
    ArticleFactory(slug="not-yet", draft=True, comments_enabled=False)

    page = client.get("/articles/not-yet/?preview")

    assert "Comments are closed." in page.text
    assert "once the article is published" not in page.text


# The reader's own held comments


def own_cookie(client, *comments):
    value = ".".join(str(comment.pk) for comment in comments)
    client.cookies[OWN_COOKIE] = signing.get_cookie_signer(salt=OWN_COOKIE + OWN_SALT).sign(value)


def test_own_pending_and_spam_comments_are_marked_awaiting_moderation(client, article):
    pending = CommentFactory(article=article, body="Mine, pending.")
    spam = CommentFactory(article=article, body="Mine, caught as spam.", status="spam")
    trash = CommentFactory(article=article, body="Mine, trashed.", status="trash")
    own_cookie(client, pending, spam, trash)

    page = client.get("/articles/the-corridor/")

    assert "Mine, pending." in page.text
    assert "Mine, caught as spam." in page.text
    assert "Mine, trashed." not in page.text
    assert page.text.count('<p class="comment__awaiting">Your comment is awaiting moderation.') == 2
    assert f'<article id="comment-{pending.pk}" class="comment comment--pending">' in page.text


def test_own_comment_of_another_article_is_not_shown(client, article):
    elsewhere = CommentFactory(body="Mine, on another article.")
    own_cookie(client, elsewhere)

    page = client.get("/articles/the-corridor/")

    assert "Mine, on another article." not in page.text


# A fixed number of queries


def count_queries(client, url, **extra):
    client.get(url, **extra)  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


def seed_threads(article, count):
    """``count`` approved comments in threads three deep, plus held ones."""
    comments = []
    for number in range(count):
        parent = comments[number - 1] if number % 3 else None
        comment = Comment(
            article=article,
            parent=parent,
            name=f"Reader {number}",
            email=f"reader{number}@example.net",
            url="https://example.net/" if number % 2 else "",
            body=f"Remark {number} with a link https://example.org/{number}",
            status=Comment.Status.APPROVED,
            created_at=START + datetime.timedelta(minutes=number),
        )
        comment.save()
        comments.append(comment)
    Comment.objects.bulk_create(
        [
            Comment(article=article, name="Held", email="held@example.net", body=f"{n}")
            for n in range(count)
        ]
    )
    return comments


def test_article_page_runs_the_same_queries_for_3_and_300_comments(client):
    few = ArticleFactory(slug="few")
    many = ArticleFactory(slug="many")
    seed_threads(few, 3)
    seed_threads(many, 300)

    assert count_queries(client, "/articles/few/") == count_queries(client, "/articles/many/")


def test_article_page_with_own_comments_runs_the_same_queries(client):
    few = ArticleFactory(slug="few")
    many = ArticleFactory(slug="many")
    seed_threads(few, 3)
    seed_threads(many, 300)
    own_cookie(client, *Comment.objects.filter(status=Comment.Status.PENDING)[:20])

    assert count_queries(client, "/articles/few/") == count_queries(client, "/articles/many/")


# Counts on article cards


def test_card_shows_the_approved_comment_count(client):
    article = ArticleFactory(title="Discussed")
    quiet = ArticleFactory(title="Quiet")
    for minute in range(3):
        approved(article, minutes=minute)
    CommentFactory(article=article)  # pending: not counted
    CommentFactory(article=quiet)

    page = client.get("/")

    assert f'<a href="/articles/{article.slug}/#comments">3 comments</a>' in page.text
    assert f"/articles/{quiet.slug}/#comments" not in page.text


def test_card_count_for_one_comment_is_singular(client):
    article = ArticleFactory()
    approved(article, minutes=0)

    assert ">1 comment</a>" in client.get("/").text


def seed_listing(count, category):
    for number in range(count):
        article = ArticleFactory(
            published_at=START - datetime.timedelta(hours=number), categories=[category]
        )
        for minute in range(number % 4):
            approved(article, minutes=minute)


@pytest.mark.parametrize("url", ["/", "/category/subject/"])
def test_listings_with_comment_counts_run_the_same_queries_for_2_and_12_articles(
    client, settings, url
):
    settings.ARTICLES_PER_PAGE = 20
    category = CategoryFactory(name="Subject", slug="subject")
    top_news = CategoryFactory(name="Top news", slug="top-news")
    seed_listing(2, category)
    category.articles.first().categories.add(top_news)
    small = count_queries(client, url)

    seed_listing(10, category)
    for article in category.articles.all()[:3]:
        article.categories.add(top_news)
    large = count_queries(client, url)

    assert small == large


def test_with_comment_counts_sets_every_count_in_one_query(django_assert_num_queries):
    articles = [ArticleFactory() for _ in range(3)]
    approved(articles[0], minutes=0)
    approved(articles[0], minutes=1)
    approved(articles[2], minutes=2)

    with django_assert_num_queries(1):
        Template("{% load comments %}{% with_comment_counts articles %}").render(
            Context({"articles": articles})
        )

    assert [article.comment_count for article in articles] == [2, 0, 1]


def test_comment_form_tag_renders_the_form_alone(rf, article):
    request = rf.get("/articles/the-corridor/")

    html = Template("{% load comments %}{% comment_form article %}").render(
        RequestContext(request, {"article": article})
    )

    assert 'id="comment-form"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Post Comment" in html


def test_comment_form_tag_says_closed_when_closed(rf):
    article = ArticleFactory(comments_enabled=False)

    html = Template("{% load comments %}{% comment_form article %}").render(
        RequestContext(rf.get("/"), {"article": article})
    )

    assert "Comments are closed." in html
    assert "<form" not in html
