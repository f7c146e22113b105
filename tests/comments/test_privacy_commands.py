import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestPurgeCommentIps:
    def test_clears_ip_and_user_agent_after_retention(self, settings):
        settings.COMMENTS_IP_RETENTION_DAYS = 90
        old = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=91))
        recent = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=89))

        output = run("purge_comment_ips")

        old.refresh_from_db()
        recent.refresh_from_db()
        assert old.ip_address is None
        assert old.user_agent == ""
        assert recent.ip_address == "192.0.2.0"
        assert recent.user_agent
        assert "Cleared the IP address of 1 comment(s) older than 90 days." in output

    def test_days_option_overrides_setting(self):
        comment = CommentFactory(created_at=timezone.now() - datetime.timedelta(days=8))

        run("purge_comment_ips", "--days", "7")

        comment.refresh_from_db()
        assert comment.ip_address is None

    def test_keeps_text_and_status(self):
        comment = CommentFactory(
            status="approved", created_at=timezone.now() - datetime.timedelta(days=400)
        )

        run("purge_comment_ips")

        comment.refresh_from_db()
        assert comment.body == "A thoughtful remark about the analysis."
        assert comment.status == "approved"


class TestCommentData:
    @pytest.fixture
    def comments(self):
        article = ArticleFactory(title="Energy and the corridor")
        approved = CommentFactory(
            article=article,
            email="Reader@Example.org",
            name="Sara",
            url="https://sara.example.org/",
            status="approved",
            body="Approved words.",
        )
        pending = CommentFactory(article=article, email="reader@example.org", status="pending")
        other = CommentFactory(article=article, email="someone@example.org", status="approved")
        return approved, pending, other

    def test_export_lists_every_comment_of_the_address(self, comments):
        approved, pending, _other = comments

        data = json.loads(run("comment_data", "export", "--email", "reader@example.org"))

        assert data["email"] == "reader@example.org"
        assert [item["id"] for item in data["comments"]] == [approved.pk, pending.pk]
        first = data["comments"][0]
        assert first["article"] == "Energy and the corridor"
        assert first["website"] == "https://sara.example.org/"
        assert first["text"] == "Approved words."
        assert first["ip_address"] == "192.0.2.0"

    def test_erase_anonymises_approved_and_deletes_the_rest(self, comments):
        approved, pending, other = comments

        output = run("comment_data", "erase", "--email", "reader@example.org")

        approved.refresh_from_db()
        assert approved.name == "Anonymous"
        assert approved.email == ""
        assert approved.url == ""
        assert approved.ip_address is None
        assert approved.user_agent == ""
        assert approved.body == "Approved words."
        assert not Comment.objects.filter(pk=pending.pk).exists()
        other.refresh_from_db()
        assert other.email == "someone@example.org"
        assert "1 approved comment(s) anonymised, 1 other comment(s) deleted" in output
        assert not Comment.objects.by_email("reader@example.org").exists()

    def test_invalid_address_is_refused(self, comments):
        with pytest.raises(CommandError, match="Not a valid email address"):
            run("comment_data", "erase", "--email", "not-an-address")

        assert Comment.objects.count() == 3
