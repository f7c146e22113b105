"""Benchmark data: a think-tank's archive, generated fast enough to be made again on every run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune_bench \\
        .venv/bin/python bench/generate.py --scale 1

At ``--scale 1`` the database gets 10,000 articles and 200,000 comments, 50
categories, 500 tags and 100 experts; ``--scale N`` multiplies the articles and
the comments by N and keeps the taxonomy as it is, so each listing (a
category, a tag, an expert) grows N times too: the hard case for a page that
must cost the same whatever the size of the archive. ``--articles``,
``--comments`` and the other options set one count directly (the tests use
tiny ones).

What is made, from a seeded random generator (the same counts give the same text):

- articles with a few KB of HTML (paragraphs, a heading, sometimes a quote),
  published over the last eight years, one in 33 a draft and one in 33 scheduled;
  1–3 categories (one in ten is also "Top news", shown first on the home
  page), 1–2 experts and 2–5 tags each, popular tags more often (Zipf);
- comments of 1–3 sentences on published articles, a few on most and many on
  some; about a quarter are replies (threads), 85 % approved, the rest
  pending, spam or trash;
- ``bench-discussed``: a recent article with ``DISCUSSED_COMMENTS`` approved
  comments in threads, plus some held ones, for the article page;
- ``bench-moderator``: a staff account with an email address and no usable
  password, so a new comment makes the site notify a moderator by email.

Rows go in with PostgreSQL's ``COPY`` (``bulk_create`` on other databases).
``Article.save()`` is bypassed, so what it keeps is filled here the same way:
``body_text`` with ``articles.search.plain_text`` and every search vector with
one ``UPDATE`` (``update_search_vectors``). Then ``VACUUM ANALYZE``, as
autovacuum would do on a live site. The generator adds to what is there
(ids continue after the highest); run it on a freshly migrated database.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import FIRST_NAMES, LAST_NAMES, RARE, TOPICAL, vocabulary  # noqa: E402

BASE = {"articles": 10_000, "comments": 200_000, "categories": 50, "tags": 500, "experts": 100}
DISCUSSED_SLUG = "bench-discussed"
DISCUSSED_COMMENTS = 80
TOP_NEWS_SLUG = "top-news"
MODERATOR = "bench-moderator"
SEED = 20260101
YEARS = 8
BATCH = 5_000

CATEGORY_NAMES = [
    "Note", "Analysis", "Interview", "Report", "Commentary", "Top news", "Political",
    "Economy", "Security", "Energy", "Climate", "Trade", "Migration", "Technology", "Law",
    "Middle East", "Europe", "Asia", "Africa", "Americas", "Central Asia", "Caucasus",
    "Gulf", "Levant", "North Africa", "Russia", "China", "India", "Turkey", "Iran",
]  # fmt: skip
EXPERT_TITLES = [
    "Analyst of international affairs", "Senior fellow", "Research fellow",
    "Director of studies", "Economist", "Visiting scholar", "Energy analyst",
]  # fmt: skip
USER_AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
]
# Moderation states of generated comments and their shares.
COMMENT_STATUSES = ("approved", "pending", "spam", "trash")
COMMENT_WEIGHTS = (85, 8, 5, 2)
REPLY_SHARE = 0.25


def counts_for(scale=1, **overrides):
    """The number of rows of each kind: articles and comments grow with ``scale``."""
    counts = dict(BASE)
    counts["articles"] *= scale
    counts["comments"] *= scale
    counts.update({key: value for key, value in overrides.items() if value is not None})
    return counts


# Writing rows ------------------------------------------------------------------------------


def insert(model, fields, rows):
    """Insert ``rows`` (tuples of ``fields``, attribute names) into ``model``'s table.

    PostgreSQL gets them through ``COPY``; other databases through ``bulk_create``.
    Returns the number of rows.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        columns = ", ".join(
            connection.ops.quote_name(model._meta.get_field(name).column) for name in fields
        )
        table = connection.ops.quote_name(model._meta.db_table)
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    count = 0
    for chunk in chunks(rows, BATCH):
        model.objects.bulk_create(model(**dict(zip(fields, row, strict=True))) for row in chunk)
        count += len(chunk)
    return count


def chunks(rows, size):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def next_id(model):
    from django.db.models import Max

    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def reset_sequences(models):
    """After rows were written with explicit ids, new rows must get the next ones."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# Text --------------------------------------------------------------------------------------


class Writer:
    """Made-up English text with the topical words the search benchmark looks for."""

    def __init__(self, rng):
        self.rng = rng
        self.words = vocabulary(rng)

    def sentence(self, low=8, high=18):
        rng = self.rng
        chosen = rng.choices(self.words, k=rng.randint(low, high))
        if rng.random() < 0.3:
            chosen.append(rng.choice(TOPICAL))
        if rng.random() < 0.002:
            chosen.append(rng.choice(RARE))
        return " ".join(chosen).capitalize() + "."

    def paragraph(self):
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))

    def title(self):
        return self.sentence(4, 8).rstrip(".")

    def body(self):
        """A few KB of HTML: paragraphs, one heading, sometimes a quotation."""
        rng = self.rng
        parts = [f"<p>{self.paragraph()}</p>" for _ in range(rng.randint(2, 3))]
        parts.append(f"<h2>{self.title()}</h2>")
        parts += [f"<p>{self.paragraph()}</p>" for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.3:
            parts.insert(
                rng.randint(1, len(parts)), f"<blockquote><p>{self.sentence()}</p></blockquote>"
            )
        return "".join(parts)

    def comment(self):
        return " ".join(self.sentence(6, 16) for _ in range(self.rng.randint(1, 3)))


# The taxonomy ------------------------------------------------------------------------------


def make_categories(count):
    """``count`` categories, "Top news" (the home page's first section) always among them."""
    from articles.models import Category

    names = ["Top news"] + [name for name in CATEGORY_NAMES if name != "Top news"]
    names += [f"Programme {number}" for number in range(1, count)]
    return Category.objects.bulk_create(
        Category(name=name, slug=name.lower().replace(" ", "-"), position=position)
        for position, name in enumerate(names[:count])
    )


def make_tags(rng, count):
    from django.utils.text import slugify
    from taggit.models import Tag

    names = list(dict.fromkeys(TOPICAL + RARE))
    words = vocabulary(rng, size=count * 2)
    while len(names) < count:
        names.append(f"{rng.choice(TOPICAL)} {words[len(names)]}")
    names = names[:count]
    return Tag.objects.bulk_create(Tag(name=name, slug=slugify(name)) for name in names)


def make_experts(rng, count):
    from articles.models import Expert

    experts = []
    for index in range(count):
        first, last = FIRST_NAMES[index % len(FIRST_NAMES)], LAST_NAMES[index % len(LAST_NAMES)]
        name = (
            f"{first} {last}"
            if index < len(FIRST_NAMES) * len(LAST_NAMES)
            else f"{first} {last} {index}"
        )
        experts.append(
            Expert(
                name=name,
                slug=f"expert-{index + 1}",
                title=rng.choice(EXPERT_TITLES),
                bio=f"{name} writes on {rng.choice(TOPICAL)} and {rng.choice(TOPICAL)}.",
            )
        )
    return Expert.objects.bulk_create(experts)


def make_moderator():
    """A staff account that moderators' notifications go to (no usable password)."""
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(
        username=MODERATOR,
        defaults={"email": "moderator@bench.invalid", "is_staff": True, "is_superuser": True},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# Articles ----------------------------------------------------------------------------------


def plan_articles(rng, count, now):
    """(slug, status, published_at) of each article, oldest first; the discussed one is recent."""
    span = datetime.timedelta(days=365 * YEARS)
    plans = []
    for index in range(count):
        if index == count - 1:
            plans.append((DISCUSSED_SLUG, "published", now - datetime.timedelta(days=2)))
            continue
        if index % 33 == 5:
            status, published_at = "published", now + datetime.timedelta(hours=rng.randint(1, 900))
        else:
            status = "draft" if index % 33 == 17 else "published"
            published_at = (
                now - span * (1 - index / count) - datetime.timedelta(minutes=rng.randint(60, 600))
            )
        plans.append((f"bench-{index + 1}", status, published_at))
    return plans


def article_rows(writer, plans, first_id, now):
    from articles import search

    for offset, (slug, status, published_at) in enumerate(plans):
        body = writer.body()
        title = writer.title() if slug != DISCUSSED_SLUG else "The most discussed article"
        created = min(published_at, now) - datetime.timedelta(hours=writer.rng.randint(1, 72))
        yield (
            first_id + offset, title[:255], slug, writer.sentence(16, 28), body, "", "",
            status, published_at, created, created, True, "", "",
            search.plain_text(body),
        )  # fmt: skip


ARTICLE_FIELDS = (
    "id", "title", "slug", "lead", "body", "image", "image_alt", "status", "published_at",
    "created_at", "updated_at", "comments_enabled", "seo_title", "seo_description", "body_text",
)  # fmt: skip


def link_rows(rng, article_ids, categories, experts, tags):
    """Rows of the article–category, byline and tag tables."""
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    top_news = next(c for c in categories if c.slug == TOP_NEWS_SLUG)
    others = [c for c in categories if c is not top_news] or [top_news]
    tag_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(tags))]
    content_type = ContentType.objects.get_for_model(Article).pk
    filed, bylines, tagged = [], [], []
    for article_id in article_ids:
        chosen = rng.sample(others, min(len(others), rng.randint(1, 3)))
        if rng.random() < 0.1 and top_news not in chosen:
            chosen.append(top_news)
        filed += [(article_id, category.pk) for category in chosen]
        signed = rng.sample(experts, min(len(experts), 1 if rng.random() < 0.7 else 2))
        bylines += [(article_id, expert.pk, position) for position, expert in enumerate(signed)]
        wanted = min(len(tags), rng.randint(2, 5))
        picked = set()
        while len(picked) < wanted:
            picked.add(rng.choices(range(len(tags)), weights=tag_weights)[0])
        tagged += [(content_type, article_id, tags[index].pk) for index in sorted(picked)]
    return filed, bylines, tagged


# Comments ----------------------------------------------------------------------------------


def spread_comments(rng, published, total, discussed_id):
    """How many comments each published article gets: a few on most, many on some."""
    count = {discussed_id: min(DISCUSSED_COMMENTS + DISCUSSED_COMMENTS // 8, total // 2)}
    others = [pk for pk, _at in published if pk != discussed_id]
    remaining = total - count[discussed_id]
    if not others:
        count[discussed_id] += remaining
        return count
    weights = [rng.lognormvariate(0, 1) for _ in others]
    scale = remaining / sum(weights)
    for pk, weight in zip(others, weights, strict=True):
        count[pk] = int(weight * scale)
    leftover = remaining - sum(count[pk] for pk in others)
    for pk in rng.choices(others, k=leftover):
        count[pk] += 1
    return count


def comment_rows(writer, published, counts, first_id, now, discussed_id):
    """Comments of each article in the order they were written; replies point back."""
    from comments.models import text_to_html

    rng = writer.rng
    people = [
        (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[:1]}.", f"reader{n}@example.net")
        for n in range(5_000)
    ]
    next_pk = first_id
    for article_id, published_at in published:
        wanted = counts.get(article_id, 0)
        if not wanted:
            continue
        span = max((now - published_at).total_seconds(), 60)
        offsets = sorted(rng.uniform(0, min(span, 60 * 86400)) for _ in range(wanted))
        approved = []
        discussed = article_id == discussed_id
        for index, offset in enumerate(offsets):
            if discussed:
                status = (
                    "approved" if index < DISCUSSED_COMMENTS else rng.choice(COMMENT_STATUSES[1:])
                )
            else:
                status = rng.choices(COMMENT_STATUSES, weights=COMMENT_WEIGHTS)[0]
            parent = rng.choice(approved) if approved and rng.random() < REPLY_SHARE else None
            name, email = rng.choice(people)
            created = published_at + datetime.timedelta(seconds=offset)
            moderated = created + datetime.timedelta(minutes=rng.randint(5, 600))
            body = writer.comment()
            yield (
                next_pk, article_id, parent, name, email,
                "https://example.net/" if rng.random() < 0.1 else "",
                body, text_to_html(body), status, "", created,
                f"10.{rng.randrange(256)}.{rng.randrange(256)}.0", rng.choice(USER_AGENTS),
                None if status == "pending" else min(moderated, now), None,
            )  # fmt: skip
            if status == "approved":
                approved.append(next_pk)
            next_pk += 1


COMMENT_FIELDS = (
    "id", "article_id", "parent_id", "name", "email", "url", "body", "body_html", "status",
    "hold_reason", "created_at", "ip_address", "user_agent", "moderated_at", "moderated_by_id",
)  # fmt: skip


# The whole run -----------------------------------------------------------------------------


def generate(*, articles, comments, categories, tags, experts, seed=SEED, log=print):
    """Fill the database; returns the number of rows written of each kind."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import TaggedItem

    from articles.models import Article, Byline
    from comments.models import Comment

    rng = random.Random(seed)  # noqa: S311 -- made-up text, nothing secret
    writer = Writer(rng)
    now = timezone.now()
    started = time.perf_counter()

    def step(message):
        log(f"  {time.perf_counter() - started:6.1f} s  {message}")

    ContentType.objects.get_for_model(Article)  # cached before the rows are written
    with transaction.atomic():
        made_categories = make_categories(categories)
        made_tags = make_tags(rng, tags)
        made_experts = make_experts(rng, experts)
        make_moderator()
        first_article = next_id(Article)
        plans = plan_articles(rng, articles, now)
        insert(Article, ARTICLE_FIELDS, article_rows(writer, plans, first_article, now))
        step(f"{articles:,} articles")
        article_ids = range(first_article, first_article + articles)
        filed, bylines, tagged = link_rows(
            rng, article_ids, made_categories, made_experts, made_tags
        )
        insert(Article.categories.through, ("article_id", "category_id"), filed)
        insert(Byline, ("article_id", "expert_id", "position"), bylines)
        insert(TaggedItem, ("content_type_id", "object_id", "tag_id"), tagged)
        step(f"{len(filed):,} categories, {len(bylines):,} bylines, {len(tagged):,} tags filed")
        published = [
            (pk, at)
            for pk, (_slug, status, at) in zip(article_ids, plans, strict=True)
            if status == "published" and at <= now
        ]
        discussed_id = first_article + articles - 1
        counts = spread_comments(rng, published, comments, discussed_id)
        first_comment = next_id(Comment)
        rows = comment_rows(writer, published, counts, first_comment, now, discussed_id)
        written = insert(Comment, COMMENT_FIELDS, rows)
        step(f"{written:,} comments")
        reset_sequences([Article, Comment])
        Article.objects.filter(pk__gte=first_article).update_search_vectors()
        step("search vectors")
    if connection.vendor == "postgresql":
        # VACUUM cannot run in a transaction (a test's); ANALYZE alone can.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(command)
        step(command)
    return {
        "articles": articles,
        "published": len(published),
        "comments": written,
        "categories": len(made_categories),
        "tags": len(made_tags),
        "experts": len(made_experts),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply articles and comments")
    for name in BASE:
        parser.add_argument(f"--{name}", type=int, help=f"number of {name} (overrides --scale)")
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    counts = counts_for(options.scale, **{name: getattr(options, name) for name in BASE})
    if counts["categories"] < 1 or counts["experts"] < 1 or counts["tags"] < 1:
        parser.error("at least one category, one expert and one tag are needed")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    started = time.perf_counter()
    made = generate(**counts, seed=options.seed)
    summary = ", ".join(f"{value:,} {name}" for name, value in made.items())
    print(f"Generated {summary} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
