"""Authors, categories and tags: the part of the import that runs before the posts.

Authors become experts, matched by their login; categories and tags become
ours, each remembered by its WordPress slug. Categories are flat in Tribune:
once every category is known, a child's description records its parent.
At the end, every old archive address that changed (an author's, a nested
category's, a tag whose slug is not ours) redirects to the new listing, and so
do the query forms WordPress answers by id (``/?author=2``, ``/?cat=3``).
"""

import html
from dataclasses import dataclass
from urllib.parse import unquote

from taggit.models import Tag

from articles.citations import split_name
from articles.models import Category, Expert
from wordpress.fields import unique_slug, wordpress_id
from wordpress.models import ImportedObject
from wordpress.text import clean_line, make_slug, strip_invisible, truncate, user_nicename

TOP_NEWS_SLUG = "top-news"
TOP_NEWS_NAME = "Top news"
# WordPress logins: what sanitize_user() keeps in strict mode.
LOGIN_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.-@")


def family_name_for_citations(name, author):
    """The author's last name, when it is in ``name`` but citations would not find it there.

    "Gabriel García Márquez" with the last name "García Márquez": citations would
    take "Márquez" alone. Empty when the usual rule already gets it right, or when
    the last name is not part of the name shown.
    """
    family = " ".join(clean_line(html.unescape(author.last_name)).split())[:150]
    if not family or f" {family} " not in f" {' '.join(name.split())} ":
        return ""
    return "" if split_name(name).family == family else family


@dataclass
class CategoryInfo:
    pk: int
    name: str
    slug: str
    description: str
    parent: str = ""  # the parent's WordPress slug
    owned: bool = True  # made by an import (not an existing category matched by slug)
    outcome: str = "created"
    status: str = "declared"
    term_id: int | None = None  # WordPress's id of a declared category, for ``/?cat=N``


class TaxonomyMixin:
    """The ``Importer``'s handling of authors, categories and tags."""

    # Authors ---------------------------------------------------------------------------------

    def import_author(self, author):
        self.declared_logins.add(author.login)
        if (user_id := wordpress_id(author.id)) is not None:
            self.author_ids.setdefault(author.login, user_id)
        self.report.found("authors", "declared")
        self.expert_for(author.login, author=author, status="declared")

    def expert_for(self, login, *, author=None, status="creator only"):
        """The expert pk for ``login``, creating or updating the expert on first sight."""
        if login in self.experts:
            return self.experts[login]
        name = ""
        if author is not None:
            name = clean_line(html.unescape(author.display_name)) or clean_line(
                f"{author.first_name} {author.last_name}"
            )
        name = truncate(name or clean_line(strip_invisible(login)) or "Author", 150)
        expert = self.mapped(ImportedObject.Kind.AUTHOR, login, Expert)
        created = expert is None
        values = {"name": name}
        if author is not None and (family := family_name_for_citations(name, author)):
            values["family_name"] = family
        if created:
            expert = Expert()
            base = make_slug(login, name, max_length=140) or "author"
            values["slug"] = unique_slug(Expert, base, max_length=150)
        outcome = self.upsert(expert, values, created=created)
        self.report.outcome("authors", status, outcome)
        self.remember(ImportedObject.Kind.AUTHOR, login, expert.pk)
        self.experts[login] = expert.pk
        return expert.pk

    def is_login(self, creator):
        """Whether ``creator`` names an author: a declared login, matched exactly.

        A WXR 1.0 file declares no authors; there any valid WordPress login counts.
        """
        if creator in self.declared_logins:
            return True
        return not self.declared_logins and creator.strip() and set(creator) <= LOGIN_CHARACTERS

    def creator_expert(self, creator):
        """The expert signing a post by ``creator``; None when there is none or it is malformed."""
        if not creator or not self.is_login(creator):
            return None
        if creator not in self.declared_logins and creator not in self.experts:
            self.report.found("authors", "creator only")
        return self.expert_for(creator)

    # Categories and tags ---------------------------------------------------------------------

    def import_term(self, term):
        if term.taxonomy == "category":
            self.report.found("categories", "declared")
            self.category_for(term.slug, term.name, term=term, status="declared")
        elif term.taxonomy == "post_tag":
            self.report.found("tags", "declared")
            self.tag_for(term.slug, term.name, status="declared", description=term.description)
        else:
            self.report.skip(f"terms of the taxonomy “{term.taxonomy}” (menus, formats…)")

    def category_for(self, nicename, name, *, term=None, status="used, not declared"):
        """The pk of the category for WordPress slug ``nicename``, made on first sight."""
        key = nicename or name
        if key in self.categories:
            return self.categories[key].pk
        if term is None:
            self.report.found("categories", status)
        name = truncate(clean_line(html.unescape(name)) or key, 100)
        description = (term.description if term else "").strip()
        category = self.mapped(ImportedObject.Kind.CATEGORY, key, Category)
        owned = category is not None
        if category is None:
            slug = make_slug(key, name, max_length=100) or "category"
            category = Category.objects.filter(slug=slug).first()
            if category is not None:
                self.report.note("categories matched to existing ones by slug", slug)
        created = category is None
        # The description (with the parent) is written once every category is known;
        # a category that existed before the import keeps its name.
        values = {"name": name} if owned or created else {}
        if created:
            category = Category(description=description)
            values["slug"] = unique_slug(Category, slug, max_length=100)
        outcome = self.upsert(category, values, created=created)
        self.report.outcome("categories", status, outcome)
        self.remember(ImportedObject.Kind.CATEGORY, key, category.pk)
        self.categories[key] = CategoryInfo(
            pk=category.pk,
            name=category.name,
            slug=category.slug,
            description=description,
            parent=(term.parent if term else "").strip(),
            owned=owned or created,
            outcome=outcome,
            status=status,
            term_id=wordpress_id(term.id) if term else None,
        )
        return category.pk

    def finish_categories(self):
        """Record each category's parent in its description.

        Categories are flat here; "Parent: <name>" keeps the hierarchy readable.
        A category that existed before the import keeps its own description.
        """
        for info in self.categories.values():
            parent = self.categories.get(info.parent)
            description = info.description
            if parent is not None:
                line = f"Parent: {parent.name}"
                description = f"{description}\n\n{line}" if description else line
            if info.owned:
                changed = (
                    Category.objects.filter(pk=info.pk)
                    .exclude(description=description)
                    .update(description=description)
                )
                if changed and info.outcome == "unchanged":
                    self.report.outcome("categories", info.status, "updated")
                    self.report.rows["categories", info.status].unchanged -= 1

    def tag_for(self, slug, name, *, status="used, not declared", description=""):
        key = slug or name
        if key in self.tags:
            return self.tags[key]
        if status != "declared":
            self.report.found("tags", status)
        name = truncate(clean_line(html.unescape(name)) or key, 100)
        tag = self.mapped(ImportedObject.Kind.TAG, key, Tag)
        if tag is None and (tag := Tag.objects.filter(name=name).first()) is not None:
            self.report.note("tags merged into an existing tag of the same name", f"{key} → {name}")
        created = tag is None
        values = {"name": name}
        if created:
            tag = Tag()
            base = make_slug(key, name, max_length=90) or "tag"
            values["slug"] = unique_slug(Tag, base, max_length=100)
        elif Tag.objects.filter(name=name).exclude(pk=tag.pk).exists():
            values = {}  # renaming would clash with another tag
        outcome = self.upsert(tag, values, created=created)
        self.report.outcome("tags", status, outcome)
        self.remember(ImportedObject.Kind.TAG, key, tag.pk)
        self.tags[key] = tag.pk
        return tag.pk

    # Old archive addresses --------------------------------------------------------------------

    def finish_archives(self):
        """Redirect the old author, category and tag archives whose address changed.

        One row for each: its feed and numbered pages follow it (``archives``).
        The query forms naming an author or a category by id get a row each too.
        """
        for kind, targets in (
            ("author", self.author_archives()),
            ("category", self.category_archives()),
            ("tag", self.tag_archives()),
        ):
            if recorded := self.save_legacy_urls(targets):
                self.report.archive_redirects[kind] += recorded
        for kind, targets in (
            ("author", self.author_queries()),
            ("category", self.category_queries()),
        ):
            if recorded := self.save_legacy_urls(targets):
                self.report.query_redirects[kind] += recorded

    def author_archives(self):
        """``/author/<nicename>/`` of every author, as WordPress named them.

        WordPress gives a nicename already taken a suffix (``-2``, ``-3``…) when
        the later user is created, so users are taken in the order of their ids.
        """
        order = sorted(self.experts, key=lambda login: self.author_ids.get(login, float("inf")))
        targets, taken = {}, set()
        for login in order:
            nicename = base = user_nicename(login)
            if not nicename:
                self.report.note("authors whose login makes no WordPress address", login)
                continue
            suffix = 2
            while nicename in taken:
                nicename = f"{base[: 49 - len(str(suffix))]}-{suffix}"
                suffix += 1
            taken.add(nicename)
            targets[f"/author/{nicename}/"] = {"expert_id": self.experts[login]}
        return targets

    def category_archives(self):
        """``/category/parent/child/`` of every category whose address is not ours."""
        targets = {}
        for key, info in self.categories.items():
            chain, current = [], key
            while current in self.categories and len(chain) < 50:
                chain.insert(0, strip_invisible(unquote(current)))
                current = self.categories[current].parent
            old_path = "/category/" + "/".join(chain) + "/"
            if old_path != f"/category/{info.slug}/":
                targets[old_path] = {"category_id": info.pk}
        return targets

    def tag_archives(self):
        """``/tag/<slug>/`` of every tag whose slug is not ours (a Unicode slug, a clash)."""
        slugs = dict(Tag.objects.filter(pk__in=self.tags.values()).values_list("pk", "slug"))
        targets = {}
        for key, pk in self.tags.items():
            old_path = f"/tag/{strip_invisible(unquote(key))}/"
            if pk in slugs and old_path != f"/tag/{slugs[pk]}/":
                targets[old_path] = {"tag_id": pk}
        return targets

    def author_queries(self):
        """``/?author=<user id>`` of every declared author with an id."""
        targets = {}
        for login, user_id in self.author_ids.items():
            targets.setdefault(f"/?author={user_id}", {"expert_id": self.experts[login]})
        return targets

    def category_queries(self):
        """``/?cat=<term id>`` of every declared category with an id."""
        targets = {}
        for info in self.categories.values():
            if info.term_id is not None:
                targets.setdefault(f"/?cat={info.term_id}", {"category_id": info.pk})
        return targets

    def top_news_category(self):
        if self.top_news is None:
            category, created = Category.objects.get_or_create(
                slug=TOP_NEWS_SLUG, defaults={"name": TOP_NEWS_NAME}
            )
            if created:
                self.report.note("category created for sticky posts", TOP_NEWS_SLUG)
            self.top_news = category.pk
        return self.top_news
