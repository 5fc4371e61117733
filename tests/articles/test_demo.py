"""The demo paper `make run` loads (#16): its story files, its drawn pictures and the loader."""

import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from articles.demo import pictures
from articles.importing import parse_story
from articles.management.commands.load_demo import CREDIT, DEMO_DIR
from articles.models import Article, Correction, LiveUpdate, Section
from authors.models import Author
from images.models import Image, Rendition

STORY_FILES = sorted((DEMO_DIR / "stories").glob("*.txt"))
EXTRAS = json.loads((DEMO_DIR / "stories.json").read_text("utf-8"))
AUTHORS = {a["name"]: a for a in json.loads((DEMO_DIR / "authors.json").read_text("utf-8"))}
SECTIONS = {s["name"] for s in json.loads((DEMO_DIR / "sections.json").read_text("utf-8"))}


def run():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


class DemoStoryFilesTests:
    """Each file reads as a reporter's story would: the importer finds the byline, and the
    text keeps its typographic quotes."""

    @pytest.mark.parametrize("path", STORY_FILES, ids=lambda path: path.stem)
    def test_imports_cleanly(self, path):
        story = parse_story(path.read_bytes())
        assert story.byline and set(story.byline) <= set(AUTHORS)
        assert len(story.paragraphs) >= 3
        last = story.paragraphs[-1]
        assert not any(name in last for name in story.byline)  # no byline left in the body
        assert all(paragraph.endswith((".", "”", "?")) for paragraph in story.paragraphs)
        text = path.read_text("utf-8")
        assert '"' not in text and "'" not in text  # curly quotes and apostrophes only

    def test_the_demo_has_enough_for_a_front_page(self):
        assert 24 <= len(STORY_FILES) <= 40 and set(EXTRAS) == {p.name for p in STORY_FILES}
        headlines = [parse_story(p.read_bytes()).headline for p in STORY_FILES]
        assert len(set(headlines)) == len(headlines)
        assert {extra["section"] for extra in EXTRAS.values()} == SECTIONS
        assert sum("“" in p.read_text("utf-8") for p in STORY_FILES) >= 10
        with_picture = sum("picture" in extra for extra in EXTRAS.values())
        assert len(STORY_FILES) * 0.6 <= with_picture < len(STORY_FILES)  # not all: both layouts
        assert sum(len(parse_story(p.read_bytes()).byline) == 2 for p in STORY_FILES) >= 2
        days = {extra["hours_ago"] // 24 for extra in EXTRAS.values()}
        assert len(days) >= 15 and max(days) >= 31  # archives with several days and months

    def test_every_picture_is_described(self):
        specs = [e[kind] for e in EXTRAS.values() for kind in ("picture", "figure") if kind in e]
        for spec in specs:
            assert spec["scene"] in pictures.SCENES
            assert spec["alt"].strip() and spec["caption"].strip()
            assert not spec["alt"].lower().startswith(("image of", "picture of"))


class DemoPicturesTests:
    def test_a_scene_is_the_same_for_the_same_seed(self):
        first = pictures.scene("harbour", 7)
        assert first.size == pictures.SIZE and first.mode == "RGB"
        assert first.tobytes() == pictures.scene("harbour", 7).tobytes()
        assert first.tobytes() != pictures.scene("harbour", 8).tobytes()

    @pytest.mark.parametrize("kind", sorted(pictures.SCENES))
    def test_every_scene_is_a_picture_not_a_flat_card(self, kind):
        image = pictures.scene(kind, 1)
        colours = image.resize((160, 107)).getcolors(maxcolors=160 * 107)
        assert len(colours) > 800  # gradients, shapes and grain: a flat card has a few dozen

    def test_portraits_are_square_and_differ(self):
        first = pictures.portrait(1)
        assert first.size == (pictures.PORTRAIT_SIZE, pictures.PORTRAIT_SIZE)
        assert first.tobytes() == pictures.portrait(1).tobytes()
        assert first.tobytes() != pictures.portrait(2).tobytes()

    def test_unknown_scene(self):
        with pytest.raises(ValueError, match="harbour"):
            pictures.scene("volcano", 1)


@pytest.mark.slow
@pytest.mark.django_db
class LoadDemoTests:
    @pytest.fixture(autouse=True)
    def small_pictures(self, monkeypatch):
        # The same drawings saved smaller: fewer renditions to make, the same code path.
        monkeypatch.setattr(pictures, "SIZE", (600, 400))

    def test_loads_the_paper_once_with_described_pictures(self, client):
        assert "31 new stories, 6 new authors and 29 new pictures (loaded)" in run()
        counts = [m.objects.count() for m in (Article, Author, Image, Rendition, Correction)]
        assert counts[:3] == [len(STORY_FILES), len(AUTHORS), 29]

        assert "0 new stories, 0 new authors and 0 new pictures (nothing to add)" in run()
        assert [m.objects.count() for m in (Article, Author, Image, Rendition, Correction)] == (
            counts
        )

        # A live blog (#18): taking updates, some of them key events, bylined, on its page.
        (blog,) = Article.objects.published().filter(live=Article.Live.LIVE)
        updates = list(blog.live_updates.all())
        assert len(updates) >= 5 and any(update.key_event for update in updates)
        assert all(update.authors.exists() for update in updates)
        assert LiveUpdate.objects.count() == len(updates)  # Not added again by the second run.
        page = client.get(blog.get_absolute_url()).content.decode()
        assert page.count('class="live-update ') + page.count('class="live-update"') == len(updates)
        assert "Key events" in page

        for image in Image.objects.with_renditions():
            assert image.alt_text and image.caption and image.credit == CREDIT, image
            assert image.is_ready and image.crop("4:3") and image.version("full")
        assert Image.objects.not_ready().count() == 0

        stories = Article.objects.published().with_bylines().select_related("lead_image")
        assert stories.count() == len(STORY_FILES)
        by_headline = {story.headline: story for story in stories}
        for path in STORY_FILES:
            parsed = parse_story(path.read_bytes())
            story = by_headline[parsed.headline]
            assert [a.name for a in story.byline_authors] == parsed.byline
            assert not re.search(r"<p>(By )?" + re.escape(parsed.byline[0]), story.body)
            extra = EXTRAS[path.name]
            assert story.section.name == extra["section"]
            assert (story.lead_image is not None) == ("picture" in extra)
            assert sorted(story.tags.names()) == sorted(extra["tags"])
        assert Counter(len(s.byline_authors) for s in stories)[2] >= 2
        assert any("“" in story.body for story in stories)  # typographic quotes kept
        assert Correction.objects.filter(kind="correction").count() >= 1
        months = {story.published_at.strftime("%Y-%m") for story in stories}
        assert len(months) >= 2
        assert all(a.photo for a in Author.objects.exclude(name="Grace Mwangi"))
        on_front = Section.objects.exclude(front_page_position=None).order_by("front_page_position")
        assert [s.name for s in on_front] == ["City", "Business", "Sport", "Culture"]

    def test_pages_show_the_pictures(self, client):
        run()
        front = client.get("/").content.decode()
        lead = Article.objects.published().select_related("lead_image").first()
        assert lead.lead_image is not None
        assert f'alt="{lead.lead_image.alt_text}"' in front
        assert len(re.findall(r'<img [^>]*alt="Illustration[^"]+"', front)) >= 5
        assert front.count('class="front-section"') == 4  # the demo's section blocks

        figure_story = Article.objects.filter(body__contains="data-image=").first()
        page = client.get(figure_story.get_absolute_url()).content.decode()
        figure = page.split('<figure class="story-figure">')[1].split("</figure>")[0]
        assert "<img " in figure and 'alt="Bar chart' in figure
        assert CREDIT in figure

        noted = Correction.objects.select_related("article").first().article
        assert noted.reader_notes[0].text in client.get(noted.get_absolute_url()).content.decode()

        author = Author.objects.get(name="Amara Okafor")
        html = client.get(author.get_absolute_url()).content.decode()
        assert 'class="profile__photo"' in html and "Illustrated portrait of Amara" in html
