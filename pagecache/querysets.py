"""Querysets whose writes without signals (``update()``, ``bulk_create``) still announce.

Django sends no ``post_save`` for them, so a content app's queryset says, through
``changed_topics()``, which topics its rows are part of, and every such write
announces them (see pagecache/versions.py).
"""

from django.db import models

from pagecache.versions import changed


class AnnouncingQuerySet(models.QuerySet):
    # The field whose values name the topics of the rows written (see changed_topics).
    announce_by = "pk"

    def changed_topics(self, values):
        """The topics that change with rows whose ``announce_by`` values are ``values``."""
        raise NotImplementedError

    def update(self, **kwargs):
        values = set(self.values_list(self.announce_by, flat=True))
        rows = super().update(**kwargs)
        if rows:
            changed(*self.changed_topics(values))
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        self._announce(objs)
        return objs

    bulk_create.alters_data = True

    def bulk_update(self, objs, *args, **kwargs):
        rows = super().bulk_update(objs, *args, **kwargs)
        if rows:
            self._announce(objs)
        return rows

    bulk_update.alters_data = True

    def _announce(self, objs):
        attname = (
            self.model._meta.get_field(self.announce_by).attname
            if self.announce_by != "pk"
            else "pk"
        )
        if values := {getattr(obj, attname) for obj in objs}:
            changed(*self.changed_topics(values))
