"""Authors' names on the way in: what citations need to know of their family names."""

import pytest

from articles.models import Expert
from tests.wordpress import exports
from tests.wordpress.exports import author
from wordpress.importer import import_export

pytestmark = pytest.mark.django_db


def export_of(*authors):
    return exports.export("http://names.example", "Names", *authors)


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
    path.write_text(
        export_of(author(2, "someone", display, first=first, last=last)), encoding="utf-8"
    )

    import_export(path)

    expert = Expert.objects.get()
    assert expert.name == display
    assert expert.family_name == family_name


def test_importing_again_keeps_a_family_name_the_editor_set(tmp_path):
    path = tmp_path / "names.xml"
    path.write_text(
        export_of(author(2, "jroe", "Jane Roe", first="Jane", last="Roe")), encoding="utf-8"
    )
    import_export(path)
    Expert.objects.update(family_name="Roe-Smith")

    import_export(path)

    assert Expert.objects.get().family_name == "Roe-Smith"
