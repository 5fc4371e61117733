"""The Content-Security-Policy in a real browser (#7): readers' pages and the admin run clean
under it, cached pages included, and code slipped into a page is blocked, which the browser
tests notice (tests/browser/conftest.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INJECTED = "document.body.dataset.injected = 'ran'"


def inject_inline_script(page):
    """Adds an inline <script> as an attacker's markup would; returns whether it ran."""
    page.evaluate(
        """(code) => {
            const script = document.createElement("script");
            script.textContent = code;
            document.body.append(script);
        }""",
        INJECTED,
    )
    return page.evaluate("document.body.dataset.injected === 'ran'")


def test_a_cached_story_page_runs_clean_and_blocks_injected_script(
    live_server, browser, browser_errors, settings
):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
    story = PublishedArticleFactory(headline="Harbour tram opens")
    url = live_server.url + story.get_absolute_url()
    first = browser.new_context().new_page()
    assert first.goto(url).headers["x-page-cache"] == "miss"
    page = browser.new_context().new_page()  # another reader, with nothing in their cache
    response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    assert "nonce" not in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour tram opens")
    # Structured data is a data block, not a script: it is there and broke no rule.
    assert page.locator('script[type="application/ld+json"]').count() == 1
    assert browser_errors == []

    assert inject_inline_script(page) is False
    page.wait_for_timeout(100)  # the violation event is dispatched asynchronously
    assert any("CSP violation: script-src-elem blocked inline" in e for e in browser_errors)
    browser_errors.clear()


def test_the_admin_editor_starts_and_injected_script_is_blocked(
    live_server, browser, browser_errors
):
    context, page = log_in(browser, live_server, EditorFactory())
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    expect(page.locator(".ProseMirror[contenteditable]")).to_be_visible()
    assert browser_errors == []

    assert inject_inline_script(page) is False
    page.wait_for_timeout(100)
    assert any("CSP violation: script-src-elem blocked inline" in e for e in browser_errors)
    browser_errors.clear()
    context.close()
