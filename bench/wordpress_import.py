"""WordPress import benchmark: time and peak memory of ``import_wordpress`` on a large export.

    .venv/bin/python bench/wordpress_import.py --posts 50000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tribune \\
        .venv/bin/python bench/wordpress_import.py --posts 50000

It writes a WXR 1.2 export of N posts (a few comments each, one of them a
reply; categories, some nested; tags; classic and block-editor content with
captions and galleries) to a temporary file, then runs ``manage.py migrate``
and ``manage.py import_wordpress`` in a child process against a throwaway
database: a new SQLite file, or a new PostgreSQL database created next to the
one named in DATABASE_URL and dropped at the end. It prints the file size, the
elapsed time, posts per second and the child's peak resident memory
(``ru_maxrss``), which shows whether the file is streamed or held in memory.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

from support import create_database, drop_database, machine  # noqa: E402 - bench/ is on sys.path

WORDS = [
    "policy", "security", "energy", "sanctions", "trade", "diplomacy", "minerals", "migration",
    "pipeline", "election", "coalition", "reform", "inflation", "debt", "budget", "alliance",
    "treaty", "border", "summit", "nuclear", "climate", "water", "grain", "shipping", "maritime",
    "cyber", "defence", "intelligence", "parliament", "court", "corridor", "delegation",
]  # fmt: skip
FIRST_NAMES = ["Leila", "Helena", "Amira", "Jonas", "Parviz", "Sara", "Omar", "Ines", "Karim"]


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def words(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


def classic_content(rng, post_id):
    paragraphs = [words(rng, rng.randint(30, 70)).capitalize() + "." for _ in range(4)]
    if post_id % 7 == 0:
        paragraphs.insert(
            1,
            f'[caption id="attachment_{post_id}" width="600"]<img src="https://bench.example/'
            f'wp-content/uploads/2020/01/{post_id}.jpg" alt="" width="600" height="400" /> '
            f"{words(rng, 6)}[/caption]",
        )
    if post_id % 11 == 0:
        paragraphs.append('[gallery ids="1,2,3"]')
    return "\n\n".join(paragraphs).replace(". ", ".\n", 1)


def block_content(rng):
    return "\n\n".join(
        f"<!-- wp:paragraph -->\n<p>{words(rng, rng.randint(30, 70)).capitalize()}.</p>\n"
        "<!-- /wp:paragraph -->"
        for _ in range(4)
    )


def write_export(path, posts, comments_per_post, seed=20251129):
    """Write a WXR 1.2 export of ``posts`` posts to ``path``, one item at a time."""
    rng = random.Random(seed)  # noqa: S311 - sample text, not secrets
    authors = [f"{name.lower()}{number}" for number, name in enumerate(FIRST_NAMES)]
    categories = [f"topic-{number}" for number in range(30)]
    tags = [f"tag-{number}" for number in range(200)]
    start = datetime.datetime(2010, 1, 1)
    comment_id = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0"\n'
            ' xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"\n'
            ' xmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
            ' xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            "<title>Benchmark Institute</title>\n<link>https://bench.example</link>\n"
            "<wp:wxr_version>1.2</wp:wxr_version>\n"
            "<wp:base_site_url>https://bench.example</wp:base_site_url>\n"
            "<wp:base_blog_url>https://bench.example</wp:base_blog_url>\n"
        )
        for login, name in zip(authors, FIRST_NAMES, strict=True):
            out.write(
                f"<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_display_name>{cdata(name + ' Example')}</wp:author_display_name>"
                "</wp:author>\n"
            )
        for number, slug in enumerate(categories):
            parent = categories[number - 10] if number >= 20 else ""
            out.write(
                f"<wp:category><wp:category_nicename>{slug}</wp:category_nicename>"
                f"<wp:category_parent>{parent}</wp:category_parent>"
                f"<wp:cat_name>{cdata(slug.replace('-', ' ').title())}</wp:cat_name>"
                "</wp:category>\n"
            )
        for slug in tags:
            out.write(
                f"<wp:tag><wp:tag_slug>{slug}</wp:tag_slug>"
                f"<wp:tag_name>{cdata(slug.replace('-', ' '))}</wp:tag_name></wp:tag>\n"
            )
        for post_id in range(1, posts + 1):
            moment = start + datetime.timedelta(hours=3 * post_id)
            date = moment.strftime("%Y-%m-%d %H:%M:%S")
            slug = f"{words(rng, 3).replace(' ', '-')}-{post_id}"
            body = block_content(rng) if post_id % 3 == 0 else classic_content(rng, post_id)
            terms = "".join(
                f'<category domain="category" nicename="{slug_}">{cdata(slug_)}</category>'
                for slug_ in rng.sample(categories, 2)
            ) + "".join(
                f'<category domain="post_tag" nicename="{slug_}">{cdata(slug_)}</category>'
                for slug_ in rng.sample(tags, 3)
            )
            comments = []
            first = comment_id + 1
            for index in range(comments_per_post):
                comment_id += 1
                parent = first if index == comments_per_post - 1 and index else 0
                comments.append(
                    "<wp:comment>"
                    f"<wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author>{cdata(rng.choice(FIRST_NAMES))}</wp:comment_author>"
                    f"<wp:comment_author_email>reader{comment_id}@example.org"
                    "</wp:comment_author_email>"
                    "<wp:comment_author_url></wp:comment_author_url>"
                    f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
                    f"<wp:comment_date>{date}</wp:comment_date>"
                    f"<wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
                    f"<wp:comment_content>{cdata(words(rng, 25).capitalize() + '.')}"
                    "</wp:comment_content>"
                    f"<wp:comment_approved>{'1' if index else '0'}</wp:comment_approved>"
                    "<wp:comment_type></wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent>"
                    "</wp:comment>"
                )
            out.write(
                "<item>"
                f"<title>{escape(words(rng, 6).capitalize())}</title>"
                f"<link>https://bench.example/{moment:%Y/%m/%d}/{slug}/</link>"
                f"<dc:creator>{cdata(rng.choice(authors))}</dc:creator>"
                f"<content:encoded>{cdata(body)}</content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{post_id}</wp:post_id>"
                f"<wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>"
                "<wp:comment_status>open</wp:comment_status>"
                f"<wp:post_name>{slug}</wp:post_name>"
                f"<wp:status>{'draft' if post_id % 50 == 0 else 'publish'}</wp:status>"
                "<wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type>"
                "<wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>"
                f"{terms}{''.join(comments)}</item>\n"
            )
        out.write("</channel>\n</rss>\n")


# Running the import ----------------------------------------------------------------------


def manage(*args, env):
    """Run ``manage.py`` in a child process; returns (stdout, seconds, peak RSS in KiB).

    ``os.wait4`` gives this child's own resource usage, so the figure is the
    import's alone (not the migration's).
    """
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.monotonic()
        child = subprocess.Popen(  # noqa: S603 - our own manage.py with our own arguments
            [sys.executable, str(ROOT / "manage.py"), *args], env=env, stdout=out, stderr=out
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if child.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{output}")
    return output, elapsed, usage.ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--comments-per-post", type=int, default=3)
    parser.add_argument("--keep-file", action="store_true", help="Keep the generated export.")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wpbench-") as folder:
        export = Path(folder) / "export.xml"
        started = time.monotonic()
        write_export(export, options.posts, options.comments_per_post)
        generated = time.monotonic() - started
        size = export.stat().st_size

        env = {**os.environ, "SECRET_KEY": "benchmark-only", "LOG_LEVEL": "WARNING"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        env["MEDIA_ROOT"] = str(Path(folder) / "media")
        given = os.environ.get("DATABASE_URL", "")
        database = None
        if given.startswith("postgres"):
            database = f"tribune_wpbench_{uuid.uuid4().hex[:8]}"
            create_database(given, database)
            env["DATABASE_URL"] = urlunsplit(urlsplit(given)._replace(path=f"/{database}"))
            kind = "PostgreSQL"
        else:
            env["DATABASE_URL"] = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            kind = "SQLite"
        try:
            manage("migrate", "-v", "0", env=env)
            output, elapsed, peak = manage("import_wordpress", str(export), env=env)
        finally:
            if database:
                drop_database(given, database)
        if options.keep_file:
            kept = ROOT / "var" / "wpbench-export.xml"
            kept.parent.mkdir(exist_ok=True)
            export.replace(kept)
            print(f"Export kept at {kept.relative_to(ROOT)}")

    summary = [line for line in output.splitlines() if line.startswith(("posts:", "comments:"))]
    print(f"WordPress import benchmark, {datetime.date.today():%Y-%m-%d}, {machine()}")
    print(f"Database: {kind}")
    print(
        f"Export: {options.posts:,} posts, {options.posts * options.comments_per_post:,} "
        f"comments, {size / 1024 / 1024:,.1f} MiB (written in {generated:,.1f} s)"
    )
    print(f"Import: {elapsed:,.1f} s, {options.posts / elapsed:,.0f} posts/s")
    print(f"Peak memory (max RSS) of the import process: {peak / 1024:,.0f} MiB")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
