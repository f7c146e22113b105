import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db


def main_of(response):
    """The page's main content, without header, sidebar and footer."""
    return response.text.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.fixture
def expert():
    return ExpertFactory(
        name="Jane Doe",
        slug="jane-doe",
        title="Analyst of international affairs",
        bio="Jane Doe follows the foreign policy of the region.",
    )


@pytest.fixture
def article(expert):
    note = CategoryFactory(name="Note", slug="note", position=1)
    political = CategoryFactory(name="Political", slug="political", position=2)
    return ArticleFactory(
        title="A greater role in the region",
        slug="greater-role",
        lead="During the recent visit the ministers discussed the corridor.",
        body="<h2>Context</h2><p>The talks lasted two days.</p>",
        published_at=datetime.datetime(2021, 5, 19, 10, 0, tzinfo=datetime.UTC),
        categories=[note, political],
        experts=[expert],
        tags=["diplomacy", "energy"],
    )


class TestHome:
    def test_lists_latest_articles(self, client, article):
        response = client.get("/")

        assert response.status_code == 200
        assert "A greater role in the region" in response.text
        assert "2021/05/19" in response.text

    def test_top_news_block_shows_top_news_articles(self, client):
        top = CategoryFactory(name="Top news", slug="top-news")
        ArticleFactory(title="Headline of the week", categories=[top])
        ArticleFactory(title="Ordinary note")

        response = client.get("/")

        top_block = response.text.split('id="top-news-title"')[1].split("</section>")[0]
        assert "Headline of the week" in top_block
        assert "Ordinary note" not in top_block

    def test_paginates(self, client, settings):
        settings.ARTICLES_PER_PAGE = 2
        for number in range(5):
            ArticleFactory(
                title=f"Paged {number}",
                published_at=timezone.now() - datetime.timedelta(days=number + 1),
            )

        first = client.get("/")
        third = client.get("/?page=3")

        assert "Paged 0" in main_of(first)
        assert "Paged 4" not in main_of(first)
        assert "Paged 4" in main_of(third)
        assert "Page 3 of 3" in main_of(third)

    @pytest.mark.parametrize("page", ["2", "999", "abc", "-1", "0", "1.5"])
    def test_bad_page_is_404(self, client, page):
        ArticleFactory()

        assert client.get("/", {"page": page}).status_code == 404


class TestArticlePage:
    def test_shows_title_dateline_lead_byline_body_tags(self, client, article):
        response = client.get("/articles/greater-role/")

        assert response.status_code == 200
        html = response.text
        assert '<h1 class="article__title">A greater role in the region</h1>' in html
        assert (
            '<time datetime="2021-05-19T10:00:00+00:00">2021/05/19</time>'
            ' <span class="dateline__sep" aria-hidden="true">|</span>'
            ' <span class="dateline__categories"><a href="/category/note/">Note</a>,'
            ' <a href="/category/political/">Political</a></span>'
        ) in html
        assert '<strong class="article__site">Tribune</strong> – During the recent visit' in html
        assert (
            '<a href="/experts/jane-doe/" rel="author">Jane Doe</a>'
            " – Analyst of international affairs"
        ) in html
        assert "<h2>Context</h2><p>The talks lasted two days.</p>" in html
        assert 'href="/tag/diplomacy/"' in html
        assert 'href="/tag/energy/"' in html

    def test_site_name_comes_from_settings(self, client, article, settings):
        settings.SITE_NAME = "Policy Review"

        response = client.get("/articles/greater-role/")

        assert '<strong class="article__site">Policy Review</strong> –' in response.text

    def test_byline_keeps_expert_order(self, client):
        first = ExpertFactory(name="Zoe Zed")
        second = ExpertFactory(name="Adam Aard")
        ArticleFactory(slug="two-authors", experts=[first, second])

        html = client.get("/articles/two-authors/").text

        assert html.index("Zoe Zed") < html.index("Adam Aard")

    def test_lists_other_articles_with_excerpt(self, client, article):
        ArticleFactory(title="Another analysis", lead="Another lead about trade.")

        response = client.get("/articles/greater-role/")

        other = main_of(response).split('id="other-articles-title"')[1]
        assert "Another analysis" in other
        assert "Another lead about trade." in other
        assert "A greater role in the region" not in other

    def test_shows_sidebar_latest_publications(self, client, article):
        ArticleFactory(title="Sidebar entry", lead="Sidebar excerpt text.")

        response = client.get("/articles/greater-role/")

        sidebar = response.text.split('id="latest-publications"')[1].split("</section>")[0]
        assert "Sidebar entry" in sidebar
        assert "Sidebar excerpt text." in sidebar

    def test_unknown_article_is_404_in_site_design(self, client):
        response = client.get("/articles/no-such-thing/")

        assert response.status_code == 404
        assert "Page not found" in response.text
        assert 'class="site-header"' in response.text

    def test_html_in_title_and_lead_is_escaped(self, client):
        ArticleFactory(slug="escaped", title="<script>alert(1)</script>", lead="<b>bold</b>")

        html = client.get("/articles/escaped/").text

        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;bold&lt;/b&gt;" in html


class TestListings:
    def test_category_page(self, client, article):
        CategoryFactory(name="Economy", slug="economy", description="Trade and growth.")
        ArticleFactory(title="Not in note")

        response = client.get("/category/note/")

        assert response.status_code == 200
        assert '<h1 class="listing-header__title">Note</h1>' in response.text
        assert "A greater role in the region" in main_of(response)
        assert "Not in note" not in main_of(response)

    def test_category_description_shown(self, client):
        CategoryFactory(name="Economy", slug="economy", description="Trade and growth.")

        response = client.get("/category/economy/")

        assert "Trade and growth." in response.text
        assert "No articles have been published here yet." in response.text

    def test_tag_page(self, client, article):
        ArticleFactory(title="Untagged")

        response = client.get("/tag/diplomacy/")

        assert response.status_code == 200
        assert "A greater role in the region" in main_of(response)
        assert "Untagged" not in main_of(response)

    def test_expert_page_shows_bio_and_articles(self, client, article):
        ArticleFactory(title="By somebody else")

        response = client.get("/experts/jane-doe/")

        assert response.status_code == 200
        assert '<h1 class="listing-header__title">Jane Doe</h1>' in response.text
        assert "Analyst of international affairs" in response.text
        assert "Jane Doe follows the foreign policy of the region." in response.text
        assert "A greater role in the region" in main_of(response)
        assert "By somebody else" not in main_of(response)

    def test_expert_photo_shown(self, client, expert):
        expert.photo = "experts/2024/01/jane.png"
        expert.save()

        response = client.get("/experts/jane-doe/")

        assert 'src="/media/experts/2024/01/jane.png"' in response.text
        assert 'alt="Portrait of Jane Doe"' in response.text

    def test_year_archive(self, client, article):
        ArticleFactory(
            title="From another year",
            published_at=datetime.datetime(2022, 1, 3, tzinfo=datetime.UTC),
        )

        response = client.get("/articles/2021/")

        assert response.status_code == 200
        assert "A greater role in the region" in main_of(response)
        assert "From another year" not in main_of(response)
        assert 'href="/articles/2021/05/"' in response.text

    def test_month_archive(self, client, article):
        ArticleFactory(
            title="From June",
            published_at=datetime.datetime(2021, 6, 3, tzinfo=datetime.UTC),
        )

        response = client.get("/articles/2021/05/")

        assert response.status_code == 200
        assert "May 2021" in response.text
        assert "A greater role in the region" in main_of(response)
        assert "From June" not in main_of(response)

    @pytest.mark.parametrize(
        "url",
        [
            "/category/missing/",
            "/tag/missing/",
            "/experts/missing/",
            "/articles/1999/",
            "/articles/2021/04/",
            "/articles/2021/13/",
            "/category/note/?page=7",
            "/tag/diplomacy/?page=x",
            "/experts/jane-doe/?page=2",
            "/articles/2021/?page=99",
        ],
    )
    def test_missing_or_out_of_range_is_404(self, client, article, url):
        assert client.get(url).status_code == 404


class TestNavigation:
    def test_header_lists_categories_by_position(self, client):
        CategoryFactory(name="Security", slug="security", position=2)
        CategoryFactory(name="Analysis", slug="analysis", position=1)

        html = client.get("/").text
        nav = html.split('class="site-nav"')[1].split("</nav>")[0]

        assert nav.index("Analysis") < nav.index("Security")

    def test_current_category_marked(self, client):
        CategoryFactory(name="Security", slug="security")

        html = client.get("/category/security/").text

        assert '<a href="/category/security/" aria-current="page">Security</a>' in html

    def test_page_landmarks(self, client, article):
        html = client.get("/articles/greater-role/").text

        assert '<html lang="en"' in html
        assert 'class="skip-link" href="#content"' in html
        assert '<main id="content"' in html
        assert html.count("<h1") == 1
        assert "<header" in html
        assert "<footer" in html
        assert "<nav" in html


class TestHealthz:
    def test_reports_ok(self, client):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok"}
        assert "no-cache" in response.headers["Cache-Control"]

    def test_post_not_allowed(self, client):
        assert client.post("/healthz").status_code == 405


class TestUnicodeTags:
    def test_persian_tag_links_and_lists(self, client):
        ArticleFactory(slug="tehran-talks", title="Talks in Tehran", tags=["سیاست خارجی"])

        article = client.get("/articles/tehran-talks/")
        listing = client.get("/tag/سیاست-خارجی/")

        assert article.status_code == 200
        assert 'href="/tag/%D8%B3%DB%8C%D8%A7%D8%B3%D8%AA-%D8%AE%D8%A7%D8%B1%D8%AC%DB%8C/"' in (
            article.text
        )
        assert listing.status_code == 200
        assert "Talks in Tehran" in main_of(listing)

    def test_persian_tag_in_sitemap(self, client):
        ArticleFactory(tags=["سیاست خارجی"])

        section = client.get("/sitemap-tags.xml")

        assert section.status_code == 200
        assert "/tag/%D8%B3%DB%8C%D8%A7%D8%B3%D8%AA-%D8%AE%D8%A7%D8%B1%D8%AC%DB%8C/" in section.text
