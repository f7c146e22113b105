"""The versions of what pages show: one token per *topic*, replaced when the topic changes.

A topic is a name a content app gives to something pages show: ``article:42`` (one
article), ``comments:42`` (its approved comments), ``articles`` (which articles are
published, in which order), ``site`` (what every page shows). The page cache
never interprets a name; it only keeps, for each topic, the token of its current
version, and for each page the tokens of the topics it showed when it was rendered.

Tokens come from one counter in the cache, raised atomically (``incr``), so a
token is never handed out twice and later tokens are larger. A topic with no token
yet (new, or evicted) gets one with ``add``: the first process to ask wins, the
others read its token. A change sets a topic's new token once, after its
transaction commits.

Some topics change by themselves at a known moment (a scheduled article goes live,
the footer's year turns): their sources are registered with ``register_clock()``,
and the token of such a topic is replaced when that moment passes, by one process.
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("pagecache")

SITE = "site"  # what every page shows: the navigation, the footer
COUNTER_KEY = "pagecache:counter"
TOPIC_PREFIX = "pagecache:topic:"
TICK_LOCK_SECONDS = 30
MANY = 1000  # see topics_of()
OUTAGE_LOG_INTERVAL = 60  # seconds between two warnings about an unreachable cache

_clocks = {}  # topic → [function returning an aware datetime or None]
_unannounced = set()  # topics changed while the cache could not be reached
_last_outage_warning = 0.0
_last_look = {"token": None, "at": float("-inf")}  # the counter, when this process last read it
_local = threading.local()  # the announcement waiting for this thread's commit


class CacheUnavailable(Exception):
    pass


@dataclass(frozen=True)
class Version:
    token: int
    next_change: float | None = None  # when the topic changes by itself (Unix time)
    minted: bool = False  # a first token, not a change

    def seen_by(self, since):
        """Whether a render that began at token ``since`` saw this version's content."""
        return self.minted or self.token <= since


def register_clock(topic, function):
    """``function()`` returns the next moment ``topic`` changes by itself, or None."""
    _clocks.setdefault(topic, []).append(function)
    return function


def next_new_year():
    """The footer shows the year."""
    now = timezone.localtime()
    return now.replace(year=now.year + 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)


register_clock(SITE, next_new_year)


def topics_of(keys, topic, *, along):
    """``along`` and ``topic(key)`` for each of ``keys``; past ``MANY`` keys, ``along``
    and ``SITE`` instead: every page is rendered afresh, cheaper than so many versions."""
    if len(keys) > MANY:
        return (SITE, along)
    return (along, *(topic(key) for key in keys))


def changed(*topics):
    """Announce that what pages show of ``topics`` has changed.

    Their tokens are replaced once, when the current transaction commits (at once
    outside one), however many changes it made: a page rendered meanwhile from what
    the database held before is kept under a token that is then already gone, and a
    rolled-back change replaces nothing.
    """
    if not topics:
        return
    waiting = getattr(_local, "waiting", None)
    if waiting is not None and waiting.is_queued():
        waiting.topics.update(topics)
        return
    waiting = _Announcement(set(topics))
    _local.waiting = waiting
    _on_commit(waiting.send)


class _Announcement:
    """The topics a transaction changed, sent when it commits."""

    def __init__(self, topics):
        self.topics = topics

    def is_queued(self):
        queued = transaction.get_connection().run_on_commit
        return any(function == self.send for _savepoints, function, _robust in queued)

    def send(self):
        if getattr(_local, "waiting", None) is self:
            _local.waiting = None
        bump(self.topics)


def _on_commit(function):
    transaction.on_commit(function, robust=True)


def bump(topics):
    """Give each of ``topics`` a new token now (with the page cache off, nothing is kept)."""
    if not settings.PAGE_CACHE:
        return
    try:
        _catch_up()
        _bump(topics)
    except CacheUnavailable:
        # Replaced at this process's next request that reaches the cache.
        _unannounced.update(topics)


def _bump(topics):
    """New tokens for ``topics``; the counter is raised again once they are written, so
    that a process which judged a page current before then asks again (serving.py)."""
    _last_look["at"] = float("-inf")  # this process sees its own change at its next request
    token = _next_token()
    call(cache.set_many, {TOPIC_PREFIX + topic: _stored(topic, token) for topic in topics}, None)
    _next_token()
    _last_look["at"] = float("-inf")


def _stored(topic, token, *, minted=False):
    """What the cache keeps of a version: its token (with the minted bit), as a plain
    integer, and for a topic with a clock the next moment it changes by itself."""
    code = token * 2 + minted
    if topic not in _clocks:
        return code
    moments = (clock() for clock in _clocks[topic])
    now = time.time()
    upcoming = [moment.timestamp() for moment in moments if moment is not None]
    return (code, min((moment for moment in upcoming if moment > now), default=None))


def _loaded(value):
    code, next_change = (value, None) if type(value) is int else value
    return Version(code // 2, next_change, minted=bool(code % 2))


def _next_token():
    """A token never handed out before: the shared counter, raised by one."""
    try:
        return call(cache.incr, COUNTER_KEY)
    except ValueError:
        # No counter yet (or it was evicted): start above the tokens used before it
        # (microseconds since 1970), and apart from another start at the same moment.
        start = (time.time_ns() // 1000) * 1000 + secrets.randbelow(1000)
        call(cache.add, COUNTER_KEY, start, None)
        return call(cache.incr, COUNTER_KEY)


def current_token():
    """The counter as it stands: raised by every change, before and after it is written."""
    _catch_up()
    token = call(cache.get, COUNTER_KEY)
    if token is None:
        token = _next_token()
    _last_look.update(token=token, at=time.monotonic())
    return token


def recent_token():
    """The counter as this process last saw it, looked at again once
    ``PAGE_CACHE_FRESHNESS`` seconds have passed: a kept page that was current at
    that count needs no other look at the cache. A change this process makes is
    seen at once; one made by another process within that time."""
    if _unannounced or time.monotonic() - _last_look["at"] >= settings.PAGE_CACHE_FRESHNESS:
        return current_token()
    return _last_look["token"]


def current(topics):
    """``{topic: Version}`` of the current versions; None for a topic changing right now."""
    _catch_up()
    keys = {TOPIC_PREFIX + topic: topic for topic in topics}
    found = call(cache.get_many, list(keys))
    now = time.time()
    counter = None  # read once for all the topics minted here
    result = {}
    for key, topic in keys.items():
        value = found.get(key)
        if value is None:
            counter = current_token() if counter is None else counter
            version = _mint(topic, counter)
        else:
            version = _loaded(value)
        if version is not None and version.next_change is not None and now >= version.next_change:
            version = _tick(topic, version)
        result[topic] = version
    return result


def _mint(topic, counter):
    """A first token for ``topic``: one process's, whichever asks first.

    It is the counter as it stands (a first version is no change, so the counter is
    not raised): should the topic be evicted and minted again while nothing changed,
    it gets the same token, and its pages stay current, as they are.
    """
    value = _stored(topic, counter, minted=True)
    if not call(cache.add, TOPIC_PREFIX + topic, value, None):
        value = call(cache.get, TOPIC_PREFIX + topic) or value
    return _loaded(value)


def _tick(topic, version):
    """``topic``'s moment has passed: one process replaces its token; meanwhile, for
    the others, the topic has no current version (pages showing it are rendered afresh)."""
    lock = f"{TOPIC_PREFIX}{topic}:tick:{version.token}"
    if not call(cache.add, lock, 1, TICK_LOCK_SECONDS):
        return None
    _bump([topic])
    value = call(cache.get, TOPIC_PREFIX + topic)
    return None if value is None else _loaded(value)


def _catch_up():
    """Announce the changes this process made while the cache was unreachable."""
    if _unannounced:
        missed = set(_unannounced)
        _bump(missed)
        _unannounced.difference_update(missed)


def call(method, *args):
    """Call the cache; an unreachable cache raises CacheUnavailable (logged now and then)."""
    global _last_outage_warning
    try:
        return method(*args)
    except ValueError:
        raise
    except Exception as error:
        now = time.monotonic()
        if now - _last_outage_warning > OUTAGE_LOG_INTERVAL:
            _last_outage_warning = now
            logger.warning("The page cache is off: the cache is unreachable (%s).", error)
        raise CacheUnavailable from error
