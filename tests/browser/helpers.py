"""Shared steps of the browser tests."""

from pathlib import Path

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
