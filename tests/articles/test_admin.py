"""The article admin: list, filters, links, actions and a fixed number of queries."""

import datetime

import pytest
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.contrib.auth.models import Group
from django.db import connection
from django.forms import CheckboxInput, FileInput, MultiWidget, SelectMultiple
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, SlugRedirect
from comments.models import Comment
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")


# Helpers shared by the other admin tests ---------------------------------------


def staff_member(group_name, username=None):
    """A staff account in one of the groups ``migrate`` creates."""
    user = UserFactory(username=username or group_name.lower(), is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def _widget_data(name, widget, value):
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, MultiWidget):
        values = value if isinstance(value, list | tuple) else widget.decompress(value)
        data = {}
        for suffix, subwidget, subvalue in zip(
            widget.widgets_names, widget.widgets, values, strict=True
        ):
            data.update(_widget_data(name + suffix, subwidget, subvalue))
        return data
    if isinstance(widget, CheckboxInput):
        return {name: "on"} if value else {}
    if isinstance(widget, FileInput):
        return {}
    if isinstance(widget, SelectMultiple):
        return {name: [str(item) for item in value or []]}
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        formatted = formatted[0] if formatted else ""
    return {name: "" if formatted is None else formatted}


def admin_form_data(response, **changes):
    """The POST data of the admin form in ``response``, as a browser would send it."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets") or []:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            data.update(_widget_data(bound.html_name, bound.field.widget, bound.value()))
    data.update(changes)
    return data


def edit_in_admin(client, article, **changes):
    """Open the article's change form, apply ``changes`` and save it."""
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, admin_form_data(response, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    return response


# Fixtures ---------------------------------------------------------------------------


@pytest.fixture
def editor():
    return staff_member("Editors")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def cells(response, column):
    """The values of one computed list column, in list order."""
    changelist = response.context["cl"]
    model_admin = changelist.model_admin
    return [getattr(model_admin, column)(article) for article in changelist.result_list]


# The list ------------------------------------------------------------------------------


def test_list_shows_draft_scheduled_and_published(editor_client):
    ArticleFactory(title="A draft", draft=True)
    ArticleFactory(title="A scheduled one", scheduled=True)
    ArticleFactory(title="A published one")

    response = editor_client.get(CHANGELIST)

    assert response.status_code == 200
    titles = [article.title for article in response.context["cl"].result_list]
    rows = dict(zip(titles, cells(response, "publication"), strict=True))
    assert rows == {
        "A draft": "Draft",
        "A scheduled one": "Scheduled",
        "A published one": "Published",
    }
    assert b'<td class="field-publication">Scheduled</td>' in response.content


def test_list_names_experts_in_byline_order_and_categories(editor_client):
    first = ExpertFactory(name="Zoe Zed")
    second = ExpertFactory(name="Adam Ant")
    ArticleFactory(
        experts=[first, second],
        categories=[CategoryFactory(name="Note"), CategoryFactory(name="Economy")],
    )

    response = editor_client.get(CHANGELIST)

    assert cells(response, "expert_names") == ["Zoe Zed, Adam Ant"]
    assert sorted(cells(response, "category_names")[0].split(", ")) == ["Economy", "Note"]


def test_list_counts_approved_and_pending_comments(editor_client):
    article = ArticleFactory()
    ArticleFactory()  # no comments at all
    statuses = ["approved", "approved", "pending", "pending", "pending", "spam", "trash"]
    for status in statuses:
        Comment.objects.create(
            article=article, name="Reader", email="r@example.org", body="Hi", status=status
        )

    response = editor_client.get(CHANGELIST)

    counts = zip(
        cells(response, "approved_comments"), cells(response, "pending_comments"), strict=True
    )
    assert sorted(counts) == [(0, 0), (2, 3)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("draft", {"draft"}), ("scheduled", {"scheduled"}), ("published", {"published"})],
)
def test_status_filter(editor_client, value, expected):
    ArticleFactory(slug="draft", draft=True)
    ArticleFactory(slug="scheduled", scheduled=True)
    ArticleFactory(slug="published")

    response = editor_client.get(CHANGELIST, {"status": value})

    assert {article.slug for article in response.context["cl"].result_list} == expected


def test_unknown_status_filter_is_refused_without_error(editor_client):
    response = editor_client.get(CHANGELIST, {"status": "nonsense"})

    assert response.status_code == 302
    assert response.url.endswith("?e=1")


def test_category_and_expert_filters(editor_client):
    economy = CategoryFactory(name="Economy")
    analyst = ExpertFactory()
    ArticleFactory(slug="both", categories=[economy], experts=[analyst])
    ArticleFactory(slug="category-only", categories=[economy])
    ArticleFactory(slug="neither")

    by_category = editor_client.get(CHANGELIST, {"categories__id__exact": economy.pk})
    by_expert = editor_client.get(CHANGELIST, {"experts__id__exact": analyst.pk})

    assert {a.slug for a in by_category.context["cl"].result_list} == {"both", "category-only"}
    assert [a.slug for a in by_expert.context["cl"].result_list] == ["both"]


def test_search_by_title_lead_and_slug(editor_client):
    ArticleFactory(slug="gas-pipeline", title="Energy", lead="Plain words.")
    ArticleFactory(slug="other", title="Ports", lead="About the gas trade.")
    ArticleFactory(slug="unrelated", title="Elections", lead="Plain words.")

    response = editor_client.get(CHANGELIST, {"q": "gas"})

    assert {a.slug for a in response.context["cl"].result_list} == {"gas-pipeline", "other"}


def make_articles(count, categories, experts):
    for _number in range(count):
        article = ArticleFactory(categories=categories, experts=experts)
        for status in ("approved", "pending"):
            Comment.objects.create(
                article=article, name="Reader", email="r@example.org", body="Hi", status=status
            )


def test_list_runs_a_fixed_number_of_queries(superuser_client):
    categories = [CategoryFactory() for _number in range(3)]
    experts = [ExpertFactory() for _number in range(3)]

    make_articles(3, categories, experts)
    with CaptureQueriesContext(connection) as few:
        assert superuser_client.get(CHANGELIST).status_code == 200
    make_articles(27, categories, experts)
    with CaptureQueriesContext(connection) as many:
        response = superuser_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 30
    assert len(many) == len(few), [query["sql"] for query in many]


# The change form ---------------------------------------------------------------------


def test_published_article_has_view_on_site_and_no_preview(editor_client):
    article = ArticleFactory()

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert f'href="{article.get_absolute_url()}" class="viewsitelink"'.encode() in (
        response.content
    )
    assert b"?preview" not in response.content


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_article_has_preview_instead_of_view_on_site(editor_client, state):
    article = ArticleFactory(**{state: True})

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    content = response.content.decode()
    assert "View on site" not in content
    assert f'href="{article.get_absolute_url()}?preview"' in content
    assert editor_client.get(f"{article.get_absolute_url()}?preview").status_code == 200


def test_change_form_says_when_a_scheduled_article_goes_live(editor_client):
    article = ArticleFactory(
        scheduled=True, published_at=datetime.datetime(2099, 3, 4, 9, 30, tzinfo=datetime.UTC)
    )

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert "Scheduled for March 4, 2099, 9:30 a.m." in response.content.decode()


def test_categories_and_byline_experts_use_autocomplete(editor_client):
    CategoryFactory(name="Economy")
    ExpertFactory(name="Jane Doe")

    response = editor_client.get(reverse("admin:articles_article_add"))
    economy = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "categories",
            "term": "eco",
        },
    )
    jane = editor_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": "byline", "field_name": "expert", "term": "jane"},
    )

    content = response.content.decode()
    assert 'name="categories"' in content
    assert 'name="bylines-0-expert"' in content
    assert content.count("admin-autocomplete") >= 2
    assert [item["text"] for item in economy.json()["results"]] == ["Economy"]
    assert [item["text"] for item in jane.json()["results"]] == ["Jane Doe"]


def test_editor_adds_an_article_with_byline_and_categories(editor_client, editor):
    expert = ExpertFactory()
    category = CategoryFactory()
    add = reverse("admin:articles_article_add")
    data = admin_form_data(
        editor_client.get(add),
        title="A new analysis",
        slug="a-new-analysis",
        lead="Summary.",
        body="<p>Text.</p>",
        categories=[str(category.pk)],
        tags="energy, gas",
        **{"bylines-0-expert": str(expert.pk), "bylines-0-position": "0"},
    )

    response = editor_client.post(add, data)

    assert response.status_code == 302
    article = Article.objects.get(slug="a-new-analysis")
    assert list(article.experts.all()) == [expert]
    assert list(article.categories.all()) == [category]
    assert sorted(article.tags.names()) == ["energy", "gas"]
    assert article.status == Article.Status.DRAFT
    assert article.history.get().history_user == editor


# Actions -------------------------------------------------------------------------------


def run_action(client, action, *articles):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [article.pk for article in articles]},
    )


def test_publish_now_publishes_drafts_and_scheduled_today(editor_client, editor):
    draft = ArticleFactory(draft=True)
    scheduled = ArticleFactory(scheduled=True)
    published = ArticleFactory()
    original_date = published.published_at
    before = timezone.now()

    response = run_action(editor_client, "publish_now", draft, scheduled, published)

    assert response.status_code == 302
    for article in (draft, scheduled, published):
        article.refresh_from_db()
        assert article.is_published()
    assert before <= draft.published_at <= timezone.now()
    assert before <= scheduled.published_at <= timezone.now()
    assert published.published_at == original_date
    assert draft.history.first().history_user == editor
    assert scheduled.history.first().history_user == editor
    assert published.history.count() == 1  # nothing to change, nothing recorded
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["2 articles published."]


def test_unpublish_takes_articles_back_to_draft(editor_client, editor):
    published = ArticleFactory()
    scheduled = ArticleFactory(scheduled=True)
    draft = ArticleFactory(draft=True)

    run_action(editor_client, "unpublish", published, scheduled, draft)

    for article in (published, scheduled, draft):
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
    assert published.history.first().history_user == editor
    assert draft.history.count() == 1
    assert editor_client.get(published.get_absolute_url()).status_code == 404


def test_moderator_cannot_run_article_actions(client):
    client.force_login(staff_member("Moderators"))
    draft = ArticleFactory(draft=True)

    response = run_action(client, "publish_now", draft)

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


# Old addresses ----------------------------------------------------------------------


def test_editors_see_old_addresses_read_only(editor_client):
    article = ArticleFactory(slug="new-address")
    SlugRedirect.objects.create(old_slug="old-address", article=article)
    redirect = SlugRedirect.objects.get()

    listing = editor_client.get(reverse("admin:articles_slugredirect_changelist"))
    add = editor_client.get(reverse("admin:articles_slugredirect_add"))
    change = editor_client.get(reverse("admin:articles_slugredirect_change", args=[redirect.pk]))
    delete = editor_client.get(reverse("admin:articles_slugredirect_delete", args=[redirect.pk]))

    assert listing.status_code == 200
    assert "old-address" in listing.content.decode()
    assert add.status_code == 403
    assert change.status_code == 200  # view only
    assert b'type="submit"' not in change.content.split(b'id="slugredirect_form"')[1]
    assert delete.status_code == 403
