"""Reading a WordPress export (WXR 1.0 to 1.2) as a stream of records.

The file is parsed with lxml's ``iterparse``: each author, term and item is
handed over as soon as its end tag has been read, then its element is cleared
and dropped from the tree, so memory stays flat however long the export is.

WordPress has written the namespace as ``http://wordpress.org/export/1.x/``
and, in later exports, ``https://…``; it is read from the document. CDATA
sections (including a ``]]>`` split across two of them, as WordPress writes
it) and a byte order mark are the XML parser's business.
"""

import re
from dataclasses import dataclass, field

from lxml import etree

WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/(\d+\.\d+)/$")
EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
CONTENT_NAMESPACE = "http://purl.org/rss/1.0/modules/content/"
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class WXRError(Exception):
    """The file is not a WordPress export that can be read."""


@dataclass
class Channel:
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    wxr_version: str = ""

    @property
    def site_url(self):
        """What identifies the exported site: its blog URL, else its site URL, else its link.

        WordPress.com writes ``https://wordpress.com/`` as the site URL of every
        blog, so the blog URL comes first.
        """
        url = self.base_blog_url or self.base_site_url or self.link
        return url.strip().rstrip("/")


@dataclass
class Author:
    login: str
    id: str = ""  # the user id; WXR 1.0 declares no authors
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass
class Term:
    taxonomy: str  # "category", "post_tag" or another taxonomy
    slug: str
    name: str
    parent: str = ""
    description: str = ""
    id: str = ""  # the term id (``wp:term_id``, since WXR 1.1), which ``/?cat=N`` names


@dataclass
class Comment:
    id: str
    author: str = ""
    email: str = ""
    url: str = ""
    ip: str = ""
    date: str = ""
    date_gmt: str = ""
    content: str = ""
    approved: str = ""
    type: str = ""
    parent: str = "0"


@dataclass
class Item:
    post_id: str
    post_type: str = ""
    status: str = ""
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    pub_date: str = ""
    post_name: str = ""
    post_parent: str = "0"
    comment_status: str = ""
    password: str = ""
    sticky: bool = False
    attachment_url: str = ""
    # (domain, nicename, name) of each <category> element: categories, tags, formats.
    terms: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)


class _CountingReader:
    """A file wrapper that counts the bytes read, for the progress indicator."""

    def __init__(self, file):
        self.file = file
        self.bytes_read = 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.bytes_read += len(data)
        return data


class WXRReader:
    """Iterate over the records of the export ``path``.

    Yields a ``Channel`` once (before the first author, term or item), then
    ``Author``, ``Term`` and ``Item`` records in file order. ``bytes_read``
    tells how far the parser has gone.
    """

    def __init__(self, path):
        self.path = path
        self._reader = None
        self.version = ""

    @property
    def bytes_read(self):
        return self._reader.bytes_read if self._reader is not None else 0

    def __iter__(self):
        with open(self.path, "rb") as file:
            if not file.read(1):
                raise WXRError("the file is empty")
            file.seek(0)
            self._reader = _CountingReader(file)
            events = etree.iterparse(
                self._reader,
                events=("start", "end"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=True,
                remove_comments=True,
                remove_pis=True,
            )
            try:
                yield from self._records(events)
            except etree.XMLSyntaxError as error:
                message = (error.msg or str(error)).split(", line ")[0]
                line = error.lineno or error.position[0]
                raise WXRError(f"{message} at line {line}" if line else message) from None

    def _records(self, events):
        ns = None
        channel = Channel()
        channel_sent = False
        depth = 0
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    if etree.QName(element).localname != "rss":
                        raise WXRError("the document is not an RSS feed")
                    ns = self._namespaces(element)
                continue
            depth -= 1
            if depth != 2:  # only the children of <channel> are records
                if depth == 1 and etree.QName(element).localname != "channel":
                    raise WXRError(f"unexpected element <{element.tag}> at the top level")
                continue
            tag = element.tag
            if tag in ns.simple:
                setattr(channel, ns.simple[tag], (element.text or "").strip())
            elif tag in ns.records:
                if not channel_sent:
                    channel_sent = True
                    yield channel
                yield ns.records[tag](element, ns)
            # Free the element and everything parsed before it.
            element.clear()
            parent = element.getparent()
            while element.getprevious() is not None:
                del parent[0]
        if ns is None:
            raise WXRError("the file holds no XML element")
        if not channel_sent:
            yield channel

    def _namespaces(self, root):
        wp = excerpt = None
        for uri in root.nsmap.values():
            if match := WXR_NAMESPACE.match(uri or ""):
                wp, self.version = uri, match.group(1)
            elif EXCERPT_NAMESPACE.match(uri or ""):
                excerpt = uri
        if wp is None:
            raise WXRError("no WordPress export namespace (http://wordpress.org/export/1.x/)")
        return _Names(wp, excerpt or f"{wp}excerpt/")


class _Names:
    """The qualified tag names of one export's namespaces, and the record readers."""

    def __init__(self, wp, excerpt):
        self.wp = wp
        self.excerpt = excerpt
        w = self.w
        self.simple = {
            "title": "title",
            "link": "link",
            w("base_site_url"): "base_site_url",
            w("base_blog_url"): "base_blog_url",
            w("wxr_version"): "wxr_version",
        }
        self.records = {
            w("author"): _author,
            w("category"): _category,
            w("tag"): _tag,
            w("term"): _term,
            "item": _item,
        }

    def w(self, name):
        return f"{{{self.wp}}}{name}"


def _text(element, tag):
    found = element.find(tag)
    if found is None or found.text is None:
        return ""
    return found.text.replace("\x00", "")


def _author(element, ns):
    w = ns.w
    return Author(
        login=_text(element, w("author_login")),
        id=_text(element, w("author_id")).strip(),
        display_name=_text(element, w("author_display_name")),
        first_name=_text(element, w("author_first_name")),
        last_name=_text(element, w("author_last_name")),
        email=_text(element, w("author_email")),
    )


def _category(element, ns):
    w = ns.w
    return Term(
        taxonomy="category",
        id=_text(element, w("term_id")).strip(),
        slug=_text(element, w("category_nicename")),
        name=_text(element, w("cat_name")),
        parent=_text(element, w("category_parent")),
        description=_text(element, w("category_description")),
    )


def _tag(element, ns):
    w = ns.w
    return Term(
        taxonomy="post_tag",
        id=_text(element, w("term_id")).strip(),
        slug=_text(element, w("tag_slug")),
        name=_text(element, w("tag_name")),
        description=_text(element, w("tag_description")),
    )


def _term(element, ns):
    w = ns.w
    return Term(
        taxonomy=_text(element, w("term_taxonomy")),
        id=_text(element, w("term_id")).strip(),
        slug=_text(element, w("term_slug")),
        name=_text(element, w("term_name")),
        parent=_text(element, w("term_parent")),
        description=_text(element, w("term_description")),
    )


def _item(element, ns):
    w = ns.w
    item = Item(
        post_id=_text(element, w("post_id")).strip(),
        post_type=_text(element, w("post_type")).strip(),
        status=_text(element, w("status")).strip(),
        title=_text(element, "title"),
        link=_text(element, "link").strip(),
        guid=_text(element, "guid").strip(),
        creator=_text(element, f"{{{DC_NAMESPACE}}}creator"),
        content=_text(element, f"{{{CONTENT_NAMESPACE}}}encoded"),
        excerpt=_text(element, f"{{{ns.excerpt}}}encoded"),
        post_date=_text(element, w("post_date")).strip(),
        post_date_gmt=_text(element, w("post_date_gmt")).strip(),
        pub_date=_text(element, "pubDate").strip(),
        post_name=_text(element, w("post_name")).strip(),
        post_parent=_text(element, w("post_parent")).strip() or "0",
        comment_status=_text(element, w("comment_status")).strip(),
        password=_text(element, w("post_password")),
        sticky=_text(element, w("is_sticky")).strip() == "1",
        attachment_url=_text(element, w("attachment_url")).strip(),
    )
    for category in element.iterchildren("category"):
        # As WordPress's importer reads them: a term has a nicename (WXR 1.0 also
        # repeats each one without it, for RSS readers), and 1.0 says "tag".
        nicename = category.get("nicename")
        if nicename is None:
            continue
        domain = category.get("domain", "category")
        item.terms.append(
            (
                "post_tag" if domain == "tag" else domain,
                nicename,
                (category.text or "").replace("\x00", ""),
            )
        )
    for meta in element.iterchildren(w("postmeta")):
        item.meta[_text(meta, w("meta_key"))] = _text(meta, w("meta_value"))
    for comment in element.iterchildren(w("comment")):
        item.comments.append(
            Comment(
                id=_text(comment, w("comment_id")).strip(),
                author=_text(comment, w("comment_author")),
                email=_text(comment, w("comment_author_email")).strip(),
                url=_text(comment, w("comment_author_url")).strip(),
                ip=_text(comment, w("comment_author_IP")).strip(),
                date=_text(comment, w("comment_date")).strip(),
                date_gmt=_text(comment, w("comment_date_gmt")).strip(),
                content=_text(comment, w("comment_content")),
                approved=_text(comment, w("comment_approved")).strip(),
                type=_text(comment, w("comment_type")).strip(),
                parent=_text(comment, w("comment_parent")).strip() or "0",
            )
        )
    return item
