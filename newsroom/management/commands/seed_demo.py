"""``manage.py seed_demo``: fill the database with demo content.

Creates the categories, six invented experts, published, draft and scheduled
articles with bylines and tags, reader comments in every moderation status
(threads included) and, only when ``DEBUG`` is on, three demo accounts:

    admin / tribune-admin          superuser
    editor / tribune-editor        staff, group "Editors"
    moderator / tribune-moderator  staff, group "Moderators"

The ``Editors`` and ``Moderators`` groups and their permissions are not made
here: ``migrate`` creates them (the staff roles of ``newsroom.roles``). The
demo accounts are only added to them.

The command is idempotent: rows are keyed on slugs and usernames, so running it
again updates what it created instead of adding more. Text comes from a seeded
random generator, so every run produces the same titles and slugs. Passwords are
only set when an account is created; an operator's change is never overwritten.
"""

import io
import random
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont
from taggit.models import Tag

from articles.markup import sanitize_html
from articles.models import Article, Byline, Category, Expert
from comments.models import Comment
from newsroom.management.commands import _demo_comments as chatter
from newsroom.management.commands import _demo_text as text
from newsroom.roles import EDITORS, MODERATORS

SEED = "tribune-demo-1"
PUBLISHED = 52
DRAFTS = 5
SCHEDULED_IN_DAYS = (2, 5, 9, 16)  # scheduled articles, days after the run
SPAN_DAYS = 720  # published articles go back this far
TOP_NEWS_EVERY = 4  # every fourth published article is also top news
KINDS = ("note", "analysis", "interview")
KIND_WEIGHTS = (4, 4, 2)

# username, password, group, superuser. Readable on purpose: DEBUG-only demo logins.
DEMO_ACCOUNTS = [
    ("admin", "tribune-admin", None, True),
    ("editor", "tribune-editor", EDITORS, False),
    ("moderator", "tribune-moderator", MODERATORS, False),
]

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def upsert(model, lookup, values):
    """Create the row matching ``lookup`` or bring its ``values`` up to date.

    Returns ``(obj, state)`` where state says whether anything was written.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), CREATED
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if not changed:
        return obj, UNCHANGED
    for field in changed:
        setattr(obj, field, values[field])
    obj.save()
    return obj, UPDATED


def portrait_png(initials, colour, size=320):
    """A square PNG: white initials on a coloured background."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.load_default(size=size * 2 // 5)
    except (TypeError, OSError, ImportError):  # Pillow built without FreeType
        font = ImageFont.load_default()
    draw.text((size / 2, size / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def plan_articles(rng, experts_by_section):
    """Return the article specs, in a fixed order decided by ``rng`` alone."""
    total = PUBLISHED + DRAFTS + len(SCHEDULED_IN_DAYS)
    specs, slugs = [], set()
    while len(specs) < total:
        subject = text.pick_subject(rng)
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        title = text.make_title(rng, subject, kind)
        slug = slugify(title)[:200]
        if slug in slugs:
            continue
        slugs.add(slug)
        candidates = experts_by_section[subject["section"]]
        experts = [rng.choice(candidates)]
        if rng.random() < 0.3:
            experts.append(rng.choice([e for e in text.EXPERTS if e not in experts]))
        categories = [kind]
        if rng.random() < 0.8:
            categories.append(subject["section"])
        tags = list(dict.fromkeys(subject["tags"]))
        wanted = rng.randint(2, 4)
        while len(tags) < wanted:
            tag = rng.choice(text.TAGS)
            if tag not in tags:
                tags.append(tag)
        specs.append(
            {
                "title": title,
                "slug": slug,
                "kind": kind,
                "subject": subject,
                "experts": experts,
                "categories": categories,
                "tags": tags,
                "lead": text.make_lead(rng, subject, kind, experts[0][0]),
                "body_seed": rng.random(),
                "day_offset": rng.randint(-3, 3),
                "hour": rng.randint(7, 18),
                "minute": rng.choice((0, 15, 30, 45)),
            }
        )
    return specs


class Command(BaseCommand):
    help = (
        "Fill the database with demo categories, experts and articles; in DEBUG also the "
        "demo accounts admin, editor and moderator. Safe to run again."
    )

    def handle(self, *args, **options):
        self.counts = Counter()
        groups = self.staff_groups() if settings.DEBUG else None
        with transaction.atomic():
            categories = self.seed_categories()
            experts = self.seed_experts()
            statuses = self.seed_articles(categories, experts)
            self.seed_comments()
            accounts = self.seed_accounts(groups) if groups else None
        self.report(statuses, accounts)

    # Content ----------------------------------------------------------------

    def seed_categories(self):
        categories = {}
        for position, (name, slug, description) in enumerate(text.CATEGORIES, start=1):
            values = {"name": name, "position": position * 10, "description": description}
            categories[slug], state = upsert(Category, {"slug": slug}, values)
            self.counts["categories", state] += 1
        return categories

    def seed_experts(self):
        experts = {}
        for name, slug, title, bio, colour, _sections in text.EXPERTS:
            values = {"name": name, "title": title, "bio": bio}
            expert, state = upsert(Expert, {"slug": slug}, values)
            self.counts["experts", state] += 1
            if not expert.photo:
                expert.photo.save(f"{slug}.png", ContentFile(portrait_png(expert.initials, colour)))
                self.counts["portraits", CREATED] += 1
            experts[slug] = expert
        return experts

    def seed_articles(self, categories, experts):
        rng = random.Random(SEED)
        by_section = {
            section: [e for e in text.EXPERTS if section in e[5]]
            for section in ("political", "economy", "security")
        }
        specs = plan_articles(rng, by_section)
        # Dates hang from the start of today (UTC), so a re-run on the same day
        # changes nothing. Past ones are at least a day back and scheduled ones
        # at least two days ahead, whatever the time of the run.
        today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        statuses = Counter()
        for index, spec in enumerate(specs):
            if index < PUBLISHED:
                status, visibility = Article.Status.PUBLISHED, "published"
                days = 1 + round(index * (SPAN_DAYS - 1) / (PUBLISHED - 1)) + spec["day_offset"]
                published_at = (
                    today
                    - timedelta(days=max(days, 1))
                    + timedelta(hours=spec["hour"], minutes=spec["minute"])
                )
                if index % TOP_NEWS_EVERY == 0 and len(spec["categories"]) < 3:
                    spec["categories"].insert(0, "top-news")
            elif index < PUBLISHED + DRAFTS:
                status, visibility = Article.Status.DRAFT, "draft"
                published_at = today
            else:
                status, visibility = Article.Status.PUBLISHED, "scheduled"
                days = SCHEDULED_IN_DAYS[index - PUBLISHED - DRAFTS]
                published_at = today + timedelta(
                    days=days, hours=spec["hour"], minutes=spec["minute"]
                )
            statuses[visibility] += 1
            self.seed_article(spec, status, published_at, categories, experts)
        return statuses

    def seed_article(self, spec, status, published_at, categories, experts):
        signers = [experts[e[1]] for e in spec["experts"]]
        topical = categories[spec["categories"][-1]]
        links = [
            (reverse("articles:category", kwargs={"slug": topical.slug}), topical.name),
            (reverse("articles:expert", kwargs={"slug": signers[0].slug}), signers[0].name),
        ]
        body_rng = random.Random(spec["body_seed"])
        body = text.make_body(body_rng, spec["subject"], spec["kind"], links)
        values = {
            "title": spec["title"],
            "lead": spec["lead"],
            # Stored bodies are sanitised by Article.save(); compare like with like.
            "body": sanitize_html(body),
            "status": status,
            "published_at": published_at,
            "comments_enabled": True,
        }
        article, state = upsert(Article, {"slug": spec["slug"]}, values)
        self.counts["articles", state] += 1
        article.categories.set([categories[slug] for slug in spec["categories"]])
        article.tags.set(spec["tags"])
        Byline.objects.filter(article=article).exclude(expert__in=signers).delete()
        for position, expert in enumerate(signers):
            Byline.objects.update_or_create(
                article=article, expert=expert, defaults={"position": position}
            )
        # As the admin does once experts and categories are saved.
        article.update_search_vector()

    # Comments ---------------------------------------------------------------

    def seed_comments(self):
        """Threads of approved comments on recent articles, and some in every other status."""
        rng = random.Random(f"{SEED}-comments")
        articles = list(Article.objects.published().order_by("-published_at")[:24])
        for index, article in enumerate(articles):
            when = article.published_at + timedelta(hours=2)
            roots = []
            for _ in range(rng.randint(0, 4)):
                body = f"{rng.choice(chatter.OPENINGS)} {rng.choice(chatter.BODIES)}"
                when += timedelta(hours=rng.randint(1, 20))
                roots.append(self.seed_comment(article, rng, body, Comment.Status.APPROVED, when))
            for parent in roots[:2]:
                reply = self.seed_comment(
                    article, rng, rng.choice(chatter.REPLIES), Comment.Status.APPROVED,
                    parent.created_at + timedelta(hours=3), parent=parent,
                )  # fmt: skip
                if rng.random() < 0.5:
                    self.seed_comment(
                        article, rng, rng.choice(chatter.REPLIES), Comment.Status.APPROVED,
                        reply.created_at + timedelta(hours=1), parent=reply,
                    )  # fmt: skip
            held = {
                0: (Comment.Status.PENDING, chatter.PENDING),
                1: (Comment.Status.SPAM, chatter.SPAM),
                2: (Comment.Status.TRASH, chatter.TRASH),
            }.get(index % 4)
            if held:
                status, bodies = held
                self.seed_comment(article, rng, rng.choice(bodies), status, when)

    def seed_comment(self, article, rng, body, status, when, parent=None):
        name, url = rng.choice(chatter.COMMENTERS)
        email = slugify(name).replace("-", ".") + "@example.org"
        comment, created = Comment.objects.get_or_create(
            article=article,
            email=email,
            body=body,
            parent=parent,
            defaults={
                "name": name,
                "url": url,
                "status": status,
                "created_at": min(when, timezone.now()),
                "ip_address": "192.0.2.0",
                "hold_reason": "Demo content.",
            },
        )
        self.counts["comments", CREATED if created else UNCHANGED] += 1
        return comment

    # Groups and accounts ----------------------------------------------------

    def staff_groups(self):
        """The groups ``migrate`` created, by name; refuses to go on without them."""
        groups = {
            group.name: group for group in Group.objects.filter(name__in=[EDITORS, MODERATORS])
        }
        missing = sorted({EDITORS, MODERATORS} - set(groups))
        if missing:
            raise CommandError(
                f"Missing staff group(s): {', '.join(missing)}. Run `manage.py migrate`, "
                "which creates them, then run this command again."
            )
        return groups

    def seed_accounts(self, groups):
        User = get_user_model()
        accounts = []
        for username, password, group_name, superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": True,
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            if group_name:
                user.groups.add(groups[group_name])
            self.counts["accounts", CREATED if created else UNCHANGED] += 1
            accounts.append((username, password, created))
        return accounts

    # Output -----------------------------------------------------------------

    def line(self, label, key):
        states = (CREATED, UPDATED, UNCHANGED)
        counts = ", ".join(f"{self.counts[key, s]} {s}" for s in states)
        self.stdout.write(f"  {label:<12}{counts}")

    def report(self, statuses, accounts):
        self.stdout.write("Demo content:")
        self.line("Categories", "categories")
        self.line("Experts", "experts")
        self.line("Articles", "articles")
        self.stdout.write(
            f"  {'':<12}{statuses['published']} published, {statuses['draft']} drafts, "
            f"{statuses['scheduled']} scheduled"
        )
        self.stdout.write(f"  {'Portraits':<12}{self.counts['portraits', CREATED]} created")
        self.stdout.write(f"  {'Tags':<12}{Tag.objects.count()} in total")
        self.line("Comments", "comments")
        if accounts is None:
            self.stdout.write(
                "Demo accounts skipped: DEBUG is off (set DEBUG=1 to create admin, "
                "editor and moderator)."
            )
        else:
            self.line("Accounts", "accounts")
            self.stdout.write("")
            self.stdout.write(f"Admin logins (http://127.0.0.1:8000{reverse('admin:index')}):")
            for username, password, created in accounts:
                note = "" if created else "  (existing account, password left unchanged)"
                self.stdout.write(f"  {username} / {password}{note}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
