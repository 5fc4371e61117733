"""Comparing two versions of a story reads like an editor's marked-up copy (#12): words inside
paragraphs, and the byline, tags, section, picture and slug side by side."""

import time

import pytest

from articles import services, snapshots
from articles.text import paragraphs_to_html
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory

from .workflow_http import compare_url, login


class WordDiffTests:
    def test_a_two_word_fix_is_two_words(self):
        pieces = snapshots.word_diff(
            "The mayor said on Tuesday that the bridge would open.",
            "The mayor said on Wednesday that the new bridge would open.",
        )
        changed = [(kind, text) for kind, text in pieces if kind != "same"]
        assert changed == [("removed", "Tuesday"), ("added", "Wednesday"), ("added", "new ")]

    def test_neighbouring_changed_words_read_as_one_change(self):
        assert snapshots.word_diff("ab cd ef", "xy zw ef") == [
            ("removed", "ab cd"),
            ("added", "xy zw"),
            ("same", " ef"),
        ]

    def test_punctuation_and_typographic_quotes_are_words_of_their_own(self):
        pieces = snapshots.word_diff("“It’s late,” she said.", "“It’s early,” she said.")
        assert [p for p in pieces if p[0] != "same"] == [("removed", "late"), ("added", "early")]

    def test_an_unchanged_text_is_one_piece(self):
        assert snapshots.word_diff("Same words.", "Same words.") == [("same", "Same words.")]


class ParagraphDiffTests:
    def test_only_the_changed_paragraph_is_marked_word_by_word(self):
        before = "One.\nTwo words here.\nThree.\nFour.\nFive."
        after = "One.\nTwo new words here.\nThree.\nFour.\nFive."
        rows = snapshots.paragraph_diff(before, after)
        assert [row["kind"] for row in rows] == ["same", "changed", "same"]
        assert ("added", "new ") in rows[1]["pieces"]

    def test_unlike_paragraphs_are_removed_and_added_whole(self):
        rows = snapshots.paragraph_diff("The vote was close.", "Weather: rain all day.")
        assert [row["kind"] for row in rows] == ["removed", "added"]

    @pytest.mark.slow
    def test_a_long_story_changed_everywhere_compares_in_seconds(self):
        sentence = "The council’s “long-term” plan was debated again, line by line, for hours. "
        text = "\n".join(f"Paragraph {n}. " + (sentence * 13).strip() for n in range(3000))
        started = time.process_time()
        rows = snapshots.paragraph_diff(text, text.replace("council", "Council"))
        # Word by word for the first MAX_WORD_DIFFS paragraphs, whole beyond (see snapshots).
        assert sum(row["kind"] == "changed" for row in rows) == snapshots.MAX_WORD_DIFFS
        assert time.process_time() - started < 30  # A bound against quadratic blow-ups only.


@pytest.mark.django_db
class ComparePageTests:
    def test_details_side_by_side_and_text_word_by_word(self, client, editor):
        ann, bo = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
        city = SectionFactory(name="City")
        story = PublishedArticleFactory(
            headline="Tram fares rise",
            standfirst="Fares go up in May.",
            body=paragraphs_to_html(["Fares go up by 10p.", "The last rise was in 2019."]),
            authors=[ann, bo],
        )
        story.tags.add("trams")
        older = services.revision_record(article=story, by=editor, comment="Before")
        services.article_save(
            article=story,
            by=editor,
            changes={
                "body": paragraphs_to_html(["Fares go up by 20p.", "The last rise was in 2019."]),
                "section": city,
            },
            authors=[bo, ann],
            tags=["trams", "fares"],
        )
        newer = story.revisions.first()
        html = login(editor).get(compare_url(story, older, newer)).content.decode()
        assert "Fares go up by <del>10p</del><ins>20p</ins>." in html
        assert '<p class="same">The last rise was in 2019.</p>' in html
        assert "<td>Ann Ames, Bo Berg</td>" in html and "<td>Bo Berg, Ann Ames</td>" in html
        assert "<td>trams</td>" in html and "<td>trams, fares</td>" in html
        assert "<td>—</td>\n          <td>City</td>" in html
        assert "Standfirst" not in html.split("Details")[0]  # Unchanged: not shown as text.

    def test_revisions_written_before_the_section_and_picture_were_kept(self, client, editor):
        story = PublishedArticleFactory(headline="Old story")
        older = services.revision_record(article=story, by=editor, comment="Old")
        snap = dict(older.snapshot)
        del snap["section"], snap["lead_image"]
        older.snapshot = snap
        older.save()
        newer = services.revision_record(article=story, by=editor, comment="New")
        html = login(editor).get(compare_url(story, older, newer)).content.decode()
        # What an old revision didn't record is not a difference.
        assert "No differences." in html
