"""The optional Akismet check, used when ``AKISMET_API_KEY`` is set.

Akismet is advice, never a gate: when the service cannot be reached or
answers an error, the comment is held for a human instead of being lost or
refused.
"""

import logging

import akismet
import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

DISABLED = "disabled"
HAM = "ham"
SPAM = "spam"
UNAVAILABLE = "unavailable"


def make_http_client():
    """The HTTP client for Akismet calls (tests replace it with a mock transport)."""
    return httpx.Client(timeout=5.0)


def akismet_verdict(comment, *, ip_address, user_agent="", referrer="", permalink=""):
    """Ask Akismet about ``comment``: ``"ham"``, ``"spam"``, ``"unavailable"`` or ``"disabled"``."""
    if not settings.AKISMET_API_KEY:
        return DISABLED
    try:
        config = akismet.Config(key=settings.AKISMET_API_KEY, url=settings.AKISMET_SITE_URL)
        with make_http_client() as http_client:
            client = akismet.SyncClient(config=config, http_client=http_client)
            response = client.comment_check(
                user_ip=ip_address or "",
                user_agent=user_agent,
                referrer=referrer,
                permalink=permalink,
                comment_type="comment",
                comment_author=comment.name,
                comment_author_email=comment.email,
                comment_author_url=comment.url,
                comment_content=comment.body,
            )
    except (akismet.AkismetError, httpx.HTTPError, OSError, ValueError):
        logger.warning("Akismet could not check a comment; holding it.", exc_info=True)
        return UNAVAILABLE
    if response in (akismet.CheckResponse.SPAM, akismet.CheckResponse.DISCARD):
        return SPAM
    return HAM
