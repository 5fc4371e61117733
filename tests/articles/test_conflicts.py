"""Two editors' changes to one story body, merged paragraph by paragraph (#16)."""

import pytest

from articles.conflicts import blocks, merge_blocks, merge_body
from articles.text import paragraphs_to_html


def body(*paragraphs):
    return paragraphs_to_html(list(paragraphs))


class MergeBlocksTests:
    def test_changes_to_different_paragraphs_are_both_kept(self):
        chunks = merge_blocks(["a", "b", "c"], ["A", "b", "c"], ["a", "b", "C"])
        assert [c.kind for c in chunks] == ["theirs", "same", "mine"]
        assert sum((c.lines for c in chunks), []) == ["A", "b", "C"]

    def test_changes_to_neighbouring_paragraphs_are_both_kept(self):
        # diff3 counts neighbouring lines as one clash; paragraphs are separate changes.
        chunks = merge_blocks(["a", "b"], ["A", "b"], ["a", "B"])
        assert [c.kind for c in chunks] == ["theirs", "mine"]
        assert sum((c.lines for c in chunks), []) == ["A", "B"]

    def test_the_same_paragraph_changed_differently_is_a_clash(self):
        [chunk, rest] = merge_blocks(["a", "b"], ["A1", "b"], ["A2", "b"])
        assert (chunk.kind, chunk.lines, chunk.mine) == ("clash", ["A1"], ["A2"])
        assert rest.lines == ["b"]

    def test_the_same_change_on_both_sides_is_no_clash(self):
        chunks = merge_blocks(["a", "b"], ["A", "b"], ["A", "b"])
        assert all(c.kind == "same" for c in chunks)
        assert sum((c.lines for c in chunks), []) == ["A", "b"]

    def test_paragraphs_added_and_deleted_in_different_places(self):
        base = ["a", "b", "c", "d"]
        theirs = ["new", "a", "b", "c", "d"]  # Added before the first.
        mine = ["a", "b", "d", "end"]  # Deleted the third, added at the end.
        merged = sum((c.lines for c in merge_blocks(base, theirs, mine)), [])
        assert merged == ["new", "a", "b", "d", "end"]

    def test_adding_before_a_paragraph_the_other_changed(self):
        chunks = merge_blocks(["a", "b"], ["new", "a", "b"], ["A", "b"])
        assert sum((c.lines for c in chunks), []) == ["new", "A", "b"]
        assert "clash" not in [c.kind for c in chunks]

    def test_both_adding_at_the_same_place_is_a_clash(self):
        chunks = merge_blocks(["a", "b"], ["a", "x", "b"], ["a", "y", "b"])
        [clash] = [c for c in chunks if c.kind == "clash"]
        assert (clash.lines, clash.mine) == (["x"], ["y"])

    def test_deleting_a_paragraph_the_other_changed_is_a_clash(self):
        chunks = merge_blocks(["a", "b", "c"], ["a", "c"], ["a", "B", "c"])
        [clash] = [c for c in chunks if c.kind == "clash"]
        assert (clash.lines, clash.mine) == ([], ["B"])


class MergeBodyTests:
    def test_the_testers_case_start_and_end_of_the_body(self):
        base = body("One.", "Two.")
        merged = merge_body(base, body("ALPHA One.", "Two."), body("One.", "Two. BRAVOTWO"))
        assert merged.html == body("ALPHA One.", "Two. BRAVOTWO")
        assert merged.mine == ["paragraph 2"] and merged.clashes == []

    def test_a_paragraph_both_changed_keeps_theirs_and_names_mine(self):
        base = body("One.", "Two.", "Three.")
        merged = merge_body(
            base, body("One, theirs.", "Two.", "Three."), body("One, mine.", "Two.", "Three!")
        )
        assert merged.html == body("One, theirs.", "Two.", "Three!")
        assert merged.clashes == [
            {"number": 1, "count": 1, "theirs": "One, theirs.", "mine": "One, mine."}
        ]
        assert merged.mine == ["paragraph 3"]

    def test_typographic_quotes_and_non_ascii_are_kept(self):
        base = body("“Ready,” said the mayor.", "Größe: 5 m²; café ☕.")
        theirs = body("“Ready,” said the mayor of Łódź.", "Größe: 5 m²; café ☕.")
        mine = body("“Ready,” said the mayor.", "Größe: 5 m²; café ☕ — naïve “quotes”.")
        merged = merge_body(base, theirs, mine)
        assert merged.clashes == []
        assert merged.html == body(
            "“Ready,” said the mayor of Łódź.", "Größe: 5 m²; café ☕ — naïve “quotes”."
        )

    def test_a_paragraph_written_differently_but_unchanged_is_not_a_change(self):
        # The editor writes entities and line breaks its own way: no word changed there.
        base = "<p>It&#8217;s late &amp; dark.</p>\n<p>Second.</p>"
        theirs = "<p>It’s late &amp; dark.</p><p>Second.</p>"  # Saved by the editor, untouched.
        mine = "<p>It&#8217;s late &amp; dark, BRAVO.</p>\n<p>Second.</p>"
        merged = merge_body(base, theirs, mine)
        assert merged.clashes == []
        assert blocks(merged.html) == ["<p>It’s late &amp; dark, BRAVO.</p>", "<p>Second.</p>"]

    def test_headings_and_lists_are_blocks_too(self):
        base = "<h2>Title</h2><ul><li>a</li><li>b</li></ul><p>End.</p>"
        theirs = "<h2>New title</h2><ul><li>a</li><li>b</li></ul><p>End.</p>"
        mine = "<h2>Title</h2><ul><li>a</li><li>b</li></ul><p>The end.</p>"
        merged = merge_body(base, theirs, mine)
        assert blocks(merged.html) == [
            "<h2>New title</h2>",
            "<ul><li>a</li><li>b</li></ul>",
            "<p>The end.</p>",
        ]


@pytest.mark.parametrize(
    ("theirs", "mine"),
    [
        (["One.", "Two.", "Three."], ["One.", "Two.", "Three."]),
        (["Zero.", "One.", "Two.", "Three."], ["One.", "Two."]),
        (["One.", "Three."], ["One.", "Two!", "Three.", "Four."]),
    ],
)
def test_every_word_typed_is_in_the_form_or_beside_it(theirs, mine):
    base = body("One.", "Two.", "Three.")
    merged = merge_body(base, body(*theirs), body(*mine))
    shown = merged.html + " ".join(c["mine"] + c["theirs"] for c in merged.clashes)
    for word in {*theirs, *mine} - {"One.", "Two.", "Three."}:
        assert word.rstrip(".!") in shown


def test_one_side_rewrote_neighbouring_paragraphs_the_other_changed_one():
    # Only the paragraph both changed clashes; the other's rewrite of its neighbour stays.
    chunks = merge_blocks(["a", "b"], ["A", "b"], ["X", "Y"])
    assert [(c.kind, c.lines, c.mine) for c in chunks] == [
        ("clash", ["A"], ["X"]),
        ("mine", ["Y"], []),
    ]
