"""The moderation policy: what becomes of a new comment, and why.

Every rule is a setting (``COMMENTS_*`` in ``config/settings.py``). The rules
are tried in this order and the first that applies decides, so spam rules win
over everything and a hold wins over auto-approval:

1. a disallowed word, email address or IP address (``COMMENTS_DISALLOWED``) → spam;
2. Akismet (when ``AKISMET_API_KEY`` is set) says spam → spam;
   Akismet cannot be reached → held for a human;
3. more than ``COMMENTS_MAX_LINKS`` links in the text → held;
4. the same email address already has an approved comment
   (``COMMENTS_AUTO_APPROVE_KNOWN``) → approved;
5. ``COMMENTS_HOLD_ALL`` → held; otherwise approved.

Every decision carries its reason, stored in ``Comment.hold_reason`` for the
moderators. Whether an article still takes comments is ``comments_open()``.
"""

import datetime
import ipaddress
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from comments import spamcheck
from comments.models import Comment

# Letters that Arabic and Persian keyboards write differently, mapped to one
# form, and Arabic-Indic and Persian digits mapped to ASCII digits.
_VARIANTS = str.maketrans(
    {
        "\u064a": "\u06cc",  # Arabic yeh → Persian yeh
        "\u0649": "\u06cc",  # alef maksura → Persian yeh
        "\u0626": "\u06cc",  # yeh with hamza above → Persian yeh
        "\u0643": "\u06a9",  # Arabic kaf → keheh
        "\u0629": "\u0647",  # teh marbuta → heh
        "\u06c0": "\u0647",  # heh with yeh above → heh
        "\u06d5": "\u0647",  # ae → heh
        "\u0622": "\u0627",  # alef with madda → alef
        "\u0623": "\u0627",  # alef with hamza above → alef
        "\u0625": "\u0627",  # alef with hamza below → alef
        "\u0671": "\u0627",  # alef wasla → alef
        "\u0624": "\u0648",  # waw with hamza above → waw
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
    }
)
# Marks that do not change a word: tatweel, Arabic diacritics (harakat and the
# superscript alef), zero-width spaces, joiners and non-joiners, soft hyphens.
_IGNORED = re.compile("[\u0640\u064b-\u065f\u0670\u200b-\u200d\u2060\ufeff\u00ad]")
# A link is counted once, whether written https://www.example.org or www.example.org.
_LINK = re.compile(r"https?://(?:www\.)?|\bwww\.", re.IGNORECASE)
_SHOWN_ENTRY_LENGTH = 60


@dataclass(frozen=True)
class Decision:
    status: str
    reason: str


def comments_open(article):
    """Whether ``article`` takes new comments: public, switched on and not closed by age."""
    if not (article.comments_enabled and article.is_published()):
        return False
    days = settings.COMMENTS_CLOSE_AFTER_DAYS
    if days is None:
        return True
    return timezone.now() < article.published_at + datetime.timedelta(days=days)


def normalize(text):
    """``text`` folded for matching: NFKC, casefold, one form per Arabic/Persian letter."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _IGNORED.sub("", text)
    return text.translate(_VARIANTS).casefold()


def count_links(text):
    return len(_LINK.findall(text or ""))


def decide(comment, *, ip_address, user_agent="", referrer="", permalink=""):
    """The status of the new, unsaved ``comment`` and the reason for it.

    ``ip_address`` is the reader's full address (the comment stores it truncated).
    """
    reason = disallowed_reason(comment, ip_address=ip_address)
    if reason:
        return Decision(Comment.Status.SPAM, reason)

    verdict = spamcheck.akismet_verdict(
        comment,
        ip_address=ip_address,
        user_agent=user_agent,
        referrer=referrer,
        permalink=permalink,
    )
    if verdict == spamcheck.SPAM:
        return Decision(Comment.Status.SPAM, _("Spam: Akismet says this is spam."))
    if verdict == spamcheck.UNAVAILABLE:
        return Decision(Comment.Status.PENDING, _("Held: Akismet could not be reached."))

    links = count_links(comment.body)
    if links > settings.COMMENTS_MAX_LINKS:
        reason = ngettext(
            "Held: %(count)d link (more than %(limit)d).",
            "Held: %(count)d links (more than %(limit)d).",
            links,
        ) % {"count": links, "limit": settings.COMMENTS_MAX_LINKS}
        return Decision(Comment.Status.PENDING, reason)

    if settings.COMMENTS_AUTO_APPROVE_KNOWN and has_approved_comment(comment.email):
        return Decision(
            Comment.Status.APPROVED, _("Approved: the same email has an approved comment.")
        )

    if settings.COMMENTS_HOLD_ALL:
        return Decision(Comment.Status.PENDING, _("Held: every comment is held for moderation."))
    return Decision(
        Comment.Status.APPROVED, _("Approved: comments are published without moderation.")
    )


def has_approved_comment(email):
    return Comment.objects.filter(email__iexact=email, status=Comment.Status.APPROVED).exists()


def disallowed_reason(comment, *, ip_address):
    """Why ``comment`` matches ``COMMENTS_DISALLOWED``, or ``""`` when it does not.

    An entry is matched inside the name, email, website, text and IP address,
    case-insensitively and after ``normalize()``, so "كتاب" typed on an Arabic
    keyboard also catches the Persian "کتاب". An entry that is an IP address
    or a network ("203.0.113.0/24") matches the addresses it contains.
    """
    texts = {
        "text": normalize(" ".join([comment.name, comment.url, comment.body])),
        "email": normalize(comment.email),
        "ip": ip_address or "",
    }
    for entry in settings.COMMENTS_DISALLOWED:
        entry = entry.strip()
        if not entry:
            continue
        shown = Truncator(entry).chars(_SHOWN_ENTRY_LENGTH)
        if _ip_matches(entry, ip_address):
            return _("Spam: the IP address is disallowed (“%(entry)s”).") % {"entry": shown}
        needle = normalize(entry)
        if needle in texts["email"]:
            return _("Spam: the email address is disallowed (“%(entry)s”).") % {"entry": shown}
        if needle in texts["ip"]:
            return _("Spam: the IP address is disallowed (“%(entry)s”).") % {"entry": shown}
        if needle in texts["text"]:
            return _("Spam: contains a disallowed word (“%(entry)s”).") % {"entry": shown}
    return ""


def _ip_matches(entry, ip_address):
    if not ip_address:
        return False
    try:
        network = ipaddress.ip_network(entry, strict=False)
        address = ipaddress.ip_address(ip_address)
    except ValueError:
        return False
    return address.version == network.version and address in network
