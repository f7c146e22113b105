"""Authors' names on the way in: what citations need to know of their family names."""

import pytest

from articles.models import Expert
from wordpress.importer import import_export

pytestmark = pytest.mark.django_db


def author(login, display, first, last):
    return f"""
    <wp:author><wp:author_id>2</wp:author_id>
    <wp:author_login><![CDATA[{login}]]></wp:author_login>
    <wp:author_display_name><![CDATA[{display}]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[{first}]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[{last}]]></wp:author_last_name></wp:author>"""


def export_of(*authors):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Names</title>
  <link>http://names.example</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>http://names.example</wp:base_site_url>
  <wp:base_blog_url>http://names.example</wp:base_blog_url>
  {"".join(authors)}
</channel>
</rss>
"""


@pytest.mark.parametrize(
    ("display", "first", "last", "family_name"),
    [
        # The last word would be taken alone: the WordPress last name is kept.
        ("Gabriel García Márquez", "Gabriel", "García Márquez", "García Márquez"),
        ("Xi Jinping", "Jinping", "Xi", "Xi"),
        # The usual rule already finds it: nothing to store.
        ("Jane Roe", "Jane", "Roe", ""),
        ("Ludwig van Beethoven", "Ludwig", "van Beethoven", ""),
        # A last name that is not part of the name shown is not trusted.
        ("editor", "FirstName", "LastName", ""),
        ("Jane Roe", "", "", ""),
    ],
)
def test_family_name_is_kept_where_citations_need_it(tmp_path, display, first, last, family_name):
    path = tmp_path / "names.xml"
    path.write_text(export_of(author("someone", display, first, last)), encoding="utf-8")

    import_export(path)

    expert = Expert.objects.get()
    assert expert.name == display
    assert expert.family_name == family_name


def test_importing_again_keeps_a_family_name_the_editor_set(tmp_path):
    path = tmp_path / "names.xml"
    path.write_text(export_of(author("jroe", "Jane Roe", "Jane", "Roe")), encoding="utf-8")
    import_export(path)
    Expert.objects.update(family_name="Roe-Smith")

    import_export(path)

    assert Expert.objects.get().family_name == "Roe-Smith"
