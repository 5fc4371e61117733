"""Embeds in published stories (#14): a placeholder that loads nothing until the reader asks,
a plain link in feeds, escaped everywhere, and the same number of queries however many."""

import re
from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import services
from articles.body import render_body
from articles.text import sanitize_html
from embeds.models import OEmbedAnswer
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
# Every host a provider's code or pictures could come from, none of which a page may name
# outside its placeholders' data (the players' addresses, read only on a click).
THIRD_PARTY = re.compile(
    r"""(?<![\w-])(?:src|href|srcset|poster)=["'][^"']*(?:youtube|ytimg|google|vimeo|twitter|twimg"""
    r"""|bsky|tiktok|instagram|soundcloud|sndcdn|dwcdn|documentcloud)""",
    re.IGNORECASE,
)


def embed(url):
    return f'<figure data-embed="{url}"><a href="{url}">{url}</a></figure>'


def answer(url, **fields):
    defaults = {"provider": "youtube", "is_ok": True, "fetched_at": timezone.now()}
    return OEmbedAnswer.objects.create(url=url, **{**defaults, **fields})


def test_the_stored_form_is_kept_for_addresses_a_provider_plays():
    stored = embed(VIDEO)
    kept = sanitize_html(stored)
    assert kept.startswith(f'<figure data-embed="{VIDEO}"><a href="{VIDEO}"')
    assert sanitize_html(kept) == kept


@pytest.mark.parametrize(
    "url",
    [
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://www.yоutube.com/watch?v=dQw4w9WgXcQ",
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&quot; onload=&quot;alert(1)",
    ],
)
def test_a_hostile_address_never_becomes_a_player(url):
    body = sanitize_html(f'<figure data-embed="{url}"><a href="{url}">look</a></figure>')
    # A plain link at most; an attribute's quotes stay inside it, escaped.
    assert "data-embed" not in body and "<iframe" not in body and ' onload="' not in body
    story = PublishedArticleFactory(body=body)
    html = render_body(story)
    assert "embed" not in html and "javascript:" not in html


def test_readers_get_a_placeholder_naming_the_provider_with_a_link_to_the_original(client):
    answer(VIDEO, title="Tram <run> & more")
    story = PublishedArticleFactory(body="<p>Before.</p>" + embed(VIDEO) + "<p>After.</p>")
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert '<figure class="embed embed--wide"' in html
    assert f'data-embed-src="{PLAYER.replace("&", "&amp;")}"' in html
    assert '<p class="embed__provider">YouTube</p>' in html
    assert '<p class="embed__title">Tram &lt;run&gt; &amp; more</p>' in html
    assert "Load the video from YouTube</button>" in html
    assert f'<a href="{VIDEO}" rel="noopener noreferrer">Watch it on YouTube</a>' in html
    assert "<iframe" not in html
    # The share links (#16) are plain links to the networks' pages, loading nothing.
    share = re.search(r'<section class="share".*?</section>', html, re.DOTALL).group()
    assert not THIRD_PARTY.search(html.replace(f'href="{VIDEO}"', "").replace(share, ""))
    assert '<script src="/static/js/embeds.js" defer></script>' in html


def test_a_story_without_embeds_loads_no_embed_script(client):
    story = PublishedArticleFactory(body="<p>Just words.</p>")
    assert "embeds.js" not in client.get(story.get_absolute_url()).content.decode()


def test_readers_pages_may_frame_only_the_players(client):
    story = PublishedArticleFactory(body=embed(VIDEO))
    policy = client.get(story.get_absolute_url())["Content-Security-Policy"]
    frames = re.search(r"frame-src ([^;]+)", policy).group(1).split()
    assert "https://www.youtube-nocookie.com" in frames
    assert all(source.startswith("https://") for source in frames)
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy


def test_feeds_get_a_plain_link(client):
    answer(VIDEO, title="Tram <run>")
    PublishedArticleFactory(body="<p>Before.</p>" + embed(VIDEO))
    parsed = feedparser.parse(client.get("/feed/").content)
    content = parsed.entries[0].content[0].value
    assert (
        f'Video on YouTube: <a href="{VIDEO}" rel="noopener noreferrer">Tram &lt;run&gt;</a>'
        in (content)
    )
    assert "embed__" not in content and "data-embed" not in content and "<iframe" not in content


def test_without_an_answer_the_address_is_the_link_s_words(client):
    PublishedArticleFactory(body=embed(VIDEO))
    content = feedparser.parse(client.get("/feed/").content).entries[0].content[0].value
    assert f">{VIDEO}</a>" in content


def test_a_bluesky_post_plays_once_its_answer_named_the_account():
    post = "https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l"
    story = PublishedArticleFactory(body=embed(post))
    assert render_body(story) == (f'<p><a href="{post}" rel="noopener noreferrer">{post}</a></p>')
    player = "https://embed.bsky.app/embed/did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3l6oveex3ii2l"
    answer(post, provider="bluesky", frame_src=player)
    assert f'data-embed-src="{player}"' in render_body(story)


def test_an_answer_from_another_provider_is_ignored():
    answer(VIDEO, provider="bluesky", title="Not this one")
    html = render_body(PublishedArticleFactory(body=embed(VIDEO)))
    assert "Not this one" not in html and "data-embed-src" in html


def test_an_old_answer_still_serves_readers():
    answer(VIDEO, title="Kept", fetched_at=timezone.now() - timedelta(days=400))
    assert "Kept" in render_body(PublishedArticleFactory(body=embed(VIDEO)))


def test_one_embed_or_twenty_cost_the_same_queries(client):
    """One query for every embed's answer, whatever their number."""

    def page_queries(count):
        urls = [f"https://youtu.be/{count:02d}{i:09d}" for i in range(count)]
        for url in urls:
            answer(url, title="A video")
        story = PublishedArticleFactory(
            body="".join(embed(url) for url in urls), slug=f"embeds-{count}"
        )
        client.get(story.get_absolute_url())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(story.get_absolute_url())
        assert response.content.decode().count('class="embed embed--wide"') == count
        assert sum("embeds_oembedanswer" in query["sql"] for query in queries) == 1
        return len(queries)

    assert page_queries(1) == page_queries(20)


def test_a_save_asks_providers_about_new_embeds_after_the_commit(
    oembed, django_capture_on_commit_callbacks
):
    """An embed that didn't come through the editor (an import, a pasted stored form) is
    asked about once the story is saved, outside its transaction."""
    post = "https://bsky.app/profile/jay.bsky.team/post/3l6oveex3ii2l"
    did = "did:plc:z72i7hdynmk6r22z27h6tvur"
    oembed.answers["https://embed.bsky.app/oembed"] = {
        "html": f'<blockquote data-bluesky-uri="at://{did}/app.bsky.feed.post/3l6oveex3ii2l">'
    }
    story = PublishedArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(
            article=story, by=EditorFactory(), changes={"body": "<p>Hi.</p>" + embed(post)}
        )
    assert len(oembed.asked) == 1
    story.refresh_from_db()
    assert f"embed.bsky.app/embed/{did}/" in render_body(story)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=story, by=EditorFactory(), changes={"headline": "Again"})
    assert len(oembed.asked) == 1  # Known now: not asked again.


def test_an_embed_s_address_is_not_counted_as_words():
    story = PublishedArticleFactory(body="<p>Three short words.</p>" + embed(VIDEO))
    assert story.word_count == 3
