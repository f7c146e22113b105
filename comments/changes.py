"""What public pages show of comments, and the announcements of their changes.

Topics (pagecache/): ``comments:<article pk>`` is an article's approved comments
(its thread, and its count on every card that shows it); ``comments`` is the
latest comments of the whole site (the comment feed); ``comment-forms`` is
whether comment forms are open, which changes by itself as articles age.
"""

import pagecache

COMMENTS = "comments"
COMMENT_FORMS = "comment-forms"


def thread(article_pk):
    return f"comments:{article_pk}"


def of_articles(article_pks):
    """The topics that change with the comments of the articles ``article_pks``."""
    return pagecache.topics_of(article_pks, thread, along=COMMENTS)


def connect():
    from django.db.models.signals import post_delete, post_save

    from comments.models import Comment

    post_save.connect(comment_saved, sender=Comment, dispatch_uid="changes.comment")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="changes.comment")


def comment_saved(instance, created, **kwargs):
    """Pages may change with any save of a comment but one: a new comment held for moderation."""
    if created and instance.status != instance.Status.APPROVED:
        return
    pagecache.changed(*of_articles([instance.article_id]))


def comment_deleted(instance, **kwargs):
    pagecache.changed(*of_articles([instance.article_id]))
