"""Addresses made without reverse()'s search are the ones reverse() makes."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from articles.links import slug_url

NAMES = ["articles:detail", "articles:category", "articles:expert"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("slug", ["the-corridor", "a_b-2024", "x"])
def test_the_same_address_as_reverse(name, slug):
    assert slug_url(name, slug) == reverse(name, kwargs={"slug": slug})


def test_the_site_under_a_script_prefix():
    set_script_prefix("/tribune/")
    try:
        assert slug_url("articles:detail", "the-corridor") == "/tribune/articles/the-corridor/"
    finally:
        set_script_prefix("/")
    assert slug_url("articles:detail", "the-corridor") == "/articles/the-corridor/"


@pytest.mark.parametrize("slug", ["", "two/parts", "کریدور"])
def test_a_slug_reverse_refuses_is_still_refused(slug):
    with pytest.raises(NoReverseMatch):
        slug_url("articles:detail", slug)
