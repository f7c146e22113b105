"""The benchmark harness: its data generator, its reading of wrk, the ceiling page,
the stock Django project, the churn's helpers and the targets it reports."""

import ast
import contextlib
import datetime
import importlib
import sys
import threading
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from taggit.models import Tag

from articles.models import Article, Byline, Category, Expert
from comments.models import Comment
from edge import views

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import churn
import django
import generate
import report
from load import Load, parse_wrk
from queries import ColdTime

TINY = {"articles": 40, "comments": 400, "categories": 6, "tags": 15, "experts": 5}

WRK_OUTPUT = """\
Running 10s test @ http://127.0.0.1:8000/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     5.12ms    1.23ms    1.20s    80.00%
    Req/Sec   780.12     50.23     0.90k    70.00%
  Latency Distribution
     50%  812.00us
     75%    5.50ms
     90%    6.20ms
     99%    1.20s
  7801 requests in 10.01s, 1.23MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 3
Requests/sec:    779.45
Transfer/sec:    125.67KB
"""


@pytest.fixture
def generated(db):
    return generate.generate(**TINY, log=lambda line: None)


def test_generator_makes_the_counts_asked_for(generated):
    assert Article.objects.count() == TINY["articles"]
    assert Comment.objects.count() == TINY["comments"]
    assert Category.objects.count() == TINY["categories"]
    assert Expert.objects.count() == TINY["experts"]
    assert Tag.objects.count() == TINY["tags"]
    assert generated["comments"] == TINY["comments"]
    # Every article is filed, signed and tagged.
    assert not Article.objects.filter(categories=None).exists()
    assert Byline.objects.values("article").distinct().count() == TINY["articles"]
    assert not Article.objects.filter(tags=None).exists()
    assert Category.objects.filter(slug=generate.TOP_NEWS_SLUG).exists()


def test_generated_comments_form_threads_on_published_articles(generated):
    replies = Comment.objects.filter(parent__isnull=False).select_related("parent")
    assert replies.exists()
    for reply in replies:
        assert reply.parent.article_id == reply.article_id
        assert reply.parent.status == Comment.Status.APPROVED
        assert reply.parent.created_at <= reply.created_at
    assert not Comment.objects.exclude(article__in=Article.objects.published()).exists()
    assert set(Comment.objects.values_list("status", flat=True)) <= set(Comment.Status.values)


def test_the_discussed_article_shows_its_comments(generated, client):
    article = Article.objects.published().get(slug=generate.DISCUSSED_SLUG)
    approved = Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
    assert approved.count() == generate.DISCUSSED_COMMENTS
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert all(comment.body in html for comment in approved)


def test_generated_articles_are_listed_and_found(generated, client):
    assert Article.objects.scheduled().exists()
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    home = client.get(reverse("articles:home")).content.decode()
    assert "The most discussed article" in home
    for hidden in Article.objects.exclude(pk__in=Article.objects.published()):
        assert hidden.title not in home

    found = Article.objects.published().exclude(slug=generate.DISCUSSED_SLUG).first()
    response = client.get(reverse("articles:search"), {"q": found.title})
    assert response.status_code == 200
    assert found.get_absolute_url() in response.content.decode()


def test_rows_added_afterwards_get_new_ids(generated):
    from tests.factories import ArticleFactory, CommentFactory

    last_article = Article.objects.order_by("pk").last().pk
    last_comment = Comment.objects.order_by("pk").last().pk
    assert ArticleFactory().pk > last_article
    assert CommentFactory().pk > last_comment


def test_scale_multiplies_articles_and_comments_only():
    counts = generate.counts_for(10)
    assert counts["articles"] == 100_000
    assert counts["comments"] == 2_000_000
    assert counts["categories"] == generate.BASE["categories"]
    assert generate.counts_for(1, articles=5)["articles"] == 5


def test_wrk_output_is_read():
    load = parse_wrk(WRK_OUTPUT)
    assert load.requests == 7801
    assert load.rps == 779.45
    assert load.p50_ms == pytest.approx(0.812)
    assert load.p99_ms == pytest.approx(1200)
    assert (load.non_2xx, load.socket_errors, load.errors) == (3, 3, 6)


def test_wrk_output_without_errors_has_none():
    clean = WRK_OUTPUT.replace("  Socket errors: connect 0, read 2, write 0, timeout 1\n", "")
    load = parse_wrk(clean.replace("  Non-2xx or 3xx responses: 3\n", ""))
    assert load.errors == 0


def test_broken_wrk_output_is_an_error():
    with pytest.raises(ValueError, match="wrk output without"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused")


def test_the_ceiling_is_not_served_by_default(client, db):
    with pytest.raises(Resolver404):
        resolve("/bench/ceiling")
    assert client.get("/bench/ceiling").status_code == 404


def test_the_ceiling_is_served_when_turned_on(rf):
    import config.urls

    try:
        with override_settings(BENCHMARK_CEILING=True):
            clear_url_caches()
            importlib.reload(config.urls)
            assert resolve("/bench/ceiling").func is views.ceiling
    finally:
        clear_url_caches()
        importlib.reload(config.urls)
    response = views.ceiling(rf.get("/bench/ceiling"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"] == "text/plain"


# The stock Django project --------------------------------------------------------------------


def startproject_settings():
    """The literal settings of the file ``django-admin startproject`` writes."""
    template = Path(django.__file__).parent / "conf/project_template/project_name/settings.py-tpl"
    found = {}
    for node in ast.parse(template.read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            with contextlib.suppress(ValueError):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def test_the_stock_project_has_the_apps_and_middleware_of_startproject():
    from stock import settings as stock

    generated = startproject_settings()
    assert len(generated["MIDDLEWARE"]) == 7
    for name in ("MIDDLEWARE", "INSTALLED_APPS", "AUTH_PASSWORD_VALIDATORS", "STATIC_URL"):
        assert generated[name] == getattr(stock, name), name
    assert generated["TEMPLATES"][0]["OPTIONS"] == stock.TEMPLATES[0]["OPTIONS"]
    assert stock.DEBUG is False
    assert stock.ALLOWED_HOSTS == ["*"]


def test_the_stock_view_answers_as_the_ceiling(rf):
    from stock.views import ceiling

    response = ceiling(rf.get("/bench/ceiling"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Content-Type"] == "text/plain"


# The churn -----------------------------------------------------------------------------------


def test_the_affected_article_is_not_shown_on_the_loaded_page(generated, client):
    loaded = client.get(f"/articles/{generate.DISCUSSED_SLUG}/").content.decode()
    article = churn.affected_article(loaded)
    assert article in Article.objects.published()
    assert article.get_absolute_url() not in loaded
    assert article.slug != generate.DISCUSSED_SLUG


def test_the_approver_approves_the_pending_comments_in_order(generated):
    article = Article.objects.published().exclude(slug=generate.DISCUSSED_SLUG).first()
    pending = churn.add_pending(article, 3)
    assert Comment.objects.filter(pk__in=pending, status=Comment.Status.PENDING).count() == 3
    approver = churn.Approver(pending, threading.Event())
    assert approver.step() and approver.step()
    approved = Comment.objects.filter(pk__in=pending, status=Comment.Status.APPROVED)
    assert sorted(approved.values_list("pk", flat=True)) == pending[:2]
    assert approver.approved == pending[:2]
    assert approver.step() and not approver.step()


def test_renders_are_read_as_the_app_counts_them(generated, client, settings):
    settings.PAGE_CACHE_COUNT_RENDERS = True
    path = f"/articles/{generate.DISCUSSED_SLUG}/"
    churn.reset_renders(path)
    client.get(path)
    client.get(path)
    assert churn.renders(path) == 1
    churn.reset_renders(path)
    assert churn.renders(path) == 0


# The targets ---------------------------------------------------------------------------------


def load(rps, p99_ms=2.0, alone_ms=None):
    return Load(1000, rps, 1.0, p99_ms, 0, 0, alone_ms)


def measured_pages(ceiling=1000, stock=1050, cached=800, uncached=120, alone_ms=10.0):
    pages = {
        page.name: {"cached": load(cached), "uncached": load(uncached, alone_ms=alone_ms)}
        for page in report.PAGES
    }
    cold = {"article": ColdTime([15.0] * 7), "category": ColdTime([12.0, 11.0, 9.0])}
    return {
        "loads": {"ceiling": (load(ceiling), load(ceiling)), "pages": pages, "stock": load(stock)},
        "cold": cold,
    }


def results_of(rows):
    return {target: passed for target, _measured, passed in rows}


def test_page_targets_compare_with_the_ceiling_and_the_stock_view():
    rows = results_of(report.page_targets(measured_pages(), "×1"))
    assert rows["ceiling ×1: ≥ 90% of the stock Django view's requests/s"]
    assert rows["home ×1: ≥ 75% of the ceiling's requests/s"]
    assert rows["home ×1 with a cookie: ≥ 10% of the ceiling's requests/s"]
    assert rows["article ×1 with a cookie: ≥ 6% of the ceiling's requests/s"]
    assert rows["article ×1 with a cookie: one request alone ≤ 12 ms"]
    assert rows["article ×1: cold request in process ≤ 20 ms (median of 7)"]
    assert not rows["category ×1: cold request in process ≤ 10 ms (median of 3)"]
    assert not any("search ×1 with a cookie" in target for target in rows)

    slow = results_of(report.page_targets(measured_pages(stock=2000, uncached=70), "×1"))
    assert not slow["ceiling ×1: ≥ 90% of the stock Django view's requests/s"]
    assert not slow["home ×1 with a cookie: ≥ 10% of the ceiling's requests/s"]
    assert slow["article ×1 with a cookie: ≥ 6% of the ceiling's requests/s"]


def window(rps=1000, p99_ms=2.0, approvals=10, loaded=0, affected=10, last_shown=True):
    return churn.Window(load(rps, p99_ms), approvals, loaded, affected, 20, 0, last_shown)


def test_churn_targets():
    quiet = window(approvals=0, affected=0, last_shown=None)
    calm = churn.Churn("/a/", "/b/", quiet, window(rps=950, p99_ms=3.0))
    assert all(results_of(report.churn_targets(calm)).values())

    rough = churn.Churn(
        "/a/", "/b/", quiet, window(rps=800, p99_ms=5.0, loaded=3, affected=12, last_shown=False)
    )
    assert not any(results_of(report.churn_targets(rough)).values())
    idle = churn.Churn("/a/", "/b/", quiet, window(approvals=0, affected=0, last_shown=None))
    assert not results_of(report.churn_targets(idle))[
        "churn: ≤ 1 render of the affected article page per approval"
    ]


def test_the_report_renders_the_new_sections():
    args = type("Args", (), {"duration": 5, "threads": 1, "connections": 4, "workers": 2})
    pages = measured_pages()
    counts = type("Counts", (), {"cold": 9, "warm": 0, "uncached": 8})
    pages["queries"] = dict.fromkeys(pages["loads"]["pages"], counts)
    pages["plans"] = {}
    quiet = window(approvals=0, affected=0, last_shown=None)
    results = {
        "phases": ["pages", "churn"],
        "settings": args,
        "started": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        "versions": {"Django": "5.2"},
        "load": ((1.0, 1.0, 1.0), (1.0, 1.0, 1.0)),
        "machine": "a machine",
        "data1": {"articles": 10},
        "scale1": pages,
        "churn": churn.Churn("/a/", "/b/", quiet, window()),
        "timings": [("pages", 1.0)],
    }
    text = report.render(results)
    assert "| stock Django view | 1,050 |" in text
    assert "## Cold requests in process" in text
    assert "| churn | 1,000 |" in text


def test_the_stock_runs_before_and_after_are_averaged():
    import run
    from load import Load

    before = Load(requests=100, rps=3000.0, p50_ms=1.0, p99_ms=3.0, non_2xx=0, socket_errors=1)
    after = Load(requests=80, rps=2000.0, p50_ms=2.0, p99_ms=5.0, non_2xx=2, socket_errors=0)

    mean = run.mean_load(before, after)

    assert (mean.rps, mean.p50_ms, mean.p99_ms) == (2500.0, 1.5, 4.0)
    assert (mean.requests, mean.non_2xx, mean.socket_errors) == (180, 2, 1)
