"""Search at /search/?q=: ranked full text on PostgreSQL, a plain fallback on other databases."""

import datetime
import importlib
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import (
    MAX_QUERY_LENGTH,
    add_snippets,
    check_search_config,
    clean_query,
    plain_text,
    query_terms,
)
from config.settings import default_search_config
from tests.articles.test_admin import edit_in_admin, staff_member
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory
from tests.test_config import run_django

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")
ON_POSTGRESQL = connection.vendor == "postgresql"

fallback_only = pytest.mark.skipif(ON_POSTGRESQL, reason="the fallback serves other databases")


def postgresql_only(test):
    needs = pytest.mark.skipif(not ON_POSTGRESQL, reason="full-text search needs PostgreSQL")
    return pytest.mark.postgresql(needs(test))


HOSTILE_QUERIES = [
    '"',
    '"unbalanced quote',
    "'",
    "it's",
    "&|!():*",
    "a & b | !c",
    "war:* & (peace | !truce)",
    "(((",
    ")",
    "-",
    "--",
    "- -",
    "or",
    "OR OR or",
    "\\",
    "%",
    "%_%",
    "<script>alert(1)</script>",
    "' OR 1=1; --",
    "سیاست خارجی",
    "می‌خواهم",
    "السياسة الخارجية",
    "😀🔥",
    "a\x00b",
    "\x00",
    "\u202etxt.exe",
    "\ue000mark\ue001",
    "x" * 10_000,
    "word " * 2_000,
    '"' * 500,
]


@pytest.fixture
def english(settings):
    """Stemming as on an English-language site, whatever LANGUAGE_CODE the tests run with."""
    settings.SEARCH_CONFIG = "english"


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def article(**kwargs):
    """A published article, its search vector refreshed once its experts and categories are
    set (the admin does the same after saving them)."""
    made = ArticleFactory(**kwargs)
    made.update_search_vector()
    return made


def found(query):
    return list(Article.objects.published().search(query))


def search(client, query, **params):
    return client.get(URL, {"q": query, **params})


# The page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [None, "", "   ", "\x00"])
def test_empty_query_shows_help(client, query):
    CategoryFactory(name="Energy security")

    response = client.get(URL) if query is None else search(client, query)

    assert response.status_code == 200
    assert b"Type words to search the notes, analyses and interviews." in response.content
    assert b"Energy security" in response.content
    assert b"results for" not in response.content


def test_search_pages_are_not_indexed(client):
    article(title="Pipeline politics")

    for response in (client.get(URL), search(client, "pipeline"), search(client, "nothing")):
        assert b'<meta name="robots" content="noindex">' in response.content
        assert response["X-Robots-Tag"] == "noindex"


def test_page_has_a_labelled_search_form_with_the_query(client):
    response = search(client, "pipeline politics")

    content = response.content.decode()
    assert "<h1" in content and ">Search</h1>" in content
    assert '<label for="search-query">' in content
    assert 'id="search-query" name="q" value="pipeline politics"' in content


def test_every_page_has_a_search_form_in_the_header(client):
    content = client.get("/").content.decode()

    assert 'role="search"' in content
    assert '<label class="visually-hidden" for="site-search-query">' in content
    assert '<input type="search" id="site-search-query" name="q">' in content


def test_results_show_their_count_and_cards(client):
    expert = ExpertFactory(name="Leila Farahani")
    for number in range(3):
        article(title=f"Pipeline politics {number}", experts=[expert])
    article(title="Something else")

    response = search(client, "pipeline")

    assert response.status_code == 200
    assert "3 results for “pipeline”" in response.content.decode()
    assert response.content.count(b'<article class="card">') == 3
    assert b"Leila Farahani" in response.content


def test_one_result_is_counted_in_the_singular(client):
    article(title="Pipeline politics")

    assert "1 result for “pipeline”" in search(client, "pipeline").content.decode()


def test_no_results_shows_tips(client):
    article(title="Pipeline politics")

    response = search(client, "zeppelin")

    assert response.status_code == 200
    assert "No results for “zeppelin”" in response.content.decode()
    assert b"Check the spelling" in response.content


def test_query_is_escaped_on_the_page(client):
    response = search(client, '<b onmouseover="x">')

    assert b'<b onmouseover="x">' not in response.content
    assert b"&lt;b onmouseover=&quot;x&quot;&gt;" in response.content


def test_long_query_is_shortened_with_a_note(client):
    article(title="Pipeline politics")

    response = search(client, "pipeline " + "x" * 500)

    assert response.status_code == 200
    assert f"only its first {MAX_QUERY_LENGTH} characters were used" in response.content.decode()


def test_pagination_keeps_the_query(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    newest, newer, oldest = (
        article(title="Pipeline politics", published_at=days_ago(days)) for days in (1, 2, 3)
    )

    first = search(client, "pipeline")
    second = search(client, "pipeline", page=2)

    assert b'href="?q=pipeline&amp;page=2"' in first.content
    assert list(first.context["page_obj"]) == [newest, newer]
    assert second.status_code == 200
    assert b'href="?q=pipeline&amp;page=1"' in second.content
    assert list(second.context["page_obj"]) == [oldest]


@pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "1.5", "\x00"])
def test_unknown_page_is_404(client, settings, page):
    settings.ARTICLES_PER_PAGE = 2
    for number in range(3):
        article(title=f"Pipeline politics {number}")

    assert search(client, "pipeline", page=page).status_code == 404


def test_first_page_of_no_results_is_not_404(client):
    assert search(client, "zeppelin", page=1).status_code == 200


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_answer_200(client, query):
    article(title="Pipeline politics", body="<p>Words and more words.</p>")
    article(title="سیاست خارجی ایران", lead="تحلیل سیاست خارجی")

    response = search(client, query)

    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_query_count_does_not_grow_with_results(client):
    categories = [CategoryFactory(), CategoryFactory()]
    experts = [ExpertFactory(), ExpertFactory()]

    def grow(count):
        for _ in range(count):
            article(title="Pipeline politics", categories=categories, experts=experts)

    def queries():
        search(client, "pipeline")  # warm per-process caches
        with CaptureQueriesContext(connection) as captured:
            assert search(client, "pipeline").status_code == 200
        return len(captured)

    grow(3)
    few = queries()
    grow(12)
    many = queries()

    assert few == many, f"{few} queries for 3 results, {many} for 15"


# What is found -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["title", "lead", "body"])
def test_words_are_found_in_title_lead_and_body(field):
    value = "Talks on the pipeline stalled"
    match = article(**{field: f"<p>{value}</p>" if field == "body" else value})
    article(title="Something else")

    assert found("pipeline") == [match]


def test_expert_names_are_searchable():
    expert = ExpertFactory(name="Leila Farahani")
    match = article(experts=[expert])
    article()

    assert found("Farahani") == [match]


def test_category_names_are_searchable():
    category = CategoryFactory(name="Energy security")
    match = article(categories=[category])
    article()

    assert found("energy") == [match]


def test_every_word_must_match():
    both = article(title="Pipeline politics in the Caspian")
    article(title="Pipeline economics")

    assert found("pipeline Caspian") == [both]


def test_quoted_phrase_and_excluded_word():
    phrase = article(title="Oil prices climb")
    article(title="Prices of oil climb")
    excluded = article(title="Oil prices and sanctions")

    assert set(found('"oil prices"')) == {phrase, excluded}
    assert found('"oil prices" -sanctions') == [phrase]


def test_persian_and_arabic_words_are_found():
    persian = article(title="سیاست خارجی ایران")
    arabic = article(title="السياسة الخارجية للسعودية")

    assert found("سیاست") == [persian]
    assert found("الخارجية") == [arabic]


def test_markup_of_the_body_is_not_searched():
    article(
        body='<p><strong>Bold</strong> words with <a href="https://example.org/x">a link</a></p>'
    )

    assert found("strong") == []
    assert found("example") == []
    assert len(found("bold")) == 1


@pytest.mark.parametrize("hidden", ["draft", "scheduled"])
def test_unpublished_articles_are_never_found(client, hidden):
    article(title="Pipeline politics", **{hidden: True})

    assert found("pipeline") == []
    assert b"Pipeline politics" not in search(client, "pipeline").content


def test_title_match_comes_before_body_match():
    in_body = article(
        title="Regional outlook",
        body="<p>The pipeline, the pipeline and again the pipeline.</p>",
        published_at=days_ago(1),
    )
    in_title = article(title="Pipeline politics", published_at=days_ago(30))

    assert found("pipeline") == [in_title, in_body]


def test_snippet_marks_the_words_and_escapes_the_text(client):
    article(
        title="Regional outlook",
        lead="A look at <script>alert('lead')</script> the region & beyond, and the pipeline.",
        body="<p>Sanctions &lt;script&gt;alert('body')&lt;/script&gt; hit the pipeline.</p>"
        "<script>alert('raw')</script>",
    )

    response = search(client, "pipeline")

    content = response.content.decode()
    assert "<mark>pipeline</mark>" in content
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(" in content


# PostgreSQL: ranking and keeping the vector current ----------------------------------------


@postgresql_only
def test_lead_match_comes_before_body_match():
    in_body = article(body="<p>About the pipeline.</p>", published_at=days_ago(1))
    in_lead = article(lead="About the pipeline.", published_at=days_ago(30))

    assert found("pipeline") == [in_lead, in_body]


@postgresql_only
def test_equal_ranks_list_the_newest_first():
    older = article(title="Pipeline politics", published_at=days_ago(10))
    newer = article(title="Pipeline politics", published_at=days_ago(1))

    assert found("pipeline") == [newer, older]


@postgresql_only
def test_snippet_comes_from_the_body_where_the_words_are(client):
    article(
        lead="A summary that says nothing in particular.",
        body="<p>Opening words.</p>"
        + "<p>Filler sentence here.</p>" * 40
        + "<p>Then the pipeline deal collapsed.</p>",
    )

    content = search(client, "pipeline").content.decode()

    assert "<mark>pipeline</mark> deal collapsed" in content


@postgresql_only
def test_vector_follows_a_title_change():
    match = article(title="Regional outlook")
    assert found("pipeline") == []

    match.title = "Pipeline outlook"
    match.save()

    assert found("pipeline") == [match]
    assert found("regional") == []


@postgresql_only
def test_vector_follows_experts_and_categories_added_in_the_admin(client):
    match = article(title="Regional outlook")
    expert = ExpertFactory(name="Leila Farahani")
    category = CategoryFactory(name="Energy security")
    client.force_login(staff_member("Editors"))

    edit_in_admin(
        client,
        match,
        categories=[str(category.pk)],
        **{"bylines-0-expert": str(expert.pk), "bylines-0-position": "0"},
    )

    assert list(match.experts.all()) == [expert]
    assert found("Farahani") == [match]
    assert found("energy") == [match]


@postgresql_only
def test_vector_follows_a_renamed_expert_and_category(client):
    expert = ExpertFactory(name="Leila Farahani")
    category = CategoryFactory(name="Energy security")
    match = article(experts=[expert], categories=[category])
    client.force_login(staff_member("Editors"))

    for model, obj, name in [("expert", expert, "Leila Sadeghi"), ("category", category, "Grid")]:
        url = reverse(f"admin:articles_{model}_change", args=[obj.pk])
        data = {"name": name, "slug": obj.slug, "position": 0, "title": "", "bio": ""}
        assert client.post(url, data).status_code == 302

    assert found("Farahani") == []
    assert found("Sadeghi") == [match]
    assert found("energy") == []
    assert found("grid") == [match]


@postgresql_only
def test_vector_forgets_a_deleted_expert_and_category(admin_client):
    expert = ExpertFactory(name="Leila Farahani")
    category = CategoryFactory(name="Energy security")
    match = article(title="Grid outlook", experts=[expert], categories=[category])
    assert found("Farahani") == found("energy") == [match]

    for model, obj in [("expert", expert), ("category", category)]:
        url = reverse(f"admin:articles_{model}_delete", args=[obj.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert found("Farahani") == []
    assert found("energy") == []
    assert found("grid") == [match]


@postgresql_only
def test_vector_forgets_categories_deleted_from_the_list(admin_client):
    first, second = CategoryFactory(name="Energy security"), CategoryFactory(name="Water")
    match = article(title="Grid outlook", categories=[first, second])
    other = article(title="Dams", categories=[second])

    response = admin_client.post(
        reverse("admin:articles_category_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert found("energy") == found("water") == []
    assert found("grid") == [match]
    assert found("dams") == [other]


# PostgreSQL: stemming (SEARCH_CONFIG) -------------------------------------------------------


@postgresql_only
@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("sanction", "New sanctions on Iranian oil exports"),
        ("negotiating", "Negotiations resume in Vienna"),
        ("negotiations", "Negotiating a ceasefire"),
    ],
)
def test_a_word_finds_its_other_forms(english, query, title):
    match = article(title=title)
    article(title="Regional outlook")

    assert found(query) == [match]


@postgresql_only
def test_persian_and_arabic_words_are_kept_by_the_english_stemmer(english):
    mixed = article(title="Sanctions on Iran: تحریم‌های ایران و العقوبات")
    persian = article(title="سیاست خارجی ایران")
    arabic = article(title="السياسة الخارجية للسعودية")

    assert found("sanction") == [mixed]
    assert found("تحریم‌های") == [mixed]
    assert set(found("ایران")) == {mixed, persian}
    assert found("العقوبات") == [mixed]
    assert found("سیاست") == [persian]
    assert found("الخارجية") == [arabic]


@postgresql_only
@pytest.mark.parametrize("config", ["english", "french", "arabic", "simple"])
def test_persian_and_arabic_words_are_found_with_every_configuration(settings, config):
    settings.SEARCH_CONFIG = config
    persian = article(title="سیاست خارجی ایران")
    arabic = article(title="السياسة الخارجية للسعودية")

    assert found("سیاست خارجی") == [persian]
    assert found("الخارجية") == [arabic]


@postgresql_only
def test_snippet_marks_the_stemmed_word_as_written(client, english):
    article(lead="The new sanctions hit oil exports.")
    article(lead="Negotiations resume; the negotiators met twice.")

    sanctions = search(client, "sanction").content.decode()
    negotiations = search(client, "negotiating").content.decode()

    assert "<mark>sanctions</mark> hit oil exports." in sanctions
    assert "<mark>Negotiations</mark> resume" in negotiations


@postgresql_only
def test_snippet_marks_a_persian_word(client, english):
    article(lead="Sanctions on Iran: تحریم‌های ایران و العقوبات")

    content = search(client, "ایران").content.decode()

    assert "<mark>ایران</mark>" in content


@postgresql_only
def test_quotes_or_and_excluded_words_are_stemmed_too(english):
    phrase = article(title="Oil prices climb")
    article(title="Prices of oil climb")
    sanctions = article(title="Oil prices and sanctions")
    embargo = article(title="An embargo on grain")

    assert set(found('"oil price"')) == {phrase, sanctions}
    assert found('"oil price" -sanction') == [phrase]
    assert set(found("sanction or embargoes")) == {sanctions, embargo}


@postgresql_only
def test_rebuild_command_recomputes_the_vectors_with_the_setting(settings, english):
    match = article(title="New sanctions on Iranian oil exports")
    assert found("sanction") == [match]

    settings.SEARCH_CONFIG = "simple"
    assert found("sanction") == [match]  # the stored vector is still stemmed
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)

    assert "Refreshed the search vectors of 1 article(s)" in out.getvalue()
    assert "'simple'" in out.getvalue()
    assert found("sanction") == []
    assert found("sanctions") == [match]


@postgresql_only
def test_rebuild_command_works_in_batches_and_includes_drafts(settings, english):
    articles = [article(title=f"Pipeline sanctions {n}") for n in range(4)]
    draft = article(title="Pipeline sanctions draft", draft=True)

    settings.SEARCH_CONFIG = "simple"
    out = io.StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out)

    assert "Refreshed the search vectors of 5 article(s)" in out.getvalue()
    assert found("sanction") == []
    assert set(found("sanctions")) == set(articles)
    drafts = Article.objects.filter(pk=draft.pk)
    assert list(drafts.search("sanction")) == []
    assert list(drafts.search("sanctions")) == [draft]


@postgresql_only
def test_migration_recomputes_the_vectors_with_the_setting(settings, english):
    match = article(title="New sanctions on Iranian oil exports")
    migration = importlib.import_module("articles.migrations.0005_rebuild_search_vectors")

    settings.SEARCH_CONFIG = "simple"
    migration.rebuild_search_vectors(apps, SimpleNamespace(connection=connection))

    assert found("sanction") == []
    assert found("sanctions") == [match]


@postgresql_only
@pytest.mark.parametrize(("config", "errors"), [("english", []), ("klingon", ["articles.E001"])])
def test_database_check_refuses_a_configuration_postgresql_lacks(settings, config, errors):
    settings.SEARCH_CONFIG = config

    found_errors = check_search_config(databases=["default"])

    assert [error.id for error in found_errors] == errors


def test_the_check_is_run_with_the_database_checks(settings):
    settings.SEARCH_CONFIG = "klingon"

    run = checks.run_checks(tags=[checks.Tags.database], databases=["default"])

    expected = ["articles.E001"] if ON_POSTGRESQL else []
    assert [error.id for error in run if error.id.startswith("articles.")] == expected


def test_rebuild_command_refuses_an_empty_batch():
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("rebuild_search_index", "--batch-size", "0")


@fallback_only
def test_rebuild_command_has_nothing_to_do_without_postgresql():
    article(title="Pipeline politics")
    out = io.StringIO()

    call_command("rebuild_search_index", stdout=out)

    assert "Nothing to rebuild" in out.getvalue()


# The setting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language_code", "config"),
    [
        ("en", "english"),
        ("en-us", "english"),
        ("en_GB", "english"),
        ("fr", "french"),
        ("de", "german"),
        ("es", "spanish"),
        ("it", "italian"),
        ("pt-br", "portuguese"),
        ("nl", "dutch"),
        ("ru", "russian"),
        ("tr", "turkish"),
        ("ar", "arabic"),
        ("fa", "simple"),
        ("zh-hans", "simple"),
        ("", "simple"),
    ],
)
def test_default_search_config_follows_the_language(language_code, config):
    assert default_search_config(language_code) == config


CONFIG_CODE = "from django.conf import settings; print(settings.SEARCH_CONFIG)"


@pytest.mark.parametrize(
    ("variables", "config"),
    [
        ({"LANGUAGE_CODE": "fr", "SEARCH_CONFIG": ""}, "french"),
        ({"LANGUAGE_CODE": "fa", "SEARCH_CONFIG": ""}, "simple"),
        ({"LANGUAGE_CODE": "en", "SEARCH_CONFIG": "simple"}, "simple"),
    ],
)
def test_search_config_setting_defaults_to_the_language(variables, config):
    result = run_django({"DEBUG": "true", **variables}, CONFIG_CODE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == config


@pytest.mark.parametrize(
    "value", ["English", "pg_catalog.english", "english'); DROP TABLE x; --", "français"]
)
def test_bad_search_config_refuses_to_start(value):
    result = run_django({"DEBUG": "true", "SEARCH_CONFIG": value})

    assert result.returncode != 0
    assert "SEARCH_CONFIG must be the name of a PostgreSQL text search configuration" in (
        result.stderr
    )


# The fallback (SQLite) ---------------------------------------------------------------------


@fallback_only
def test_fallback_lists_title_matches_first_then_the_newest():
    old_title = article(title="Pipeline politics", published_at=days_ago(30))
    new_lead = article(lead="The pipeline again.", published_at=days_ago(1))
    old_body = article(body="<p>A pipeline.</p>", published_at=days_ago(10))

    assert found("pipeline") == [old_title, new_lead, old_body]


@fallback_only
def test_fallback_snippet_marks_the_words_in_the_lead():
    article(lead="Talks on the Pipeline & <b>the</b> region.")

    [result] = add_snippets(Article.objects.published().search("pipeline"), "pipeline")
    assert result.search_snippet == (
        "Talks on the <mark>Pipeline</mark> &amp; &lt;b&gt;the&lt;/b&gt; region."
    )


# Reading queries and bodies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  oil   prices ", ("oil prices", False)),
        ("oil\x00prices", ("oilprices", False)),
        ("oil\nprices\t", ("oil prices", False)),
        ("x" * 300, ("x" * MAX_QUERY_LENGTH, True)),
        ("می‌خواهم", ("می‌خواهم", False)),
    ],
)
def test_clean_query(raw, expected):
    assert clean_query(raw) == expected


def test_query_terms():
    assert query_terms('"oil  prices" (sanctions) -iran or "unbalanced') == (
        ["oil prices", "sanctions", "unbalanced"],
        ["iran"],
    )


def test_plain_text_separates_blocks_and_decodes_entities():
    html = (
        "<h2>Title</h2><p>First&nbsp;para &amp; <em>more</em></p><ul><li>one</li><li>two</li></ul>"
    )

    assert plain_text(html) == "Title First para & more one two"
