import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Clear the IP address and user agent of comments older than the retention period "
        "(COMMENTS_IP_RETENTION_DAYS, 90 days by default). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention period in days (default: the COMMENTS_IP_RETENTION_DAYS setting).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
        if days < 0:
            self.stderr.write("--days must not be negative.")
            return
        cutoff = timezone.now() - datetime.timedelta(days=days)
        cleared = Comment.objects.older_than(cutoff).with_tracking_data().clear_tracking_data()
        self.stdout.write(f"Cleared the IP address of {cleared} comment(s) older than {days} days.")
