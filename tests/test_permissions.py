"""Who may do what: the staff groups and the permission matrix of the admin and editor tools."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.sql import emit_post_migrate_signal
from django.urls import reverse
from PIL import Image

from comments.models import Comment
from newsroom.roles import sync_roles
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db

MODERATION = {
    "comments.view_comment",
    "comments.change_comment",
    "comments.delete_comment",
    "comments.moderate_comment",
}
EDITING = {
    f"{app}.{action}_{model}"
    for app, model in [
        ("articles", "article"),
        ("articles", "category"),
        ("articles", "expert"),
        ("articles", "byline"),
        ("taggit", "tag"),
        ("pages", "page"),
    ]
    for action in ("add", "change", "delete", "view")
} | {
    "articles.view_slugredirect",
    "articles.view_historicalarticle",
    "articles.change_historicalarticle",
}


def group_permissions(name):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=name).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


# The groups --------------------------------------------------------------------------


def test_migrate_creates_the_staff_groups():
    assert set(Group.objects.values_list("name", flat=True)) == {"Editors", "Moderators"}


def test_editors_manage_content_and_moderate_comments():
    assert group_permissions("Editors") == EDITING | MODERATION


def test_moderators_only_moderate_comments():
    assert group_permissions("Moderators") == MODERATION


def test_no_group_gets_rights_over_users_and_groups():
    assert not Permission.objects.filter(
        group__isnull=False, content_type__app_label="auth"
    ).exists()


def test_roles_are_reset_to_exactly_their_permissions():
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="add_user"))
    editors.permissions.remove(Permission.objects.get(codename="moderate_comment"))
    Group.objects.get(name="Moderators").delete()

    sync_roles()

    assert group_permissions("Editors") == EDITING | MODERATION
    assert group_permissions("Moderators") == MODERATION


def test_every_migrate_restores_the_roles():
    Group.objects.get(name="Moderators").permissions.clear()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert group_permissions("Moderators") == MODERATION
    assert Group.objects.count() == 2


# The matrix ----------------------------------------------------------------------------

ROLES = ["anonymous", "reader", "moderator", "editor", "superuser"]
LOGIN = "login"  # 302 to the admin login page, back to the page afterwards

# page: what anonymous, reader, moderator, editor and superuser get.
MATRIX = {
    "article list": (LOGIN, LOGIN, 403, 200, 200),
    "article add": (LOGIN, LOGIN, 403, 200, 200),
    "article change": (LOGIN, LOGIN, 403, 200, 200),
    "article delete": (LOGIN, LOGIN, 403, 200, 200),
    "article history": (LOGIN, LOGIN, 403, 200, 200),
    "category list": (LOGIN, LOGIN, 403, 200, 200),
    "category add": (LOGIN, LOGIN, 403, 200, 200),
    "category change": (LOGIN, LOGIN, 403, 200, 200),
    "category delete": (LOGIN, LOGIN, 403, 200, 200),
    "expert list": (LOGIN, LOGIN, 403, 200, 200),
    "expert add": (LOGIN, LOGIN, 403, 200, 200),
    "expert change": (LOGIN, LOGIN, 403, 200, 200),
    "expert delete": (LOGIN, LOGIN, 403, 200, 200),
    "tag list": (LOGIN, LOGIN, 403, 200, 200),
    "comment list": (LOGIN, LOGIN, 200, 200, 200),
    # Comments come from readers only: nobody adds one in the admin.
    "comment add": (LOGIN, LOGIN, 403, 403, 403),
    "comment change": (LOGIN, LOGIN, 200, 200, 200),
    "comment delete": (LOGIN, LOGIN, 200, 200, 200),
    "user list": (LOGIN, LOGIN, 403, 403, 200),
    "group list": (LOGIN, LOGIN, 403, 403, 200),
    "admin home": (LOGIN, LOGIN, 200, 200, 200),
    "image upload": (403, 403, 403, 200, 200),
    "draft preview": (404, 404, 404, 200, 200),
    "scheduled preview": (404, 404, 404, 200, 200),
}


@pytest.fixture
def objects():
    article = ArticleFactory(slug="a-draft", draft=True)
    return {
        "article": article,
        "scheduled": ArticleFactory(slug="a-scheduled-one", scheduled=True),
        "category": CategoryFactory(),
        "expert": ExpertFactory(),
        "comment": Comment.objects.create(
            article=article, name="Reader", email="reader@example.org", body="Thanks."
        ),
    }


def tiny_png():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("tiny.png", buffer.getvalue(), content_type="image/png")


def admin_url(model, view, objects):
    app_label = {"comment": "comments", "tag": "taggit", "user": "auth", "group": "auth"}.get(
        model, "articles"
    )
    name = "changelist" if view == "list" else view
    args = [objects[model].pk] if view in ("change", "delete", "history") else []
    return reverse(f"admin:{app_label}_{model}_{name}", args=args)


def visit(client, page, objects):
    """Request ``page``; return the URL asked for and the response."""
    if page == "image upload":
        url = reverse("articles:upload-image")
        return url, client.post(url, {"upload": tiny_png()})
    if page.endswith("preview"):
        article = objects["scheduled" if page.startswith("scheduled") else "article"]
        url = f"{article.get_absolute_url()}?preview"
        return url, client.get(url)
    if page == "admin home":
        url = reverse("admin:index")
        return url, client.get(url)
    model, view = page.split()
    url = admin_url(model, view, objects)
    return url, client.get(url)


def log_in(client, role):
    if role == "anonymous":
        return
    if role == "superuser":
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = UserFactory(username=role, is_staff=role != "reader")
        if role != "reader":
            user.groups.add(Group.objects.get(name=f"{role.capitalize()}s"))
    client.force_login(user)


@pytest.mark.parametrize(
    ("page", "role", "expected"),
    [
        pytest.param(page, role, expected, id=f"{page}-{role}")
        for page, row in MATRIX.items()
        for role, expected in zip(ROLES, row, strict=True)
    ],
)
def test_permission_matrix(client, objects, page, role, expected):
    log_in(client, role)

    url, response = visit(client, page, objects)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('admin:login')}?next={url}"
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ["moderator", "editor"])
def test_staff_can_moderate_comments(client, objects, role):
    log_in(client, role)
    comment = objects["comment"]

    response = client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_moderator_cannot_change_an_article(client, objects):
    log_in(client, "moderator")
    article = objects["article"]

    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {"title": "Hijacked", "slug": article.slug, "lead": "x", "status": "published"},
    )

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title != "Hijacked"
