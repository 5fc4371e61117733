"""Lists pasted from desktop Word stay lists (#14). Word puts them on the clipboard as
paragraphs starting with a bullet in a span marked "mso-list:Ignore"; before, the story got
paragraphs starting "·"."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.browser.helpers import log_in, pick_author
from tests.browser.test_rich_story import paste_html
from tests.factories import AuthorFactory, ReporterFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def word_item(text, level=1, marker="·", numbered_list=1):
    font = "Symbol" if marker == "·" else "Calibri"
    return (
        f"<p class=MsoListParagraphCxSpMiddle style='text-indent:-.25in;"
        f"mso-list:l{numbered_list} level{level} lfo1'><!--[if !supportLists]-->"
        f"<span style='font-family:{font};mso-fareast-font-family:{font}'>"
        f"<span style='mso-list:Ignore'>{marker}<span style='font:7.0pt \"Times New Roman\"'>"
        f"&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><!--[endif]-->"
        f"<span lang=EN-GB>{text}<o:p></o:p></span></p>"
    )


WORD = (
    "<html xmlns:o='urn:schemas-microsoft-com:office:office'><body lang=EN-GB>"
    "<!--StartFragment--><p class=MsoNormal>What the council decided:<o:p></o:p></p>"
    + word_item("Fares <b>frozen</b> for a year")
    + word_item("Two new routes")
    + word_item("One from the harbour", level=2, marker="o")
    + word_item("Night buses at weekends")
    + "<p class=MsoNormal>The steps:<o:p></o:p></p>"
    + word_item("Consultation", marker="1.", numbered_list=2)
    + word_item("Vote", marker="2.", numbered_list=2)
    + "<!--EndFragment--></body></html>"
)


def test_a_word_list_pastes_as_a_list(live_server, browser):
    reporter = ReporterFactory()
    AuthorFactory(name="Priya Raman")
    context, page = log_in(browser, live_server, reporter)
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.get_by_label("Headline").fill("Bus fares frozen")
    editor = page.locator(".ProseMirror[contenteditable]")
    editor.click()
    paste_html(page, WORD)
    expect(editor.locator(":scope > ul > li")).to_have_count(3)
    expect(editor.locator("ul > li > ul > li")).to_have_text(["One from the harbour"])
    expect(editor.locator("ol > li")).to_have_text(["Consultation", "Vote"])
    expect(editor.locator("ul strong")).to_have_text("frozen")
    assert "·" not in editor.inner_text()
    pick_author(page, "Priya Raman")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    body = Article.objects.get().body
    assert "·" not in body and "mso" not in body.lower()
    assert "<ol><li><p>Consultation</p></li><li><p>Vote</p></li></ol>" in body
    context.close()
