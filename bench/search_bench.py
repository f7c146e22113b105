"""Search benchmark: how fast is /search/ over many published articles on PostgreSQL?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune \\
        .venv/bin/python bench/search_bench.py --articles 10000

By default it works in a throwaway database created next to the one named in
DATABASE_URL and dropped at the end; with ``--keep`` it fills and keeps the
named database itself. It migrates, bulk-creates N published articles with
generated English and Persian text, experts and categories, computes every
search vector with one UPDATE, then times each query the way the search page
runs it (``Article.objects.published().search(q)``: first page with snippets,
plus the count) and prints the median and 95th percentile in milliseconds,
with PostgreSQL's plans, once for each planner setting in PLANNER_SETTINGS.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from support import create_database, drop_database, machine  # noqa: E402 - bench/ is on sys.path

QUERIES = {
    "1 word, common": "policy",
    "1 word, rare": "hydropower",
    "2 words": "energy security",
    "phrase": '"critical minerals"',
    "expert name": "Farahani",
    "no hit": "zeppelinology",
    "Persian": "سیاست خارجی",
}

# The planner's cost of a random page read: PostgreSQL's default, then the
# value usual on SSDs, with which common words also go through the GIN index.
PLANNER_SETTINGS = {"4": " (PostgreSQL's default)", "1.1": " (usual for SSD storage)"}

TOPICAL = [
    "policy", "security", "energy", "sanctions", "trade", "diplomacy", "minerals", "critical",
    "migration", "pipeline", "election", "coalition", "reform", "inflation", "debt", "budget",
    "alliance", "treaty", "border", "summit", "nuclear", "climate", "water", "grain",
    "shipping", "maritime", "cyber", "defence", "intelligence", "parliament", "court",
]  # fmt: skip
RARE = ["hydropower", "desalination", "lithium", "cobalt", "ceasefire", "referendum"]
PERSIAN = [
    "سیاست", "خارجی", "ایران", "تحلیل", "امنیت", "انرژی", "تحریم", "دیپلماسی", "منطقه", "اقتصاد",
]  # fmt: skip
CATEGORIES = [
    "Note", "Analysis", "Interview", "Top news", "Political", "Economy", "Security",
    "Energy", "Middle East", "Europe", "Asia", "Africa",
]  # fmt: skip
FIRST_NAMES = ["Leila", "Helena", "Amira", "Jonas", "Parviz", "Sara", "Omar", "Ines", "Karim"]
LAST_NAMES = ["Farahani", "Varga-Moore", "Saleh-Brandt", "Novak", "Rahimi", "Lindqvist", "Haddad"]


def vocabulary(rng, size=6000):
    syllables = ["ka", "ri", "to", "ne", "sa", "lo", "mi", "de", "vu", "ra", "po", "li", "ste"]
    words = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(size)}
    return sorted(words)


def sentence(rng, words, length):
    chosen = rng.choices(words, k=length)
    if rng.random() < 0.3:
        chosen.append(rng.choice(TOPICAL))
    if rng.random() < 0.001:
        chosen.append(rng.choice(RARE))
    rng.shuffle(chosen)
    return " ".join(chosen).capitalize() + "."


def throwaway_url(url):
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'tribune'}_search_bench_{uuid.uuid4().hex[:8]}"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def fill(count, seed=20251129):
    from django.utils import timezone

    from articles.models import Article, Byline, Category, Expert

    rng = random.Random(seed)  # noqa: S311 -- made-up text, nothing secret
    words = vocabulary(rng)
    categories = Category.objects.bulk_create(
        Category(name=name, slug=f"bench-{index}", position=index)
        for index, name in enumerate(CATEGORIES)
    )
    experts = Expert.objects.bulk_create(
        Expert(name=f"{first} {last}", slug=f"bench-{index}")
        for index, (first, last) in enumerate(
            (first, last) for last in LAST_NAMES for first in FIRST_NAMES
        )
    )
    now = timezone.now()
    articles = []
    for index in range(count):
        paragraphs = [
            " ".join(sentence(rng, words, rng.randint(10, 18)) for _ in range(5))
            for _ in range(rng.randint(4, 8))
        ]
        title = sentence(rng, words, rng.randint(4, 7)).rstrip(".")
        lead = sentence(rng, words, rng.randint(16, 24))
        if index % 10 == 0:
            title += " " + " ".join(rng.sample(PERSIAN, 3))
            paragraphs.append(" ".join(rng.choices(PERSIAN, k=40)))
        articles.append(
            Article(
                title=title[:255],
                slug=f"bench-{index}",
                lead=lead,
                body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
                body_text=" ".join(paragraphs),
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(hours=index + 1),
            )
        )
    articles = Article.objects.bulk_create(articles, batch_size=1000)
    Article.categories.through.objects.bulk_create(
        (
            Article.categories.through(article=article, category=category)
            for article in articles
            for category in rng.sample(categories, 2)
        ),
        batch_size=5000,
    )
    Byline.objects.bulk_create(
        (
            Byline(article=article, expert=expert, position=position)
            for article in articles
            for position, expert in enumerate(rng.sample(experts, rng.randint(1, 2)))
        ),
        batch_size=5000,
    )
    Article.objects.update_search_vectors()


def run_query(query):
    from django.core.paginator import Paginator

    from articles import search
    from articles.models import Article

    articles = (
        Article.objects.published()
        .search(query)
        .for_listing()
        .defer("body", "body_text", "search_vector")
    )
    paginator = Paginator(articles, 10)
    page = paginator.page(1)
    search.add_snippets(page.object_list, query)
    return paginator.count


def timed(query, repeat):
    run_query(query)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        found = run_query(query)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return found, statistics.median(times), p95


def report(repeat):
    print(f"{'query':<18} {'text':<22} {'found':>6} {'median ms':>10} {'p95 ms':>8}  GIN index")
    for label, query in QUERIES.items():
        found, median, p95 = timed(query, repeat)
        index = "yes" if "article_search_vector_idx" in plan(query) else "no"
        print(f"{label:<18} {query:<22} {found:>6} {median:>10.1f} {p95:>8.1f}  {index}")


def plan(query):
    from articles.models import Article

    return Article.objects.published().search(query)[:10].explain(analyze=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    parser.add_argument(
        "--keep", action="store_true", help="fill and keep the database named in DATABASE_URL"
    )
    options = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a PostgreSQL database (postgres://…)")
    name = None
    if not options.keep:
        url, name = throwaway_url(url)
        create_database(os.environ["DATABASE_URL"], name)
        os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "search-benchmark-only")
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        fill(options.articles)
        with connection.cursor() as cursor:
            # What autovacuum does on a live site: it also empties the GIN index's
            # pending list, which the bulk UPDATE filled.
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("SHOW server_version")
            server = cursor.fetchone()[0]
        print(f"Search benchmark, {time.strftime('%Y-%m-%d')}: {machine()}")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"PostgreSQL {server}, Django {django.get_version()}; load average {load}")
        print(
            f"{options.articles} published articles set up in "
            f"{time.perf_counter() - started:.1f} s; {options.repeat} timed runs per query\n"
        )
        for setting in PLANNER_SETTINGS:
            with connection.cursor() as cursor:
                cursor.execute(f"SET random_page_cost = {setting}")
            print(f"random_page_cost = {setting}{PLANNER_SETTINGS[setting]}")
            report(options.repeat)
            for label in ("1 word, rare", "1 word, common"):
                print(f"\nPlan of the first page for {label} ({QUERIES[label]}):")
                print(plan(QUERIES[label]), end="\n\n")
    finally:
        if name:
            from django.db import connections

            connections.close_all()
            drop_database(url, name)


if __name__ == "__main__":
    main()
