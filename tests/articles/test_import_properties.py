"""Property-based tests of the story importer (#7): whatever a file holds, the importer either
saves the story it describes or refuses the file with its own clear error, and a story in the
reference format (headline, paragraphs, byline at the end) comes back as it was written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles.importing import StoryFormatError, import_story, parse_story
from articles.permissions import SYSTEM
from articles.text import html_to_text
from tests.properties import examples

# Characters a story's words may hold: anything printable, in any script, but white space
# (which separates words and paragraphs) and the byte-order mark (dropped at the start).
WORD_CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), exclude_characters="\ufeff"
)
WORDS = st.text(WORD_CHARACTERS, min_size=1, max_size=12)

# A line that is only capitalised words ("Ann Ames") reads as a byline; ending a paragraph with
# a word in lower case keeps it a paragraph, as it would be in a real story.
LINES = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
PARAGRAPHS = st.lists(LINES, min_size=1, max_size=3).map(lambda lines: "\n".join(lines) + " now.")

NAME_WORDS = st.builds(
    str.__add__,
    st.sampled_from("ABCDÉÆŁΣДŽ"),
    st.text(st.sampled_from("abcdefgéøßлжő’-"), min_size=1, max_size=8).filter(
        lambda rest: rest[-1].isalpha()
    ),
)
NAMES = st.lists(NAME_WORDS, min_size=2, max_size=4).map(" ".join)
BYLINES = st.lists(NAMES, max_size=3, unique_by=str.casefold)

HEADLINES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join).filter(lambda h: len(h) <= 200)


def story_file(headline, paragraphs, byline, newline="\n"):
    blocks = [headline, *paragraphs, *(f"By {name}" for name in byline[:1]), *byline[1:]]
    return (newline * 2).join(blocks).replace("\n", newline).encode()


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None)
@given(st.binary(max_size=400))
@example(b"")
@example(b"\xff\xfe")
@example(b"Headline\n\n\x00")
@example("Headline\n\nText\x85\u2028more.".encode())
def test_parsing_any_bytes_succeeds_or_says_why(data):
    try:
        story = parse_story(data)
    except StoryFormatError as error:
        assert str(error)
    else:
        assert story.headline and story.paragraphs


@settings(max_examples=examples(300), deadline=None)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_parsing_any_text_succeeds_or_says_why(text):
    try:
        story = parse_story(text.encode())
    except StoryFormatError as error:
        assert str(error)
    else:
        assert story.headline and story.paragraphs
        assert all(paragraph.strip() == paragraph for paragraph in story.paragraphs)


@settings(max_examples=examples(200), deadline=None)
@given(HEADLINES, st.lists(PARAGRAPHS, min_size=1, max_size=4), BYLINES, st.sampled_from("\n\r"))
def test_a_story_in_the_reference_format_parses_back(headline, paragraphs, byline, newline):
    story = parse_story(story_file(headline, paragraphs, byline, newline))
    assert story.headline == headline
    assert story.paragraphs == [paragraph.replace("\n", " ") for paragraph in paragraphs]
    assert story.byline == byline


@pytest.mark.slow
@pytest.mark.django_db
@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(HEADLINES, st.lists(PARAGRAPHS, min_size=1, max_size=3), BYLINES)
def test_an_imported_story_keeps_its_headline_body_and_byline(headline, paragraphs, byline):
    with transaction.atomic():
        article = import_story(
            parse_story(story_file(headline, paragraphs, byline)), by=SYSTEM
        ).article
        article.refresh_from_db()
        assert article.headline == headline
        assert html_to_text(article.body) == "\n\n".join(
            paragraph.replace("\n", " ") for paragraph in paragraphs
        )
        assert [author.name for author in article.byline_authors] == byline
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=examples(100),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300))
@example("Headline\n\nText.\n\nAnn Ames")
@example("🦆🦆\n\n" + "x" * 5000)
@example("H\n\n" + "Ann " * 100 + "Ames")
def test_importing_any_text_saves_a_story_or_refuses_it_clearly(text):
    with transaction.atomic():
        try:
            result = import_story(parse_story(text.encode()), by=SYSTEM, publish=False)
        except (StoryFormatError, ValidationError) as error:
            assert str(error)
        else:
            assert result.article.pk and result.article.slug
        transaction.set_rollback(True)
