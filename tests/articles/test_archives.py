"""Date archives (#5): /YYYY/, /YYYY/MM/, /YYYY/MM/DD/, live stories only."""

import datetime

import pytest

from tests.factories import DraftArticleFactory, PublishedArticleFactory, WithdrawnArticleFactory

pytestmark = pytest.mark.django_db


def on(*args):
    return datetime.datetime(*args, 12, tzinfo=datetime.UTC)


@pytest.fixture
def stories():
    return {
        "march": PublishedArticleFactory(published_at=on(2025, 3, 5)),
        "march_later": PublishedArticleFactory(published_at=on(2025, 3, 20)),
        "may": PublishedArticleFactory(published_at=on(2025, 5, 1)),
        "other_year": PublishedArticleFactory(published_at=on(2024, 3, 5)),
        "withdrawn": WithdrawnArticleFactory(published_at=on(2025, 3, 5)),
    }


class ArchiveTests:
    @pytest.mark.parametrize(
        ("path", "expected"),
        [
            ("/2025/", ["may", "march_later", "march"]),
            ("/2025/03/", ["march_later", "march"]),
            ("/2025/3/", ["march_later", "march"]),
            ("/2025/03/05/", ["march"]),
            ("/2024/", ["other_year"]),
        ],
    )
    def test_lists_live_stories_of_the_period(self, client, stories, path, expected):
        DraftArticleFactory()
        response = client.get(path)
        assert response.status_code == 200
        assert list(response.context["article_list"]) == [stories[name] for name in expected]

    @pytest.mark.parametrize("path", ["/1999/", "/2025/02/", "/2025/02/28/", "/2099/12/31/"])
    def test_a_real_date_without_stories_is_an_empty_page(self, client, path):
        response = client.get(path)
        assert response.status_code == 200
        assert "No stories were published then." in response.content.decode()

    @pytest.mark.parametrize("path", ["/2025/13/", "/2025/02/30/", "/2025/00/", "/0000/"])
    def test_an_impossible_date_is_404(self, client, path):
        assert client.get(path).status_code == 404

    def test_pagination(self, client):
        PublishedArticleFactory.create_batch(31, published_at=on(2025, 6, 1))
        assert len(client.get("/2025/06/", {"page": 2}).context["article_list"]) == 1
        assert client.get("/2025/06/", {"page": "x"}).status_code == 404


class PeriodBoundaryTests:
    """A period runs from local midnight to local midnight in the newsroom's time zone."""

    def test_a_late_evening_story_belongs_to_its_local_day(self, client, settings):
        settings.TIME_ZONE = "America/New_York"
        # 23:30 in New York on 31 December 2024 is already 2025 in UTC.
        late = PublishedArticleFactory(
            published_at=datetime.datetime(2025, 1, 1, 4, 30, tzinfo=datetime.UTC)
        )
        assert late.publication_date == datetime.date(2024, 12, 31)
        assert list(client.get("/2024/12/31/").context["article_list"]) == [late]
        assert list(client.get("/2024/12/").context["article_list"]) == [late]
        assert list(client.get("/2024/").context["article_list"]) == [late]
        assert list(client.get("/2025/").context["article_list"]) == []

    def test_the_last_year_there_is(self, client):
        assert client.get("/9999/").status_code == 200
        assert client.get("/9999/12/").status_code == 200
        assert client.get("/9999/12/31/").status_code == 200
