"""What public pages show of the publication, and the announcements of its changes.

Topics (pagecache/): ``articles`` is which articles are published and what their
cards show (every listing, the sidebar, related articles, feeds, the sitemap,
search); ``article:<pk>`` is one article's own page. Categories, experts and tags
appear in the navigation and on every card, so a change of one is a change of
the whole site (``pagecache.SITE``).
"""

import pagecache

ARTICLES = "articles"


def article(pk):
    return f"article:{pk}"


def of_articles(pks):
    """The topics that change with the articles ``pks``."""
    return pagecache.topics_of(pks, article, along=ARTICLES)


def articles_changed(pks):
    """For a write that sends no signal (links set in bulk): announce these articles."""
    pagecache.changed(*of_articles(pks))


def connect():
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from taggit.models import Tag, TaggedItem

    from articles.models import Article, Byline, Category, Expert

    receivers = [
        (Article, article_saved),
        (Byline, byline_saved),
        (TaggedItem, tagging_saved),
        (Category, taxonomy_saved),
        (Expert, taxonomy_saved),
        (Tag, tag_saved),
    ]
    for model, receiver in receivers:
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"changes.{model._meta.label}")
    for through in (Article.experts.through, Article.categories.through, TaggedItem):
        m2m_changed.connect(links_changed, sender=through, dispatch_uid=f"changes.{through}")
    pagecache.register_clock(ARTICLES, next_publication)


def article_saved(instance, **kwargs):
    pagecache.changed(*of_articles([instance.pk]))


def byline_saved(instance, **kwargs):
    pagecache.changed(*of_articles([instance.article_id]))


def tagging_saved(instance, **kwargs):
    pagecache.changed(*of_articles([instance.object_id]))


def taxonomy_saved(**kwargs):
    pagecache.changed(pagecache.SITE)


def tag_saved(created=False, **kwargs):
    """A new tag is on no page yet; a renamed or deleted one is on cards and articles."""
    if not created:
        pagecache.changed(ARTICLES)


def links_changed(instance, action, reverse, pk_set, **kwargs):
    """An article's experts, categories or tags were set (or theirs, from the other side)."""
    if not action.startswith("post_"):
        return
    from articles.models import Article

    if isinstance(instance, Article):
        pagecache.changed(*of_articles([instance.pk]))
    elif pk_set:
        pagecache.changed(*of_articles(pk_set))
    else:  # cleared from the other side: its articles are no longer known
        pagecache.changed(pagecache.SITE, ARTICLES)


def next_publication():
    """When the next scheduled article goes live."""
    from articles.models import Article

    return (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
