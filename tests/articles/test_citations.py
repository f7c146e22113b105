"""Citing an article: Scholar meta tags, APA and Chicago references, BibTeX and RIS files."""

import datetime

import bibtexparser
import pytest
import rispy
import time_machine
from bibtexparser import middlewares

from articles import citations
from articles.models import Article
from tests.articles.test_admin import staff_member
from tests.articles.test_seo import Head
from tests.factories import ArticleFactory, CategoryFactory, ExpertFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.UTC)
URL = "http://testserver/articles/greater-role/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def jane():
    return ExpertFactory(name="Jane Doe", slug="jane-doe")


@pytest.fixture
def rick():
    return ExpertFactory(name="Rick Roe", slug="rick-roe")


def make_article(experts, **kwargs):
    return ArticleFactory(
        **{
            "title": "A greater role in the region",
            "slug": "greater-role",
            "lead": "During the recent visit the ministers discussed the corridor.",
            "published_at": datetime.datetime(2021, 5, 19, 10, 0, tzinfo=datetime.UTC),
            "categories": [CategoryFactory(name="Note", slug="note")],
            "experts": experts,
            "tags": ["energy", "diplomacy"],
            **kwargs,
        }
    )


def cite_block(client, path="/articles/greater-role/"):
    html = client.get(path).text
    return html.split('<details class="cite"', 1)[1].split("</details>", 1)[0]


def reference(block, style):
    return block.split(f'cite__reference--{style}">', 1)[1].split("</dd>", 1)[0]


def parse_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        # Authors are separated first: decoding drops the braces that protect a name.
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.LatexDecodingMiddleware(),
        ],
    )
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    return library.entries[0]


def name_citation(names, title="Title"):
    return citations.Citation(
        title=title,
        authors=[citations.split_name(name) for name in names],
        published=datetime.date(2021, 5, 19),
        url=URL,
        site_name="Tribune",
        lead="Lead.",
        keywords=[],
        language="en",
    )


class TestNames:
    @pytest.mark.parametrize(
        ("name", "inverted", "apa"),
        [
            ("Jane Doe", "Doe, Jane", "Doe, J."),
            ("Mary Ann Smith", "Smith, Mary Ann", "Smith, M. A."),
            ("Jean-Luc Picard", "Picard, Jean-Luc", "Picard, J.-L."),
            ("Ludwig van Beethoven", "van Beethoven, Ludwig", "van Beethoven, L."),
            ("Martin Luther King Jr.", "King, Martin Luther, Jr.", "King, M. L., Jr."),
            ("Doe, Jane", "Doe, Jane", "Doe, J."),
            ("Plato", "Plato", "Plato"),
            ("  Jane   Doe ", "Doe, Jane", "Doe, J."),
        ],
    )
    def test_split_name(self, name, inverted, apa):
        person = citations.split_name(name)

        assert person.inverted() == inverted
        assert person.apa() == apa

    @pytest.mark.parametrize(
        ("name", "family", "inverted", "apa"),
        [
            (
                "Gabriel García Márquez",
                "García Márquez",
                "García Márquez, Gabriel",
                "García Márquez, G.",
            ),
            ("Xi Jinping", "Xi", "Xi, Jinping", "Xi, J."),
            ("Martin Luther King Jr.", "King", "King, Martin Luther, Jr.", "King, M. L., Jr."),
            ("Ana  Maria   de Souza", " de  Souza ", "de Souza, Ana Maria", "de Souza, A. M."),
            ("Plato", "Plato", "Plato", "Plato"),
        ],
    )
    def test_family_name_given_by_the_editor(self, name, family, inverted, apa):
        person = citations.split_name(name, family)

        assert person.inverted() == inverted
        assert person.apa() == apa

    def test_family_name_reaches_scholar_bibtex_and_the_reference(self, client):
        make_article([ExpertFactory(name="Gabriel García Márquez", family_name="García Márquez")])

        page = client.get("/articles/greater-role/").text
        bibtex = client.get("/articles/greater-role/cite.bib").content.decode()

        assert Head(page).all("citation_author") == ["García Márquez, Gabriel"]
        assert "García Márquez, G. (2021" in page
        assert "García Márquez, Gabriel" in bibtex


class TestScholarMetaTags:
    def test_tags_with_authors_in_byline_order(self, client):
        zoe = ExpertFactory(name="Zoe Zed")
        adam = ExpertFactory(name="Adam Aard")
        make_article([zoe, adam])

        page = Head(client.get("/articles/greater-role/").text)

        assert page.one("citation_title") == "A greater role in the region"
        assert page.all("citation_author") == ["Zed, Zoe", "Aard, Adam"]
        assert page.one("citation_publication_date") == "2021/05/19"
        assert page.one("citation_online_date") == "2021/05/19"
        assert page.one("citation_publisher") == "Tribune"
        assert page.one("citation_technical_report_institution") == "Tribune"
        assert page.one("citation_abstract_html_url") == URL
        assert page.one("citation_fulltext_html_url") == URL
        assert page.one("citation_language") == "en"
        assert page.one("citation_keywords") == "diplomacy; energy"
        assert page.all("citation_journal_title") == []

    def test_unsigned_article_names_the_site(self, client):
        make_article([])

        page = Head(client.get("/articles/greater-role/").text)

        assert page.all("citation_author") == ["Tribune"]

    def test_date_is_the_sites_local_day(self, client, settings):
        settings.TIME_ZONE = "Asia/Tehran"  # 22:00 UTC is already the next day there
        make_article([], published_at=datetime.datetime(2021, 5, 19, 22, 0, tzinfo=datetime.UTC))

        page = Head(client.get("/articles/greater-role/").text)

        assert page.one("citation_publication_date") == "2021/05/20"


class TestReferences:
    def test_two_authors(self, client, jane, rick):
        make_article([jane, rick])

        block = cite_block(client)

        assert reference(block, "apa") == (
            "Doe, J., &amp; Roe, R. (2021, May 19). <i>A greater role in the region</i>. "
            f"Tribune. Retrieved June 1, 2024, from {URL}"
        )
        assert reference(block, "chicago") == (
            "Doe, Jane, and Rick Roe. “A greater role in the region.” Tribune, May 19, 2021. "
            f"Accessed June 1, 2024. {URL}."
        )

    def test_one_author(self, client, jane):
        make_article([jane])

        block = cite_block(client)

        assert reference(block, "apa") == (
            "Doe, J. (2021, May 19). <i>A greater role in the region</i>. "
            f"Tribune. Retrieved June 1, 2024, from {URL}"
        )
        assert reference(block, "chicago") == (
            "Doe, Jane. “A greater role in the region.” Tribune, May 19, 2021. "
            f"Accessed June 1, 2024. {URL}."
        )

    def test_no_author_the_site_is_the_author(self, client):
        make_article([])

        block = cite_block(client)

        assert reference(block, "apa") == (
            "Tribune. (2021, May 19). <i>A greater role in the region</i>. "
            f"Retrieved June 1, 2024, from {URL}"
        )
        assert reference(block, "chicago") == (
            f"Tribune. “A greater role in the region.” May 19, 2021. Accessed June 1, 2024. {URL}."
        )

    def test_three_authors(self):
        citation = name_citation(["Jane Doe", "Rick Roe", "Ann Poe"])

        assert citations.apa_authors(citation) == "Doe, J., Roe, R., & Poe, A."
        assert citations.chicago_authors(citation) == "Doe, Jane, Rick Roe, and Ann Poe"

    def test_apa_lists_twenty_authors_then_an_ellipsis_and_the_last(self):
        citation = name_citation([f"Given Family{n}" for n in range(1, 23)])

        text = citations.apa_authors(citation)

        assert text.startswith("Family1, G., Family2, G.,")
        assert text.endswith("Family19, G., . . . Family22, G.")
        assert "Family20" not in text

    def test_chicago_more_than_ten_authors_are_seven_and_et_al(self):
        citation = name_citation([f"Given Family{n}" for n in range(1, 12)])

        text = citations.chicago_authors(citation)

        assert text == (
            "Family1, Given, Given Family2, Given Family3, Given Family4, Given Family5, "
            "Given Family6, Given Family7, et al."
        )

    def test_question_mark_is_not_followed_by_a_period(self):
        citation = name_citation(["Jane Doe"], title="Is the corridor open?")
        accessed = datetime.date(2024, 6, 1)

        assert "<i>Is the corridor open?</i> Tribune." in citations.apa(citation, accessed=accessed)
        assert "“Is the corridor open?” Tribune," in citations.chicago(citation, accessed=accessed)

    def test_markup_in_title_is_escaped(self, client, jane):
        make_article([jane], title="<b>Bold</b> claims")

        block = cite_block(client)

        assert "<b>" not in block
        assert "<i>&lt;b&gt;Bold&lt;/b&gt; claims</i>" in reference(block, "apa")

    def test_block_sits_after_the_tags_and_before_the_comments(self, client, jane):
        make_article([jane])

        html = client.get("/articles/greater-role/").text

        assert html.index('class="tags"') < html.index('class="cite"') < html.index('id="comments"')
        assert "<summary" in cite_block(client)

    def test_block_links_the_downloads(self, client, jane):
        make_article([jane])

        block = cite_block(client)

        assert 'href="/articles/greater-role/cite.bib"' in block
        assert 'href="/articles/greater-role/cite.ris"' in block

    def test_preview_has_no_download_links(self, client, jane):
        make_article([jane], draft=True)
        client.force_login(staff_member("Editors"))

        block = cite_block(client, "/articles/greater-role/?preview")

        assert "Doe, J." in block
        assert "cite.bib" not in block


class TestBibTeX:
    def test_parses_with_title_authors_date_url(self, client, jane, rick):
        make_article([jane, rick])

        response = client.get("/articles/greater-role/cite.bib")

        entry = parse_bibtex(response.content.decode())
        assert entry.entry_type == "online"
        assert entry.key == "greater-role"
        assert entry["title"] == "A greater role in the region"
        assert entry["author"] == ["Doe, Jane", "Roe, Rick"]
        assert entry["organization"] == "Tribune"
        assert entry["year"] == "2021"
        assert entry["month"] == "may"
        assert entry["date"] == "2021-05-19"
        assert entry["url"] == URL
        assert entry["urldate"] == "2024-06-01"
        assert entry["keywords"] == "diplomacy, energy"
        assert entry["abstract"] == "During the recent visit the ministers discussed the corridor."

    def test_unsigned_article_has_the_site_as_author(self, client):
        make_article([])

        response = client.get("/articles/greater-role/cite.bib")

        assert "  author = {{Tribune}},\n" in response.content.decode()

    def test_special_characters_are_escaped(self, client):
        make_article([], title=r"Costs {up} 50% & $3 #1 a_b ~x^2 back\slash")

        text = client.get("/articles/greater-role/cite.bib").content.decode()

        assert (
            r"  title = {Costs \{up\} 50\% \& \$3 \#1 a\_b \textasciitilde{}x\textasciicircum{}2"
            r" back\textbackslash{}slash},"
        ) in text.splitlines()
        assert parse_bibtex(text)["year"] == "2021"  # the braces stay balanced

    def test_escaped_text_reads_back_unchanged(self, client):
        title = r"Costs {up} 50% & $3 #1 a_b ~x back\slash"
        make_article([ExpertFactory(name="Tom & Jerry")], title=title)

        entry = parse_bibtex(client.get("/articles/greater-role/cite.bib").content.decode())

        assert entry["title"] == title
        assert entry["author"] == [r"Jerry, Tom \&"]

    def test_a_name_containing_and_cannot_split_the_authors(self):
        citation = name_citation(["Sandy And Ersson", "Jane Doe"])

        text = citations.bibtex(citation, key="k", accessed=datetime.date(2024, 6, 1))

        assert parse_bibtex(text)["author"] == ["Ersson, {Sandy And}", "Doe, Jane"]

    def test_content_type_and_file_name(self, client, jane):
        make_article([jane])

        response = client.get("/articles/greater-role/cite.bib")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="greater-role.bib"'


class TestRIS:
    def test_parses_with_title_authors_date_url(self, client, jane, rick):
        make_article([jane, rick])

        response = client.get("/articles/greater-role/cite.ris")

        [entry] = rispy.loads(response.content.decode())
        assert entry["type_of_reference"] == "ELEC"
        assert entry["title"] == "A greater role in the region"
        assert entry["authors"] == ["Doe, Jane", "Roe, Rick"]
        assert entry["year"] == "2021"
        assert entry["date"] == "2021/05/19"
        assert entry["urls"] == [URL]
        assert entry["publisher"] == "Tribune"
        assert entry["keywords"] == ["diplomacy", "energy"]
        assert entry["abstract"] == "During the recent visit the ministers discussed the corridor."
        assert entry["access_date"] == "2024/06/01"

    def test_lines_end_with_crlf(self, client, jane):
        make_article([jane])

        text = client.get("/articles/greater-role/cite.ris").content.decode()

        assert text.startswith("TY  - ELEC\r\n")
        assert text.endswith("ER  - \r\n")

    def test_line_breaks_in_the_lead_cannot_start_a_record(self, client, jane):
        make_article([jane], lead="First line.\nER  - \nTY  - JOUR\nTI  - Injected")

        entries = rispy.loads(client.get("/articles/greater-role/cite.ris").content.decode())

        assert len(entries) == 1
        assert entries[0]["title"] == "A greater role in the region"

    def test_content_type_and_file_name(self, client, jane):
        make_article([jane])

        response = client.get("/articles/greater-role/cite.ris")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="greater-role.ris"'


class TestDownloadsArePublicOnly:
    @pytest.mark.parametrize("extension", ["bib", "ris"])
    @pytest.mark.parametrize(
        "state",
        [
            {"status": Article.Status.DRAFT},
            {"published_at": TODAY + datetime.timedelta(days=2)},
        ],
    )
    def test_unpublished_is_404(self, client, extension, state):
        make_article([], **state)

        assert client.get(f"/articles/greater-role/cite.{extension}").status_code == 404

    @pytest.mark.parametrize("extension", ["bib", "ris"])
    def test_even_for_editors(self, client, extension):
        make_article([], draft=True)
        client.force_login(staff_member("Editors"))

        assert client.get(f"/articles/greater-role/cite.{extension}").status_code == 404

    @pytest.mark.parametrize("extension", ["bib", "ris"])
    def test_unknown_is_404(self, client, extension):
        assert client.get(f"/articles/no-such-thing/cite.{extension}").status_code == 404

    @pytest.mark.parametrize("extension", ["bib", "ris"])
    def test_post_is_not_allowed(self, client, extension):
        make_article([])

        assert client.post(f"/articles/greater-role/cite.{extension}").status_code == 405
