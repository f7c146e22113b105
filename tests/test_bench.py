"""The benchmark harness: its data generator, its reading of wrk, the ceiling page."""

import importlib
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from taggit.models import Tag

from articles.models import Article, Byline, Category, Expert
from comments.models import Comment
from edge import views

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import generate
from load import parse_wrk

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
