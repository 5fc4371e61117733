"""The Content API fuzzed from its own OpenAPI document by schemathesis (#18): a client nobody
here wrote sends every operation values made from the schema, valid and not, and checks each
answer: never a server error, every answer the status codes, content type and body the
document promises, and bad input refused.

It runs in-process against the WSGI application, on the test database of the run (SQLite or
PostgreSQL, as `make test` is called), over a small newsroom: live stories with sections,
tags, authors and a correction, a live blog with updates, and a draft, a scheduled and a
withdrawn story (and a draft live blog's update) that must stay out of every answer.
"""

import json
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.api import api
from articles import services
from articles.models import Article, LiveUpdate
from tests import properties
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "unpublishedword"


@pytest.fixture(autouse=True)
def one_connection():
    """Requests through the WSGI handler keep the test's database connection open, as
    Django's test client does: at the end of a request the handler would close it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def newsroom(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]  # schemathesis's WSGI client's host
    editor, section, author = EditorFactory(), SectionFactory(name="City"), AuthorFactory()
    now = timezone.now()
    for hours in range(1, 6):
        story = PublishedArticleFactory(
            headline=f"Harbour ferry news {hours}",
            section=section,
            authors=[author],
            published_at=now - timedelta(hours=hours),
        )
        story.tags.add("port", "ferries")
    services.article_correct(article=story, by=editor, kind="correction", text="Blue, not red.")
    # A live blog with updates, one by an author, one a key event (#18), and a draft blog
    # whose update must stay out of every answer.
    blog = PublishedArticleFactory(
        headline="Harbour storm live", live=Article.Live.LIVE, section=section, authors=[author]
    )
    for minutes in range(1, 4):
        update = LiveUpdate.objects.create(
            article=blog,
            title=f"Gusts at {minutes}" if minutes == 1 else "",
            key_event=minutes == 1,
            body=f"<p>Winds rising, {minutes}.</p>",
            posted_at=now - timedelta(minutes=minutes),
        )
        update.authors.add(author)
    draft_blog = DraftArticleFactory(headline="Harbour draft live", live=Article.Live.LIVE)
    LiveUpdate.objects.create(article=draft_blog, body=f"<p>{SECRET} update.</p>")
    hidden = [
        DraftArticleFactory(headline=f"Harbour {SECRET} draft"),
        ScheduledArticleFactory(headline=f"Harbour {SECRET} scheduled"),
        PublishedArticleFactory(headline=f"Harbour {SECRET} withdrawn"),
    ]
    services.article_withdraw(article=hidden[-1], by=editor, reason="Legal advice.")
    for story in hidden:
        story.tags.add(f"{SECRET}tag")
    return blog


# The document as the API makes it (reading it over HTTP would need the database before the
# tests have one); the first test checks that it is the one /api/v1/openapi.json serves. The
# requests go to the WSGI application.
DOCUMENT = api.get_openapi_schema()
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(DOCUMENT, default=str)))
schema.app = get_wsgi_application()


def test_the_document_fuzzed_is_the_one_served(client):
    def no_key_twice(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys  # Swagger UI refuses such a document.
        return dict(pairs)

    served = json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_key_twice)
    assert served == json.loads(json.dumps(DOCUMENT, default=str))


def never_unpublished(ctx, response, case):
    """A check of our own beside schemathesis's: no answer names a story readers can't see."""
    if SECRET in response.text:
        raise AssertionError(f"{case.path} answered with an unpublished story's words")


@schema.parametrize()
@settings(
    max_examples=properties.examples(60),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_holds_to_its_schema(case):
    # Uncompressed answers: the WSGI client doesn't undo Brotli (the site compresses JSON too).
    # Every check but one: a value the schema allows may still be refused with a 400 that says
    # why, where only the API can tell (a cursor it never gave, a time out of range).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        additional_checks=[never_unpublished],
        excluded_checks=[positive_data_acceptance],
    )


@pytest.mark.parametrize("params", [{}, {"limit": 1}, {"since": "2000-01-01T00:00:00Z"}])
def test_a_live_blogs_updates_hold_to_their_schema(newsroom, params):
    """Random ids seldom name the live blog: its updates are asked for by its id too (#18)."""
    operation = schema["/api/v1/stories/{story_id}/updates"]["GET"]
    case = operation.Case(path_parameters={"story_id": newsroom.pk}, query=params)
    response = case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, additional_checks=[never_unpublished]
    )
    assert response.status_code == 200
    assert len(response.json()["items"]) == params.get("limit", 3)
