"""The staff roles: the ``Editors`` and ``Moderators`` groups and their permissions.

The groups are (re)built after every ``migrate``, so a fresh database, a test
database and an upgraded production database all end with the same roles. Each
run sets *exactly* the permissions listed here: missing ones are added, anything
granted by hand is removed. Change a role by changing this module.

The roles span every content app (editors get rights on articles, pages *and*
comments), so they live in the newsroom app, above all of them. Its
``post_migrate`` runs after every app listed before it has created its
permissions.

Nobody but a superuser gets ``auth.*`` permissions: users and groups are the
administrator's business.
"""

import logging

from django.apps import apps as global_apps
from django.db.models import Q

logger = logging.getLogger(__name__)

EDITORS = "Editors"
MODERATORS = "Moderators"

ALL_ACTIONS = ("add", "change", "delete", "view")

COMMENT_MODERATION = [
    ("comments", "view_comment"),
    ("comments", "change_comment"),
    ("comments", "delete_comment"),
    ("comments", "moderate_comment"),
]


def _model_permissions(app_label, model_name, actions=ALL_ACTIONS):
    return [(app_label, f"{action}_{model_name}") for action in actions]


ROLES = {
    EDITORS: [
        *_model_permissions("articles", "article"),
        *_model_permissions("articles", "category"),
        *_model_permissions("articles", "expert"),
        # The byline inline on the article form needs its own rights.
        *_model_permissions("articles", "byline"),
        # Old addresses are kept by Article.save(); editors only look at them.
        *_model_permissions("articles", "slugredirect", ["view"]),
        # Revisions. The history admin follows the article rights unless
        # SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS is on; then viewing
        # needs "view" and restoring needs "change" on the historical model.
        *_model_permissions("articles", "historicalarticle", ["view", "change"]),
        # Tags are typed on the article form; the tag admin (rename, merge,
        # delete) works on taggit.Tag. Tagged items are written by the form
        # itself and need no rights of their own.
        *_model_permissions("taggit", "tag"),
        # Static pages (About, Contact, pages imported from WordPress).
        *_model_permissions("pages", "page"),
        *COMMENT_MODERATION,
    ],
    MODERATORS: COMMENT_MODERATION,
}


def _permissions(Permission, natural_keys, using):
    query = Q()
    for app_label, codename in natural_keys:
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.using(using).filter(query).select_related("content_type"))
    missing = set(natural_keys) - {(p.content_type.app_label, p.codename) for p in found}
    return found, sorted(missing)


def sync_roles(*, apps=global_apps, using="default", verbosity=1):
    """Create the staff groups and give each exactly its permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, natural_keys in ROLES.items():
        group, created = Group.objects.using(using).get_or_create(name=name)
        permissions, missing = _permissions(Permission, natural_keys, using)
        for app_label, codename in missing:
            logger.warning("Role %s: permission %s.%s does not exist.", name, app_label, codename)
        group.permissions.set(permissions)
        if verbosity >= 2:
            state = "created" if created else "updated"
            print(f"  Group {name} {state}: {len(permissions)} permissions")


def sync_roles_after_migrate(sender, *, apps=global_apps, using="default", verbosity=1, **kwargs):
    """``post_migrate`` receiver, connected for the newsroom app only.

    ``apps`` is the migrated state; when ``migrate`` stopped short of the auth
    tables (a partial target) there is nothing to do yet.
    """
    try:
        apps.get_model("auth", "Group")
        apps.get_model("auth", "Permission")
    except LookupError:
        return
    sync_roles(apps=apps, using=using, verbosity=verbosity)
