"""Cleaning WordPress strings: invisible characters, slugs, titles and plain text."""

import html
import re
import unicodedata
from urllib.parse import unquote

from django.utils.html import strip_tags
from django.utils.text import slugify

# Characters that change nothing visible but make two equal-looking strings differ
# (zero-width space, joiners, word joiner, BOM, soft hyphen) or reorder what
# follows (bidi embeddings, overrides and isolates, directional marks).
INVISIBLE = frozenset(
    "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_DROP_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))

# In running text zero-width joiners and directional marks can be meaningful
# (emoji sequences, Persian, mixed-direction titles); overrides and stray
# zero-width spaces or BOMs are not.
_DROP_IN_TEXT = dict.fromkeys(
    map(ord, "\u0000\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e"),
)

# What Django's slug converter and SlugField accept, and what our URLs route.
ASCII_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

# What sanitize_title() keeps of ASCII, and what it drops or joins with hyphens.
NICENAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789 _-")
_ENTITY = re.compile(r"&.+?;")
_SPACES = re.compile(r"\s+")
_HYPHENS = re.compile(r"-+")


def strip_invisible(value):
    """``value`` without any invisible or direction-changing character."""
    return (value or "").translate(_DROP_INVISIBLE)


def clean_line(value):
    """One line of plain text (a title, a name): overrides removed, whitespace collapsed.

    Emoji, combining marks and joiners stay; format characters at either end go.
    """
    text = (value or "").translate(_DROP_IN_TEXT)
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    text = " ".join(text.split())
    return _strip_format_edges(text)


def _strip_format_edges(text):
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "Cf"):
        end -= 1
    return text[start:end]


def html_to_line(value):
    """A title written as HTML (``Title <em>with</em> markup``) as one line of plain text."""
    return clean_line(html.unescape(strip_tags(value or "")))


_BREAKS = re.compile(r"<br\s*/?>|</?(?:p|div|li|blockquote|h[1-6]|pre|tr)\b[^>]*>", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n\s*")


def html_to_text(value):
    """HTML as plain text with its line breaks and paragraphs kept (comments, excerpts)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = _BREAKS.sub(lambda match: "\n" if match.group(0)[:3].lower() == "<br" else "\n\n", text)
    text = html.unescape(strip_tags(text)).translate(_DROP_IN_TEXT)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def make_slug(*candidates, max_length=255):
    """The first candidate that makes a routable ASCII slug (not only digits), or "".

    A candidate may be a WordPress slug, which stores non-ASCII letters
    percent-encoded; it is decoded and cleaned of invisible characters first,
    so ``hello-w\u202eorld\u202c`` gives ``hello-world``.
    """
    for candidate in candidates:
        text = strip_invisible(unquote(candidate or ""))
        slug = slugify(text)[:max_length].strip("-_")
        if slug and not slug.isdigit():
            return slug
    return ""


def user_nicename(login):
    """The ``user_nicename`` WordPress made from ``login``: the name in ``/author/<nicename>/``.

    ``wp_insert_user()`` passes the login's first 50 characters through
    ``sanitize_title()``: accents and tags go, letters become lower case, entities are
    dropped, dots and slashes become hyphens, then only a-z, 0-9, ``_``, ``-`` and
    whitespace stay; whitespace runs become one hyphen, hyphens collapse and none is
    left at either end. So ``John.Smith`` gives ``john-smith`` and ``jane@example.com``
    ``janeexample-com``. Logins are ASCII (``sanitize_user()`` in strict mode); letters
    of other scripts, which WordPress keeps percent-encoded, stay here decoded, as the
    old addresses are stored. "" when nothing is left.
    """
    text = unicodedata.normalize("NFKD", strip_tags(login[:50]))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    text = _ENTITY.sub("", text).replace(".", "-").replace("/", "-")
    text = "".join(
        char
        for char in text
        if char in NICENAME_CHARACTERS or char.isspace() or (not char.isascii() and char.isalnum())
    )
    return _HYPHENS.sub("-", _SPACES.sub("-", text)).strip("-")


def truncate(value, length):
    """``value`` cut to ``length`` characters at a word boundary, with an ellipsis."""
    if len(value) <= length:
        return value
    cut = value[: length - 1]
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"
