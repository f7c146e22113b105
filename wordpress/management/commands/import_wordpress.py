"""``manage.py import_wordpress EXPORT.xml [--dry-run] [--media-dir DIR]``."""

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wordpress.importer import import_export
from wordpress.wxr import WXRError


class Progress:
    """A one-line progress indicator on stderr, only when stderr is a terminal."""

    INTERVAL = 0.25  # seconds between two updates

    def __init__(self, stream, total_bytes):
        self.stream = stream
        self.total = max(total_bytes, 1)
        self.records = 0
        self.shown_at = 0.0
        self.started = time.monotonic()

    def __call__(self, bytes_read):
        self.records += 1
        now = time.monotonic()
        if now - self.shown_at < self.INTERVAL:
            return
        self.shown_at = now
        percent = min(100, bytes_read * 100 // self.total)
        bar = "#" * (percent // 4)
        self.stream.write(
            f"\rImporting [{bar:<25}] {percent:3d}%  {self.records:,} records"
            f"  {now - self.started:,.0f} s"
        )
        self.stream.flush()

    def done(self):
        self.stream.write("\r" + " " * 72 + "\r")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Import a WordPress export (WXR 1.0–1.2): authors, categories, tags, posts with "
        "their comments, published pages and the redirects from the old addresses. Running "
        "it again updates what it imported. Prints a verification report."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file (Tools → Export in WordPress).")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Import inside a transaction, print the report, then roll everything back.",
        )
        parser.add_argument(
            "--media-dir",
            help=(
                "A local copy of the old site's wp-content/uploads folder: attachments and "
                "images found there are imported, featured images included."
            ),
        )

    def handle(self, *args, export, dry_run, media_dir, **options):
        path = Path(export)
        if not path.is_file():
            raise CommandError(f"No such file: {export}")
        if media_dir and not Path(media_dir).is_dir():
            raise CommandError(f"No such folder: {media_dir}")
        progress = None
        if sys.stderr.isatty() and options["verbosity"] > 0:
            progress = Progress(sys.stderr, path.stat().st_size)
        try:
            report = import_export(path, dry_run=dry_run, media_dir=media_dir, progress=progress)
        except WXRError as error:
            raise CommandError(
                f"The file is not a valid WordPress export: {error}. Nothing was imported."
            ) from None
        finally:
            if progress is not None:
                progress.done()
        if options["verbosity"] > 0:
            self.stdout.write(report.render(verbosity=options["verbosity"]), ending="")
