"""Published WordPress pages become static pages at their old address."""

from urllib.parse import unquote

from django.urls import Resolver404, resolve

from articles.markup import sanitize_html
from pages.models import Page
from wordpress import content
from wordpress.fields import item_title, legacy_path
from wordpress.models import ImportedObject
from wordpress.text import make_slug, strip_invisible
from wordpress.text import truncate as truncate_text


def import_page(importer, item):
    report = importer.report
    title = item_title(item)
    slug = strip_invisible(unquote(item.post_name)) or make_slug(title) or f"page-{item.post_id}"
    importer.pages[item.post_id] = (slug, item.post_parent)
    if item.status != "publish" or item.password:
        report.found("pages", "not published")
        report.outcome("pages", "not published", "skipped")
        why = "password-protected" if item.password else item.status or "?"
        report.skip(f"pages not published ({why})", title or item.post_id)
        return
    report.found("pages", "publish")
    if not importer.first_sight(ImportedObject.Kind.PAGE, item.post_id):
        report.outcome("pages", "publish", "skipped")
        return
    values = {
        "title": truncate_text(title or slug, 255),
        "content": sanitize_html(content.convert(item.content, media=importer.media.rewriter)),
    }
    path = legacy_path(item.link)
    if path is None:
        # A query-form link (?page_id=2): the address is made of the slugs of the
        # page and its parents, which may come later in the file.
        importer.pending_pages.append((item.post_id, values))
        return
    save_page(importer, item.post_id, path if path.endswith("/") else f"{path}/", values)


def finish_pages(importer):
    for post_id, values in importer.pending_pages:
        save_page(importer, post_id, page_path(importer, post_id), values)


def page_path(importer, post_id):
    segments, current = [], post_id
    while current in importer.pages and len(segments) < 50:
        slug, parent = importer.pages[current]
        segments.insert(0, slug)
        current = parent
    return "/" + "/".join(segments) + "/"


def save_page(importer, post_id, url, values):
    report = importer.report
    page = importer.mapped(ImportedObject.Kind.PAGE, post_id, Page)
    created = page is None
    if created:
        if len(url) > 255 or Page.objects.filter(url=url).exists():
            report.outcome("pages", "publish", "skipped")
            report.skip("pages whose address is taken or too long", url[:80])
            return
        page = Page()
    elif Page.objects.filter(url=url).exclude(pk=page.pk).exists():
        url = page.url
    outcome = importer.upsert(page, {**values, "url": url}, created=created)
    report.outcome("pages", "publish", outcome)
    if created:
        importer.remember(ImportedObject.Kind.PAGE, post_id, page.pk)
    importer.add_legacy_url(f"/?page_id={post_id}", page_id=page.pk)
    try:
        resolve(url)
    except Resolver404:
        pass
    else:
        report.note("pages whose address is also a page of Tribune (that page wins)", url)
