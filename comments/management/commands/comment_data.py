import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from comments.models import Comment


class Command(BaseCommand):
    help = (
        "Export (as JSON) or erase the personal data of one commenter, found by email address. "
        "Erasing anonymises approved comments (their text stays) and deletes the others."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("--email", required=True, help="The commenter's email address.")

    def handle(self, *args, action, email, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Not a valid email address: {email!r}") from error
        comments = Comment.objects.by_email(email)
        if action == "export":
            self.stdout.write(
                json.dumps(self.export(comments, email), indent=2, ensure_ascii=False)
            )
            return
        with transaction.atomic():
            anonymised, deleted = comments.erase_personal_data()
        self.stdout.write(
            f"Erased the personal data of {email}: {anonymised} approved comment(s) anonymised, "
            f"{deleted} other comment(s) deleted."
        )

    def export(self, comments, email):
        return {
            "email": email,
            "comments": [
                {
                    "id": comment.pk,
                    "article": comment.article.title,
                    "article_url": comment.article.get_absolute_url(),
                    "in_reply_to": comment.parent_id,
                    "name": comment.name,
                    "email": comment.email,
                    "website": comment.url,
                    "text": comment.body,
                    "status": comment.status,
                    "created_at": comment.created_at.isoformat(),
                    "ip_address": comment.ip_address,
                    "user_agent": comment.user_agent,
                }
                for comment in comments.select_related("article").order_by("created_at", "id")
            ],
        }
