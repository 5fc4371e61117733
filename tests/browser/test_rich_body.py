"""A story with everything the body holds besides words (#14), written in the editor as a
reporter would (a picture dropped from the desktop, a video's address pasted on its own line, a
table from the toolbar), published, and read: the picture with its renditions, caption and
credit, the table with its header row, and the video a placeholder that fetches nothing from
the provider until the reader asks for it."""

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from images.models import Image
from tests.browser.helpers import (
    SCREENSHOTS,
    drop_file,
    log_in,
    paste_text,
    pick_author,
    requests_elsewhere,
    tool,
    write_body,
)
from tests.embeds import fakes
from tests.factories import AuthorFactory, EditorFactory
from tests.images.samples import jpeg

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_story_with_a_dropped_picture_a_video_and_a_table_is_published_and_read(
    live_server, browser, monkeypatch
):
    fakes.use(
        monkeypatch,
        {"https://www.youtube.com/oembed": {"title": "The first tram", "type": "video"}},
    )
    AuthorFactory(name="Sophia Martinez")
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Trams return to the harbour")
    editor = page.locator(".ProseMirror[contenteditable]")

    # Words, then a video's address pasted on its own line, then more words.
    write_body(page, "The first tram left the depot at 6 a.m.\n\n")
    paste_text(page, VIDEO)
    expect(editor.locator("figure.embed-node .embed-node__provider")).to_have_text("YouTube video")
    page.keyboard.insert_text("Timetables for the new routes:")

    # A table from the toolbar, its header row typed first.
    tool(page, "Insert table").click()
    expect(editor.locator("table tr")).to_have_count(3)
    editor.locator("table th").first.click()
    for number, cell in enumerate(["Route", "First", "Last"]):
        if number:
            page.keyboard.press("Tab")
        page.keyboard.type(cell)
    editor.locator("table td").first.click()
    page.keyboard.type("Harbour loop")

    # A picture dropped from the desktop: its alt text is asked for before it goes in.
    drop_file(page, ".ProseMirror[contenteditable]", jpeg((1200, 800)), name="tram.jpg")
    dialog = page.get_by_role("dialog", name="Upload a picture")
    dialog.get_by_label("Alt text (required)").fill("A green tram on the quay")
    dialog.get_by_label("Caption").fill("The first run, at dawn.")
    dialog.get_by_label("Credit").fill("Ana Díaz/Harbour Post")
    dialog.get_by_role("button", name="Upload and use").click()
    expect(dialog).to_be_hidden()
    picture = Image.objects.get()
    expect(editor.locator(f'figure[data-image="{picture.pk}"] figcaption')).to_have_text(
        "The first run, at dawn."
    )

    pick_author(page, "Sophia Martinez")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "rich-body-editor.png", full_page=True)
    page.get_by_role("button", name="Save and publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("It is live at")

    story = Article.objects.get()
    assert story.is_published()
    assert f'<figure data-image="{picture.pk}">' in story.body
    assert f'<figure data-embed="{VIDEO}"><a href="{VIDEO}"' in story.body
    assert "<thead><tr><th>Route</th><th>First</th><th>Last</th></tr></thead>" in story.body

    # The reader: every request leaving the site is logged and answered by a stub.
    reader_context = browser.new_context()
    elsewhere = requests_elsewhere(reader_context, live_server)
    reader = reader_context.new_page()
    reader.goto(f"{live_server.url}/")
    reader.get_by_role("link", name="Trams return to the harbour").first.click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Trams return to the harbour")
    body = reader.locator("main")

    figure = body.locator("figure", has=reader.get_by_role("img", name="A green tram on the quay"))
    expect(figure.locator("figcaption")).to_contain_text("The first run, at dawn.")
    expect(figure.locator("figcaption")).to_contain_text("Ana Díaz/Harbour Post")
    expect(figure.locator("img")).to_have_js_property("complete", True)
    assert figure.locator("img").evaluate("img => img.naturalWidth") > 0
    assert figure.locator("source, img[srcset]").count() > 0  # renditions, not the original

    table = body.get_by_role("region", name="Table").locator("table")
    expect(table.locator("thead th")).to_have_text(["Route", "First", "Last"])
    expect(table.locator("tbody td").first).to_have_text("Harbour loop")

    embed = body.locator("figure.embed")
    expect(embed.locator(".embed__title")).to_have_text("The first tram")
    expect(embed.get_by_role("link", name="Watch it on YouTube")).to_have_attribute("href", VIDEO)
    load = embed.get_by_role("button", name="Load the video from YouTube")
    reader.wait_for_load_state("networkidle")
    assert elsewhere == []  # Nothing from the provider before the reader asks.
    for width in (1280, 390):
        reader.set_viewport_size({"width": width, "height": 900})
        overflow = reader.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"the story scrolls sideways at {width} px"
        reader.screenshot(path=SCREENSHOTS / f"rich-body-reader-{width}.png", full_page=True)
    results = Axe().run(reader)
    assert not results.violations_count, results.generate_report()
    assert elsewhere == []

    load.click()
    frame = embed.locator("iframe")
    expect(frame).to_have_attribute("src", re.compile("^" + re.escape(PLAYER) + r"\?"))
    reader.frame_locator("figure.embed iframe").locator("title").wait_for(state="attached")
    assert {urlsplit(url).netloc for url in elsewhere} == {"www.youtube-nocookie.com"}
    reader_context.close()
    context.close()
