"""Shared steps of the browser tests."""

from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# The password every user factory sets (tests/factories.py).
PASSWORD = "correct horse battery staple"


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
