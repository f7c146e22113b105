"""Items of the export: posts become articles, with their comments; the rest is dispatched.

Published pages go to ``static_pages``, comments to ``discussion``;
attachments are recorded for the report and for featured images; menu items,
revisions and other post types are counted and skipped.
"""

from urllib.parse import unquote

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from articles import changes
from articles.markup import sanitize_html
from articles.models import Article, Byline
from wordpress import content
from wordpress.discussion import count_comment_in_file, import_comments, skip_comment
from wordpress.fields import item_title, legacy_path, parse_date, query_form, unique_slug
from wordpress.models import ImportedObject
from wordpress.report import Attachment
from wordpress.static_pages import import_page
from wordpress.text import clean_line, html_to_line, make_slug, strip_invisible
from wordpress.text import truncate as truncate_text

# Saved with each revision the import makes (django-simple-history).
CHANGE_REASON = "Imported from WordPress"
ARTICLE_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
YOAST_TITLE = "_yoast_wpseo_title"
YOAST_DESCRIPTION = "_yoast_wpseo_metadesc"


def import_item(importer, item):
    if item.creator and not importer.is_login(item.creator):
        importer.report.skip(
            "malformed authors (dc:creator is not a declared login): no expert, no byline",
            f"“{item.creator}” on {item.post_type or 'item'} {item.post_id}",
        )
    match item.post_type:
        case "post":
            import_post(importer, item)
        case "page":
            import_page(importer, item)
        case "attachment":
            record_attachment(importer, item)
        case "nav_menu_item":
            importer.report.found("menu items", "nav_menu_item")
            importer.report.outcome("menu items", "nav_menu_item", "skipped")
            importer.report.skip("menu items (nav_menu_item): menus are not imported")
        case _:
            importer.report.found("other items", "other")
            importer.report.outcome("other items", "other", "skipped")
            importer.report.skip(f"items of the post type “{item.post_type or '?'}”", item.title)
    if item.post_type != "post":
        for comment in item.comments:
            count_comment_in_file(importer, comment)
            kind = item.post_type or "item"
            article = "an" if kind[0] in "aeiou" else "a"
            skip_comment(importer, comment, f"comments on {article} {kind}")


def published_at(importer, item):
    moment = parse_date(item.post_date_gmt)
    if moment is None:
        moment = parse_date(item.post_date)
        if moment is not None:
            importer.report.note("dates without a GMT time: the local time is taken as UTC")
    if moment is None:
        importer.report.note("items without a date: the time of the import is used", item.title)
        moment = timezone.now()
    return moment


# Posts → articles ----------------------------------------------------------------------------


def import_post(importer, item):
    report = importer.report
    title = item_title(item)
    if item.status not in ARTICLE_STATUS:
        status_key = "other"
    elif item.password:
        status_key = "password-protected"
    else:
        status_key = item.status
    report.found("posts", status_key)
    if status_key == "other":
        report.outcome("posts", "other", "skipped")
        report.skip(f"posts with the status “{item.status or '?'}”", title or item.post_id)
        for comment in item.comments:
            count_comment_in_file(importer, comment)
            skip_comment(importer, comment, "comments on a post that is not imported")
        return
    if item.password:
        report.note("password-protected posts imported as drafts", title)
    if not importer.first_sight(ImportedObject.Kind.POST, item.post_id):
        report.outcome("posts", status_key, "skipped")
        return

    article = importer.mapped(ImportedObject.Kind.POST, item.post_id, Article)
    created = article is None
    if created:
        article = Article()
    values = article_values(importer, item, title, article)
    if item.password:
        values["status"] = Article.Status.DRAFT
    article._change_reason = CHANGE_REASON
    outcome = importer.upsert(article, values, created=created)
    if set_relations(importer, item, article, created=created):
        changes.articles_changed([article.pk])  # the links are written in bulk
        if outcome == "unchanged":
            outcome = "updated"
    if outcome != "unchanged":
        article.update_search_vector()
    report.outcome("posts", status_key, outcome)
    if created:
        importer.remember(ImportedObject.Kind.POST, item.post_id, article.pk)

    if thumbnail := item.meta.get("_thumbnail_id", "").strip():
        importer.featured.append((article.pk, thumbnail, article.title))
    old_paths = [f"/?p={item.post_id}"]
    old_path = legacy_path(item.link)
    if old_path and old_path != article.get_absolute_url():
        old_paths.insert(0, old_path)
    importer.add_legacy_urls(old_paths, article_id=article.pk)
    import_comments(importer, item, article)


def article_values(importer, item, title, article):
    if not title:
        title = clean_line(strip_invisible(unquote(item.post_name)).replace("-", " ")).capitalize()
        importer.report.note("posts without a title: one is made from the slug", title)
    title = truncate_text(title or f"Post {item.post_id}", 255)
    body = sanitize_html(content.convert(item.content, media=importer.media.rewriter))
    slug = make_slug(item.post_name, title, max_length=240) or f"post-{item.post_id}"
    if article.slug != slug and not (
        article.slug.startswith(f"{slug}-") and article.slug[len(slug) + 1 :].isdigit()
    ):
        slug = unique_slug(Article, slug, max_length=255, exclude_pk=article.pk)
    else:
        slug = article.slug
    return {
        "title": title,
        "slug": slug,
        "lead": content.lead_from(item.excerpt, body),
        "body": body,
        "status": ARTICLE_STATUS[item.status],
        "published_at": published_at(importer, item),
        "comments_enabled": item.comment_status == "open",
        "seo_title": truncate_text(html_to_line(item.meta.get(YOAST_TITLE, "")), 70),
        "seo_description": truncate_text(html_to_line(item.meta.get(YOAST_DESCRIPTION, "")), 160),
    }


def set_relations(importer, item, article, *, created):
    """Categories, tags and byline as the file says; returns whether anything changed.

    The through rows are written directly: one query each for a new article.
    """
    categories, tags = set(), set()
    for domain, nicename, name in item.terms:
        if domain == "category":
            categories.add(importer.category_for(nicename, name))
        elif domain == "post_tag":
            tags.add(importer.tag_for(nicename, name))
    if item.sticky:
        categories.add(importer.top_news_category())
    expert = importer.creator_expert(item.creator)
    filed = Article.categories.through.objects.filter(article=article)
    tagged = Article.tags.through.objects.filter(content_type=article_type(), object_id=article.pk)
    changed = sync_rows(
        filed,
        "category_id",
        categories,
        lambda pk: Article.categories.through(article=article, category_id=pk),
        created=created,
    )
    changed |= sync_rows(
        tagged,
        "tag_id",
        tags,
        lambda pk: Article.tags.through(
            tag_id=pk, content_type=article_type(), object_id=article.pk
        ),
        created=created,
    )
    bylines = [] if created else list(article.bylines.values_list("expert_id", flat=True))
    wanted = [expert] if expert else []
    if bylines != wanted:
        if not created:
            Byline.objects.filter(article=article).delete()
        if expert:
            Byline.objects.create(article=article, expert_id=expert, position=0)
        changed = True
    return changed and not created


def sync_rows(rows, field, wanted, make, *, created):
    """Make the through ``rows`` point at exactly the ``wanted`` pks; True if they changed."""
    current = set() if created else set(rows.values_list(field, flat=True))
    if current == wanted:
        return False
    if removed := current - wanted:
        rows.filter(**{f"{field}__in": removed}).delete()
    if added := wanted - current:
        rows.model.objects.bulk_create([make(pk) for pk in added])
    return True


def article_type():
    return ContentType.objects.get_for_model(Article)


# Attachments ---------------------------------------------------------------------------------


def record_attachment(importer, item):
    importer.report.found("attachments", "inherit")
    url = item.attachment_url or item.guid
    importer.attachments[item.post_id] = Attachment(
        wp_id=item.post_id,
        url=url,
        title=item_title(item),
        alt=clean_line(item.meta.get("_wp_attachment_image_alt", "")),
        parent=item.post_parent,
    )
    if query_form(url, "attachment_id"):
        importer.report.note("attachments without a file URL", url)
