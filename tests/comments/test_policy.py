"""The moderation policy: each rule, its setting, its order and the recorded reason."""

import datetime

import pytest
import time_machine

from comments.models import Comment
from comments.policy import comments_open, count_links, decide, normalize
from tests.comments.test_posting import post_comment, signed_timestamp
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 6, 15, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def article():
    return ArticleFactory(slug="the-corridor")


def new_comment(article, **fields):
    values = {
        "article": article,
        "name": "Jane Reader",
        "email": "jane@example.net",
        "url": "",
        "body": "A remark about the corridor.",
    }
    values.update(fields)
    return Comment(**values)


def decision_for(article, *, ip_address="203.0.113.7", **fields):
    return decide(new_comment(article, **fields), ip_address=ip_address)


# Hold everything by default; the switch


def test_every_comment_is_held_by_default(article):
    decision = decision_for(article)

    assert decision.status == Comment.Status.PENDING
    assert decision.reason == "Held: every comment is held for moderation."


def test_without_hold_all_comments_are_approved(article, settings):
    settings.COMMENTS_HOLD_ALL = False

    decision = decision_for(article)

    assert decision.status == Comment.Status.APPROVED
    assert decision.reason == "Approved: comments are published without moderation."


# Auto-approval of known commenters


def test_email_with_an_approved_comment_is_approved(article):
    CommentFactory(email="jane@example.net", status=Comment.Status.APPROVED)

    decision = decision_for(article, email="JANE@example.net")

    assert decision.status == Comment.Status.APPROVED
    assert decision.reason == "Approved: the same email has an approved comment."


@pytest.mark.parametrize("status", ["pending", "spam", "trash"])
def test_email_without_an_approved_comment_is_held(article, status):
    CommentFactory(email="jane@example.net", status=status)

    assert decision_for(article).status == Comment.Status.PENDING


def test_auto_approval_can_be_switched_off(article, settings):
    settings.COMMENTS_AUTO_APPROVE_KNOWN = False
    CommentFactory(email="jane@example.net", status=Comment.Status.APPROVED)

    assert decision_for(article).status == Comment.Status.PENDING


# Links


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("no link here", 0),
        ("see https://www.example.org and http://example.net", 2),
        ("www.example.org, WWW.example.net, https://x.example", 3),
        ("awww.example.org is not a link", 0),
    ],
)
def test_links_are_counted_once_each(text, count):
    assert count_links(text) == count


def test_more_links_than_allowed_are_held_even_for_a_known_email(article):
    CommentFactory(email="jane@example.net", status=Comment.Status.APPROVED)

    decision = decision_for(
        article, body="http://a.example http://b.example www.c.example", email="jane@example.net"
    )

    assert decision.status == Comment.Status.PENDING
    assert decision.reason == "Held: 3 links (more than 2)."


def test_links_up_to_the_limit_are_not_held(article, settings):
    settings.COMMENTS_HOLD_ALL = False

    decision = decision_for(article, body="http://a.example and http://b.example")

    assert decision.status == Comment.Status.APPROVED


def test_link_limit_is_a_setting(article, settings):
    settings.COMMENTS_MAX_LINKS = 0

    decision = decision_for(article, body="Read http://a.example")

    assert decision.reason == "Held: 1 link (more than 0)."


# Disallowed words, emails and addresses


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"body": "Buy CHEAP pills now"}, "Spam: contains a disallowed word (“cheap pills”)."),
        ({"name": "Cheap Pills Shop"}, "Spam: contains a disallowed word (“cheap pills”)."),
        (
            {"url": "https://cheap-pills.example/"},
            "Spam: contains a disallowed word (“cheap-pills”).",
        ),
        (
            {"email": "Seller@Spam.Example"},
            "Spam: the email address is disallowed (“seller@spam.example”).",
        ),
        ({}, "Spam: the IP address is disallowed (“198.51.100.23”)."),
    ],
    ids=["text", "name", "url", "email", "ip"],
)
def test_disallowed_entry_sends_to_spam(article, settings, fields, reason):
    settings.COMMENTS_DISALLOWED = [
        "cheap pills",
        "cheap-pills",
        "seller@spam.example",
        "198.51.100.23",
    ]

    decision = decision_for(article, ip_address="198.51.100.23", **fields)

    assert decision.status == Comment.Status.SPAM
    assert decision.reason == reason


def test_disallowed_network_matches_its_addresses(article, settings):
    settings.COMMENTS_DISALLOWED = ["2001:db8::/32", "203.0.113.0/24"]

    assert decision_for(article, ip_address="203.0.113.200").status == Comment.Status.SPAM
    assert decision_for(article, ip_address="2001:db8:1::5").status == Comment.Status.SPAM
    assert decision_for(article, ip_address="192.0.2.1").status == Comment.Status.PENDING


def test_disallowed_address_prefix_matches_like_wordpress(article, settings):
    settings.COMMENTS_DISALLOWED = ["192.0.2."]

    assert decision_for(article, ip_address="192.0.2.44").status == Comment.Status.SPAM


def test_disallowed_wins_over_a_known_email(article, settings):
    settings.COMMENTS_DISALLOWED = ["casino"]
    CommentFactory(email="jane@example.net", status=Comment.Status.APPROVED)

    decision = decision_for(article, body="Visit my casino")

    assert decision.status == Comment.Status.SPAM


def test_blank_disallowed_entries_match_nothing(article, settings):
    settings.COMMENTS_DISALLOWED = ["", "  "]

    assert decision_for(article).status == Comment.Status.PENDING


ARABIC_BOOK = "كتاب"  # written with the Arabic kaf U+0643
PERSIAN_BOOK = "کتاب"  # written with the Persian keheh U+06A9


@pytest.mark.parametrize(
    "text",
    [
        PERSIAN_BOOK,
        "این کتاب را بخوانید",
        "کـــتاب",  # tatweel
        "کِتَاب",  # diacritics (kasra, fatha)
        "کتاب\u200cها",  # with a zero-width non-joiner, as Persian writes the plural
        "ک\u200dتاب",  # zero-width joiner inside the word
        "\ufedb\ufe98\ufe8e\ufe8f",  # Arabic presentation forms (NFKC)
    ],
    ids=["persian", "in-a-sentence", "tatweel", "diacritics", "zwnj", "zwj", "presentation"],
)
def test_arabic_disallowed_word_catches_persian_spellings(article, settings, text):
    settings.COMMENTS_DISALLOWED = [ARABIC_BOOK]

    decision = decision_for(article, body=text)

    assert decision.status == Comment.Status.SPAM


@pytest.mark.parametrize(
    ("disallowed", "written"),
    [
        ("علي", "علی"),  # Arabic yeh / Persian yeh
        ("مدرسة", "مدرسه"),  # teh marbuta / heh
        ("أحمد", "احمد"),  # alef with hamza / bare alef
        ("۱۲۳", "123"),  # Persian digits / ASCII digits
        ("STRASSE", "straße"),  # casefold
    ],
)
def test_variants_are_matched_both_ways(article, settings, disallowed, written):
    settings.COMMENTS_DISALLOWED = [disallowed]
    assert decision_for(article, body=written).status == Comment.Status.SPAM

    settings.COMMENTS_DISALLOWED = [written]
    assert decision_for(article, body=disallowed).status == Comment.Status.SPAM


def test_normalize_folds_case_and_arabic_variants():
    assert normalize("Ｂｏｏｋ كِتَابٌ") == normalize("book کتاب")


def test_words_are_matched_inside_longer_words_like_wordpress(article, settings):
    settings.COMMENTS_DISALLOWED = [ARABIC_BOOK]

    assert decision_for(article, body="کتابخانه؟").status == Comment.Status.SPAM  # library
    assert decision_for(article, body="کاغذ").status == Comment.Status.PENDING


# The decision and its reason are stored by posting


def test_posted_comment_stores_the_decision_and_reason(client, article, settings):
    settings.COMMENTS_DISALLOWED = [ARABIC_BOOK]

    post_comment(client, article, body="این کتاب خوب است")

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.hold_reason == f"Spam: contains a disallowed word (“{ARABIC_BOOK}”)."


def test_posted_comment_is_checked_against_the_full_address(client, article, settings):
    settings.COMMENTS_DISALLOWED = ["203.0.113.77"]

    client.post(
        "/articles/the-corridor/comment/",
        {
            "body": "Hello",
            "name": "Jo",
            "email": "jo@example.net",
            "timestamp": signed_timestamp(article),
        },
        REMOTE_ADDR="203.0.113.77",
    )

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.SPAM
    assert comment.ip_address == "203.0.113.0"


# Closing comments


def test_comments_are_open_by_default(article):
    assert comments_open(article)


def test_per_article_switch_closes_comments():
    assert not comments_open(ArticleFactory(comments_enabled=False))


def test_comments_close_the_given_number_of_days_after_publication(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 30
    article = ArticleFactory(published_at=NOW)

    with time_machine.travel(NOW + datetime.timedelta(days=29, hours=23), tick=False):
        assert comments_open(article)
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert not comments_open(article)


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_an_unpublished_article_takes_no_comments(state):
    assert not comments_open(ArticleFactory(**{state: True}))


def test_closing_by_age_is_off_by_default():
    article = ArticleFactory(published_at=NOW - datetime.timedelta(days=3650))

    assert comments_open(article)
