"""The HTML sanitiser shared by everything that stores rich text.

Stored HTML is cleaned on the way in against an allowlist that matches the
editor's toolbar: headings, emphasis, links, lists, quotes, images with alt
text and tables. Anything else (scripts, styles, frames, event handlers,
``javascript:`` or ``data:`` URLs) is removed.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "hr",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "code", "pre",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
}

ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize_html(html):
    """Return ``html`` reduced to the allowlist; links get ``rel="noopener noreferrer"``."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
