"""Personal parts of shared pages: the rest of the page comes from the cache.

A page kept in the cache is the page every reader without cookies gets. A reader
with a personal cookie gets that same page with its personal parts rendered for
them alone: a template tag that renders such a part (the comment form with the
reader's name and token, their own held comments) passes its output through
``personal_part(name, args, html)``; a content app registers, with
``fills(name)``, the function that renders the part again for one reader from
``args``. The page is kept with where each part sits, so serving it to such a
reader costs the parts alone.
"""

import secrets
from contextvars import ContextVar

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

_TOKEN = secrets.token_hex(8)
_fillers = {}
_recording = ContextVar("pagecache_parts", default=None)


def fills(name):
    """Register ``function(request, *args)``, which renders the part ``name`` for one reader.

    It returns the part's HTML, or None when it cannot (the page is then rendered
    for that reader as a whole).
    """

    def register(function):
        _fillers[name] = function
        return function

    return register


def personal_part(name, args, html):
    """``html`` where it sits in the page; in a page being kept, marked as a personal part."""
    recorded = _recording.get()
    if recorded is None:
        return html
    index = len(recorded)
    recorded.append((name, tuple(args)))
    # The marks are fixed text; the part is escaped unless it is safe HTML already.
    return SafeString(f"{_start(index)}{conditional_escape(html)}{_end(index)}")


def _start(index):
    return f"<!--pagecache:{_TOKEN}:{index}-->"


def _end(index):
    return f"<!--/pagecache:{_TOKEN}:{index}-->"


class Recording:
    """Collects the personal parts of the page rendered within it."""

    def __enter__(self):
        self.parts = []
        self._reset = _recording.set(self.parts)
        return self

    def __exit__(self, *exc_info):
        _recording.reset(self._reset)

    def cut(self, content):
        """``(content without the marks, [(start, end, name, args)])``; parts None when a
        part cannot be found again (the page is then never filled in)."""
        parts = []
        for index, (name, args) in enumerate(self.parts):
            start_mark, end_mark = _start(index).encode(), _end(index).encode()
            start = content.find(start_mark)
            end = content.find(end_mark, start + 1)
            if start < 0 or end < 0 or name not in _fillers:
                return _without_marks(content, len(self.parts)), None
            content = content[:start] + content[start + len(start_mark) : end] + content[end:]
            end -= len(start_mark)
            content = content[:end] + content[end + len(end_mark) :]
            if parts and start < parts[-1][1]:  # not in the order they were rendered
                return _without_marks(content, len(self.parts)), None
            parts.append((start, end, name, args))
        return content, tuple(parts)


def _without_marks(content, count):
    for index in range(count):
        content = content.replace(_start(index).encode(), b"").replace(_end(index).encode(), b"")
    return content


def filled(content, parts, request):
    """``content`` with each personal part rendered for ``request``; None if one cannot be."""
    pieces, at = [], 0
    for start, end, name, args in parts:
        fill = _fillers.get(name)
        html = None if fill is None else fill(request, *args)
        if html is None:
            return None
        pieces += [content[at:start], str(html).encode()]
        at = end
    pieces.append(content[at:])
    return b"".join(pieces)
