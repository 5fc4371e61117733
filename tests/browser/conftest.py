"""Real-browser tests: Playwright for Python driving Debian's Chromium.

`playwright install` can't download browsers here, so the tests launch the system Chromium
through `executable_path`. Without one they skip, except in CI (CI=true), where a missing
browser is a failure.
"""

import os
import shutil
import threading
import time

import pytest
from django.core.signals import request_finished, request_started
from playwright.sync_api import expect

from tests.browser.helpers import watch_for_errors

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# Playwright's assertions wait 5 s by default; in CI the two cores also run the app server
# and the database, and a page can take longer to load its scripts. A passing test doesn't
# wait longer for it.
expect.set_options(timeout=10_000)

# Playwright's sync API keeps an event loop running in the test thread; Django's ORM calls
# made beside it from the same thread are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM or os.environ.get("CI") == "true":
        return  # In CI, a missing browser fails in browser_type_launch_args below.
    skip = pytest.mark.skip(reason="No Chromium installed here (apt-get install chromium).")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


class _Requests:
    """The live server's requests in flight. A page closing sends beacons (the story form's
    autosave and presence, static/js/story-form.js); the test database is flushed only once
    they are answered, or the flush and their transactions may lock each other."""

    def __init__(self):
        self.lock = threading.Lock()
        self.open = 0
        self.last = time.monotonic()

    def started(self, **kwargs):
        with self.lock:
            self.open += 1
            self.last = time.monotonic()

    def finished(self, **kwargs):
        with self.lock:
            self.open -= 1
            self.last = time.monotonic()

    def settle(self, quiet=0.15, limit=10.0):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                if self.open <= 0 and time.monotonic() - self.last >= quiet:
                    return
            time.sleep(0.02)


_requests = _Requests()
request_started.connect(_requests.started, weak=False)
request_finished.connect(_requests.finished, weak=False)


@pytest.fixture
def browser_errors():
    """What the browser reported (see _no_console_errors); a test that provokes an error on
    purpose checks and clears it."""
    return []


@pytest.fixture(autouse=True)
def _no_console_errors(request):
    """Every browser test fails on a console error, an uncaught exception or a Content-
    Security-Policy violation, in the admin and on readers' pages alike (#7): each context the
    test opens is watched."""
    if "browser" not in request.fixturenames:
        yield
        return
    browser = request.getfixturevalue("browser")
    errors = request.getfixturevalue("browser_errors")
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        watch_for_errors(context, errors)
        return context

    browser.new_context = watched_context
    try:
        yield
    finally:
        del browser.new_context
        _requests.settle()
    assert not errors, "The browser reported errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.fail("CI=true but no Chromium is installed: the browser tests must run in CI.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
