"""Converting WordPress text: paragraphs, shortcodes, block comments, leads and slugs."""

import pytest

from wordpress.content import autop, convert, convert_shortcodes, lead_from, parse_attributes
from wordpress.fields import legacy_path, parse_date
from wordpress.media import uploads_path
from wordpress.text import clean_line, html_to_text, make_slug, truncate


def test_blank_line_separates_paragraphs_and_a_single_break_is_kept():
    assert autop("One\ntwo\n\nThree") == "<p>One<br />\ntwo</p>\n<p>Three</p>\n"


def test_block_elements_are_not_wrapped():
    assert autop("Text\n<ul>\n<li>a</li>\n</ul>\nMore") == (
        "<p>Text</p>\n<ul>\n<li>a</li>\n</ul>\n<p>More</p>\n"
    )


def test_preformatted_text_keeps_its_lines():
    assert autop("<pre>a\n\nb</pre>\n\nz") == "<pre>a\n\nb</pre>\n<p>z</p>\n"


def test_blockquote_gets_its_paragraphs_inside():
    assert autop("<blockquote>q\n\nq2</blockquote>") == (
        "<blockquote><p>q</p>\n<p>q2</p></blockquote>\n"
    )


def test_line_break_inside_a_tag_is_not_a_br():
    assert autop('A <a\nhref="x">link</a>') == '<p>A <a\nhref="x">link</a></p>\n'


def test_caption_becomes_a_figure():
    image = '<a href="/x"><img src="a.jpg" alt="A" /></a>'
    text = f'[caption id="attachment_1" width="300"]{image} A map[/caption]'
    assert convert_shortcodes(text) == (f"<figure>{image}<figcaption>A map</figcaption></figure>")


def test_old_caption_attribute():
    text = '[caption caption="From the attribute"]<img src="a.jpg" />[/caption]'
    assert "<figcaption>From the attribute</figcaption>" in convert_shortcodes(text)


def test_gallery_is_removed():
    assert convert_shortcodes('Before [gallery ids="1,2"] after') == "Before  after"


def test_embed_becomes_a_link():
    assert '<a href="https://youtu.be/x">https://youtu.be/x</a>' in convert_shortcodes(
        "[embed]https://youtu.be/x[/embed]"
    )


def test_audio_becomes_a_link_to_its_file():
    assert '<a href="https://x.example/a.mp3">' in convert_shortcodes(
        "[audio https://x.example/a.mp3]"
    )
    assert '<a href="https://x.example/b.mp4">' in convert_shortcodes(
        '[video width="640" mp4="https://x.example/b.mp4"][/video]'
    )


def test_unknown_shortcode_is_removed_and_its_text_kept():
    assert convert_shortcodes('[pullquote align="left"]Said so[/pullquote]') == "Said so"
    assert convert_shortcodes('[contact-form-7 id="12" title="Contact"]') == ""


def test_bracketed_prose_is_not_a_shortcode():
    assert convert_shortcodes("He said [sic] and cited [1].") == "He said [sic] and cited [1]."


def test_escaped_shortcode_shows_as_written():
    assert convert_shortcodes("Type [[gallery]] to show one.") == "Type [gallery] to show one."


def test_shortcode_attributes():
    assert parse_attributes(" id=\"a\" width=300 title='T' https://x.example/ /") == {
        "id": "a",
        "width": "300",
        "title": "T",
        0: "https://x.example/",
    }


def test_block_editor_comments_are_dropped_and_paragraphs_left_alone():
    text = "<!-- wp:paragraph -->\n<p>One\nline</p>\n<!-- /wp:paragraph -->"
    assert convert(text) == "<p>One\nline</p>"


def test_more_and_nextpage_markers_are_dropped():
    assert convert("Teaser<!--more-->Rest<!--nextpage-->Page two") == "<p>TeaserRestPage two</p>"


def test_uploaded_files_can_be_pointed_elsewhere():
    body = convert(
        '<img src="https://old.example/wp-content/uploads/2020/01/a.jpg">',
        media=lambda url: "/media/wordpress/2020/01/a.jpg" if "uploads" in url else None,
    )
    assert 'src="/media/wordpress/2020/01/a.jpg"' in body


def test_lead_is_the_excerpt_as_plain_text():
    assert lead_from("An <em>excerpt</em> &amp; more", "<p>Body</p>") == "An excerpt & more"


def test_lead_is_else_the_first_paragraph_with_words():
    body = "<p><img src='a.jpg'></p>\n<p>First <b>words</b>.</p>\n<p>Second.</p>"
    assert lead_from("", body) == "First words."


def test_long_lead_is_cut_at_a_word():
    lead = lead_from("", "<p>" + "word " * 100 + "</p>")
    assert len(lead) <= 300
    assert lead.endswith("word…")


@pytest.mark.parametrize(
    ("candidates", "slug"),
    [
        (("hello-world",), "hello-world"),
        (("hello-w\u202eorld\u202c",), "hello-world"),
        (("ad\u200bmin\u200d",), "admin"),
        (
            ("%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf-2", "Second Greek level"),
            "second-greek-level",
        ),
        (("1234", "A title"), "a-title"),
        (("", ""), ""),
    ],
)
def test_slugs_are_ascii_and_visible(candidates, slug):
    assert make_slug(*candidates) == slug


def test_clean_line_keeps_emoji_and_joiners_and_drops_overrides():
    assert clean_line("\u200b A \u202eB\u202c 👩\u200d💻 \ufeff") == "A B 👩\u200d💻"


def test_html_to_text_keeps_line_breaks():
    assert (
        html_to_text("One<br />two<p>three</p>four &amp; five")
        == "One\ntwo\n\nthree\n\nfour & five"
    )


def test_truncate():
    assert truncate("short", 10) == "short"
    assert truncate("one two three four", 12) == "one two…"


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("https://site.example/2018/10/20/slug/", "/2018/10/20/slug/"),
        ("https://site.example//greek/%ce%b5-2/", "/greek/ε-2/"),
        ("https://site.example/about", "/about"),
        ("https://site.example/?p=12", None),
        ("", None),
    ],
)
def test_legacy_path(url, path):
    assert legacy_path(url) == path


def test_zero_dates_mean_no_date():
    assert parse_date("0000-00-00 00:00:00") is None
    assert parse_date("2020-05-01 08:00:00").isoformat() == "2020-05-01T08:00:00+00:00"


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("https://a.example/wp-content/uploads/2019/03/map.png", "2019/03/map.png"),
        ("https://blog.files.wordpress.com/2019/03/map%20b.png", "2019/03/map b.png"),
        ("https://a.example/wp-content/uploads/../../etc/passwd", None),
        ("https://a.example/images/map.png", None),
    ],
)
def test_uploads_path(url, relative):
    assert uploads_path(url) == relative
