"""Story cards in lists (#17): fetched without what no card shows, and each rendered once per
version of what it shows, then reused. The reused HTML must be the HTML the template renders,
and any change a card shows must give it a new key."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles.models import CARD_PICTURE_SPECS, Article, ArticleAuthor
from articles.templatetags.cards import SNIPPET_SLOT, card_key, cards, render_card
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db

VARIANTS = [
    {},
    {"priority": True},
    {"variant": "lead"},
    {"variant": "top", "level": 3},
    {"variant": "section", "level": 3, "hide_section": True},
    {"variant": "compact", "level": 3},
]


@pytest.fixture(autouse=True)
def empty_cache():
    cards.clear()
    yield
    cards.clear()


@pytest.fixture
def story():
    section = SectionFactory(name="Harbour & Docks", slug="harbour")
    authors = [AuthorFactory(name="Ann <Ames>"), AuthorFactory(name="Bo Berg")]
    picture = make_image(jpeg((800, 600)), alt_text="The quay", credit="Jo Doe")
    return PublishedArticleFactory(
        headline="Ships <b>return</b>",
        standfirst="The port reopens & trade resumes.",
        section=section,
        lead_image=picture,
        authors=authors,
        published_at=timezone.now() - timedelta(hours=2),
    )


def listed(story):
    """The story as a list loads it."""
    return Article.objects.for_cards().get(pk=story.pk)


def rendered_by_template(story, **options):
    """The card as the template alone renders it: the uncached path."""
    context = {"article": story, "level": 2, "snippet": "", **options}
    return get_template("articles/includes/card.html").render(context)


@pytest.mark.parametrize("options", VARIANTS)
def test_cached_card_is_the_template_s_html(story, options):
    expected = rendered_by_template(listed(story), **options)
    first = render_card(listed(story), **options)  # rendered and kept
    again = render_card(listed(story), **options)  # from the cache
    assert first == expected
    assert again == expected
    assert len(cards) == 1


def test_the_include_renders_the_same_card(story):
    """Lists that still include articles/includes/article_card.html get the same HTML."""
    include = Template(
        '{% include "articles/includes/article_card.html" with article=story variant="top" '
        "level=3 %}"
    )
    html = include.render(Context({"story": listed(story)}))
    assert html == rendered_by_template(listed(story), variant="top", level=3)
    assert "Ann &lt;Ames&gt;" in html and "Ships &lt;b&gt;return&lt;/b&gt;" in html


def test_options_are_part_of_the_key(story):
    keys = {card_key(listed(story), **options) for options in VARIANTS}
    assert len(keys) == len(VARIANTS)


def test_a_search_card_is_kept_without_its_snippet(story):
    """Each search gets its own snippet in the kept card (#17), as the template renders it:
    escaped unless marked safe, as snippet_html() marks it."""
    first = render_card(listed(story), priority=True, snippet="the <port> reopens")
    assert first == rendered_by_template(listed(story), priority=True, snippet="the <port> reopens")
    assert "the &lt;port&gt; reopens" in first
    marked = mark_safe("the <mark>quay</mark> &amp; the port")
    second = render_card(listed(story), priority=True, snippet=marked)
    assert second == rendered_by_template(listed(story), priority=True, snippet=marked)
    assert len(cards) == 1
    (kept,) = cards._entries.values()
    assert "port" not in kept.split("card__snippet")[1]
    # The same story in a list without snippets has a card of its own, with no snippet.
    plain = render_card(listed(story), priority=True)
    assert "card__snippet" not in plain
    assert len(cards) == 2


def test_story_text_cannot_fill_the_snippet_slot(story):
    Article.objects.filter(pk=story.pk).update(headline=f"Ships {SNIPPET_SLOT} return")
    html = render_card(listed(story), snippet="zebra crossing")
    assert html.count("zebra") == 1
    assert '<p class="card__snippet">zebra crossing</p>' in html
    assert "Ships &lt;!--snippet--&gt; return" in html


def edit_story(story):
    Article.objects.filter(pk=story.pk).update(headline="Ships return at last")


def rename_author(story):
    story.authors.filter(name="Bo Berg").update(name="Bo Bergström", slug="bo-bergstrom")


def reorder_bylines(story):
    first, second = ArticleAuthor.objects.filter(article=story).order_by("position")
    first.position, second.position = 2, 1
    ArticleAuthor.objects.bulk_update([first, second], ["position"])


def rename_section(story):
    type(story.section).objects.filter(pk=story.section_id).update(name="Docks")


def replace_picture(story):
    picture = make_image(jpeg((640, 480)), alt_text="The quay")
    Article.objects.filter(pk=story.pk).update(lead_image=picture)


def new_renditions(story):
    """The same picture with other renditions (a new focal point makes new crops)."""
    picture = story.lead_image
    picture.renditions.filter(spec="16x9").order_by("-width").first().delete()


def edit_alt_text(story):
    type(story.lead_image).objects.filter(pk=story.lead_image_id).update(alt_text="The pier")


def edit_credit(story):
    type(story.lead_image).objects.filter(pk=story.lead_image_id).update(credit="Al Ray")


def move_in_time(story):
    Article.objects.filter(pk=story.pk).update(published_at=story.published_at - timedelta(days=3))


@pytest.mark.parametrize(
    "change",
    [
        edit_story,
        rename_author,
        reorder_bylines,
        rename_section,
        replace_picture,
        new_renditions,
        edit_alt_text,
        edit_credit,
        move_in_time,
    ],
)
def test_any_change_a_card_shows_gives_a_new_key(story, change):
    options = {"variant": "lead"}
    before = render_card(listed(story), **options)
    key = card_key(listed(story), **options)
    change(story)
    after_key = card_key(listed(story), **options)
    assert after_key != key
    after = render_card(listed(story), **options)
    assert after == rendered_by_template(listed(story), **options)
    assert after != before


def test_the_front_page_shows_a_renamed_author_at_once(client, story):
    assert "Bo Berg<" in client.get("/").content.decode()
    rename_author(story)
    page = client.get("/").content.decode()
    assert "Bo Bergström<" in page and "Bo Berg<" not in page


def test_the_cache_keeps_a_bounded_number_of_cards():
    from articles.templatetags.cards import CardCache

    small = CardCache(size=3)
    for n in range(10):
        small.put(n, f"card {n}")
    assert len(small) == 3
    assert small.get(0) is None and small.get(9) == "card 9"


def test_lists_read_no_story_body(story):
    found = listed(story)
    assert "body" in found.get_deferred_fields()
    assert [author.name for author in found.byline_authors] == ["Ann <Ames>", "Bo Berg"]


def test_prefetched_bylines_keep_the_editors_order(story):
    reorder_bylines(story)
    found = Article.objects.for_listing().get(pk=story.pk)
    expected = [b.author for b in story.bylines.order_by("position", "pk")]
    assert [a.name for a in found.byline_authors] == ["Bo Berg", "Ann <Ames>"]
    assert found.byline_authors == expected
    assert Article.objects.get(pk=story.pk).byline_authors == expected  # not prefetched


def test_prefetched_renditions_are_the_picture_s(story):
    rows = story.lead_image.renditions
    found = Article.objects.for_listing().get(pk=story.pk).lead_image
    assert sorted(r.pk for r in found._rendition_list) == sorted(rows.values_list("pk", flat=True))
    card_rows = rows.filter(spec__in=["16x9", "4x3"]).values_list("pk", flat=True)
    assert card_rows and sorted(r.pk for r in listed(story).lead_image._rendition_list) == sorted(
        card_rows
    )


def test_cards_fetch_the_renditions_of_the_crops_they_show():
    """for_cards() reads only the renditions of CARD_PICTURE_SPECS: the crops card.html asks
    for must all be there."""
    template = Path(settings.BASE_DIR, "templates/articles/includes/card.html").read_text()
    assert set(re.findall(r'crop="([^"]+)"', template)) == set(CARD_PICTURE_SPECS)


@pytest.mark.parametrize("options", VARIANTS)
def test_a_card_from_a_list_is_the_card_of_the_full_story(story, options):
    """A card from for_cards() (no body, fewer renditions) is the card for_listing() gives."""
    full = Article.objects.for_listing().get(pk=story.pk)
    assert rendered_by_template(listed(story), **options) == rendered_by_template(full, **options)
