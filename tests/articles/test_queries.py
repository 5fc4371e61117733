"""Every public page runs the same number of queries whatever the number of stories."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Correction
from tests.factories import AuthorFactory, PublishedArticleFactory, SectionFactory
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


def queries_for(client, path):
    # The steady state of a page not yet in the cache: requested once first, so that the
    # lookups each process keeps in memory (the menu, the footer, #17) are kept.
    cache.clear()
    assert client.get(path).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def make_stories(count, author):
    stories = []
    for _ in range(count):
        story = PublishedArticleFactory(
            authors=[author, AuthorFactory()],
            section=SectionFactory(name="City"),
            lead_image=make_image(jpeg((480, 320)), alt_text="A picture"),
        )
        story.tags.add("politics", "health")
        Correction.objects.create(article=story, text="A date was wrong.")
        stories.append(story)
    return stories


@pytest.mark.slow
@pytest.mark.parametrize(
    "page",
    [
        lambda stories, author: "/",
        lambda stories, author: stories[0].get_absolute_url(),
        lambda stories, author: author.get_absolute_url(),
        lambda stories, author: "/corrections/",
        lambda stories, author: "/sections/city/",
        lambda stories, author: "/tags/politics/",
        lambda stories, author: f"/{stories[0].publication_date:%Y/%m}/",
    ],
    ids=["front", "article", "author", "corrections", "section", "tag", "archive"],
)
def test_query_count_does_not_grow_with_stories(client, page):
    author = AuthorFactory()
    few = make_stories(2, author)
    with_few = queries_for(client, page(few, author))
    many = make_stories(28, author)
    with_many = queries_for(client, page(many, author))
    assert with_few == with_many
    # The story page finds the ids of its related and "more from" stories in one query of
    # the kept newest stories (#16, #17), then the cards, their bylines, and every picture's
    # renditions (its own, its byline's photos, the cards') in one query each. The menu and
    # the footer are kept in memory (#17): one query reads their versions. The story page
    # asks for its corrections only when it has some (these stories have one).
    assert with_many <= (10 if page(many, author) == many[0].get_absolute_url() else 6)
