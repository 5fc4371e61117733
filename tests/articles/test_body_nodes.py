"""The body's structured nodes (#14): the one stored form each may take, and what readers get.

Stored forms are described in articles/body.py; the sanitiser (articles/text.py) keeps nothing
else, and the renderers make them whole from the current state of what they name.
"""

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.body import FEED, body_keys, render_bodies, render_body
from articles.text import sanitize_html
from tests.factories import (
    DraftArticleFactory,
    PublishedArticleFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "stored, kept",
    [
        # A library picture keeps its id, its editor preview and a caption of words and links.
        (
            '<figure data-image="42" class="wide"><img src="/media/a.jpg" alt="Dock &amp; crane"'
            ' onerror="x()"><figcaption><h2>Cranes</h2> at <strong>dawn</strong></figcaption>'
            "</figure>",
            '<figure data-image="42"><img src="/media/a.jpg" alt="Dock &amp; crane">'
            "<figcaption>Cranes at <strong>dawn</strong></figcaption></figure>",
        ),
        # No id, no picture: the caption's words stay.
        (
            '<figure data-image="4x2"><img src="/a.jpg" alt="A"><figcaption>Cap</figcaption>'
            "</figure>",
            "<p>Cap</p>",
        ),
        # A picture from anywhere else (pasted from a web page) goes: no hotlinking.
        ('<p>Before <img src="https://elsewhere.example/x.png"> after</p>', "<p>Before  after</p>"),
        (
            '<aside class="pull-quote" style="x"><p>“We stay,” she said.</p></aside>',
            '<aside class="pull-quote"><p>“We stay,” she said.</p></aside>',
        ),
        (
            '<aside data-related="7"><a href="/2026/11/30/x/">Other &amp; more</a><p>junk</p>'
            "</aside>",
            '<aside data-related="7"><a href="/2026/11/30/x/">Other &amp; more</a></aside>',
        ),
        # An aside of another kind gives up its words.
        ('<aside class="advert">Buy now</aside>', "<p>Buy now</p>"),
        (
            '<table><thead><tr><th colspan="2" style="color:red">Port</th></tr></thead><tbody>'
            '<tr><td rowspan="999">1</td><td onclick="x()">2</td></tr></tbody></table>',
            '<table><thead><tr><th colspan="2">Port</th></tr></thead><tbody><tr><td>1</td>'
            "<td>2</td></tr></tbody></table>",
        ),
        (
            '<p><a href="/2026/01/01/x/" data-story="12">ours</a> and '
            '<a data-story="1 OR 1" href="https://a.example/">theirs</a></p>',
            '<p><a href="/2026/01/01/x/" data-story="12">ours</a> and '
            '<a href="https://a.example/" rel="noopener noreferrer">theirs</a></p>',
        ),
        # A figure inside a figure: one picture.
        (
            '<figure data-image="1"><figure data-image="2"><img src="a" alt=""></figure></figure>',
            '<figure data-image="1"><img src="a" alt=""></figure>',
        ),
    ],
)
def test_each_node_has_one_stored_form(stored, kept):
    assert sanitize_html(stored) == kept
    assert sanitize_html(kept) == kept


def test_an_embed_no_provider_plays_becomes_a_plain_link():
    stored = (
        '<figure data-embed="https://evil.example/x"><a href="https://evil.example/x">'
        "https://evil.example/x</a></figure>"
    )
    assert sanitize_html(stored) == (
        '<p><a href="https://evil.example/x" rel="noopener noreferrer">'
        "https://evil.example/x</a></p>"
    )


def _link_to(story):
    return f'<p>See <a href="{story.get_absolute_url()}" data-story="{story.pk}">this</a>.</p>'


def test_a_link_to_our_story_follows_its_new_address():
    target = PublishedArticleFactory(slug="first-slug")
    story = PublishedArticleFactory(body=_link_to(target))
    target.slug = "second-slug"
    target.save()
    html = render_body(story)
    assert f'href="{target.get_absolute_url()}"' in html
    assert "first-slug" not in html
    assert "data-story" not in html


@pytest.mark.parametrize("factory", [DraftArticleFactory, WithdrawnArticleFactory])
def test_a_link_to_a_story_readers_cant_see_keeps_only_its_words(factory):
    hidden = factory(slug="not-for-readers")
    story = PublishedArticleFactory(
        body=f'<p>See <a href="/2026/01/01/not-for-readers/" data-story="{hidden.pk}">this</a>.</p>'
    )
    assert render_body(story) == "<p>See this.</p>"


def test_the_related_box_names_the_story_as_it_is_now():
    target = PublishedArticleFactory(headline="Port reopens")
    story = PublishedArticleFactory(
        body=f'<p>x</p><aside data-related="{target.pk}"><a href="/old/">Old headline</a></aside>'
    )
    target.headline = "Port reopens <after> strike"
    target.save()
    html = render_body(story)
    assert "Read more" in html
    assert "Port reopens &lt;after&gt; strike" in html
    assert f'href="{target.get_absolute_url()}"' in html
    target.status = target.Status.WITHDRAWN
    target.save()
    assert render_body(story) == "<p>x</p>"


@pytest.fixture
def picture(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_image(jpeg((1600, 900)), alt_text="Cranes at dawn", credit="Ana <Díaz>")


def _figure(image, caption=""):
    caption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure data-image="{image.pk}"><img src="/x.jpg" alt="">{caption}</figure>'


def test_readers_get_the_library_picture_with_renditions_caption_and_credit(picture):
    story = PublishedArticleFactory(body=_figure(picture, "The <em>night</em> shift"))
    html = render_body(story)
    assert 'class="story-figure"' in html
    assert "srcset=" in html and 'alt="Cranes at dawn"' in html
    assert "The <em>night</em> shift" in html
    assert "Ana &lt;Díaz&gt;" in html
    assert "/x.jpg" not in html  # The editor's preview is not what readers get.


def test_without_a_caption_of_its_own_the_library_caption_shows(picture):
    picture.caption = "Library caption & more"
    picture.save()
    html = render_body(PublishedArticleFactory(body=_figure(picture)))
    assert "Library caption &amp; more" in html


def test_a_picture_deleted_from_the_library_leaves_the_page(picture):
    story = PublishedArticleFactory(body="<p>a</p>" + _figure(picture))
    picture.delete()
    assert render_body(story) == "<p>a</p>"


def test_feeds_get_absolute_addresses(picture, settings):
    target = PublishedArticleFactory()
    story = PublishedArticleFactory(body=_figure(picture) + _link_to(target))
    html = render_bodies([story], FEED)[story.pk]
    assert f'src="{settings.SITE_URL}/' in html
    assert f'href="{settings.SITE_URL}{target.get_absolute_url()}"' in html


def test_one_query_per_kind_of_node_whatever_the_number_of_stories(picture):
    def stories(count):
        return [
            PublishedArticleFactory(
                body=_figure(picture) + _link_to(PublishedArticleFactory()), slug=f"s-{count}-{i}"
            )
            for i in range(count)
        ]

    few, many = stories(1), stories(6)
    with CaptureQueriesContext(connection) as one:
        render_bodies(few)
    with CaptureQueriesContext(connection) as six:
        render_bodies(many)
    assert len(one) == len(six) == 3  # stories; pictures and their renditions


def test_a_body_without_nodes_costs_no_query():
    story = PublishedArticleFactory()
    with CaptureQueriesContext(connection) as queries:
        assert render_body(story) == story.body
    assert len(queries) == 0


def test_the_story_page_shows_the_rendered_body_and_carries_its_keys(client, picture):
    target = PublishedArticleFactory()
    story = PublishedArticleFactory(body=_figure(picture, "Caption") + _link_to(target))
    assert body_keys(story) == sorted([f"image-{picture.pk}", f"story-{target.pk}"])
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert 'class="story-figure"' in html and "data-story" not in html
    assert f"image-{picture.pk}" in response["Surrogate-Key"].split()
    assert f"story-{target.pk}" in response["Surrogate-Key"].split()


def test_the_feed_shows_rendered_bodies(client, picture, settings):
    settings.NEWSROOM_FEED_FULL_CONTENT = True
    hidden = DraftArticleFactory()
    PublishedArticleFactory(
        body=_figure(picture, "Caption")
        + f'<p><a href="/2026/01/01/draft/" data-story="{hidden.pk}">draft</a></p>'
    )
    feed = feedparser.parse(client.get("/feed/").content)
    content = feed.entries[0].content[0].value
    assert "story-figure" in content and "/2026/01/01/draft/" not in content


def test_readers_get_tables_in_a_scrolling_region_and_feeds_get_them_plain():
    table = (
        "<table><thead><tr><th>Port</th></tr></thead><tbody><tr><td>Oslo</td></tr></tbody></table>"
    )
    story = PublishedArticleFactory(body="<p>x</p>" + table)
    assert render_body(story) == (
        '<p>x</p><div class="table-scroll" role="region" aria-label="Table" tabindex="0">'
        f"{table}</div>"
    )
    assert render_bodies([story], FEED)[story.pk] == "<p>x</p>" + table


# What the editor's tools put in the form (static/js/editor/stories.js) is stored in the one
# form above, and stays so when the editor sends it back unchanged.
@pytest.mark.parametrize(
    "sent, stored",
    [
        # The table tool: every row in <tbody>, words in paragraphs, spans of 1 written out.
        (
            '<table style="min-width: 50px"><colgroup><col><col></colgroup><tbody>'
            '<tr><th colspan="1" rowspan="1" colwidth="120"><p>Port</p></th>'
            '<th colspan="1" rowspan="1"><p>Ships</p></th></tr>'
            '<tr><td colspan="1" rowspan="1"><p>Oslo</p></td>'
            '<td colspan="2" rowspan="1"><p>3</p><p>or <strong>4</strong></p></td></tr>'
            "</tbody></table>",
            "<table><thead><tr><th>Port</th><th>Ships</th></tr></thead><tbody><tr><td>Oslo</td>"
            '<td colspan="2"><p>3</p><p>or <strong>4</strong></p></td></tr></tbody></table>',
        ),
        # A table with no header cells (pasted): its first row is the header.
        (
            "<table><tr><td>Port</td><td>Ships</td></tr><tr><td>Oslo</td><td>3</td></tr></table>",
            "<table><thead><tr><th>Port</th><th>Ships</th></tr></thead><tbody><tr><td>Oslo</td>"
            "<td>3</td></tr></tbody></table>",
        ),
        # The rows the editor's new table came with and the writer left empty, at its end, are
        # dropped; an empty cell in a row with words stays, as does an empty row a cell above
        # reaches into.
        (
            "<table><tr><th>Route</th><th>First</th></tr><tr><td><p>Loop</p></td><td><p></p>"
            "</td></tr><tr><td><p></p></td><td><br></td></tr><tr><td> </td><td></td></tr></table>",
            "<table><thead><tr><th>Route</th><th>First</th></tr></thead><tbody><tr><td>Loop</td>"
            "<td></td></tr></tbody></table>",
        ),
        (
            '<table><tr><th>Route</th></tr><tr><td rowspan="2">Loop</td></tr><tr><td></td></tr>'
            "</table>",
            '<table><thead><tr><th>Route</th></tr></thead><tbody><tr><td rowspan="2">Loop</td>'
            "</tr><tr><td></td></tr></tbody></table>",
        ),
        # A table without rows is no table.
        ("<p>a</p><table><tbody></tbody></table><p>b</p>", "<p>a</p><p>b</p>"),
        # The link dialog, with one of our stories picked.
        (
            '<p>Read <a href="/2026/11/30/port/" data-story="7" target="_blank">our report'
            "</a>.</p>",
            '<p>Read <a href="/2026/11/30/port/" data-story="7">our report</a>.</p>',
        ),
        # The pull quote tool: one paragraph of plain words.
        (
            '<aside class="pull-quote"><p>“We <strong>stay</strong>,” she said.</p></aside>',
            '<aside class="pull-quote"><p>“We stay,” she said.</p></aside>',
        ),
        # The related box: the id decides, the link is the editor's preview.
        (
            '<aside data-related="7" class="related"><a href="/2026/11/30/port/">Port reopens'
            "</a></aside>",
            '<aside data-related="7"><a href="/2026/11/30/port/">Port reopens</a></aside>',
        ),
    ],
)
def test_what_the_editor_sends_is_stored_in_the_one_form(sent, stored):
    assert sanitize_html(sent) == stored
    assert sanitize_html(stored) == stored


def test_readers_get_the_related_box_and_story_link_with_one_query():
    targets = PublishedArticleFactory.create_batch(3)
    body = "".join(
        _link_to(target) + f'<aside data-related="{target.pk}"><a href="/x/">x</a></aside>'
        for target in targets
    )
    story = PublishedArticleFactory(body=body)
    with CaptureQueriesContext(connection) as queries:
        html = render_body(story)
    assert len(queries) == 1
    for target in targets:
        assert html.count(f'href="{target.get_absolute_url()}"') == 2
