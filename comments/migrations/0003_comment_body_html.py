from django.db import migrations, models
from django.utils.html import linebreaks, urlize

BATCH = 2000


def fill_body_html(apps, schema_editor):
    # The same conversion as comments.models.text_to_html, frozen here with the migration.
    Comment = apps.get_model("comments", "Comment")
    comments = Comment.objects.order_by("pk").only("pk", "body")
    last = 0
    while batch := list(comments.filter(pk__gt=last)[:BATCH]):
        for comment in batch:
            comment.body_html = linebreaks(urlize(comment.body, nofollow=True, autoescape=True))
        Comment.objects.bulk_update(batch, ["body_html"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("comments", "0002_comment_email_index")]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_html",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(fill_body_html, migrations.RunPython.noop, elidable=True),
    ]
