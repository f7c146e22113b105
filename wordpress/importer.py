"""Importing a WordPress export: one pass over the file, in one transaction.

``import_export(path)`` reads the export as a stream (``wxr``), turns authors
into experts, categories and tags into ours, posts into articles with their
comments (``posts``), published pages into static pages, and records the old
addresses for redirects. Every object is remembered in ``ImportedObject``, so
running the import again updates what it made instead of duplicating it.

Everything happens inside one ``transaction.atomic()``: a file that turns out
to be broken half-way (XML errors surface while streaming) leaves the database
as it was, and ``dry_run`` rolls back on purpose once the report is made.
"""

from django.db import transaction

from wordpress import posts, static_pages
from wordpress.media import MediaLibrary
from wordpress.models import TARGETS, ImportedObject, LegacyURL
from wordpress.report import Report
from wordpress.taxonomy import TaxonomyMixin
from wordpress.text import truncate
from wordpress.wxr import Author, Channel, Item, Term, WXRReader

# The fields naming what an old address leads to (``article_id``…).
TARGET_FIELDS = tuple(f"{name}_id" for name in TARGETS)
# Kinds whose mappings are few enough to be loaded at the start.
MEMORISED = (ImportedObject.Kind.AUTHOR, ImportedObject.Kind.CATEGORY, ImportedObject.Kind.TAG)


class DryRunRollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_export(path, *, dry_run=False, media_dir=None, progress=None):
    """Import the WordPress export at ``path``; returns the ``Report``.

    Raises ``wxr.WXRError`` for a file that is not a readable export, after
    rolling everything back.
    """
    importer = Importer(dry_run=dry_run, media_dir=media_dir, progress=progress)
    try:
        with transaction.atomic():
            importer.run(path)
            if dry_run:
                raise DryRunRollback
    except DryRunRollback:
        pass
    except BaseException:
        importer.media.discard_new_files()
        raise
    return importer.report


class Importer(TaxonomyMixin):
    """One run over one export: the state that outlives a record, and the report."""

    def __init__(self, *, dry_run=False, media_dir=None, progress=None):
        self.report = Report(dry_run=dry_run)
        self.media = MediaLibrary(media_dir, dry_run=dry_run)
        self.progress = progress
        self.site_url = ""
        self.declared_logins = set()
        self.author_ids = {}  # WordPress login → user id, for declared authors
        self.experts = {}  # WordPress login → expert pk
        self.categories = {}  # WordPress category slug → CategoryInfo
        self.tags = {}  # WordPress tag slug → Tag pk
        self.attachments = self.report.attachments  # id → report.Attachment
        self.featured = []  # (article pk, attachment id, article title)
        self.pages = {}  # page id → (slug, parent id): addresses of query-form pages
        self.pending_pages = []  # pages whose address needs their parents' slugs
        self._mappings = {}  # (kind, key) → object pk, for authors and terms
        self._stale = set()  # (kind, key) of mappings whose row was deleted since
        self._seen = {}  # kind → ids of the posts, pages and comments met in the file
        self.known_site = False
        self.top_news = None

    # The run ---------------------------------------------------------------------------------

    def run(self, path):
        reader = WXRReader(path)
        handlers = {
            Channel: self.start,
            Author: self.import_author,
            Term: self.import_term,
            Item: lambda item: posts.import_item(self, item),
        }
        for record in reader:
            handlers[type(record)](record)
            if self.progress is not None:
                self.progress(reader.bytes_read)
        self.report.version = reader.version
        static_pages.finish_pages(self)
        self.finish_categories()
        self.finish_archives()
        self.finish_featured_images()

    def start(self, channel):
        self.site_url = channel.site_url[:200]
        self.report.site_url = self.site_url
        # A site never imported before has nothing to look up: its first run
        # skips the per-item queries for earlier imports.
        self.known_site = ImportedObject.objects.filter(site_url=self.site_url).exists()
        for mapping in ImportedObject.objects.filter(
            site_url=self.site_url,
            kind__in=MEMORISED,
        ).values_list("kind", "wp_key", "object_id"):
            self._mappings[mapping[0], mapping[1]] = mapping[2]

    # Mappings --------------------------------------------------------------------------------

    def first_sight(self, kind, key):
        """Whether (``kind``, ``key``) is met for the first time in this file.

        An export listing the same post or comment twice would otherwise
        import it twice; the repeat is reported and skipped.
        """
        seen = self._seen.setdefault(kind, set())
        compact = int(key) if key.isascii() and key.isdigit() else key  # ids are numbers
        if compact in seen:
            self.report.skip(f"repeated {kind} ids in the file (the first one is imported)", key)
            return False
        seen.add(compact)
        return True

    def mapped(self, kind, key, model):
        """The row ``model`` imported earlier from (site, ``kind``, ``key``), or None."""
        key = key[:255]
        pk = self._mappings.get((kind, key))
        if pk is None and kind not in MEMORISED and self.known_site:
            pk = (
                ImportedObject.objects.filter(site_url=self.site_url, kind=kind, wp_key=key)
                .values_list("object_id", flat=True)
                .first()
            )
        if pk is None:
            return None
        found = model.objects.filter(pk=pk).first()
        if found is None:
            self._stale.add((kind, key))  # imported, then deleted in Tribune
        return found

    def mapped_many(self, kind, keys):
        """``{key: object pk}`` of the objects imported earlier from ``keys``."""
        if not self.known_site or not keys:
            return {}
        return dict(
            ImportedObject.objects.filter(
                site_url=self.site_url, kind=kind, wp_key__in=[key[:255] for key in keys]
            ).values_list("wp_key", "object_id")
        )

    def remember(self, kind, key, pk, *, stale=False):
        """Record that (site, ``kind``, ``key``) became the row ``pk``."""
        key = key[:255]
        if self._mappings.get((kind, key)) == pk:
            return
        if stale or (kind, key) in self._stale or (kind, key) in self._mappings:
            ImportedObject.objects.update_or_create(
                site_url=self.site_url, kind=kind, wp_key=key, defaults={"object_id": pk}
            )
        else:
            ImportedObject.objects.create(
                site_url=self.site_url, kind=kind, wp_key=key, object_id=pk
            )
        if kind in MEMORISED:
            self._mappings[kind, key] = pk

    def remember_new(self, kind, pairs):
        """Record many new (key, pk) pairs in one query (none of them was mapped before)."""
        rows = [
            ImportedObject(site_url=self.site_url, kind=kind, wp_key=key[:255], object_id=pk)
            for key, pk in pairs
        ]
        if rows:
            ImportedObject.objects.bulk_create(rows)

    def upsert(self, instance, values, *, created):
        """Set ``values`` on ``instance`` and save it when new or changed; returns the outcome."""
        if created:
            for name, value in values.items():
                setattr(instance, name, value)
            instance.save()
            return "created"
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changed:
            return "unchanged"
        for name in changed:
            setattr(instance, name, values[name])
        instance.save()
        return "updated"

    # Redirects -------------------------------------------------------------------------------

    def add_legacy_url(self, old_path, **target):
        """Make ``old_path`` redirect to ``target`` (``article_id=…``, ``page_id=…``, …)."""
        self.add_legacy_urls([old_path], **target)

    def add_legacy_urls(self, old_paths, **target):
        """Make each of ``old_paths`` redirect to ``target``, in as few queries as it takes."""
        self.save_legacy_urls(dict.fromkeys(old_paths, target))

    def save_legacy_urls(self, targets):
        """Make each old path of ``targets`` redirect to its target (``{path: {"tag_id": 3}}``).

        Returns the number of paths kept (not skipped as too long).
        """
        wanted = {}
        for path, target in targets.items():
            if len(path) > 500:
                self.report.skip("old addresses longer than 500 characters", path[:80])
            else:
                wanted[path] = {**dict.fromkeys(TARGET_FIELDS), **target}
        existing = LegacyURL.objects.in_bulk(list(wanted), field_name="old_path")
        if new := [
            LegacyURL(old_path=path, site_url=self.site_url, **values)
            for path, values in wanted.items()
            if path not in existing
        ]:
            LegacyURL.objects.bulk_create(new)
            self.report.redirects["created"] += len(new)
        for legacy in existing.values():
            values = wanted[legacy.old_path]
            if all(getattr(legacy, name) == value for name, value in values.items()):
                self.report.redirects["unchanged"] += 1
                continue
            if legacy.site_url != self.site_url:
                self.report.note(
                    "old addresses taken over from another imported site", legacy.old_path
                )
            LegacyURL.objects.filter(pk=legacy.pk).update(site_url=self.site_url, **values)
            self.report.redirects["updated"] += 1
        return len(wanted)

    # Attachments -----------------------------------------------------------------------------

    def finish_featured_images(self):
        """Give articles their featured image (``_thumbnail_id``), now every attachment is known."""
        from articles.models import Article

        for article_pk, attachment_id, title in self.featured:
            attachment = self.attachments.get(attachment_id)
            if attachment is None:
                self.report.skip("featured images whose attachment is not in the file", title)
                continue
            if not self.media.enabled:
                self.report.skip(
                    "featured images not imported (no --media-dir given)", attachment.url
                )
                continue
            name = self.media.store(attachment.url)
            if name is None:
                self.report.skip("featured images whose file is not in --media-dir", attachment.url)
                continue
            attachment.stored_as = name
            alt = attachment.alt
            if not alt:
                alt = attachment.title or title
                self.report.note("featured images without alt text: the title is used", title)
            Article.objects.filter(pk=article_pk).exclude(image=name, image_alt=alt).update(
                image=name, image_alt=truncate(alt, 255)
            )
