"""Stories as IPTC ninjs 2.0: the export, the import as a draft, the command (#18)."""

import json
from datetime import datetime
from io import StringIO
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from articles.importing import StoryFormatError, import_story, parse_story
from articles.models import Article, Correction, attach_renditions
from articles.ninjs import import_ninjs, parse_ninjs, to_ninjs
from articles.permissions import SYSTEM
from articles.text import html_to_text
from articles.views import ArticleDetailView
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

SITE = "https://news.example.org"


def _text_list(extra=None, required=("value",)):
    """An array of objects holding text, as headlines, descriptions and bodies are."""
    properties = {"role": {"type": "string"}, "contenttype": {"type": "string"}}
    properties.update({"value": {"type": "string"}, **(extra or {})})
    item = {"type": "object", "properties": properties, "additionalProperties": False}
    return {"type": "array", "items": {**item, "required": list(required)}}


def _named_list(extra=None):
    """People, subjects and the like: a name, how the story relates to it, an identifier."""
    properties = {
        "name": {"type": "string"},
        "rel": {"type": "string"},
        "uri": {"type": "string", "format": "uri"},
        "literal": {"type": "string"},
        **(extra or {}),
    }
    item = {"type": "object", "properties": properties, "additionalProperties": False}
    return {"type": "array", "items": item}


STRING, TIME = {"type": "string"}, {"type": "string", "format": "date-time"}
NUMBER = {"type": "number"}
# The facts of ninjs 2.0 this export relies on, written from the IPTC's specification
# (ninjs-schema_2.0.json): the properties allowed at the top level (no others), `uri` the
# one required, each property's type, and the values `type` and `pubstatus` may take. The
# renditions and associations are arrays of objects named by `name`.
NINJS_FACTS = {
    "type": "object",
    "required": ["uri"],
    "additionalProperties": False,
    "properties": {
        "uri": {"type": "string", "format": "uri"},
        "type": {
            "enum": ["text", "audio", "video", "picture", "graphic", "composite", "component"]
        },
        "representationtype": {"enum": ["full", "partial"]},
        "profile": STRING,
        "version": STRING,
        "firstcreated": TIME,
        "versioncreated": TIME,
        "contentcreated": TIME,
        "embargoed": TIME,
        "pubstatus": {"enum": ["usable", "withheld", "canceled"]},
        "urgency": NUMBER,
        "copyrightholder": STRING,
        "copyrightnotice": STRING,
        "usageterms": STRING,
        "ednote": STRING,
        "language": STRING,
        "title": STRING,
        "by": STRING,
        "slugline": STRING,
        "located": STRING,
        "headlines": _text_list(),
        "descriptions": _text_list(),
        "bodies": _text_list({"charcount": NUMBER, "wordcount": NUMBER}),
        "people": _named_list(),
        "organisations": _named_list({"symbols": {"type": "array"}}),
        "places": {"type": "array"},
        "subjects": _named_list(),
        "events": _named_list(),
        "objects": _named_list(),
        "infosources": {"type": "array"},
        "renditions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": STRING,
                    "href": {"type": "string", "format": "uri"},
                    "contenttype": STRING,
                    "title": STRING,
                    "height": NUMBER,
                    "width": NUMBER,
                    "sizeinbytes": NUMBER,
                    "duration": NUMBER,
                    "format": STRING,
                },
            },
        },
        # Each association is a ninjs object of its own, with a name: see assert_valid().
        "associations": {"type": "array"},
        "altids": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "properties": {"role": STRING, "value": STRING},
            },
        },
        "trustindicators": {"type": "array"},
        "standard": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "name": STRING,
                "version": STRING,
                "schema": {"type": "string", "format": "uri"},
            },
        },
        "genres": {"type": "array"},
        "rightsinfo": {"type": "object"},
    },
}


def assert_valid(document):
    """Valid ninjs 2.0 (per the facts above), with well-formed URIs and times checked. An
    association is a ninjs object that also has a `name`, which the top level doesn't allow."""
    association = {
        **NINJS_FACTS,
        "properties": {**NINJS_FACTS["properties"], "name": STRING},
        "required": ["uri", "name"],
    }
    schema = {**NINJS_FACTS}
    schema["properties"] = {
        **NINJS_FACTS["properties"],
        "associations": {"type": "array", "items": association},
    }
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    jsonschema.Draft7Validator(schema, format_checker=checker).validate(document)
    # Times and URIs checked here too: jsonschema checks these formats only with optional
    # packages installed.
    for key in ("firstcreated", "versioncreated", "contentcreated", "embargoed"):
        if key in document:
            assert datetime.fromisoformat(document[key]).tzinfo is not None
    for address in _addresses(document):
        assert urlsplit(address).scheme and address.isascii() and " " not in address
    # What a JSON API would send: plain JSON types only.
    assert json.loads(json.dumps(document)) == document


def _addresses(value):
    """Every `uri` and `href` in a document, at any depth."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("uri", "href"):
                yield item
            else:
                yield from _addresses(item)
    elif isinstance(value, list):
        for item in value:
            yield from _addresses(item)


def loaded(story):
    """The story loaded as its page loads it (ArticleDetailView)."""
    story = Article.objects.select_related("section", "lead_image").get(pk=story.pk)
    ArticleDetailView.with_notes(story)
    attach_renditions(pictures=[story.lead_image])
    return story


def picture():
    return make_image(
        jpeg((1600, 1000)),
        alt_text="Dockers on the quay at dawn",
        caption="The picket line at Quay Street on Monday.",
        credit="Jo Bloggs/Harbourside Press",
    )


class ExportTests:
    @pytest.fixture(autouse=True)
    def site(self, settings):
        settings.SITE_URL, settings.SITE_NAME = SITE, "The Harbourside Times"
        settings.LANGUAGE_CODE = "en-gb"

    def test_a_live_story(self):
        ann, bob = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bob Bell")
        story = PublishedArticleFactory(
            headline="Dockers strike over “unsafe” cranes",
            standfirst="The port’s night shift walked out.",
            authors=[ann, bob],
            section=SectionFactory(name="City"),
        )
        story.tags.add("Port", "Unions")
        document = to_ninjs(loaded(story))
        assert_valid(document)
        assert document["uri"] == f"urn:newsroom:news.example.org:story:{story.pk}"
        assert document["type"] == "text" and document["pubstatus"] == "usable"
        assert document["version"] == str(story.version)
        assert document["language"] == "en-gb"
        assert document["copyrightholder"] == "The Harbourside Times"
        assert document["headlines"] == [
            {"role": "main", "contenttype": "text/plain", "value": story.headline}
        ]
        assert document["descriptions"][0]["value"] == "The port’s night shift walked out."
        (body,) = document["bodies"]
        assert body["contenttype"] == "text/html" and body["value"] == story.body
        assert body["wordcount"] == story.word_count and body["charcount"] > 0
        assert document["by"] == "Ann Ames and Bob Bell"
        assert document["people"] == [
            {"name": "Ann Ames", "rel": "author", "uri": SITE + ann.get_absolute_url()},
            {"name": "Bob Bell", "rel": "author", "uri": SITE + bob.get_absolute_url()},
        ]
        assert [(s["name"], s["rel"]) for s in document["subjects"]] == [
            ("Port", "about"),
            ("Unions", "about"),
            ("City", "section"),
        ]
        assert document["subjects"][0]["uri"] == f"{SITE}/tags/port/"
        assert document["altids"] == [
            {"role": "canonical", "value": SITE + story.get_absolute_url()}
        ]
        assert document["contentcreated"] == story.published_at.isoformat(timespec="seconds")
        assert "embargoed" not in document and "associations" not in document

    def test_three_authors_read_as_readers_see_them(self):
        authors = [AuthorFactory(name=name) for name in ("Ann Ames", "Bob Bell", "Cy Cole")]
        document = to_ninjs(loaded(PublishedArticleFactory(authors=authors)))
        assert document["by"] == "Ann Ames, Bob Bell and Cy Cole"

    def test_states_give_the_publication_status(self):
        draft = loaded(DraftArticleFactory(authors=[]))
        withdrawn = loaded(WithdrawnArticleFactory())
        for story, status in ((draft, "withheld"), (withdrawn, "canceled")):
            document = to_ninjs(story)
            assert_valid(document)
            assert document["pubstatus"] == status
            # No address for a story readers can't see, no byline for a story without one.
            assert "altids" not in document
        assert "by" not in to_ninjs(draft) and "people" not in to_ninjs(draft)

    def test_an_embargoed_story_says_until_when(self):
        story = PublishedArticleFactory()
        Article.objects.filter(pk=story.pk).update(
            embargo_until=story.published_at.replace(year=2099)
        )
        document = to_ninjs(loaded(story))
        assert_valid(document)
        assert document["embargoed"].startswith("2099-") and document["pubstatus"] == "withheld"

    def test_corrections_go_with_the_story(self):
        story = PublishedArticleFactory()
        Correction.objects.create(article=story, text="An earlier version misspelled Quay.")
        Article.objects.filter(pk=story.pk).count_reader_notes()
        document = to_ninjs(loaded(story))
        assert_valid(document)
        assert {
            "role": "correction",
            "contenttype": "text/plain",
            "value": "An earlier version misspelled Quay.",
        } in document["descriptions"]

    @pytest.mark.slow
    def test_the_lead_picture_with_its_renditions_only(self):
        image = picture()
        story = loaded(PublishedArticleFactory(lead_image=image))
        document = to_ninjs(story)
        assert_valid(document)
        (feature,) = document["associations"]
        assert feature["name"] == "featureimage" and feature["type"] == "picture"
        assert feature["uri"] == f"urn:newsroom:news.example.org:picture:{image.pk}"
        assert feature["descriptions"] == [
            {"role": "caption", "value": "The picket line at Quay Street on Monday."},
            {"role": "alt", "value": "Dockers on the quay at dawn"},
        ]
        assert feature["by"] == "Jo Bloggs/Harbourside Press"
        renditions = feature["renditions"]
        assert len(renditions) == len(image.all_renditions()) > 0
        assert len({r["name"] for r in renditions}) == len(renditions)
        for rendition in renditions:
            assert rendition["href"].startswith(SITE + "/")
            assert rendition["contenttype"] in ("image/jpeg", "image/webp")
            assert rendition["width"] > 0 and rendition["height"] > 0
        # Never the original upload.
        assert image.file.url not in json.dumps(document)
        assert "16x9-1200w-jpeg" in {r["name"] for r in renditions}

    def test_a_picture_still_processing_is_left_out(self):
        story = loaded(PublishedArticleFactory())
        assert "associations" not in to_ninjs(story)

    @pytest.mark.slow
    def test_no_query_per_author_or_tag(self, django_assert_num_queries):
        few = PublishedArticleFactory(lead_image=picture())
        many = PublishedArticleFactory(
            lead_image=few.lead_image, authors=AuthorFactory.create_batch(5)
        )
        many.tags.add(*(f"Topic {n}" for n in range(8)))
        Correction.objects.create(article=many, text="A correction.")
        Article.objects.filter(pk=many.pk).count_reader_notes()
        for story in (loaded(few), loaded(many)):
            with django_assert_num_queries(0):
                to_ninjs(story)

    def test_unicode_tags_have_uri_addresses(self):
        story = PublishedArticleFactory()
        story.tags.add("Économie")
        document = to_ninjs(loaded(story))
        assert_valid(document)
        assert document["subjects"][0]["uri"] == f"{SITE}/tags/%C3%A9conomie/"


def ninjs(**fields):
    document = {
        "uri": "urn:example:1",
        "headlines": [{"role": "main", "value": "Ferry fares to rise by a third"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>From May.</p>"}],
    }
    return {**document, **fields}


class ImportTests:
    def test_a_draft_with_everything(self):
        SectionFactory(name="City")
        document = ninjs(
            descriptions=[{"role": "summary", "value": "Commuters’ “anger” grows."}],
            bodies=[
                {
                    "role": "main",
                    "contenttype": "text/html",
                    "value": "<h2>Why</h2><p>Fuel costs.</p><script>alert(1)</script>"
                    '<p><a href="https://example.com/" onclick="x()">Report</a></p>',
                }
            ],
            people=[
                {"name": "Ann Ames", "rel": "author"},
                {"name": "The Mayor", "rel": "about"},
                {"name": "ann  ames", "rel": "author"},
            ],
            subjects=[
                {"name": "Ferries", "rel": "about"},
                {"name": "Transport"},
                {"name": "City", "rel": "section"},
                {"uri": "http://cv.iptc.org/newscodes/mediatopic/20000574"},
            ],
        )
        result = import_ninjs(json.dumps(document).encode(), by=SYSTEM)
        story = result.article
        assert result.created and story.status == Article.Status.DRAFT
        assert story.headline == "Ferry fares to rise by a third"
        assert story.standfirst == "Commuters’ “anger” grows."
        assert "<h2>Why</h2>" in story.body and "script" not in story.body
        assert "onclick" not in story.body and 'href="https://example.com/"' in story.body
        assert [a.name for a in story.byline_authors] == ["Ann Ames"]
        assert sorted(story.tags.names()) == ["Ferries", "Transport"]
        assert story.section.name == "City"

    def test_the_same_document_twice_finds_the_story(self):
        first = import_ninjs(ninjs(by="Ann Ames"), by=SYSTEM)
        again = import_ninjs(json.dumps(ninjs(by="Ann Ames")).encode(), by=SYSTEM)
        assert not again.created and again.article.pk == first.article.pk
        assert Article.objects.count() == 1

    @pytest.mark.parametrize(
        "by",
        [
            "Ann Ames and Ann Ames",
            "By Ann Ames, ANN AMES",
            "By Ann Ames & Bob Bell and ann ames",
        ],
    )
    def test_a_byline_twice_in_by_names_each_once(self, by):
        story = import_ninjs(ninjs(by=by), by=SYSTEM).article
        names = [a.name for a in story.byline_authors]
        assert names[0] == "Ann Ames" and len(names) == len({n.casefold() for n in names})

    def test_existing_authors_are_matched_by_name(self):
        ann = AuthorFactory(name="Ann Ames")
        story = import_ninjs(ninjs(people=[{"name": "ANN AMES", "rel": "author"}]), by=SYSTEM)
        assert story.article.byline_authors == [ann]

    def test_plain_text_body_becomes_paragraphs_and_its_byline_counts_once(self):
        body = "Fares rise “by a third”.\n\nFrom May.\n\nAnn Ames\n"
        document = ninjs(by="Ann Ames", bodies=[{"contenttype": "text/plain", "value": body}])
        story = import_ninjs(document, by=SYSTEM).article
        assert story.body == "<p>Fares rise “by a third”.</p>\n<p>From May.</p>"
        assert [a.name for a in story.byline_authors] == ["Ann Ames"]

    def test_an_editor_imports_as_themselves(self):
        editor = EditorFactory()
        story = import_ninjs(ninjs(), by=editor).article
        assert story.created_by == editor


class RoundTripTests:
    def test_export_then_import_gives_the_same_story(self):
        story = PublishedArticleFactory(
            headline="Harbour’s “new” cranes arrive",
            standfirst="Three cranes, €40m.",
            authors=[AuthorFactory(name="Zoë Ångström"), AuthorFactory(name="Bob Bell")],
        )
        story.tags.add("Port", "Économie")
        document = json.loads(json.dumps(to_ninjs(loaded(story))))
        # Imported somewhere the story isn't: into a fresh draft.
        Article.objects.filter(pk=story.pk).update(headline="Moved aside")
        copy = import_ninjs(document, by=SYSTEM)
        assert copy.created and copy.article.pk != story.pk
        draft = copy.article
        assert draft.status == Article.Status.DRAFT
        assert draft.headline == "Harbour’s “new” cranes arrive"
        assert draft.standfirst == "Three cranes, €40m."
        assert html_to_text(draft.body) == html_to_text(story.body)
        assert [a.name for a in draft.byline_authors] == ["Zoë Ångström", "Bob Bell"]
        assert sorted(draft.tags.names()) == ["Port", "Économie"]

    def test_the_reference_story_keeps_its_quotes_and_byline_once(self, reference_story_file):
        parsed = parse_story(reference_story_file.read_bytes())
        original = import_story(parsed, by=SYSTEM, publish=True).article
        document = to_ninjs(loaded(original))
        assert document["by"] == "Sophia Martinez"
        Article.objects.filter(pk=original.pk).update(headline="Moved aside")
        draft = import_ninjs(json.dumps(document).encode(), by=SYSTEM).article
        assert draft.headline == parsed.headline
        assert "’" in draft.body and draft.body == original.body
        assert [a.name for a in draft.byline_authors] == ["Sophia Martinez"]
        assert html_to_text(draft.body).split("\n\n") == parsed.paragraphs
        # Its `by` repeated with the people: still one author.
        document["by"] = "By Sophia Martinez and Sophia Martinez"
        del document["people"]
        assert parse_ninjs(document).story.byline == ["Sophia Martinez"]


class BadInputTests:
    @pytest.mark.parametrize(
        ("data", "words"),
        [
            (b"", "empty"),
            (b"{not json", "not JSON"),
            (b"\xff\xfe{}", "not UTF-8"),
            (b"[1, 2]", "not a list"),
            (b'"a story"', "not text"),
            (b"{}", "no headline"),
            (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
            (b'{"urgency": ' + b"9" * 5000 + b"}", "can't be read"),
            (json.dumps(ninjs(headlines="Ferries")).encode(), "“headlines” should be a list"),
            (json.dumps(ninjs(headlines=["Ferries"])).encode(), "only objects"),
            (json.dumps(ninjs(headlines=[{"value": 7}])).encode(), "should be text, not a"),
            (json.dumps(ninjs(headlines=[{"role": "main"}])).encode(), "needs a “value”"),
            (json.dumps(ninjs(headlines=[{"value": "x" * 201}])).encode(), "limit is 200"),
            (json.dumps(ninjs(bodies=None)).encode(), "no body"),
            (json.dumps(ninjs(bodies=[{"value": "  "}])).encode(), "no body"),
            (json.dumps(ninjs(bodies=[{"value": "<p><br></p>"}])).encode(), "no body"),
            (
                json.dumps(ninjs(bodies=[{"contenttype": "image/png", "value": "x"}])).encode(),
                "can't be imported",
            ),
            (json.dumps(ninjs(by=["Ann Ames"])).encode(), "“by” should be text"),
            (json.dumps(ninjs(by="A" * 121)).encode(), "too long for an author"),
            (json.dumps(ninjs(people={"name": "Ann"})).encode(), "should be a list"),
            (json.dumps(ninjs(subjects=[{"name": "x" * 101}])).encode(), "too long for a tag"),
            (json.dumps(ninjs(by="Ann\u0000Ames")).encode(), "control character"),
            (b'{"headlines": [{"value": "Ferries \\ud800"}]}', "control character"),
            (
                json.dumps(ninjs(descriptions=[{"role": "summary", "value": "x" * 501}])).encode(),
                "at most 500",
            ),
        ],
    )
    def test_refused_with_a_reason(self, data, words):
        with pytest.raises(StoryFormatError, match=words):
            import_ninjs(data, by=SYSTEM)
        assert not Article.objects.exists()


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_ninjs", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


class CommandTests:
    def test_imports_each_file_once(self, tmp_path):
        one, two = tmp_path / "one.json", tmp_path / "two.json"
        one.write_text(json.dumps(ninjs(by="Ann Ames")), encoding="utf-8")
        two.write_text(
            json.dumps(ninjs(headlines=[{"value": "Bridge “closed”"}]), ensure_ascii=False),
            encoding="utf-8",
        )
        out, _ = run(one, two)
        assert "imported “Ferry fares to rise by a third” by Ann Ames as a draft" in out
        assert "imported “Bridge “closed”” by no one yet as a draft" in out
        out, _ = run(one)
        assert "was imported before" in out
        assert Article.objects.count() == 2

    def test_user_owns_the_drafts(self, tmp_path):
        editor = EditorFactory()
        path = tmp_path / "story.json"
        path.write_text(json.dumps(ninjs()), encoding="utf-8")
        run(path, "--user", editor.username)
        assert Article.objects.get().created_by == editor

    def test_bad_files_fail_with_a_message_and_the_good_ones_import(self, tmp_path):
        good, bad = tmp_path / "good.json", tmp_path / "bad.json"
        good.write_text(json.dumps(ninjs()), encoding="utf-8")
        bad.write_text("{}", encoding="utf-8")
        missing = tmp_path / "missing.json"
        err = StringIO()
        with pytest.raises(CommandError, match="2 of 3 files could not be imported"):
            call_command(
                "import_ninjs", str(bad), str(good), str(missing), stderr=err, stdout=StringIO()
            )
        assert f"{bad}: The document has no headline" in err.getvalue()
        assert f"Can't read {missing}" in err.getvalue()
        assert Article.objects.count() == 1

    def test_unknown_user(self, tmp_path):
        path = tmp_path / "story.json"
        path.write_text(json.dumps(ninjs()), encoding="utf-8")
        with pytest.raises(CommandError, match="no active staff account"):
            run(path, "--user", "nobody")
