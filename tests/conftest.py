import os
from pathlib import Path

import factory.random
import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings

from articles import caching, scheduling, search
from newsroom import pagecache
from tests import properties
from tests.embeds import fakes
from tests.queue import database_queue  # noqa: F401 (a fixture: jobs kept in the database, #15)

# Property tests: every example in CI, a tenth locally (tests/properties.py, #13). Both
# profiles drop Hypothesis's deadline: on a busy machine a slow example is not a failure.
hypothesis_settings.register_profile("ci", deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=10)
hypothesis_settings.load_profile(properties.PROFILE)


def pytest_configure(config):
    # The same fake names and sentences on every run, so a failure can be reproduced.
    factory.random.reseed_random("newsroom")


@pytest.fixture(autouse=True)
def oembed(monkeypatch):
    """No test reaches an embed's provider (#14): its oEmbed requests go to a fake opener,
    which answers what a test gives it and refuses the rest."""
    return fakes.use(monkeypatch)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    """Fast password hashing and uploads in a temporary folder, for every test. The page
    cache starts empty and off: most tests write inside a transaction that never commits, so
    no purge would run; tests/test_page_cache.py turns it on and commits."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 0, "PURGE_URLS": []}
    # The Content API's limit for anonymous clients (#18) would stop the sweeps that ask it
    # hundreds of times: tests/api/test_api.py sets a low one where it checks the limit.
    settings.NEWSROOM_API_ANON_RATE = "1000000/min"
    cache.clear()
    pagecache.forget_pages()
    # No changes to live stories are scheduled, and this process knows it: a test that
    # schedules some tells the scheduler, as the commit would (articles/scheduling.py).
    scheduling.assume_nothing_due()


@pytest.fixture(autouse=True)
def search_index_at_once(monkeypatch):
    """Most tests write inside a transaction that never commits, so the search index's
    after-commit hook would never run: here it runs at once, at the write, as the commit
    would. tests/articles/test_search.py (SearchHookTests) checks the real hook."""
    monkeypatch.setattr(search, "_after_commit", lambda func, using: func())


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, keeping pages five minutes (_test_settings turns it off). Tests that
    check purges write inside `with committed():`."""
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Writes inside `with committed():` run their after-commit purges, as a real commit
    would."""

    def commit():
        caching.discard_pending()  # What the setup queued never committed.
        return django_capture_on_commit_callbacks(execute=True)

    return commit


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: their live server (a session fixture) then starts after every other
    test, and the database tests keep pytest-django's order."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


REFERENCE_STORY = (
    Path(__file__).resolve().parents[2] / "shared" / "stories" / "sanctions-article.txt"
)


@pytest.fixture
def reference_story_file():
    """The reference story's file, kept beside the checkout (shared/stories). Contributors
    without it skip these tests; in CI a missing file is a failure."""
    if not REFERENCE_STORY.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"The reference story is missing at {REFERENCE_STORY}.")
        pytest.skip("The reference story (shared/stories beside the checkout) is not here.")
    return REFERENCE_STORY
