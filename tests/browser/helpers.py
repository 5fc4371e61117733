"""Shared steps of the browser tests."""

import base64
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# The password every user factory sets (tests/factories.py).
PASSWORD = "correct horse battery staple"


# Turns each Content-Security-Policy violation into a console error, with what was blocked.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
      ` at ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


def watch_for_errors(context, errors):
    """Collects into `errors` every console error, uncaught exception and Content-Security-
    Policy violation of the context's pages (#7)."""
    context.add_init_script(REPORT_CSP_VIOLATIONS)

    def on_console(message):
        if message.type != "error":
            return
        page = message.page.url if message.page else "?"
        if message.text.startswith("Failed to load resource") and message.location["url"] == page:
            return  # The page itself is an error page (404, 410...): its test checks that.
        errors.append(f"{page}: {message.text} ({message.location['url']})")

    context.on("console", on_console)
    context.on("weberror", lambda error: errors.append(f"uncaught: {error.error}"))


def log_in(browser, live_server, user):
    """A new browser context with `user` logged in through the admin's login form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="The newsroom")).to_be_visible()
    return context, page


def pick_author(page, name):
    """Adds an author at the end of the byline (select2, backed by the author search)."""
    page.locator("#id_byline + .select2").click()
    page.locator("#id_byline + .select2 .select2-search__field").fill(name.split()[0])
    page.locator(".select2-results__option", has_text=name).click()


def _editor(page):
    # The rich editor's editable area (a hidden menu element shares the ProseMirror class).
    return page.locator(".ProseMirror[contenteditable]")


def tool(page, name):
    """A button of the body editor's toolbar, by its accessible name."""
    return page.locator(".prose-menubar").get_by_role("button", name=name, exact=True)


def write_body(page, text):
    """Replaces the story body in the rich editor; blank lines separate paragraphs."""
    editor = _editor(page)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    for number, paragraph in enumerate(text.split("\n\n")):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.insert_text(paragraph)


def expect_body(page, text):
    """The rich editor shows exactly these paragraphs."""
    expect(_editor(page).locator("p")).to_have_text(text.split("\n\n"))


def add_tags(page, *names):
    """Types tags into the tag autocomplete; each one is added with Enter (new or existing)."""
    page.locator("#id_tags + .select2").click()
    field = page.locator("#id_tags + .select2 .select2-search__field")
    for name in names:
        field.fill(name)
        page.locator(".select2-results__option", has_text=name).first.click()


def paste_text(page, text):
    """Pastes plain text into the rich editor the way a browser does from the clipboard."""
    _editor(page).evaluate(
        """(editor, text) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            editor.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
        }""",
        text,
    )


def drop_file(page, selector, content: bytes, name="photo.jpg", mime="image/jpeg"):
    """Drops a file on an element the way a browser does when one is dragged from the desktop."""
    page.locator(selector).evaluate(
        """(target, [data, name, mime]) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: mime}));
            const box = target.getBoundingClientRect();  // dropped inside it, near the top
            const at = {clientX: box.left + box.width / 2, clientY: box.top + 5};
            for (const type of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(type, {
                    dataTransfer: transfer, bubbles: true, cancelable: true, ...at,
                }));
            }
        }""",
        [base64.b64encode(content).decode(), name, mime],
    )


def requests_elsewhere(context, live_server):
    """Logs every request `context` makes to another host, answering each with a stub page
    (no real network): the list of their addresses, in order."""
    site = urlsplit(live_server.url).netloc
    elsewhere = []

    def stub(route):
        if urlsplit(route.request.url).netloc == site:
            route.continue_()
            return
        elsewhere.append(route.request.url)
        route.fulfill(content_type="text/html", body="<!doctype html><title>Player</title>")

    context.route("**/*", stub)
    return elsewhere


def axe_problems(page, pages, width=None):
    """axe's report for each admin page named ({name: url}), at `width` px when given:
    {name: report} of those with violations. A page named "…form…" waits for the editor."""
    axe = Axe()
    if width:
        page.set_viewport_size({"width": width, "height": 800})
    problems = {}
    for name, url in pages.items():
        page.goto(url)
        if "form" in name:
            expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)  # The names are given at the next frame.
        results = axe.run(page)
        if results.violations_count:
            problems[name] = results.generate_report()
    return problems


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (0 or less: it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def axe_report(problems) -> str:
    return "\n\n".join(f"{name}:\n{report}" for name, report in problems.items())
