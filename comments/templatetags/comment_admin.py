from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag
def pending_comment_count():
    """The number of comments waiting for a moderator (one COUNT query)."""
    return Comment.objects.awaiting_moderation().count()
