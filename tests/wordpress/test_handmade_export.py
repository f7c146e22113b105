"""A hand-written WXR 1.0 export: spam, trash and pending comments, a pingback, every post status.

WordPress's exporter never writes spam comments, so this file (``http://``
namespaces, WXR 1.0, a byte order mark, no declared authors) stands in for an
export made by another tool.
"""

from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.models import Article, Category, Expert
from comments.models import Comment
from pages.models import Page
from tests.factories import UserFactory
from tests.wordpress.conftest import HANDMADE
from wordpress.discussion import HOLD_REASON
from wordpress.importer import import_export
from wordpress.models import LegacyURL

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(handmade_import):
    return handmade_import


def test_file_is_wxr_1_0_with_a_byte_order_mark():
    assert HANDMADE.read_bytes().startswith(b"\xef\xbb\xbf<?xml")
    assert b'xmlns:wp="http://wordpress.org/export/1.0/"' in HANDMADE.read_bytes()


def test_counts_by_status(report):
    assert report.version == "1.0"
    assert report.site_url == "http://handmade.example"
    posts = {status: report.row("posts", status) for status in ("publish", "future", "draft")}
    assert {status: row.created for status, row in posts.items()} == {
        "publish": 3,
        "future": 1,
        "draft": 1,
    }
    assert report.row("posts", "private").created == 1
    assert report.row("posts", "password-protected").created == 1
    assert report.row("posts", "other").skipped == 1
    assert report.skipped["posts with the status “trash”"] == ["Thrown away"]
    assert Counter(Article.objects.values_list("status", flat=True)) == {
        "published": 4,
        "draft": 3,
    }
    assert Article.objects.published().count() == 3
    assert Article.objects.scheduled().get().slug == "scheduled-analysis"
    assert Page.objects.count() == 2


def test_comments_by_status(report):
    assert {
        status: (report.row("comments", status).in_file, report.row("comments", status).created)
        for status in ("approved", "pending", "spam", "trash")
    } == {"approved": (5, 4), "pending": (2, 1), "spam": (1, 1), "trash": (1, 1)}
    assert Counter(Comment.objects.values_list("status", flat=True)) == {
        "approved": 4,
        "pending": 1,
        "spam": 1,
        "trash": 1,
    }
    assert report.skipped["comments on a page"] == ["Heidi"]
    assert report.skipped["comments on a post that is not imported"] == ["Grace"]


def test_pingback_is_reported_not_imported(report):
    assert report.row("comments", "pingback").in_file == 1
    assert report.row("comments", "pingback").skipped == 1
    assert report.skipped["pingbacks: not comments"] == [
        "http://another.example/2020/05/04/corridor/"
    ]
    assert not Comment.objects.filter(name="Another blog").exists()


def test_threads_are_kept_whatever_the_order_in_the_file(report):
    alice = Comment.objects.get(name="Alice Reader")
    bob = Comment.objects.get(name="Bob")
    carol = Comment.objects.get(name="Carol")  # listed before her parent Bob
    assert (alice.parent, bob.parent, carol.parent) == (None, alice, bob)
    replies = report.row("comments", "replies")
    assert (replies.in_file, replies.created, replies.skipped) == (3, 2, 1)


def test_reply_to_a_pingback_starts_its_own_thread(report):
    assert Comment.objects.get(name="Frank").parent is None
    assert "replies whose parent was not imported: shown as threads of their own" in report.notes


def test_commenter_details_and_dates(report):
    alice = Comment.objects.get(name="Alice Reader")
    assert (alice.email, alice.url) == ("alice@example.org", "https://alice.example/")
    assert alice.body == "A fine analysis.\nThank you & well done."
    assert alice.created_at.isoformat() == "2020-05-02T09:00:00+00:00"
    assert alice.hold_reason == HOLD_REASON
    # Only http(s) websites are kept.
    assert Comment.objects.get(name="Carol").url == ""
    # No GMT date: the local one.
    assert Comment.objects.get(name="Eve").created_at.isoformat() == "2020-05-03T14:00:00+00:00"


def test_ip_addresses_are_stored_truncated(report):
    addresses = dict(Comment.objects.values_list("name", "ip_address"))
    assert addresses["Alice Reader"] == "203.0.113.0"
    assert addresses["Bob"] == "2001:db8:85a3::"
    assert addresses["Carol"] == "198.51.100.0"
    assert addresses["Eve"] is None


def test_addresses_past_the_retention_period_are_not_imported(settings):
    settings.COMMENTS_IP_RETENTION_DAYS = 90
    import_export(HANDMADE)
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {None}


def test_commenter_emails_appear_on_no_public_page(report, client):
    emails = set(Comment.objects.values_list("email", flat=True))
    article = client.get("/articles/spam-and-trash/")
    feed = client.get("/comments/feed/")
    assert "Alice Reader" in article.text
    for response in (article, feed):
        assert response.status_code == 200
        assert not [email for email in emails if email in response.text]


def test_spam_and_trash_are_not_shown(report, client):
    text = client.get("/articles/spam-and-trash/").text
    assert "Buy now" not in text
    assert "Deleted by a moderator" not in text
    assert "Waiting with" not in text


def test_cdata_closing_sequence_in_title_and_comment(report):
    assert Article.objects.filter(title="Closing ]]> in a title").exists()
    assert Comment.objects.get(name="Eve").body == "Waiting with ]]> inside."


def test_slugs(report):
    slugs = set(Article.objects.values_list("slug", flat=True))
    # "1234" alone would be taken for a year: the title gives the slug.
    assert "closing-in-a-title" in slugs
    # Two posts with the same WordPress slug on different days.
    assert {"spam-and-trash", "spam-and-trash-2"} <= slugs
    # A draft without a slug gets one from its title.
    assert "a-draft" in slugs


def test_experts_from_creators_of_a_wxr_1_0_file(report):
    assert sorted(Expert.objects.values_list("slug", flat=True)) == ["asmith", "jdoe"]
    assert report.row("authors", "creator only").created == 2
    malformed = "malformed authors (dc:creator is not a declared login): no expert, no byline"
    assert report.skipped[malformed] == ["“bad<creator>” on post 106"]
    assert not Article.objects.get(slug="closing-in-a-title").experts.exists()


def test_categories_tags_and_top_news(report):
    article = Article.objects.get(slug="spam-and-trash")
    assert set(article.categories.values_list("slug", flat=True)) == {"analysis", "top-news"}
    assert list(article.tags.names()) == ["Trade"]
    assert Category.objects.get(slug="analysis").name == "Analysis & Commentary"
    assert Category.objects.get(slug="analysis").description == "Long reads.\n\nParent: Research"
    assert report.row("categories", "used, not declared").created == 1  # economy
    assert report.row("tags", "used, not declared").created == 1  # energy


def test_body_conversion(report):
    article = Article.objects.get(slug="spam-and-trash")
    assert article.body.startswith("<p>The corridor talks resumed in May.<br>\nThey lasted")
    assert "<figcaption>The corridor</figcaption></figure>" in article.body
    assert "[sic]" in article.body
    assert "Kept words" in article.body
    assert "gallery" not in article.body
    assert "script" not in article.body and "alert" not in article.body
    assert article.lead == "The corridor talks resumed in May. They lasted two days."
    assert article.seo_description == "What the corridor talks changed."
    block = Article.objects.get(slug="closing-in-a-title").body
    assert block == "<p>Block editor text\nwith a line break kept as written.</p>"


def test_comments_closed_in_wordpress_stay_closed(report):
    assert Article.objects.get(slug="private-thoughts").comments_enabled is False
    assert Article.objects.get(slug="spam-and-trash").comments_enabled is True


def test_old_addresses(report, client):
    assert report.redirects == {"created": 17}
    assert client.get("/2020/05/02/spam-and-trash/")["Location"] == "/articles/spam-and-trash-2/"
    assert client.get("/?p=106")["Location"] == "/articles/closing-in-a-title/"
    assert client.get("/2099/01/01/scheduled-analysis/").status_code == 404
    assert client.get("/2020/05/04/members-only/").status_code == 404
    assert client.get("/?page_id=302")["Location"] == "/about/team/"
    assert client.get("/category/research/analysis/")["Location"] == "/category/analysis/"
    assert LegacyURL.objects.filter(old_path="/?p=105").exists() is False


def test_pages(report, client):
    response = client.get("/about/")
    assert response.status_code == 200
    assert "<p>We study corridors.</p>" in response.text
    assert client.get("/about/team").status_code == 301


def test_attachment_listed_in_the_report(report):
    attachment = report.attachments["201"]
    assert attachment.url == "http://handmade.example/wp-content/uploads/2020/05/map.png"
    assert attachment.title == "Map of the corridor"
    assert attachment.alt == ""
    assert report.skipped["featured images not imported (no --media-dir given)"] == [attachment.url]
    rendered = report.render()
    assert "201  http://handmade.example/wp-content/uploads/2020/05/map.png  (no alt text)" in (
        rendered
    )


@pytest.fixture
def media_dir(tmp_path):
    folder = tmp_path / "uploads" / "2020" / "05"
    folder.mkdir(parents=True)
    Image.new("RGB", (60, 40), "teal").save(folder / "map.png")
    return tmp_path / "uploads"


def test_media_dir_imports_the_featured_image_and_inline_images(media_dir):
    report = import_export(HANDMADE, media_dir=media_dir)
    article = Article.objects.get(slug="spam-and-trash")
    assert article.image.name == "wordpress/2020/05/map.png"
    assert default_storage.exists("wordpress/2020/05/map.png")
    # No alt text in WordPress: the attachment's title stands in, and it is reported.
    assert article.image_alt == "Map of the corridor"
    assert report.notes["featured images without alt text: the title is used"] == ["Spam and trash"]
    assert f'src="{default_storage.url("wordpress/2020/05/map.png")}"' in article.body
    assert report.attachments["201"].stored_as == "wordpress/2020/05/map.png"


def test_media_dir_import_is_not_repeated(media_dir):
    import_export(HANDMADE, media_dir=media_dir)
    import_export(HANDMADE, media_dir=media_dir)
    assert default_storage.listdir("wordpress/2020/05")[1] == ["map.png"]


def test_administrator_sees_the_old_addresses(report, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:wordpress_legacyurl_changelist"), {"q": "spam"})
    assert response.status_code == 200
    assert "/2020/05/01/spam-and-trash/" in response.text
    assert "/articles/spam-and-trash/" in response.text
