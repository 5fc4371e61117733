"""The plain-text importer: the reference story and broken files."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.importing import StoryFormatError, parse_story
from articles.models import Article
from authors.models import Author
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory

HEADLINE = "Biden lifts sanctions on Chinese institute to seek assistance in fentanyl battle."


@pytest.fixture
def reference_story(reference_story_file):
    return reference_story_file


def run(*args):
    out = StringIO()
    call_command("import_article", *map(str, args), stdout=out)
    return out.getvalue()


class ParserTests:
    def test_reference_story(self, reference_story):
        story = parse_story(reference_story.read_bytes())
        assert story.headline == HEADLINE
        assert len(story.paragraphs) == 8
        assert story.paragraphs[0].startswith("In a significant move")
        assert story.paragraphs[-1].startswith("As the global fight")
        assert story.byline == ["Sophia Martinez"]
        assert "Biden administration’s broader strategy" in story.paragraphs[5]

    def test_crlf_and_bom(self):
        data = "\ufeffHeadline\r\n\r\nFirst “para”.\r\n\r\nSecond.\r\n\r\nAnn Ames\r\n".encode()
        story = parse_story(data)
        assert (story.headline, story.paragraphs, story.byline) == (
            "Headline",
            ["First “para”.", "Second."],
            ["Ann Ames"],
        )

    def test_wrapped_lines_join_into_one_paragraph(self):
        story = parse_story(b"Headline\n\nA line\nwrapped here.\n\nNext.\n")
        assert story.paragraphs == ["A line wrapped here.", "Next."]
        assert story.byline == []

    @pytest.mark.parametrize(
        ("tail", "names"),
        [
            ("By Ann Ames", ["Ann Ames"]),
            ("Ann Ames and Bo Berg", ["Ann Ames", "Bo Berg"]),
            ("Ann Ames\nBo Berg\n\nAnn Ames", ["Ann Ames", "Bo Berg"]),
            ("Ann Ames, Bo Berg and Cy Cole", ["Ann Ames", "Bo Berg", "Cy Cole"]),
            ("Lucía Fernández", ["Lucía Fernández"]),
            ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
        ],
    )
    def test_bylines(self, tail, names):
        story = parse_story(f"Headline\n\nThe story.\n\n{tail}\n".encode())
        assert story.byline == names
        assert story.paragraphs == ["The story."]

    @pytest.mark.parametrize(
        "last", ["It rained.", "The end", "A sentence that ends with a full stop and is long."]
    )
    def test_last_paragraph_is_not_mistaken_for_a_byline(self, last):
        story = parse_story(f"Headline\n\nFirst.\n\n{last}\n".encode())
        assert story.paragraphs[-1] == last and story.byline == []

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"", "empty"),
            (b"  \n\n \r\n", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
            (b"Headline\n\nSome \x07 text.", "binary"),
            ("Headline\n\nCaf\u00e9 story.".encode("latin-1"), "not UTF-8"),
            (b"Only a headline\n", "no paragraphs"),
            (b"x" * 300 + b"\n\nBody.", "limit is 200"),
        ],
    )
    def test_broken_files_are_refused_clearly(self, data, message):
        with pytest.raises(StoryFormatError, match=message):
            parse_story(data)


@pytest.mark.django_db
class ImportCommandTests:
    def test_imports_and_publishes_the_reference_story_once(self, reference_story, client):
        output = run(reference_story, "--publish")
        article = Article.objects.get()
        assert article.is_published()
        assert article.headline == HEADLINE
        assert article.body.count("<p>") == 8
        assert "administration’s" in article.body
        assert [a.name for a in article.byline_authors] == ["Sophia Martinez"]
        assert "Sophia Martinez (8 paragraphs), published." in output
        assert f"/admin/articles/article/{article.pk}/change/" in output
        assert article.get_absolute_url() in output

        again = run(reference_story, "--publish")
        assert "was imported before" in again
        assert Article.objects.count() == 1 and Author.objects.count() == 1

        front = client.get("/").content.decode()
        assert front.count(HEADLINE) == 1
        page = client.get(article.get_absolute_url()).content.decode()
        assert "administration’s broader strategy" in page
        assert 'rel="author">Sophia Martinez</a>' in page

    def test_reuses_an_existing_author(self, reference_story):
        existing = AuthorFactory(name="Sophia Martinez")
        run(reference_story)
        article = Article.objects.get()
        assert article.byline_authors == [existing]
        assert article.status == Article.Status.DRAFT

    def test_draft_import_can_be_published_later(self, reference_story):
        assert "saved as a draft" in run(reference_story)
        assert "It is now published." in run(reference_story, "--publish")
        assert Article.objects.get().is_published()

    def test_author_option_replaces_the_byline(self, reference_story):
        run(reference_story, "--author", "Ann Ames", "--author", "Bo Berg")
        assert [a.name for a in Article.objects.get().byline_authors] == ["Ann Ames", "Bo Berg"]

    def test_crlf_file(self, tmp_path):
        path = tmp_path / "story.txt"
        path.write_bytes(b"Storm hits the coast\r\n\r\nIt\xe2\x80\x99s windy.\r\n\r\nAnn Ames\r\n")
        run(path, "--publish")
        assert Article.objects.get().body == "<p>It’s windy.</p>"

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "empty"),
            (b"\x00\x01\x02binary", "binary"),
            (b"Caf\xe9\n\nStory.", "not UTF-8"),
            (b"Headline\n\nNo byline here.\n", "needs an author"),
        ],
    )
    def test_bad_files_write_nothing(self, tmp_path, content, message):
        path = tmp_path / "story.txt"
        path.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            run(path, "--publish")
        assert not Article.objects.exists() and not Author.objects.exists()

    def test_a_reporter_submits_the_reference_story_but_cannot_publish_it(self, reference_story):
        reporter = ReporterFactory(username="sam")
        with pytest.raises(CommandError, match="Only editors can publish"):
            run(reference_story, "--user", "sam", "--publish")
        assert not Article.objects.exists() and not Author.objects.exists()

        assert "submitted for review" in run(reference_story, "--user", "sam", "--submit")
        article = Article.objects.get()
        assert article.status == Article.Status.REVIEW
        assert article.created_by == reporter
        assert article.revisions.first().created_by == reporter

    def test_an_editor_publishes_a_submitted_story_by_importing_it_again(self, reference_story):
        ReporterFactory(username="sam")
        EditorFactory(username="desk")
        run(reference_story, "--user", "sam", "--submit")
        assert "It is now published." in run(reference_story, "--user", "desk", "--publish")
        assert Article.objects.get().is_published()

    def test_unknown_user(self, reference_story):
        with pytest.raises(CommandError, match="no active staff account"):
            run(reference_story, "--user", "nobody")

    def test_missing_file(self, tmp_path):
        with pytest.raises(CommandError, match="Can't read"):
            run(tmp_path / "nope.txt")

    def test_same_headline_on_the_same_day_gets_its_own_address(self, tmp_path):
        for n, text in enumerate(["One story.", "Another story."]):
            path = tmp_path / f"{n}.txt"
            path.write_text(f"Same headline\n\n{text}\n\nAnn Ames\n")
            run(path, "--publish")
        assert sorted(Article.objects.values_list("slug", flat=True)) == [
            "same-headline",
            "same-headline-2",
        ]
