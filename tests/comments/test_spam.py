"""Spam defences: honeypot, signed form timestamp, rate limit, duplicates, Akismet."""

import datetime

import httpx
import pytest
import time_machine
from django.utils import timezone

from comments.forms import make_timestamp
from comments.models import Comment
from tests.comments.test_posting import comment_data, post_comment, signed_timestamp
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

INVALID = "This form could not be verified. Please check your comment and post it again."


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor")


# Honeypot


def test_filled_honeypot_is_refused_and_nothing_stored(client, article):
    response = post_comment(client, article, homepage="http://spam.example.com/")

    assert response.status_code == 400
    assert "Your comment could not be posted. Please try again." in response.text
    assert "spam.example.com" not in response.text
    assert not Comment.objects.exists()


def test_honeypot_is_hidden_from_people_and_assistive_technology(client, article):
    page = client.get("/articles/the-corridor/")

    trap = page.text.split('<div class="comment-form__trap" aria-hidden="true">', 1)[1]
    trap = trap.split("</div>", 1)[0]
    assert 'name="homepage"' in trap
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap


# Signed form timestamp


def test_missing_timestamp_is_refused_with_the_form_kept(client, article):
    response = post_comment(client, article, timestamp=None, body="Kept for the retry.")

    assert response.status_code == 400
    assert INVALID in response.text
    assert "Kept for the retry." in response.text
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "999" + token[token.index(":") :],
        lambda token: "garbage",
    ],
    ids=["signature", "article-id", "garbage"],
)
def test_tampered_timestamp_is_refused(client, article, tamper):
    response = post_comment(client, article, timestamp=tamper(signed_timestamp(article)))

    assert response.status_code == 400
    assert INVALID in response.text
    assert not Comment.objects.exists()


def test_timestamp_of_another_article_is_refused(client, article):
    other = ArticleFactory()

    response = post_comment(client, article, timestamp=signed_timestamp(other))

    assert response.status_code == 400
    assert INVALID in response.text
    assert not Comment.objects.exists()


def test_refused_form_carries_a_fresh_valid_timestamp(client, article):
    response = post_comment(client, article, timestamp="garbage")

    fresh = response.text.split('name="timestamp" value="', 1)[1].split('"', 1)[0]
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        retry = post_comment(client, article, timestamp=fresh)
    assert retry.status_code == 303


def test_form_posted_too_fast_is_refused(client, article):
    response = post_comment(client, article, timestamp=signed_timestamp(article, seconds_ago=1))

    assert response.status_code == 400
    assert "Please take a moment to read your comment, then post it again." in response.text
    assert not Comment.objects.exists()


def test_form_posted_after_the_minimum_is_accepted(client, article, settings):
    settings.COMMENTS_MIN_SECONDS = 3

    response = post_comment(client, article, timestamp=signed_timestamp(article, seconds_ago=4))

    assert response.status_code == 303


def test_no_minimum_when_set_to_zero(client, article, settings):
    settings.COMMENTS_MIN_SECONDS = 0

    response = post_comment(client, article, timestamp=make_timestamp(article))

    assert response.status_code == 303


def test_expired_form_is_shown_again_with_the_text_and_a_fresh_timestamp(client, article, settings):
    settings.COMMENTS_FORM_MAX_AGE = 3600
    old = signed_timestamp(article, seconds_ago=3601)

    response = post_comment(client, article, timestamp=old, body="Written before lunch.")

    assert response.status_code == 400
    assert "This form has expired. Your text is kept: please post it again." in response.text
    assert "Written before lunch." in response.text
    assert f'value="{old}"' not in response.text
    assert not Comment.objects.exists()


# Rate limit


def test_flood_from_one_address_is_answered_429(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 3
    settings.COMMENTS_RATE_WINDOW = 600
    for number in range(3):
        assert post_comment(client, article, body=f"Remark {number}.").status_code == 303

    response = post_comment(client, article, body="One too many.")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert "You have posted too many comments in a short time." in response.text
    assert Comment.objects.count() == 3


def test_rate_limit_counts_refused_attempts_too(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 2
    for _ in range(2):
        assert post_comment(client, article, email="broken").status_code == 400

    assert post_comment(client, article).status_code == 429


def test_rate_limit_is_per_address(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    data = comment_data(article)
    url = "/articles/the-corridor/comment/"
    assert client.post(url, data, REMOTE_ADDR="203.0.113.1").status_code == 303

    assert client.post(url, data, REMOTE_ADDR="203.0.113.1").status_code == 429
    other = client.post(url, comment_data(article, body="Another."), REMOTE_ADDR="203.0.113.2")
    assert other.status_code == 303


def test_rate_limit_ends_with_its_window(client, article, settings):
    settings.COMMENTS_RATE_LIMIT = 1
    settings.COMMENTS_RATE_WINDOW = 60
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert post_comment(client, article).status_code == 303
        assert post_comment(client, article, body="Too soon.").status_code == 429

        traveller.shift(datetime.timedelta(seconds=61))
        data = comment_data(article, body="Later.")
        assert client.post("/articles/the-corridor/comment/", data).status_code == 303


# Duplicates


def test_duplicate_comment_is_refused(client, article):
    CommentFactory(
        article=article,
        email="jane.reader@example.net",
        body="The corridor matters more than the summit.",
    )

    response = post_comment(client, article, email="Jane.Reader@example.net")

    assert response.status_code == 400
    assert "You&#x27;ve already said that!" in response.text
    assert Comment.objects.count() == 1


def test_same_text_after_trash_or_on_another_article_is_not_a_duplicate(client, article):
    CommentFactory(
        article=article,
        email="jane.reader@example.net",
        body="The corridor matters more than the summit.",
        status=Comment.Status.TRASH,
    )
    CommentFactory(
        email="jane.reader@example.net", body="The corridor matters more than the summit."
    )

    assert post_comment(client, article).status_code == 303


# Akismet (the HTTP call is mocked; an outage never loses a comment)


@pytest.fixture
def akismet(monkeypatch, settings):
    """Answer Akismet's comment-check with ``answer`` ("true", "false", 500 or "timeout")."""
    settings.AKISMET_API_KEY = "test-key"
    settings.AKISMET_SITE_URL = "https://tribune.example.org"
    calls = []

    def install(answer):
        def handler(request):
            calls.append(request)
            if answer == "timeout":
                raise httpx.ConnectTimeout("timed out", request=request)
            if isinstance(answer, int):
                return httpx.Response(answer, text="error")
            return httpx.Response(200, text=answer)

        monkeypatch.setattr(
            "comments.spamcheck.make_http_client",
            lambda: httpx.Client(transport=httpx.MockTransport(handler)),
        )
        return calls

    return install


def test_akismet_spam_sends_the_comment_to_spam(client, article, akismet):
    calls = akismet("true")

    response = post_comment(client, article)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.hold_reason == "Spam: Akismet says this is spam."
    assert calls and b"comment_author_email=jane.reader%40example.net" in calls[0].content
    # The author is not told; they read what every held comment gets.
    assert "Your comment is awaiting moderation." in client.get(response["Location"]).text


def test_akismet_ham_follows_the_other_rules(client, article, akismet):
    akismet("false")

    post_comment(client, article)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "Held: every comment is held for moderation."


@pytest.mark.parametrize("answer", [500, "timeout"])
def test_akismet_outage_holds_the_comment_for_a_human(client, article, akismet, answer, settings):
    settings.COMMENTS_HOLD_ALL = False
    akismet(answer)

    response = post_comment(client, article)

    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.hold_reason == "Held: Akismet could not be reached."


def test_akismet_is_not_asked_without_a_key(client, article, akismet, settings):
    calls = akismet("true")
    settings.AKISMET_API_KEY = ""

    post_comment(client, article)

    assert calls == []
    assert Comment.objects.get().status == Comment.Status.PENDING
