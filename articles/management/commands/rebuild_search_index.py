from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import search
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Recompute the stored search vector of every article (drafts included) with the "
        "SEARCH_CONFIG setting. Run it after changing SEARCH_CONFIG. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=search.REBUILD_BATCH_SIZE,
            help=f"Articles per UPDATE (default: {search.REBUILD_BATCH_SIZE}).",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        articles = Article.objects.all()
        if not search.is_full_text(articles):
            self.stdout.write("Nothing to rebuild: search vectors are only kept on PostgreSQL.")
            return
        refreshed = articles.update_search_vectors(batch_size=batch_size)
        self.stdout.write(
            f"Refreshed the search vectors of {refreshed} article(s) "
            f"with the text search configuration {settings.SEARCH_CONFIG!r}."
        )
