"""How to cite an article: reference texts, BibTeX and RIS files, Scholar meta tags.

Everything here is a pure function of an article (with its bylines, categories
and tags already loaded) and of the few facts that are not stored on it: its
absolute URL, the site's name and the day the reader retrieves it.

Experts have a display ``name``; ``split_name`` turns it into given and family
names with a plain rule (the last word is the family name, with any lowercase
particle before it such as "van" or "al", and a trailing "Jr." kept apart),
unless the editor filled in the expert's ``family_name`` for the names that
rule gets wrong ("García Márquez", "Xi Jinping").
"""

import re
from typing import NamedTuple

from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

PARTICLES = {
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du",
    "el", "ibn", "la", "le", "ten", "ter", "van", "von",
}  # fmt: skip
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}

# APA 7 lists up to 20 authors; Chicago (17th ed.) up to 10, else the first 7 and "et al."
APA_MAX_AUTHORS = 20
CHICAGO_MAX_AUTHORS = 10
CHICAGO_SHOWN_WHEN_TRUNCATED = 7


class PersonName(NamedTuple):
    given: str
    family: str
    suffix: str = ""

    def inverted(self):
        """The "Doe, Jane" form of Scholar, RIS and Chicago's first author."""
        name = f"{self.family}, {self.given}" if self.given else self.family
        return f"{name}, {self.suffix}" if self.suffix else name

    def direct(self):
        """The "Jane Doe" form of Chicago's second and later authors."""
        return " ".join(part for part in (self.given, self.family, self.suffix) if part)

    def initials(self):
        """Initials of the given names: "J.-L." for Jean-Luc, "M. A." for Mary Ann."""
        return " ".join(
            "-".join(f"{piece[0]}." for piece in word.split("-") if piece)
            for word in self.given.split()
        )

    def apa(self):
        """APA's surname and initials: "Doe, J."."""
        name = f"{self.family}, {self.initials()}" if self.given else self.family
        return f"{name}, {self.suffix}" if self.suffix else name


def split_name(full_name, family_name=""):
    """Given and family names of an expert's display name ("Doe, Jane" is read as such too).

    ``family_name``, when given, is taken as it is: the rest of the name is the
    given name ("Xi Jinping" with "Xi" is "Xi, Jinping").
    """
    if family := " ".join(family_name.split()):
        words = full_name.split()
        family_words = family.split()
        for start in range(len(words) - len(family_words) + 1):
            if words[start : start + len(family_words)] == family_words:
                del words[start : start + len(family_words)]
                break
        suffix = words.pop() if len(words) > 1 and words[-1].casefold() in SUFFIXES else ""
        return PersonName(given=" ".join(words).rstrip(","), family=family, suffix=suffix)
    if "," in full_name:
        family, _comma, given = full_name.partition(",")
        return PersonName(given=" ".join(given.split()), family=" ".join(family.split()))
    words = full_name.split()
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in SUFFIXES:
        suffix = words.pop()
        words[-1] = words[-1].rstrip(",")
    if len(words) < 2:
        return PersonName(given="", family=" ".join(words), suffix=suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES and words[start - 1].islower():
        start -= 1
    return PersonName(given=" ".join(words[:start]), family=" ".join(words[start:]), suffix=suffix)


class Citation(NamedTuple):
    """The facts a reference needs, gathered once from an article."""

    title: str
    authors: list  # of PersonName, in byline order; empty when the article is unsigned
    published: object  # date, in the site's time zone
    url: str
    site_name: str
    lead: str
    keywords: list  # of str
    language: str


def citation_for(article, *, url, site_name, language):
    """The ``Citation`` of ``article``; its bylines and tags are read as loaded (prefetched)."""
    return Citation(
        title=article.title,
        authors=[
            split_name(byline.expert.name, byline.expert.family_name)
            for byline in article.bylines.all()
        ],
        published=timezone.localtime(article.published_at).date(),
        url=url,
        site_name=site_name,
        lead=" ".join(article.lead.split()),
        keywords=sorted((tag.name for tag in article.tags.all()), key=str.casefold),
        language=language,
    )


def _end_sentence(text):
    """``text`` followed by a period, unless it already ends a sentence."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _long_date(value):
    return dateformat.format(value, "F j, Y")


# -- APA 7 (webpage on a website) ---------------------------------------------------------


def apa_authors(citation):
    if not citation.authors:
        return citation.site_name
    names = [name.apa() for name in citation.authors]
    if len(names) == 1:
        return names[0]
    if len(names) > APA_MAX_AUTHORS:
        return ", ".join(names[: APA_MAX_AUTHORS - 1]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def apa(citation, *, accessed):
    """APA 7 reference: author, date, title in italics, site, retrieval date and URL.

    The site name is left out when the site itself stands as the author, as
    APA asks. Articles may be revised after publication, so the retrieval date
    is given.
    """
    author = _end_sentence(apa_authors(citation))
    date = dateformat.format(citation.published, "Y, F j")
    site = "" if not citation.authors else f" {_end_sentence(citation.site_name)}"
    title = citation.title
    title_end = "" if title.endswith((".", "?", "!")) else "."
    retrieved = _("Retrieved %(date)s, from %(url)s") % {
        "date": _long_date(accessed),
        "url": citation.url,
    }
    return format_html("{} ({}). <i>{}</i>{}{} {}", author, date, title, title_end, site, retrieved)


# -- Chicago 17, notes and bibliography: bibliography entry of a web page --------------


def chicago_authors(citation):
    if not citation.authors:
        return citation.site_name
    authors = citation.authors
    truncated = len(authors) > CHICAGO_MAX_AUTHORS
    if truncated:
        authors = authors[:CHICAGO_SHOWN_WHEN_TRUNCATED]
    names = [authors[0].inverted()] + [name.direct() for name in authors[1:]]
    if truncated:
        return ", ".join(names) + ", " + _("et al.")
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", " + _("and") + " " + names[-1]


def chicago(citation, *, accessed):
    """Chicago bibliography entry: author, “title,” site and date, access date, URL.

    When the site itself stands as the author its name is not repeated.
    """
    author = _end_sentence(chicago_authors(citation))
    date = _long_date(citation.published)
    where = f"{citation.site_name}, {date}" if citation.authors else date
    accessed_text = _("Accessed %(date)s.") % {"date": _long_date(accessed)}
    return format_html(
        "{} “{}” {}. {} {}.",
        author,
        _end_sentence(citation.title),
        where,
        accessed_text,
        citation.url,
    )


# -- BibTeX (biblatex @online) -------------------------------------------------------------

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
LATEX_SPECIALS_RE = re.compile("|".join(re.escape(char) for char in LATEX_SPECIALS))
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def latex_escape(text):
    """``text`` with LaTeX's special characters escaped, on one line."""
    return LATEX_SPECIALS_RE.sub(
        lambda match: LATEX_SPECIALS[match.group()], " ".join(text.split())
    )


def _bibtex_name(name):
    """BibTeX's "Doe, Jane" or "King, Jr., Martin"; a part with the word "and" is braced."""
    parts = [name.family, name.suffix, name.given] if name.suffix else [name.family, name.given]
    parts = [latex_escape(part) for part in parts if part]
    parts = [
        f"{{{part}}}" if re.search(r"\band\b", part, flags=re.IGNORECASE) else part
        for part in parts
    ]
    return ", ".join(parts)


def bibtex(citation, *, key, accessed):
    """A biblatex ``@online`` entry; ``year`` and ``month`` keep plain BibTeX styles working."""
    if citation.authors:
        author = " and ".join(_bibtex_name(name) for name in citation.authors)
    else:
        # Braced as a whole: an organisation, not a person's given and family names.
        author = "{" + latex_escape(citation.site_name) + "}"
    site = latex_escape(citation.site_name)
    fields = [
        ("title", f"{{{latex_escape(citation.title)}}}"),
        ("author", f"{{{author}}}"),
        ("organization", f"{{{site}}}"),
        ("publisher", f"{{{site}}}"),
        ("year", f"{{{citation.published.year}}}"),
        ("month", MONTHS[citation.published.month - 1]),
        ("date", f"{{{citation.published.isoformat()}}}"),
        ("url", f"{{{citation.url}}}"),
        ("urldate", f"{{{accessed.isoformat()}}}"),
    ]
    if citation.keywords:
        keywords = ", ".join(latex_escape(keyword) for keyword in citation.keywords)
        fields.append(("keywords", f"{{{keywords}}}"))
    if citation.lead:
        fields.append(("abstract", f"{{{latex_escape(citation.lead)}}}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@online{{{key},\n{body}\n}}\n"


# -- RIS ---------------------------------------------------------------------------------


def ris(citation, *, key, accessed):
    """An RIS record of type ELEC (web page), lines ending in CRLF as the format asks."""

    def line(tag, value):
        # One line per value: a line break in a value could start a tag of its own.
        return f"{tag}  - {' '.join(str(value).split())}"

    authors = (
        [name.inverted() for name in citation.authors] if citation.authors else [citation.site_name]
    )
    lines = [
        line("TY", "ELEC"),
        line("ID", key),
        line("TI", citation.title),
        *(line("AU", author) for author in authors),
        line("PY", citation.published.year),
        line("DA", citation.published.strftime("%Y/%m/%d")),
        line("UR", citation.url),
        line("PB", citation.site_name),
        *(line("KW", keyword) for keyword in citation.keywords),
        line("AB", citation.lead),
        line("Y2", accessed.strftime("%Y/%m/%d")),
        line("LA", citation.language),
        "ER  - ",
    ]
    return "\r\n".join(lines) + "\r\n"


# -- Google Scholar / Highwire Press meta tags ---------------------------------------------


def highwire_tags(citation):
    """``(name, content)`` pairs of the ``citation_*`` meta tags, authors in byline order.

    Scholar has no type for a web page: of its types a think-tank's note fits
    a report best, so the site is named as ``citation_technical_report_institution``
    (and as ``citation_publisher``, which Zotero and other reference managers read).
    Journal tags would misfile it as a peer-reviewed article.
    """
    date = citation.published.strftime("%Y/%m/%d")
    authors = (
        [name.inverted() for name in citation.authors] if citation.authors else [citation.site_name]
    )
    tags = [
        ("citation_title", citation.title),
        *(("citation_author", author) for author in authors),
        ("citation_publication_date", date),
        ("citation_online_date", date),
        ("citation_publisher", citation.site_name),
        ("citation_technical_report_institution", citation.site_name),
        ("citation_abstract_html_url", citation.url),
        ("citation_fulltext_html_url", citation.url),
        ("citation_language", citation.language),
    ]
    if citation.keywords:
        tags.append(("citation_keywords", "; ".join(citation.keywords)))
    return tags
