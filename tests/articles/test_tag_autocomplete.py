"""The tag box of the article admin: suggestions of existing tags, new tags, no-script use."""

import html
import json

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article
from tests.articles.test_admin import admin_form_data, edit_in_admin, staff_member
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("admin:articles_article_tag_suggestions")
ADD = reverse("admin:articles_article_add")


@pytest.fixture
def editor_client(client):
    client.force_login(staff_member("Editors"))
    return client


def suggested(client, term):
    response = client.get(SUGGESTIONS, {"term": term})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert all(result["id"] == result["text"] for result in results)
    return [result["text"] for result in results]


def tags_input(response):
    """The tags field of the admin form in ``response``, as a browser without script sees it."""
    return response.context["adminform"].form["tags"]


def data_tags(names):
    return f'data-tags="{html.escape(json.dumps(names))}"'


# Suggestions ---------------------------------------------------------------------------


def test_editor_gets_matching_names_starting_ones_first(editor_client):
    for name in ["Geo-economics", "energy", "Economy", "economic sanctions", "diplomacy"]:
        Tag.objects.create(name=name)

    assert suggested(editor_client, "ECO") == [
        "economic sanctions",
        "Economy",
        "Geo-economics",
    ]


def test_suggestions_are_limited_to_twenty(editor_client):
    Tag.objects.bulk_create(Tag(name=f"trade {n:02}", slug=f"trade-{n:02}") for n in range(30))

    assert suggested(editor_client, "trade") == [f"trade {n:02}" for n in range(20)]


def test_empty_term_suggests_the_first_names(editor_client):
    for name in ["security", "energy", "diplomacy"]:
        Tag.objects.create(name=name)

    assert suggested(editor_client, "") == ["diplomacy", "energy", "security"]


def test_names_are_sent_as_data_never_as_markup(editor_client):
    Tag.objects.create(name='<img src=x onerror="alert(1)">')

    response = editor_client.get(SUGGESTIONS, {"term": "img"})

    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert suggested(editor_client, "img") == ['<img src=x onerror="alert(1)">']


def test_suggestions_answer_only_reads(editor_client):
    response = editor_client.post(SUGGESTIONS, {"term": "eco"})

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", "login"), ("reader", "login"), ("moderator", 403), ("superuser", 200)],
)
def test_only_those_who_edit_articles_get_suggestions(client, role, expected):
    Tag.objects.create(name="diplomacy")
    if role == "reader":
        client.force_login(UserFactory(username="reader"))
    elif role == "moderator":
        client.force_login(staff_member("Moderators"))
    elif role == "superuser":
        client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    response = client.get(SUGGESTIONS, {"term": "dip"})

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('admin:login')}?next=")
    else:
        assert response.status_code == expected
        assert (b"diplomacy" in response.content) is (expected == 200)


def test_staff_who_may_only_add_articles_get_suggestions(client):
    user = UserFactory(username="writer", is_staff=True)
    user.user_permissions.set(
        Group.objects.get(name="Editors").permissions.filter(codename="add_article")
    )
    client.force_login(user)
    Tag.objects.create(name="diplomacy")

    assert suggested(client, "dip") == ["diplomacy"]


# The form --------------------------------------------------------------------------------


def test_form_loads_jquery_then_select2_then_the_tag_box(editor_client):
    content = editor_client.get(ADD).content.decode()

    order = [
        "admin/js/vendor/jquery/jquery.min.js",
        "admin/js/vendor/select2/select2.full.min.js",
        "admin/js/jquery.init.js",
        "js/tag-autocomplete.js",
    ]
    positions = [content.index(script) for script in order]
    assert positions == sorted(positions)
    assert content.count("admin/js/vendor/select2/select2.full.min.js") == 1
    assert "admin/css/autocomplete.css" in content


def test_add_form_has_a_plain_text_input_for_tags(editor_client):
    response = editor_client.get(ADD)

    field = str(tags_input(response))
    assert field.startswith('<input type="text" name="tags"')
    assert f'data-tag-suggestions="{SUGGESTIONS}"' in field
    assert data_tags([]) in field


def test_change_form_shows_the_current_tags(editor_client):
    article = ArticleFactory(tags=["water security", "Smith, John", "energy"])

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    field = tags_input(response)
    # The text a browser without script shows and sends back, in taggit's notation...
    assert 'value="&quot;Smith, John&quot;, &quot;water security&quot;, energy"' in str(field)
    # ...and the names the tag box starts with.
    assert data_tags(["Smith, John", "energy", "water security"]) in str(field)


def test_unchanged_tags_survive_a_save_without_script(editor_client):
    article = ArticleFactory(tags=["water security", "Smith, John", "energy"])

    edit_in_admin(editor_client, article, title="A new title")

    assert article.title == "A new title"
    assert sorted(article.tags.names()) == ["Smith, John", "energy", "water security"]


def test_existing_new_and_quoted_tags_are_all_saved(editor_client):
    Tag.objects.create(name="diplomacy")
    data = admin_form_data(
        editor_client.get(ADD),
        title="Talks on the river",
        slug="talks-on-the-river",
        lead="Summary.",
        body="<p>Text.</p>",
        # What the tag box writes: a name with a comma or a space in quotes.
        tags='diplomacy, "Smith, John", "water security", hydropower',
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="talks-on-the-river")
    assert sorted(article.tags.names()) == [
        "Smith, John",
        "diplomacy",
        "hydropower",
        "water security",
    ]
    assert Tag.objects.filter(name="diplomacy").count() == 1


def test_refused_form_keeps_the_typed_tags(editor_client):
    data = admin_form_data(
        editor_client.get(ADD), title="", slug="untitled", tags='"water security", hydropower'
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    field = str(tags_input(response))
    assert 'value="&quot;water security&quot;, hydropower"' in field
    assert data_tags(["hydropower", "water security"]) in field


def test_overlong_tag_name_is_refused_with_a_message(editor_client):
    data = admin_form_data(
        editor_client.get(ADD),
        title="Talks on the river",
        slug="talks-on-the-river",
        lead="Summary.",
        body="<p>Text.</p>",
        tags=f'energy, "{"long " * 30}"',
    )

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tags"] == [
        "A tag name can have at most 100 characters."
    ]
    assert not Article.objects.exists()
    assert not Tag.objects.exists()
