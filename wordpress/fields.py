"""Values as Tribune stores them: WordPress dates, old addresses, slugs no other row has."""

import datetime
from urllib.parse import parse_qs, unquote, urlsplit

from wordpress.text import html_to_line


def parse_date(value):
    """A WordPress ``Y-m-d H:i:s`` date as an aware UTC datetime; None for 0000-00-00 or junk."""
    try:
        moment = datetime.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except (AttributeError, ValueError):
        return None
    return moment.replace(tzinfo=datetime.UTC)


def legacy_path(url):
    """The decoded path of an old permalink (``/2018/10/20/slug/``), or None for ``/?p=1``."""
    parts = urlsplit((url or "").strip())
    path = unquote(parts.path)
    path = "/" + "/".join(segment for segment in path.split("/") if segment)
    if path == "/":
        return None
    return path + "/" if parts.path.endswith("/") else path


def query_form(url, name):
    """The id in a ``?p=123``-style URL, or None."""
    values = parse_qs(urlsplit((url or "").strip()).query).get(name, [])
    return values[0] if values and values[0].isascii() and values[0].isdigit() else None


def wordpress_id(text):
    """The WordPress id (of a user, a term, a post) written as ``text``, or None for no id.

    Ids are positive; a value that is not ASCII digits, or too long for one, is no id.
    """
    if text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0:
        return int(text)
    return None


def unique_slug(model, base, *, max_length, exclude_pk=None):
    """``base``, or ``base-2``, ``base-3``…: the first slug no other ``model`` row has.

    Candidates are looked up by exact value, ten at a time, so the unique
    index answers (a prefix search would read the whole table on SQLite).
    """
    base = base[:max_length].strip("-") or "item"
    rows = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    first = 1
    while True:
        candidates = [
            base if number == 1 else f"{base[: max_length - len(str(number)) - 1]}-{number}"
            for number in range(first, first + 10)
        ]
        taken = set(rows.filter(slug__in=candidates).values_list("slug", flat=True))
        for candidate in candidates:
            if candidate not in taken:
                return candidate
        first += 10


def item_title(item):
    """An item's title as plain text (WordPress keeps titles as HTML)."""
    return html_to_line(item.title)
