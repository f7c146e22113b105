"""Addresses of articles, categories and experts, made without a search of every URL.

``reverse()`` tries each pattern of a name and matches the result against it: a
listing of ten cards asks for some seventy addresses, and that search was a good
part of rendering it. The address of each name is found once with a stand-in slug
(per script prefix, URL configuration and language) and the slug put in its place.
A slug outside the ``slug`` converter's letters goes through ``reverse()``, which
refuses it as it always did.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
STAND_IN = "slug-stand-in"


def slug_url(name, slug):
    """``reverse(name, kwargs={"slug": slug})``."""
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(name, kwargs={"slug": slug})
    return _address(name, get_script_prefix(), get_urlconf(), get_language()).replace(
        STAND_IN, slug
    )


@lru_cache(maxsize=128)
def _address(name, script_prefix, urlconf, language):
    return reverse(name, kwargs={"slug": STAND_IN}, urlconf=urlconf)


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _address.cache_clear()
