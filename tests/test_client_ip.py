"""The reader's address behind reverse proxies: comment rate limit, stored comment, lockout."""

import pytest
from django.test import Client, RequestFactory

from comments.models import Comment
from edge.clientip import client_ip
from tests.comments.test_posting import comment_data
from tests.factories import ArticleFactory, UserFactory

PROXY = "172.18.0.5"  # the address the web server sees behind the compose file's nginx
READER = "198.51.100.7"
OTHER_READER = "203.0.113.9"
COMMENT_URL = "/articles/the-corridor/comment/"


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor", title="The corridor")


def post_comment(client, article, number, **headers):
    data = comment_data(article, body=f"Remark number {number}.")
    return client.post(COMMENT_URL, data, **headers)


def address(proxy_count, settings, **meta):
    settings.PROXY_COUNT = proxy_count
    return client_ip(RequestFactory().get("/", **meta))


# The rule


def test_without_proxies_the_header_is_ignored(settings):
    assert address(0, settings, REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR="192.0.2.1") == READER


def test_behind_one_proxy_the_last_forwarded_address_is_the_readers(settings):
    forwarded = f"192.0.2.1, not-an-address, {READER}"  # all but the last came from the reader

    assert address(1, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == READER


def test_behind_two_proxies_the_second_last_forwarded_address_is_the_readers(settings):
    forwarded = f"192.0.2.1, {READER}, 10.0.0.2"

    assert address(2, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded) == READER


def test_request_that_skipped_the_proxies_falls_back_to_the_connection(settings):
    assert address(1, settings, REMOTE_ADDR=PROXY) == PROXY
    assert address(2, settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER) == PROXY


# Comments


@pytest.mark.django_db
def test_forged_header_does_not_dodge_the_rate_limit_without_proxies(client, article, settings):
    settings.PROXY_COUNT = 0
    settings.COMMENTS_RATE_LIMIT = 2
    statuses = [
        post_comment(
            client, article, n, REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}"
        ).status_code
        for n in range(3)
    ]

    assert statuses == [303, 303, 429]
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"198.51.100.0"}


@pytest.mark.django_db
def test_readers_behind_the_proxy_have_their_own_rate_limit(client, article, settings):
    settings.PROXY_COUNT = 1
    settings.COMMENTS_RATE_LIMIT = 1
    reader = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": READER}
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OTHER_READER}

    assert post_comment(client, article, 1, **reader).status_code == 303
    assert post_comment(Client(), article, 2, **other).status_code == 303
    assert post_comment(client, article, 3, **reader).status_code == 429
    stored = sorted(Comment.objects.values_list("ip_address", flat=True))
    assert stored == ["198.51.100.0", "203.0.113.0"]  # the readers', truncated; not the proxy's


@pytest.mark.django_db
def test_forged_prefix_does_not_dodge_the_rate_limit_behind_the_proxy(client, article, settings):
    settings.PROXY_COUNT = 1
    settings.COMMENTS_RATE_LIMIT = 1
    first = post_comment(
        client, article, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {READER}"
    )
    second = post_comment(
        client, article, 2, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.2, {READER}"
    )

    assert [first.status_code, second.status_code] == [303, 429]


@pytest.mark.django_db
def test_policy_sees_the_readers_full_address_behind_the_proxy(client, article, settings):
    settings.PROXY_COUNT = 1
    settings.COMMENTS_DISALLOWED = [READER]

    post_comment(client, article, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=READER)

    assert Comment.objects.get().status == Comment.Status.SPAM


# Login lockout (django-axes)


@pytest.fixture
def editor(settings):
    settings.AXES_ENABLED = True
    return UserFactory(username="editor", password="right-password", is_staff=True)


def log_in(client, password, **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": password},
        secure=True,
        **headers,
    )


@pytest.mark.django_db
def test_lockout_follows_the_forwarded_address_behind_the_proxy(client, editor, settings):
    settings.PROXY_COUNT = 1
    reader = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": READER}
    for _ in range(5):
        log_in(client, "wrong", **reader)

    assert log_in(client, "right-password", **reader).status_code == 429
    other = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": OTHER_READER}
    assert log_in(Client(), "right-password", **other).status_code == 302


@pytest.mark.django_db
def test_forged_header_does_not_dodge_the_lockout_without_proxies(client, editor, settings):
    settings.PROXY_COUNT = 0
    for n in range(5):
        log_in(client, "wrong", REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    response = log_in(
        client, "right-password", REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR="192.0.2.99"
    )

    assert response.status_code == 429
