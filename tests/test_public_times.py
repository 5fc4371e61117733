"""Times on the public site (#16): on the newsroom's clock with its abbreviation for readers,
and in `<time datetime>` and metadata to the second with the zone's offset (the HTML checker
refuses more than three digits of a fraction, which `|date:"c"` gave)."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from articles import services
from newsroom.timezones import machine_time
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db

DATETIME = re.compile(r'<time datetime="([^"]*)"')
# A valid global date and time, to the second, with an offset.
SECONDS_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")

SUMMER = datetime(2026, 7, 1, 7, 34, 12, 748174, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, 7, 34, 12, 748174, tzinfo=UTC)


@pytest.fixture
def london(settings):
    settings.TIME_ZONE = "Europe/London"


class MachineTimeTests:
    def test_to_the_second_on_the_newsroom_clock(self, london):
        assert machine_time(SUMMER) == "2026-07-01T08:34:12+01:00"
        assert machine_time(WINTER) == "2026-01-15T07:34:12+00:00"

    def test_another_zone(self, settings):
        settings.TIME_ZONE = "America/New_York"
        assert machine_time(SUMMER) == "2026-07-01T03:34:12-04:00"
        assert machine_time(WINTER) == "2026-01-15T02:34:12-05:00"

    def test_nothing_for_no_time_and_a_date_as_a_date(self):
        assert machine_time(None) == ""
        assert machine_time(SUMMER.date()) == "2026-07-01"

    def test_the_template_filter(self, london):
        html = Template("{% load times %}{{ at|iso }}").render(Context({"at": SUMMER}))
        assert html == "2026-07-01T08:34:12+01:00"


class StoryPageTimeTests:
    @pytest.mark.parametrize(
        ("published", "shown", "machine"),
        [
            (SUMMER, "1 July 2026, 08:34 BST", "2026-07-01T08:34:12+01:00"),
            (WINTER, "15 January 2026, 07:34 GMT", "2026-01-15T07:34:12+00:00"),
        ],
    )
    def test_the_reader_sees_the_newsroom_clock(self, client, london, published, shown, machine):
        story = PublishedArticleFactory(published_at=published)
        html = client.get(story.get_absolute_url()).content.decode()
        assert f'<time datetime="{machine}">{shown}</time>' in html
        assert "UTC" not in html
        assert re.search(rf'"datePublished":"{re.escape(machine)}"', html)
        assert f'<meta property="article:published_time" content="{machine}">' in html

    def test_every_datetime_on_public_pages_is_valid(self, client, london):
        story = PublishedArticleFactory(published_at=SUMMER)
        services.article_correct(
            article=story, by=EditorFactory(), kind="correction", text="A name was wrong."
        )
        story.refresh_from_db()
        pages = [story.get_absolute_url(), "/", "/corrections/", f"/{SUMMER:%Y/%m/%d}/"]
        for path in pages:
            html = client.get(path).content.decode()
            values = DATETIME.findall(html)
            assert values, path
            assert all(SECONDS_WITH_OFFSET.match(value) for value in values), (path, values)

    def test_json_ld_dates_carry_the_offset(self, client, london):
        story = PublishedArticleFactory(published_at=WINTER)
        html = client.get(story.get_absolute_url()).content.decode()
        block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        assert json.loads(block)["datePublished"] == "2026-01-15T07:34:12+00:00"
