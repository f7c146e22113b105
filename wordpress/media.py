"""Files of the old site's media library, imported from a local copy of ``wp-content/uploads``.

The files of an export cannot be fetched here, but a copy of the uploads
folder can be given with ``--media-dir``: an attachment URL such as
``https://example.org/wp-content/uploads/2019/03/map.png`` is looked up as
``DIR/2019/03/map.png`` and stored as ``wordpress/2019/03/map.png`` in the
site's media storage. WordPress.com serves uploads from
``<blog>.files.wordpress.com/2019/03/map.png``; the same layout applies.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.files import File
from django.core.files.storage import default_storage

logger = logging.getLogger(__name__)

UPLOADS = "/wp-content/uploads/"
STORAGE_FOLDER = "wordpress"


def uploads_path(url):
    """The path of ``url`` inside the uploads folder (``2019/03/map.png``), or None."""
    parts = urlsplit((url or "").strip())
    path = unquote(parts.path)
    if UPLOADS in path:
        relative = path.split(UPLOADS, 1)[1]
    elif (parts.hostname or "").endswith(".files.wordpress.com"):
        relative = path.lstrip("/")
    else:
        return None
    segments = [segment for segment in relative.split("/") if segment]
    if not segments or any(segment in (".", "..") for segment in segments):
        return None
    return "/".join(segments)


class MediaLibrary:
    """Finds files of the old site under ``media_dir`` and stores them once each.

    With ``dry_run`` files are found but not stored. ``new_names`` lists what
    this run stored, so a failed run can remove it again.
    """

    def __init__(self, media_dir, *, dry_run=False):
        self.root = Path(media_dir).resolve() if media_dir else None
        self.dry_run = dry_run
        self.new_names = []
        self._stored = {}  # relative path → storage name, or None when not found

    @property
    def enabled(self):
        return self.root is not None

    @property
    def rewriter(self):
        """What ``content.convert`` calls to point links at imported files (None: no folder)."""
        return self.url_for if self.enabled else None

    def store(self, url):
        """The storage name of the file behind ``url``, storing it on first use; None if absent."""
        if self.root is None:
            return None
        relative = uploads_path(url)
        if relative is None:
            return None
        if relative not in self._stored:
            self._stored[relative] = self._store(relative)
        return self._stored[relative]

    def url_for(self, url):
        """The public URL of the imported copy of ``url``, for links in the text; or None."""
        name = self.store(url)
        if name is None or self.dry_run:
            return None
        return default_storage.url(name)

    def _store(self, relative):
        source = (self.root / relative).resolve()
        if not source.is_relative_to(self.root) or not source.is_file():
            return None
        name = f"{STORAGE_FOLDER}/{relative}"
        if self.dry_run:
            return name
        if default_storage.exists(name) and default_storage.size(name) == source.stat().st_size:
            return name  # imported by an earlier run
        with source.open("rb") as file:
            stored = default_storage.save(name, File(file, name=source.name))
        self.new_names.append(stored)
        return stored

    def discard_new_files(self):
        """Remove the files this run stored (its database changes were rolled back)."""
        for name in self.new_names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not remove the imported file %s.", name, exc_info=True)
        self.new_names = []
