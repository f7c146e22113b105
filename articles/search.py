"""Finding published articles: ranked full-text search on PostgreSQL, a plain fallback elsewhere.

On PostgreSQL every article stores a weighted ``search_vector`` (GIN-indexed):
title (A), lead, expert names and category names (B), body as plain text (C).
A reader's words go through ``websearch_to_tsquery``, which accepts quotes,
``or`` and ``-word`` and never fails on syntax; results are ordered by
``ts_rank`` and then recency, with the matching passages as a snippet.

The text search configuration is the ``SEARCH_CONFIG`` setting, by default the
Snowball stemmer of the site's language (``LANGUAGE_CODE``): with ``english``,
"sanction" finds "sanctions" and "negotiating" finds "negotiations", and common
words ("the", "of") are left out of the vector and the query. Tribune also
publishes in Persian and Arabic, and the stemmers of languages written in Latin
(or Cyrillic) letters leave words in the Arabic script alone: Persian and Arabic
words are kept as written, exactly as ``simple`` keeps them, so they are found
as before (as whole words). The ``arabic`` stemmer, conversely, leaves Latin words as
written but also trims Persian words, which share its letters, the same way in
the vector as in the query, so they are still found. For a language PostgreSQL
has no stemmer for (Persian among them) the default is ``simple``: words
lower-cased, no stemming and no stop words.

The stored vectors, the query and the snippet's highlighting all use the setting,
so they must agree: after changing ``SEARCH_CONFIG``, rebuild every vector with
``manage.py rebuild_search_index``.

Elsewhere (SQLite) the fallback looks for every word, as a case-insensitive
substring, in the title, lead, body, expert names and category names, and
lists title matches first, then the most recent.

Keeping the vector current is explicit: ``Article.save()`` refreshes its own,
and the admin calls ``Article.update_search_vector()`` once the experts and
categories are saved. ``ArticleQuerySet.update_search_vectors()`` refreshes
many at once (after renaming an expert or a category, or a bulk import), in
batches for all of them (``rebuild_search_index``).
"""

import re
import unicodedata
from html.parser import HTMLParser

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core import checks
from django.db import connections
from django.db.models import Case, F, Func, IntegerField, OuterRef, Q, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

# Longer queries are cut to this many characters (the page says so).
MAX_QUERY_LENGTH = 200
# The fallback looks for at most this many words.
MAX_FALLBACK_TERMS = 10
# Only the beginning of a very long body is indexed: a tsvector holds at most 1 MB.
BODY_INDEX_LIMIT = 250_000
# Words of the lead shown around the highlighted terms by the fallback.
FALLBACK_SNIPPET_WORDS = 40
# Articles whose vectors one UPDATE recomputes when all of them are rebuilt.
REBUILD_BATCH_SIZE = 1_000

# Private-use characters mark the matches in PostgreSQL's headline; they are
# removed from every indexed text and query, so they can only come from there.
MARK_START = "\ue000"
MARK_STOP = "\ue001"
MARKED = re.compile(f"{MARK_START}(.*?){MARK_STOP}", re.DOTALL)

# Elements that separate words when the body is read as plain text.
BLOCK_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "figure", "figcaption",
        "img", "hr", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "pre",
    }
)  # fmt: skip


def is_full_text(queryset):
    """Whether ``queryset``'s database has PostgreSQL's full-text search."""
    return connections[queryset.db].vendor == "postgresql"


def search_config():
    """The text search configuration of the vectors and the queries (``SEARCH_CONFIG``)."""
    return settings.SEARCH_CONFIG


def check_search_config(databases=None, **kwargs):
    """System check (database): PostgreSQL knows ``SEARCH_CONFIG``.

    Run by ``migrate`` and ``check --database``, so a misspelt configuration
    stops a deployment instead of failing the first reader who searches.
    """
    errors = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [search_config()])
            known = cursor.fetchone() is not None
        if not known:
            errors.append(
                checks.Error(
                    f"PostgreSQL has no text search configuration {search_config()!r}.",
                    hint="Set SEARCH_CONFIG to one that `\\dF` lists in psql, such as 'english' "
                    "or 'simple'.",
                    id="articles.E001",
                )
            )
    return errors


# Reading text ------------------------------------------------------------------------------


def clean_text(text):
    """``text`` without control or private-use characters, its whitespace collapsed."""
    kept = "".join(char for char in text if char.isspace() or _is_printable(char))
    return " ".join(kept.split())


def _is_printable(char):
    # Zero-width (non-)joiners belong to Persian and Arabic words; other format,
    # control and private-use characters (NUL, bidi overrides) carry no words.
    return char in "\u200c\u200d" or unicodedata.category(char) not in {"Cc", "Cf", "Co", "Cs"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """The words of (sanitised) ``html``, without tags or entities: what the body indexes."""
    if not html:
        return ""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return clean_text("".join(parser.parts))


def clean_query(raw):
    """The reader's query as searched, and whether it had to be shortened."""
    query = clean_text(raw)
    if len(query) <= MAX_QUERY_LENGTH:
        return query, False
    return query[:MAX_QUERY_LENGTH].rstrip(), True


def query_terms(query):
    """Words and quoted phrases the fallback looks for, and the ``-words`` it leaves out."""
    wanted, unwanted = [], []
    for phrase, word in re.findall(r'"([^"]*)"?|(\S+)', query):
        exclude = word.startswith("-") and len(word) > 1
        term = " ".join(phrase.split()) if phrase else _strip_punctuation(word)
        if not term or (word and word.lower() == "or"):
            continue
        (unwanted if exclude else wanted).append(term)
    return wanted[:MAX_FALLBACK_TERMS], unwanted[:MAX_FALLBACK_TERMS]


def _strip_punctuation(word):
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start])[0] in "PS":
        start += 1
    while end > start and unicodedata.category(word[end - 1])[0] in "PS":
        end -= 1
    return word[start:end]


# Searching ---------------------------------------------------------------------------------


def search(queryset, query):
    """The articles of ``queryset`` that match ``query``, best first."""
    if not query:
        return queryset.none()
    if is_full_text(queryset):
        return _full_text_search(queryset, query)
    return _fallback_search(queryset, query)


def _full_text_search(queryset, query):
    config = search_config()
    tsquery = SearchQuery(query, search_type="websearch", config=config)
    text = Concat("lead", Value("\n"), "body_text", output_field=TextField())
    return (
        queryset.filter(search_vector=tsquery)
        .annotate(
            rank=SearchRank(F("search_vector"), tsquery),
            search_headline=SearchHeadline(
                text,
                tsquery,
                config=config,
                start_sel=MARK_START,
                stop_sel=MARK_STOP,
                max_words=20,
                min_words=10,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-id")
    )


def _fallback_search(queryset, query):
    wanted, unwanted = query_terms(query)
    if not wanted:
        return queryset.none()
    model = queryset.model
    matches = Q()
    for term in wanted:
        matches &= _found_anywhere(model, term)
    for term in unwanted:
        matches &= ~_found_anywhere(model, term)
    in_title = Q()
    for term in wanted:
        in_title |= Q(title__icontains=term)
    return (
        queryset.filter(matches)
        .annotate(title_match=Case(When(in_title, then=1), default=0, output_field=IntegerField()))
        .order_by("-title_match", "-published_at", "-id")
    )


def _found_anywhere(model, term):
    bylines = model.experts.through.objects.filter(expert__name__icontains=term)
    filed = model.categories.through.objects.filter(category__name__icontains=term)
    return (
        Q(title__icontains=term)
        | Q(lead__icontains=term)
        | Q(body_text__icontains=term)
        | Q(pk__in=bylines.values("article"))
        | Q(pk__in=filed.values("article"))
    )


# Keeping the stored vectors current (PostgreSQL) -------------------------------------------


def document_vector(model):
    """The weighted search vector of an article, as an SQL expression over its row."""
    experts = model.experts.through.objects.filter(article=OuterRef("pk")).values("expert__name")
    categories = model.categories.through.objects.filter(article=OuterRef("pk")).values(
        "category__name"
    )

    def joined(subquery):
        return Func(
            ArraySubquery(subquery),
            Value(" "),
            function="array_to_string",
            output_field=TextField(),
        )

    config = search_config()
    return (
        SearchVector("title", config=config, weight="A")
        + SearchVector("lead", config=config, weight="B")
        + SearchVector(joined(experts), config=config, weight="B")
        + SearchVector(joined(categories), config=config, weight="B")
        + SearchVector(Left("body_text", BODY_INDEX_LIMIT), config=config, weight="C")
    )


def update_vectors(queryset, *, batch_size=None):
    """Recompute the stored vector of every article in ``queryset``; the number updated.

    One UPDATE, or with ``batch_size`` one per that many articles in ``pk`` order,
    each committed on its own when no transaction is open (``rebuild_search_index``,
    migration 0005), so that a rebuild of the whole table never keeps an editor's
    save waiting on a locked row until the last article.
    """
    if not is_full_text(queryset):
        return 0
    queryset = queryset.order_by()
    vector = document_vector(queryset.model)
    if batch_size is None:
        return queryset.update(search_vector=vector)
    updated, last = 0, None
    while True:
        rest = queryset if last is None else queryset.filter(pk__gt=last)
        pks = list(rest.order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return updated
        updated += rest.filter(pk__lte=pks[-1]).update(search_vector=vector)
        last = pks[-1]


# Snippets ----------------------------------------------------------------------------------


def add_snippets(articles, query):
    """Set ``search_snippet`` on each article: safe HTML, the matches in ``<mark>``."""
    articles = list(articles)
    wanted, _unwanted = query_terms(query)
    for article in articles:
        headline = getattr(article, "search_headline", None)
        if headline is None:
            lead = Truncator(article.lead).words(FALLBACK_SNIPPET_WORDS)
            article.search_snippet = highlight(lead, wanted)
        else:
            article.search_snippet = marked(headline)
    return articles


def marked(headline):
    """PostgreSQL's ``headline`` as HTML: its text escaped, its marked matches in ``<mark>``."""
    return _render((part, index % 2 == 1) for index, part in enumerate(MARKED.split(headline)))


def highlight(text, terms):
    """``text`` as HTML, escaped, with every occurrence of ``terms`` in ``<mark>``."""
    if not terms:
        return _render([(text, False)])
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)),
        re.IGNORECASE,
    )
    parts, position = [], 0
    for match in pattern.finditer(text):
        parts += [(text[position : match.start()], False), (match.group(), True)]
        position = match.end()
    parts.append((text[position:], False))
    return _render(parts)


def _render(parts):
    html = []
    for text, is_match in parts:
        text = text.replace(MARK_START, "").replace(MARK_STOP, "")
        if is_match and text:
            html.append(format_html("<mark>{}</mark>", text))
        else:
            html.append(escape(text))
    return mark_safe("".join(html))  # noqa: S308 -- every part is escaped above
