"""Search: recompute every stored search vector with the ``SEARCH_CONFIG`` setting.

Until now the vectors were built with the ``simple`` configuration (no stemming);
the code now builds them, and parses the readers' queries, with ``SEARCH_CONFIG``
(by default the stemmer of the site's language), and vectors of the old kind
would not match the new queries: "sanction" would not find a stored "sanctions".

Unlike 0003, which wrote its expression out in SQL to keep meaning what it meant
then, this migration's whole purpose is to make the stored vectors equal to what
the code builds, so it calls the code's own ``articles.search.update_vectors``
(the function behind ``ArticleQuerySet.update_search_vectors``, which the
historical model lacks: its manager is a plain one). That function only needs a
queryset whose model has the title, lead, body_text, experts and categories of
this state, which the historical model has. Only PostgreSQL stores vectors; the
function does nothing elsewhere.

The migration is not atomic: the vectors are recomputed in batches of
``REBUILD_BATCH_SIZE`` articles, each UPDATE committed on its own, so that a large
site's editors are not kept waiting on locked rows until the last batch. An
interrupted run is simply run again. ``manage.py rebuild_search_index`` does the
same after a later change of ``SEARCH_CONFIG``.
"""

from django.db import migrations

from articles.search import REBUILD_BATCH_SIZE, update_vectors


def rebuild_search_vectors(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = Article.objects.using(schema_editor.connection.alias).all()
    update_vectors(articles, batch_size=REBUILD_BATCH_SIZE)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("articles", "0004_article_updated_index"),
    ]

    operations = [
        # Backwards there is nothing to undo: the vectors stay valid for the current setting.
        migrations.RunPython(rebuild_search_vectors, migrations.RunPython.noop, elidable=True),
    ]
