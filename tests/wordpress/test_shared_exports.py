"""The other shared exports: exact counts, the Unicode traps and the CDATA trap."""

from collections import Counter

import pytest
from taggit.models import Tag

from articles.models import Article, Category, Expert
from comments.models import Comment
from pages.models import Page
from tests.wordpress.conftest import CDATA, SHARED, SMALL, UTF8, shared
from wordpress.importer import import_export
from wordpress.models import LegacyURL
from wordpress.text import INVISIBLE
from wordpress.wxr import Item, WXRReader

pytestmark = pytest.mark.django_db

# Rows in Tribune after importing each shared file into an empty database.
EXPECTED_ROWS = {
    "themeunittestdata.wordpress.xml": None,  # counted in test_theme_unit_data.py
    "small-export.xml": {
        Article: 6,
        Category: 30,
        Tag: 3,
        Expert: 3,
        Page: 4,
        Comment: 1,
        LegacyURL: 47,  # 14 old addresses, 3 "?author=", 30 "?cat="
    },
    "wxr-utf-8-challenges.xml": {
        Article: 1,
        Category: 1,
        Tag: 0,
        Expert: 1,
        Page: 0,
        Comment: 0,
        LegacyURL: 3,  # 2 old addresses, 1 "?author="
    },
    "crazy-cdata-escaped.xml": {
        Article: 1,
        Category: 0,
        Tag: 0,
        Expert: 1,
        Page: 0,
        Comment: 0,
        LegacyURL: 2,
    },
}


def test_every_shared_export_is_counted():
    shared(SMALL)
    assert {path.name for path in SHARED.glob("*.xml")} == set(EXPECTED_ROWS)


@pytest.mark.parametrize("name", [name for name, rows in EXPECTED_ROWS.items() if rows])
def test_rows_made_from_each_shared_export(name):
    import_export(shared(SHARED / name))
    assert {model: model.objects.count() for model in EXPECTED_ROWS[name]} == EXPECTED_ROWS[name]


# small-export.xml (WXR 1.1) --------------------------------------------------------------


def test_small_export_counts_by_status():
    report = import_export(shared(SMALL))
    assert report.version == "1.1"
    assert report.row("authors", "declared").created == 3
    assert report.row("categories", "declared").created == 30
    assert report.row("tags", "declared").created == 3
    assert (report.row("posts", "publish").created, report.row("posts", "private").created) == (
        5,
        1,
    )
    assert report.row("pages", "publish").created == 4
    assert report.row("pages", "not published").skipped == 1
    assert report.skipped["pages not published (draft)"] == ["Draft Page"]
    assert report.row("comments", "approved").created == 1
    assert Counter(Article.objects.values_list("status", flat=True)) == {
        "published": 5,
        "draft": 1,
    }
    assert Article.objects.get(slug="private-post").status == Article.Status.DRAFT


def test_small_export_pages_get_addresses_from_their_slugs():
    # The links are "?page_id=4"; the child comes before its parent in the file.
    import_export(shared(SMALL))
    assert sorted(Page.objects.values_list("url", flat=True)) == [
        "/1-col-page/",
        "/parent-page/",
        "/parent-page/child-page/",
        "/sample-page/",
    ]


def test_small_export_child_category_records_its_parent():
    import_export(shared(SMALL))
    child = Category.objects.get(slug="foo-bar")
    assert child.description == "The child foo category\n\nParent: Bar"
    assert Category.objects.get(slug="unused-category").articles.count() == 0


def test_small_export_comment_keeps_its_text_without_markup():
    import_export(shared(SMALL))
    comment = Comment.objects.get()
    assert comment.body.startswith("Hi, this is a comment.\nTo delete a comment")
    assert "view the post's comments" in comment.body
    assert (comment.name, comment.ip_address) == ("Mr WordPress", None)


# wxr-utf-8-challenges.xml ----------------------------------------------------------------


def test_unicode_traps_in_author_slug_and_category():
    report = import_export(shared(UTF8))
    expert = Expert.objects.get()
    assert expert.slug == "admin"  # zero-width characters stripped from the login
    # The display name is kept, combining marks and all; the invisible tail goes.
    assert expert.name == (
        "A\u0338\u0330\u0305d\u0334\u0330\u035dm\u0335\u034e\u033d"
        "i\u0335\u0331\u030bn\u0337\u0330\u030e"
    )
    article = Article.objects.get()
    assert article.slug == "hello-world-utf8-test"  # the right-to-left override removed
    assert "🌲" in article.title and "Frost" in article.title
    assert not set(article.title) & set("\u202a\u202b\u202c\u202d\u202e\ufeff\u200b")
    assert list(article.experts.all()) == [expert]
    # The category is used but never declared: it is made all the same.
    assert report.row("categories", "used, not declared").created == 1
    category = article.categories.get()
    assert category.slug == "uncategorized"
    assert "🎭" in category.name
    assert not set(category.slug + expert.slug + article.slug) & INVISIBLE


def test_unicode_body_and_lead_survive():
    import_export(shared(UTF8))
    article = Article.objects.get()
    assert "السلام عليكم" in article.body
    assert "🚀🌟💫" in article.body
    assert article.lead.startswith("T")
    assert "<" not in article.lead


# crazy-cdata-escaped.xml -----------------------------------------------------------------


def test_cdata_split_by_the_exporter_is_read_back_exactly():
    item = next(record for record in WXRReader(shared(CDATA)) if isinstance(record, Item))
    assert item.content == "Content with nested <![CDATA[ tags ]]> :)"
    assert item.meta == {
        "Plain string": "Foo",
        "Closing CDATA": "]]>",
        "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    }


def test_cdata_post_is_imported():
    import_export(shared(CDATA))
    article = Article.objects.get()
    assert (article.title, article.slug) == ("Hello world!", "hello-world")
    # As a browser reads it, "<![CDATA[ tags ]]>" in HTML is a bogus comment.
    assert article.body == "<p>Content with nested  :)</p>"
    assert article.experts.get().slug == "admin"
