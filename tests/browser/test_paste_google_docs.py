"""Pasting from Google Docs keeps lists, headings, links, bold and italic, and nothing else
(#14). Docs marks bold and italic only by the style of spans, inside a wrapper `<b>` that is
not bold; its tables stay tables with a header row."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import log_in, pick_author
from tests.browser.test_rich_story import paste_html
from tests.factories import AuthorFactory, ReporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What Docs puts on the clipboard, down to the styles of every span.
TEXT = (
    "font-size:11pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;"
    "font-variant:normal;text-decoration:none;vertical-align:baseline;white-space:pre;"
    "white-space:pre-wrap;"
)
P = 'dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"'


def span(text, weight=400, style="normal", extra=""):
    return f'<span style="{TEXT}font-weight:{weight};font-style:{style};{extra}">{text}</span>'


def item(text, level=1):
    return (
        f'<li dir="ltr" style="list-style-type:disc;font-size:11pt;font-family:Arial,sans-serif;'
        f'color:#000000;" aria-level="{level}"><p {P} role="presentation">{span(text)}</p></li>'
    )


def cell(text):
    return (
        '<td style="border-left:solid #000000 1pt;border-right:solid #000000 1pt;'
        'vertical-align:top;padding:5pt 5pt 5pt 5pt;overflow:hidden;overflow-wrap:break-word;">'
        f'<p dir="ltr" style="line-height:1.2;margin-top:0pt;margin-bottom:0pt;">{span(text)}'
        "</p></td>"
    )


DOCS = (
    '<meta charset="utf-8"><b style="font-weight:normal;" '
    'id="docs-internal-guid-5c8f0e1a-7fff-3b2d-91c4-0a1b2c3d4e5f">'
    '<h1 dir="ltr" style="line-height:1.38;margin-top:20pt;margin-bottom:6pt;">'
    + span("Harbour plan approved", weight=700, extra="font-size:20pt;")
    + "</h1>"
    + f"<p {P}>"
    + span("The council ")
    + span("approved", weight=700)
    + span(" the ")
    + span("harbour plan", style="italic")
    + span(" on Tuesday, ")
    + span("in red", extra="color:#ff0000;")
    + span(" and ")
    + span("underlined", extra="text-decoration:underline;")
    + ".</p><br>"
    + '<h3 dir="ltr" style="line-height:1.38;margin-top:16pt;margin-bottom:4pt;">'
    + span("What changes", extra="font-size:14pt;color:#434343;")
    + "</h3>"
    + '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
    + item("Two new berths")
    + '<ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;">'
    + item("One for ferries", level=2)
    + "</ul>"
    + item("A cycle path")
    + "</ul><br>"
    + f'<p {P}><a href="https://www.google.com/url?q=https://example.org/plan&amp;sa=D&amp;'
    'source=editors&amp;ust=1764720000000000&amp;usg=AOvVaw0" style="text-decoration:none;">'
    + span("Read the plan", extra="color:#1155cc;text-decoration:underline;")
    + "</a>"
    + span(" or ")
    + '<a href="https://example.org/map" style="text-decoration:none;">'
    + span("see the map", extra="color:#1155cc;text-decoration:underline;")
    + "</a>.</p><br>"
    + '<div dir="ltr" style="margin-left:0pt;" align="left">'
    + '<table style="border:none;border-collapse:collapse;"><colgroup><col width="200">'
    + '<col width="200"></colgroup><tbody><tr style="height:0pt">'
    + cell("Berth")
    + cell("Opens")
    + '</tr><tr style="height:0pt">'
    + cell("North")
    + cell("2027")
    + "</tr></tbody></table></div></b>"
    + '<br class="Apple-interchange-newline">'
)


def test_a_google_docs_copy_keeps_its_structure_and_nothing_else(live_server, browser):
    AuthorFactory(name="Priya Raman")
    context, page = log_in(browser, live_server, ReporterFactory())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Harbour plan approved")
    editor = page.locator(".ProseMirror[contenteditable]")
    editor.click()
    paste_html(page, DOCS)
    expect(editor.locator("h2")).to_have_text("Harbour plan approved")
    expect(editor.locator("h2 strong")).to_have_count(0)  # A heading is bold already.
    expect(editor.locator("p strong")).to_have_text(["approved"])
    expect(editor.locator("p em")).to_have_text(["harbour plan"])
    expect(editor.locator(":scope > ul > li")).to_have_count(2)
    expect(editor.locator("ul > li > ul > li")).to_have_text(["One for ferries"])
    expect(editor.locator("table th")).to_have_text(["Berth", "Opens"])
    pick_author(page, "Priya Raman")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()

    body = Article.objects.get().body
    assert body == (
        "<h2>Harbour plan approved</h2>"
        "<p>The council <strong>approved</strong> the <em>harbour plan</em> on Tuesday, in red"
        " and underlined.</p>"
        "<h3>What changes</h3>"
        "<ul><li><p>Two new berths</p><ul><li><p>One for ferries</p></li></ul></li>"
        "<li><p>A cycle path</p></li></ul>"
        '<p><a href="https://example.org/plan" rel="noopener noreferrer">Read the plan</a> or '
        '<a href="https://example.org/map" rel="noopener noreferrer">see the map</a>.</p>'
        "<table><thead><tr><th>Berth</th><th>Opens</th></tr></thead>"
        "<tbody><tr><td>North</td><td>2027</td></tr></tbody></table>"
    )
    context.close()
