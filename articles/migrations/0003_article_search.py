"""Search: the body as plain text, and a weighted search vector with a GIN index.

The vector column and its index exist on every database so that one set of
migrations serves all of them: SQLite accepts the ``tsvector`` column type
(the column stays empty there) and builds the index as a plain one, since only
PostgreSQL's schema editor writes ``USING gin``. Existing rows are filled in
before the index is built; the vector only on PostgreSQL.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from articles.search import plain_text

# The vector as ``articles.search.document_vector`` builds it, written out in SQL
# so that this migration keeps meaning what it meant when it was written.
FILL_VECTORS = """
UPDATE articles_article AS article SET search_vector =
    setweight(to_tsvector('simple', coalesce(article.title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(article.lead, '')), 'B')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(expert.name, ' ')
        FROM articles_byline AS byline
        JOIN articles_expert AS expert ON expert.id = byline.expert_id
        WHERE byline.article_id = article.id
    ), '')), 'B')
    || setweight(to_tsvector('simple', coalesce((
        SELECT string_agg(category.name, ' ')
        FROM articles_article_categories AS filed
        JOIN articles_category AS category ON category.id = filed.category_id
        WHERE filed.article_id = article.id
    ), '')), 'B')
    || setweight(to_tsvector('simple', left(coalesce(article.body_text, ''), 250000)), 'C')
"""


def fill_search_fields(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    articles = []
    for article in Article.objects.only("pk", "body").iterator(chunk_size=500):
        article.body_text = plain_text(article.body)
        articles.append(article)
    Article.objects.bulk_update(articles, ["body_text"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_VECTORS)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0002_history_redirects_renditions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_text",
            field=models.TextField(blank=True, editable=False, verbose_name="body as plain text"),
        ),
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(fill_search_fields, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="article",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="article_search_vector_idx"
            ),
        ),
    ]
