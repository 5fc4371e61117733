"""Embeds in the story body, in a real browser (#14): a YouTube address pasted on an empty line
becomes an embed naming its provider; the published story loads nothing from the provider
until the reader asks, and then only the privacy-enhanced player, sandboxed."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import (
    SCREENSHOTS,
    log_in,
    paste_text,
    pick_author,
    requests_elsewhere,
    write_body,
)
from tests.embeds import fakes
from tests.factories import AuthorFactory, EditorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def test_a_pasted_youtube_address_is_published_as_a_video_that_loads_on_request(
    live_server, browser, monkeypatch
):
    oembed = fakes.use(
        monkeypatch,
        {"https://www.youtube.com/oembed": {"title": "Tram <test> run", "type": "video"}},
    )
    AuthorFactory(name="Sophia Martinez")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("The tram’s first run, on video")
    write_body(page, "The first tram left the depot at 6 a.m.\n\n")
    paste_text(page, VIDEO)

    box = page.locator(".ProseMirror[contenteditable] figure.embed-node")
    expect(box.locator(".embed-node__provider")).to_have_text("YouTube video")
    expect(box.locator(".embed-node__title")).to_have_text("Tram <test> run")
    expect(box.locator(".embed-node__url")).to_have_text(VIDEO)
    assert oembed.asked == [
        "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3D"
        "dQw4w9WgXcQ&format=json"
    ]
    page.keyboard.insert_text("The driver waved.")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "editor-embed.png", full_page=True)
    pick_author(page, "Sophia Martinez")
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("Published")

    story = Article.objects.get()
    assert f'<figure data-embed="{VIDEO}"><a href="{VIDEO}"' in story.body
    assert story.body.endswith("<p>The driver waved.</p>")

    # The reader: every request leaving the site is logged, and answered by a stub player.
    reader_context = browser.new_context()
    elsewhere = requests_elsewhere(reader_context, live_server)
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}{story.get_absolute_url()}")
    embed = reader.locator("figure.embed")
    expect(embed.locator(".embed__provider")).to_have_text("YouTube")
    expect(embed.locator(".embed__title")).to_have_text("Tram <test> run")
    expect(embed.get_by_role("link", name="Watch it on YouTube")).to_have_attribute("href", VIDEO)
    load = embed.get_by_role("button", name="Load the video from YouTube")
    expect(load).to_be_visible()
    reader.wait_for_load_state("networkidle")
    assert elsewhere == []  # Nothing from YouTube (or Google) before the reader asks.
    reader.screenshot(path=SCREENSHOTS / "reader-embed.png", full_page=True)
    reader.set_viewport_size({"width": 390, "height": 844})
    button = load.bounding_box()
    assert button["x"] >= 0 and button["x"] + button["width"] <= 390  # Fits a phone.
    reader.screenshot(path=SCREENSHOTS / "reader-embed-phone.png", full_page=True)
    assert elsewhere == []
    results = Axe().run(reader)  # The placeholder, for screen readers and keyboards alike.
    assert not results.violations_count, results.generate_report()
    assert elsewhere == []

    load.click()
    frame = embed.locator("iframe")
    expect(frame).to_have_attribute("src", re.compile("^" + re.escape(PLAYER) + r"\?"))
    expect(frame).to_have_attribute("title", "Tram <test> run (video from YouTube)")
    assert "allow-scripts" in frame.get_attribute("sandbox")
    expect(frame).to_be_focused()
    reader.frame_locator("figure.embed iframe").locator("title").wait_for(state="attached")
    assert [urlsplit(url).netloc for url in elsewhere] == ["www.youtube-nocookie.com"]
    reader.screenshot(path=SCREENSHOTS / "reader-embed-loaded-phone.png", full_page=True)
    reader_context.close()
    context.close()


def test_the_toolbar_embeds_an_address_and_refuses_one_no_provider_plays(
    live_server, browser, monkeypatch
):
    fakes.use(monkeypatch)  # No provider answers: the player comes from the address alone.
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Charts")
    write_body(page, "Before.")
    page.get_by_role("button", name="Embed a video, post, chart or document").click()
    dialog = page.get_by_role("dialog", name="Embed")
    address = dialog.get_by_label("Address of the video, post, audio, chart or document")
    address.fill("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ")
    dialog.get_by_role("button", name="Embed").click()
    expect(dialog.get_by_role("alert")).to_contain_text("readers get a plain link")
    page.set_viewport_size({"width": 390, "height": 844})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "editor-embed-dialog-phone.png")

    address.fill("https://datawrapper.dwcdn.net/Ab1Cd/3/")
    dialog.get_by_role("button", name="Embed").click()
    expect(dialog).to_be_hidden()
    box = page.locator(".ProseMirror[contenteditable] figure.embed-node")
    expect(box.locator(".embed-node__provider")).to_have_text("Datawrapper chart")
    box.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "editor-embed-phone.png")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Saved")
    assert 'data-embed="https://datawrapper.dwcdn.net/Ab1Cd/3/"' in Article.objects.get().body
    context.close()
