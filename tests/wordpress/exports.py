"""Small WXR 1.2 exports written by the tests, element by element, as WordPress writes them."""

from urllib.parse import quote

NEWS_FA = "اخبار"  # "news"
TRADE_FA = "تجارت"  # "trade"


def wordpress_slug(text):
    """A slug as WordPress stores one with letters outside ASCII: lower-case percent-encoding."""
    return quote(text).lower()


# The terms of a post: (domain, WordPress slug, name).
NEWS = ("category", "news", "News")
NEWS_PERSIAN = ("category", wordpress_slug(NEWS_FA), NEWS_FA)
EUROPE = ("category", "europe", "Europe")
TRADE = ("post_tag", "trade", "Trade")
TRADE_PERSIAN = ("post_tag", wordpress_slug(TRADE_FA), TRADE_FA)


def author(user_id, login, name, *, first="", last=""):
    return f"""
    <wp:author><wp:author_id>{user_id}</wp:author_id><wp:author_login><![CDATA[{login}]]></wp:author_login>
    <wp:author_display_name><![CDATA[{name}]]></wp:author_display_name>
    <wp:author_first_name><![CDATA[{first}]]></wp:author_first_name>
    <wp:author_last_name><![CDATA[{last}]]></wp:author_last_name></wp:author>"""


def category(term_id, slug, name, parent=""):
    term = f"<wp:term_id>{term_id}</wp:term_id>" if term_id is not None else ""
    return f"""
    <wp:category>{term}<wp:category_nicename>{slug}</wp:category_nicename>
    <wp:category_parent>{parent}</wp:category_parent><wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>"""


def tag(term_id, slug, name):
    term = f"<wp:term_id>{term_id}</wp:term_id>" if term_id is not None else ""
    return f"""
    <wp:tag>{term}<wp:tag_slug>{slug}</wp:tag_slug>
    <wp:tag_name><![CDATA[{name}]]></wp:tag_name></wp:tag>"""


def post(post_id, slug, creator, date, terms, *, link):
    categories = "".join(
        f'<category domain="{domain}" nicename="{nicename}"><![CDATA[{name}]]></category>'
        for domain, nicename, name in terms
    )
    return f"""
    <item>
      <title>{slug.title()}</title>
      <link>{link}</link>
      <dc:creator><![CDATA[{creator}]]></dc:creator>
      {categories}
      <content:encoded><![CDATA[<p>Text of {slug}.</p>]]></content:encoded>
      <wp:post_id>{post_id}</wp:post_id>
      <wp:post_date_gmt>{date}</wp:post_date_gmt>
      <wp:post_name>{slug}</wp:post_name>
      <wp:status>publish</wp:status>
      <wp:post_type>post</wp:post_type>
    </item>"""


def export(site, title, *elements):
    """The whole file of the site ``site`` (``http://name.example``) holding ``elements``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"
  xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>{title}</title>
  <link>{site}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{site}</wp:base_blog_url>
  {"".join(elements)}
</channel>
</rss>
"""
