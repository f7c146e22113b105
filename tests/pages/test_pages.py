"""Static pages: served at their address where no other page answers, edited in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pages.models import Page
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_page_is_shown_at_its_address(client):
    Page.objects.create(url="/about/", title="About us", content="<p>We study corridors.</p>")
    response = client.get("/about/")
    assert response.status_code == 200
    assert '<h1 class="article__title">About us</h1>' in response.text
    assert "<p>We study corridors.</p>" in response.text


def test_address_without_its_slash_redirects(client):
    Page.objects.create(url="/about/", title="About us")
    response = client.get("/about")
    assert response.status_code == 301
    assert response["Location"] == "/about/"


def test_unknown_address_stays_404(client):
    assert client.get("/nowhere/").status_code == 404


def test_other_views_win_over_a_page(client):
    ArticleFactory(slug="corridor", title="The corridor")
    Page.objects.create(url="/articles/corridor/", title="Shadowed")
    assert "Shadowed" not in client.get("/articles/corridor/").text


def test_only_a_404_costs_a_query(client):
    ArticleFactory(slug="corridor")
    client.get("/articles/corridor/")
    with CaptureQueriesContext(connection) as with_pages:
        client.get("/articles/corridor/")
    Page.objects.create(url="/about/", title="About us")
    with CaptureQueriesContext(connection) as with_a_page:
        client.get("/articles/corridor/")
    assert len(with_pages) == len(with_a_page)


def test_post_to_an_unknown_address_is_not_a_page(client):
    Page.objects.create(url="/about/", title="About us")
    assert client.post("/about/").status_code in (403, 404, 405)


def test_content_is_sanitised_on_save():
    page = Page.objects.create(
        url="/about/", title="About", content='<p onclick="x()">Hi</p><script>alert(1)</script>'
    )
    assert page.content == "<p>Hi</p>"


@pytest.mark.parametrize("url", ["about/", "/about", "/a b/", "/a//b/", "/a/?x=1/"])
def test_address_must_be_a_clean_path(url):
    with pytest.raises(ValidationError):
        Page(url=url, title="About").full_clean()


def test_administrator_adds_a_page_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    add_url = reverse("admin:pages_page_add")
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {"url": "/contact/", "title": "Contact", "content": "<p>Write to us.</p>"},
    )
    assert response.status_code == 302
    assert client.get("/contact/").status_code == 200
