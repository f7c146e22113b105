"""Running the import again, dry runs, broken files, and the command itself."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from PIL import Image

from articles.models import Article
from tests.wordpress.conftest import HANDMADE, SMALL, THEME, shared, table_counts
from wordpress.importer import import_export

pytestmark = pytest.mark.django_db


def run_command(*args):
    out = io.StringIO()
    call_command("import_wordpress", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


# Running again ---------------------------------------------------------------------------


def test_importing_again_updates_an_edited_title_and_duplicates_nothing(tmp_path):
    export = tmp_path / "export.xml"
    export.write_bytes(HANDMADE.read_bytes())
    import_export(export)
    before = table_counts()
    article = Article.objects.get(slug="spam-and-trash")

    export.write_bytes(
        HANDMADE.read_bytes().replace(
            b"<title>Spam and trash</title>", b"<title>Spam, revised</title>"
        )
    )
    report = import_export(export)

    article.refresh_from_db()
    assert article.title == "Spam, revised"
    assert article.slug == "spam-and-trash"  # the old address keeps working
    after = table_counts()
    # One new revision of the edited article; nothing else added or removed.
    assert after.pop("articles.HistoricalArticle") == before.pop("articles.HistoricalArticle") + 1
    assert after == before
    assert report.row("posts", "publish").updated == 1
    assert report.row("posts", "publish").unchanged == 2
    assert report.total("comments", "created") == 0
    assert report.redirects == {"unchanged": 17}


def test_object_deleted_in_tribune_is_made_again(tmp_path):
    import_export(HANDMADE)
    Article.objects.filter(slug="a-draft").delete()
    report = import_export(HANDMADE)
    assert report.row("posts", "draft").created == 1
    assert Article.objects.filter(slug="a-draft").count() == 1


def test_importing_the_same_site_twice_through_the_command():
    first = run_command(shared(SMALL))
    counts = table_counts()
    second = run_command(shared(SMALL))
    assert table_counts() == counts
    assert "posts: publish" in first and "posts: publish" in second
    assert "47 created" in first  # 14 old addresses, 3 "?author=", 30 "?cat="
    assert "47 unchanged" in second


# Dry runs --------------------------------------------------------------------------------


def test_dry_run_writes_nothing():
    before = table_counts()
    report = import_export(HANDMADE, dry_run=True)
    assert table_counts() == before
    # The report still tells what a real run would do.
    assert report.dry_run
    assert report.row("posts", "publish").created == 3
    assert report.redirects == {"created": 17}


def test_dry_run_over_an_earlier_import_changes_nothing(tmp_path):
    import_export(shared(SMALL))
    before = table_counts()
    titles = list(Article.objects.values_list("title", flat=True))
    edited = tmp_path / "edited.xml"
    edited.write_bytes(shared(SMALL).read_bytes().replace(b"Hello world!", b"Hello again"))
    report = import_export(edited, dry_run=True)
    assert report.row("posts", "publish").updated == 1
    assert table_counts() == before
    assert list(Article.objects.values_list("title", flat=True)) == titles


def test_dry_run_stores_no_file(tmp_path):
    folder = tmp_path / "uploads" / "2020" / "05"
    folder.mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(folder / "map.png")
    import_export(HANDMADE, dry_run=True, media_dir=tmp_path / "uploads")
    assert not default_storage.exists("wordpress/2020/05/map.png")


def test_dry_run_command_says_so():
    output = run_command(HANDMADE, "--dry-run")
    assert "Dry run: everything below was rolled back, nothing was saved." in output
    assert Article.objects.count() == 0


# Broken files ----------------------------------------------------------------------------


@pytest.fixture
def truncated(tmp_path):
    """The theme unit test data cut off two thirds of the way: the error comes late."""
    data = shared(THEME).read_bytes()
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def test_truncated_file_leaves_the_database_unchanged(truncated):
    import_export(shared(SMALL))
    before = table_counts()
    with pytest.raises(CommandError) as raised:
        run_command(truncated)
    message = str(raised.value)
    assert message.startswith("The file is not a valid WordPress export: ")
    assert " at line " in message
    assert message.endswith("Nothing was imported.")
    assert table_counts() == before


def test_failed_run_removes_the_files_it_stored(tmp_path):
    folder = tmp_path / "uploads" / "2020" / "05"
    folder.mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(folder / "map.png")
    data = HANDMADE.read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_bytes(data[: data.index(b"<title>Private thoughts")])
    with pytest.raises(CommandError):
        run_command(broken, "--media-dir", tmp_path / "uploads")
    assert not default_storage.exists("wordpress/2020/05/map.png")
    assert Article.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"<rss><channel></channel></rss>", "no WordPress export namespace"),
        (b"<html><body>Not a feed</body></html>", "the document is not an RSS feed"),
        (b"<rss xmlns:wp='http://wordpress.org/export/1.2/'><channel><item></rss>", "at line 1"),
    ],
)
def test_files_that_are_not_exports_are_refused(tmp_path, content, reason):
    path = tmp_path / "export.xml"
    path.write_bytes(content)
    with pytest.raises(CommandError, match="The file is not a valid WordPress export") as raised:
        run_command(path)
    assert reason in str(raised.value)


def test_missing_file_and_media_folder_are_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_command(tmp_path / "nope.xml")
    with pytest.raises(CommandError, match="No such folder"):
        run_command(HANDMADE, "--media-dir", tmp_path / "nope")


def test_entities_are_not_expanded(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(
        HANDMADE.read_bytes()
        .replace(
            b"<rss version",
            b'<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n<rss version',
        )
        .replace(b"<title>A draft</title>", b"<title>A draft &secret;</title>")
    )
    import_export(path)
    assert "root:" not in Article.objects.get(slug="a-draft").title


# The command's output --------------------------------------------------------------------


def test_report_lists_counts_skips_and_redirects():
    output = run_command(HANDMADE)
    assert output.startswith("WordPress import report: http://handmade.example (WXR 1.0)")
    assert "comments: spam" in output
    assert "Redirects (old address → new, 301): 17 created" in output
    assert "1 × pingbacks: not comments" in output
    assert "Attachments (1): id, URL, alt text" in output


def test_progress_is_shown_on_a_terminal_only(capsys):
    call_command("import_wordpress", str(HANDMADE), stdout=io.StringIO())
    assert capsys.readouterr().err == ""


def test_progress_line():
    from wordpress.management.commands.import_wordpress import Progress

    stream = io.StringIO()
    progress = Progress(stream, total_bytes=200)
    progress(100)
    assert "50%" in stream.getvalue()
    assert "1 records" in stream.getvalue()


def test_item_repeated_in_the_file_is_imported_once(tmp_path):
    data = HANDMADE.read_bytes()
    start = data.index(b"\t<item>\n\t\t<title>A draft</title>")
    end = data.index(b"</item>", start) + len(b"</item>\n")
    path = tmp_path / "repeated.xml"
    path.write_bytes(data[:end] + data[start:end] + data[end:])
    report = import_export(path)
    assert Article.objects.filter(title="A draft").count() == 1
    assert report.skipped["repeated post ids in the file (the first one is imported)"] == ["104"]
