import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article, Byline, Category, Expert
from comments.models import Comment

pytestmark = pytest.mark.django_db

DEMO_LOGINS = {
    "admin": "tribune-admin",
    "editor": "tribune-editor",
    "moderator": "tribune-moderator",
}


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts():
    return {
        "categories": Category.objects.count(),
        "experts": Expert.objects.count(),
        "articles": Article.objects.count(),
        "published": Article.objects.published().count(),
        "bylines": Byline.objects.count(),
        "tags": Tag.objects.count(),
        "tagged": Article.tags.through.objects.count(),
        "category_links": Article.categories.through.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "comments": Comment.objects.count(),
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def debug_off(settings, media):
    settings.DEBUG = False


@pytest.fixture
def debug_on(settings, media):
    settings.DEBUG = True


def test_creates_categories_and_experts(debug_off):
    seed()

    assert list(Category.objects.values_list("slug", flat=True)) == [
        "note",
        "political",
        "top-news",
        "interview",
        "analysis",
        "economy",
        "security",
    ]
    assert all(Category.objects.values_list("description", flat=True))
    assert Expert.objects.count() == 6
    for expert in Expert.objects.all():
        assert expert.title
        assert expert.bio
        assert expert.photo


def test_portraits_are_written_to_media_root_once(debug_off, media):
    seed()
    seed()

    portraits = list(media.rglob("*.png"))
    assert len(portraits) == 6
    assert {p.name for p in portraits} == {f"{e.slug}.png" for e in Expert.objects.all()}


def test_creates_published_drafts_and_scheduled_articles(debug_off):
    seed()
    now = timezone.now()

    published = Article.objects.published()
    assert published.count() >= 40
    assert Article.objects.filter(status=Article.Status.DRAFT).count() >= 4
    scheduled = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
    assert scheduled.count() >= 3
    assert not published.filter(pk__in=scheduled).exists()
    assert published.in_category("top-news").count() >= 4


def test_published_articles_span_more_than_a_year(debug_off):
    seed()

    dates = Article.objects.published().values_list("published_at", flat=True)
    assert max(dates) - min(dates) > timedelta(days=365)
    assert min(dates) > timezone.now() - timedelta(days=2 * 365 + 7)


def test_every_published_article_is_complete(debug_off):
    seed()

    articles = Article.objects.published().prefetch_related("categories", "bylines", "tags")
    titles = set()
    for article in articles:
        assert 1 <= len(article.categories.all()) <= 3
        assert 1 <= len(article.bylines.all()) <= 2
        assert 2 <= len(article.tags.all()) <= 4
        assert article.lead
        for tag in ("<p>", "<h2>", "<blockquote>", "<ul>", "<a href="):
            assert tag in article.body
        titles.add(article.title)
    assert len(titles) == articles.count()


def test_running_twice_keeps_the_counts(debug_on):
    seed()
    first = counts()
    output = seed()

    assert counts() == first
    assert "0 created" in output


def test_same_slugs_on_every_run(debug_off):
    seed()
    slugs = set(Article.objects.values_list("slug", flat=True))
    Article.objects.all().delete()
    seed()

    assert set(Article.objects.values_list("slug", flat=True)) == slugs


def test_demo_accounts_with_debug(debug_on, client):
    output = seed()

    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    editor = User.objects.get(username="editor")
    assert editor.is_staff and not editor.is_superuser
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    moderator = User.objects.get(username="moderator")
    assert moderator.is_staff and not moderator.is_superuser
    assert list(moderator.groups.values_list("name", flat=True)) == ["Moderators"]

    for username, password in DEMO_LOGINS.items():
        assert client.login(username=username, password=password)
        client.logout()
        assert f"{username} / {password}" in output
    assert "Admin logins (http://127.0.0.1:8000/admin/):" in output


def test_demo_accounts_get_the_rights_of_their_groups(debug_on):
    seed()

    User = get_user_model()
    editor = User.objects.get(username="editor")
    for perm in ("add_article", "change_category", "delete_expert", "view_byline"):
        assert editor.has_perm(f"articles.{perm}")
    assert editor.has_perm("taggit.change_tag")
    moderator = User.objects.get(username="moderator")
    assert moderator.has_perm("comments.moderate_comment")
    assert not moderator.has_perm("articles.change_article")


def test_groups_are_left_as_migrate_made_them(debug_on):
    before = {group.name: set(group.permissions.all()) for group in Group.objects.all()}

    seed()

    assert {group.name: set(group.permissions.all()) for group in Group.objects.all()} == before


def test_refuses_to_run_without_the_staff_groups(debug_on):
    Group.objects.filter(name="Moderators").delete()

    with pytest.raises(
        CommandError, match=r"Missing staff group\(s\): Moderators\. Run `manage\.py migrate`"
    ):
        seed()

    assert not Article.objects.exists()


def test_existing_password_is_not_overwritten(debug_on, client):
    seed()
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("changed-by-operator")
    editor.save()

    seed()

    assert client.login(username="editor", password="changed-by-operator")
    assert not client.login(username="editor", password="tribune-editor")


def test_no_accounts_without_debug(debug_off):
    output = seed()

    assert not get_user_model().objects.exists()
    assert "Demo accounts skipped" in output
    assert "tribune-admin" not in output


def test_comments_in_every_status_with_threads(debug_off):
    seed()

    statuses = set(Comment.objects.values_list("status", flat=True))
    assert statuses == {"pending", "approved", "spam", "trash"}
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.filter(parent__parent__isnull=False).exists()
    assert not Comment.objects.exclude(article__in=Article.objects.published()).exists()
    assert not Comment.objects.filter(parent__isnull=False).exclude(parent__status="approved")
