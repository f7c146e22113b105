"""Turning a WordPress post's content into the HTML an article stores.

WordPress keeps classic-editor posts as text with line breaks and shortcodes,
and builds paragraphs when it shows them (``wpautop``); block-editor posts are
HTML wrapped in ``<!-- wp:… -->`` comments. Here:

1. block comments, ``<!--more-->`` and ``<!--nextpage-->`` are dropped;
2. shortcodes are converted (``[caption]`` becomes a figure, ``[embed]`` and
   ``[audio]``/``[video]`` a link) or removed, keeping the text they enclose;
3. classic content gets its paragraphs: a blank line separates paragraphs, a
   single line break becomes ``<br>``, as ``wpautop`` does;
4. images and links into ``wp-content/uploads`` can be pointed at imported files.

The caller then runs the shared sanitiser, which keeps only what the editor's
toolbar can make.
"""

import html
import re

from wordpress.text import html_to_text, truncate

# --- comments -------------------------------------------------------------------------------

_WP_COMMENTS = re.compile(r"<!--\s*/?wp:.*?-->|<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.S)


def drop_wordpress_comments(text):
    return _WP_COMMENTS.sub("", text)


# --- shortcodes -----------------------------------------------------------------------------

# [name attrs], [name attrs /], [name attrs]content[/name]; [[name]] is an escaped literal.
_SHORTCODE = re.compile(
    r"\[(?P<open>\[?)(?P<name>[a-zA-Z][\w-]*)(?![\w-])(?P<attrs>[^\]]*?)(?P<selfclosing>/?)\]"
    r"(?:(?P<content>.*?)\[/(?P=name)\])?(?P<close>\]?)",
    re.S,
)
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"|([\w-]+)\s*=\s*'([^']*)'|([\w-]+)\s*=\s*([^\s'"]+)|"([^"]*)"|'([^']*)'|(\S+)"""
)
# Shortcodes of WordPress itself and of common plugins, recognised even without
# attributes; any other [word] is treated as a shortcode only when it has
# attributes or a closing tag, so "[sic]" or "[1]" in prose stay as written.
KNOWN_SHORTCODES = frozenset(
    {
        "caption", "wp_caption", "gallery", "playlist", "embed", "audio", "video",
        "youtube", "vimeo", "wpvideo", "videopress", "soundcloud", "tweet", "googlemaps",
        "contact-form", "contact-form-7", "code", "sourcecode",
    }
)  # fmt: skip
_MEDIA_ATTRIBUTES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "mp4", "m4v", "webm", "ogv", "flv")
_LEADING_IMAGE = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S | re.IGNORECASE
)


def parse_attributes(text):
    """Shortcode attributes: ``{"name": "value"}``, positional values under 0, 1, …"""
    attributes = {}
    position = 0
    for match in _ATTRIBUTE.finditer(html.unescape(text or "")):
        if match.group(1):
            attributes[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            attributes[match.group(3).lower()] = match.group(4)
        elif match.group(5):
            attributes[match.group(5).lower()] = match.group(6)
        else:
            value = next(group for group in match.groups()[6:] if group is not None)
            if value != "/":
                attributes[position] = value
                position += 1
    return attributes


def convert_shortcodes(text):
    """``text`` with its shortcodes converted or removed (their enclosed text kept)."""
    return _SHORTCODE.sub(_shortcode, text)


def _shortcode(match):
    name = match.group("name").lower()
    content = match.group("content")
    if match.group("open") and match.group("close"):
        return match.group(0)[1:-1]  # [[gallery]] shows "[gallery]" in WordPress
    attrs_text = match.group("attrs")
    is_shortcode = (
        name in KNOWN_SHORTCODES
        or content is not None
        or "=" in attrs_text
        or match.group("selfclosing")
    )
    if not is_shortcode:
        return match.group(0)  # prose in brackets, e.g. "[sic]"
    attributes = parse_attributes(attrs_text)
    inner = convert_shortcodes(content) if content else ""
    if name in ("caption", "wp_caption"):
        return _caption(inner, attributes) + match.group("close")
    if name == "embed":
        return _link(inner.strip() or attributes.get("src", ""))
    if name in ("audio", "video"):
        url = next((attributes[key] for key in _MEDIA_ATTRIBUTES if attributes.get(key)), "")
        return _link(url or attributes.get(0, "")) + inner
    return inner + match.group("close")


def _caption(inner, attributes):
    found = _LEADING_IMAGE.match(inner)
    if not found:
        return inner
    image, text = found.group(1), found.group(2).strip()
    caption = attributes.get("caption", "").strip() or text
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _link(url):
    url = url.strip()
    if not re.match(r"^https?://", url, re.IGNORECASE):
        return ""
    escaped = html.escape(url)
    return f'\n\n<p><a href="{escaped}">{escaped}</a></p>\n\n'


# --- paragraphs (wpautop) -------------------------------------------------------------------

_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map"
    "|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside"
    "|hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.IGNORECASE)
_PRESERVE = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.IGNORECASE)
_NEWLINE_MARK = "\ue010"  # private-use: a newline inside a tag, restored at the end
_KEEP_MARK = "\ue011"  # a newline inside <script>/<style>/<svg>
_PRE_MARK = "<pre wp-pre-tag-{}></pre>"  # a placeholder that reads as a block element


def autop(text):
    """Paragraphs from blank lines and ``<br>`` from single line breaks, as ``wpautop`` makes.

    Block-level elements are never wrapped in ``<p>``; ``<pre>`` keeps its line breaks.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    pre_blocks = []

    def keep_pre(match):
        pre_blocks.append(match.group(0))
        return _PRE_MARK.format(len(pre_blocks) - 1)

    text = _PRE.sub(keep_pre, text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(rf"(<(?:{_BLOCKS})[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</(?:{_BLOCKS})>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    # A line break inside a tag (between attributes) is not the author's.
    text = _TAG.sub(lambda match: match.group(0).replace("\n", _NEWLINE_MARK), text)
    text = re.sub(r"\s*(<figcaption[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"</figcaption>\s*", "</figcaption>", text, flags=re.IGNORECASE)
    text = re.sub(r"\n\n+", "\n\n", text)

    paragraphs = [part for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{part.strip(chr(10))}</p>\n" for part in paragraphs)

    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?(?:{_BLOCKS})[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.IGNORECASE)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?(?:{_BLOCKS})[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</?(?:{_BLOCKS})[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)

    text = _PRESERVE.sub(lambda match: match.group(0).replace("\n", _KEEP_MARK), text)
    text = re.sub(r"<br\s*/?>", "<br />", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace(_KEEP_MARK, "\n")
    text = re.sub(rf"(</?(?:{_BLOCKS})[^>]*>)\s*<br />", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)",
        r"\1",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"\n</p>$", "</p>", text)
    for index, block in enumerate(pre_blocks):
        text = text.replace(_PRE_MARK.format(index), block)
    return text.replace(_NEWLINE_MARK, "\n")


# --- the whole conversion -------------------------------------------------------------------

_UPLOAD_LINK = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])([^"']*)\2""", re.IGNORECASE)


def convert(content, *, media=None):
    """The HTML of an article or page body made from WordPress ``content`` (not yet sanitised).

    ``media``, when given, is called with each image or link URL and returns
    the URL of the imported file, or None to leave the URL alone.
    """
    if not content or not content.strip():
        return ""
    is_blocks = "<!-- wp:" in content
    text = drop_wordpress_comments(content)
    text = convert_shortcodes(text)
    if not is_blocks:
        text = autop(text)
    if media is not None:
        text = _UPLOAD_LINK.sub(lambda match: _relinked(match, media), text)
    return text.strip()


def _relinked(match, media):
    url = html.unescape(match.group(3))
    new_url = media(url) or url
    return f"{match.group(1)}{match.group(2)}{html.escape(new_url)}{match.group(2)}"


_FIRST_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.S | re.IGNORECASE)
LEAD_LENGTH = 300


def lead_from(excerpt, body):
    """The plain-text lead: the excerpt, else the first paragraph with words in it."""
    if text := html_to_text(excerpt):
        return text
    for match in _FIRST_PARAGRAPH.finditer(body or ""):
        if text := " ".join(html_to_text(match.group(1)).split()):
            return truncate(text, LEAD_LENGTH)
    text = " ".join(html_to_text(body).split())
    return truncate(text, LEAD_LENGTH)
