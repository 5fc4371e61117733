"""The breaking-news banner (#18): shown on every reader's page from its start to its expiry
minute, escaped, read from memory (no query per page), and never left behind or missed by the
page cache, with no job to take it down."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.caching import next_change_at
from articles.models import Breaking, validate_banner_link
from tests.factories import EditorFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_breaking_add")
LIST = reverse("admin:articles_breaking_changelist")


def banner(text="Storm closes the bridge", link="", starts=None, lasts=timedelta(hours=2)):
    starts = starts or timezone.now() - timedelta(minutes=1)
    return Breaking.objects.create(
        text=text, link=link, starts_at=starts, expires_at=starts + lasts
    )


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def form(**changes):
    now = timezone.localtime()
    later = now + timedelta(hours=2)
    data = {
        "text": "Storm closes the bridge",
        "link": "/2026/03/10/storm/",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": now.strftime("%H:%M:%S"),
        "expires_at_0": later.strftime("%Y-%m-%d"),
        "expires_at_1": later.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return data


class ShownTests:
    def test_every_kind_of_page_shows_it_under_the_masthead(self, client):
        section = SectionFactory()
        story = PublishedArticleFactory(section=section, headline="Harbour reopens")
        banner(link="/2026/03/10/storm/")
        for path in ("/", story.get_absolute_url(), section.get_absolute_url(), "/search/"):
            page = html(client, path)
            assert '<aside class="breaking" aria-label="Breaking news">' in page, path
            assert '<a href="/2026/03/10/storm/">Storm closes the bridge</a>' in page, path
            # Between the masthead and the page's content.
            assert page.index("</header>") < page.index('class="breaking"') < page.index("<main")

    def test_text_without_a_link(self, client):
        PublishedArticleFactory()
        banner(text="Polls close at ten")
        page = html(client, "/")
        assert "<span>Polls close at ten</span>" in page

    def test_no_banner_no_landmark(self, client):
        PublishedArticleFactory()
        assert 'class="breaking"' not in html(client, "/")

    def test_only_the_newest_of_those_up_is_shown(self, client):
        PublishedArticleFactory()
        banner(text="Older news", starts=timezone.now() - timedelta(hours=1))
        banner(text="Newer news", starts=timezone.now() - timedelta(minutes=5))
        page = html(client, "/")
        assert "Newer news" in page
        assert "Older news" not in page

    def test_text_and_link_are_escaped(self, client):
        PublishedArticleFactory()
        # Written past the form's checks, as an import or a script might.
        banner(text="<script>alert(1)</script> & more", link='/a"onmouseover="alert(1)/')
        page = html(client, "/")
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
        assert 'href="/a&quot;onmouseover=&quot;alert(1)/"' in page

    def test_changing_and_deleting_it_show_at_once(self, client):
        PublishedArticleFactory()
        shown = banner(text="First words")
        assert "First words" in html(client, "/")
        shown.text = "Second words"
        shown.save()
        assert "Second words" in html(client, "/")
        shown.delete()
        assert "Second words" not in html(client, "/")


class ClockTests:
    def test_it_goes_up_and_comes_down_at_its_minutes(self, client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        PublishedArticleFactory()
        start = timezone.now() + timedelta(minutes=10)
        banner(text="Polls close", starts=start, lasts=timedelta(hours=1))
        assert "Polls close" not in html(client, "/")
        time_machine.move_to(start - timedelta(seconds=1), tick=False)
        assert "Polls close" not in html(client, "/")
        time_machine.move_to(start, tick=False)
        assert "Polls close" in html(client, "/")
        time_machine.move_to(start + timedelta(hours=1) - timedelta(seconds=1), tick=False)
        assert "Polls close" in html(client, "/")
        time_machine.move_to(start + timedelta(hours=1), tick=False)
        assert "Polls close" not in html(client, "/")

    def test_next_change_at_names_its_start_and_its_expiry(self, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        now = timezone.now()
        up = banner(starts=now - timedelta(minutes=1), lasts=timedelta(minutes=31))
        assert next_change_at() == up.expires_at
        later = banner(starts=now + timedelta(minutes=5))
        assert next_change_at() == later.starts_at


class LinkTests:
    @pytest.mark.parametrize(
        "link",
        ["/2026/03/10/storm/", "/politics/", "https://example.org/live?x=1#now"],
    )
    def test_site_addresses_and_https_are_accepted(self, link):
        validate_banner_link(link)

    @pytest.mark.parametrize(
        "link",
        [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "http://example.org/",
            "//evil.example/",
            "/\\evil.example/",
            "https://",
            "https://exa mple.org/",
            "/a\nb",
            "vbscript:x",
            "storm",
        ],
    )
    def test_anything_else_is_refused(self, link):
        with pytest.raises(ValidationError):
            validate_banner_link(link)


class AdminTests:
    def test_an_editor_puts_one_up(self, client):
        editor = EditorFactory()
        client.force_login(editor)
        page = client.get(ADD).content.decode()
        assert 'name="expires_at_0"' in page  # With a suggested end two hours from now.
        response = client.post(ADD, form())
        assert response.status_code == 302, response.content.decode()
        saved = Breaking.objects.get()
        assert saved.created_by == editor
        assert saved.expires_at - saved.starts_at == timedelta(hours=2)
        listing = client.get(LIST).content.decode()
        assert "Storm closes the bridge" in listing
        assert "showing" in listing

    def test_a_new_banner_is_suggested_to_end_in_two_hours(self, client, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        client.force_login(EditorFactory())
        page = client.get(ADD).content.decode()
        later = timezone.localtime() + timedelta(hours=2)
        assert f'value="{later:%Y-%m-%d}"' in page
        assert f'value="{later:%H:%M:%S}"' in page

    @pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/", "http://x.org/"])
    def test_a_bad_link_is_a_form_error(self, client, link):
        client.force_login(EditorFactory())
        response = client.post(ADD, form(link=link))
        assert response.status_code == 200
        assert "link" in response.context["adminform"].form.errors
        assert not Breaking.objects.exists()

    def test_an_end_before_the_start_is_a_form_error(self, client):
        client.force_login(EditorFactory())
        now = timezone.localtime()
        response = client.post(
            ADD,
            form(expires_at_0=now.strftime("%Y-%m-%d"), expires_at_1=now.strftime("%H:%M:%S")),
        )
        assert response.status_code == 200
        assert (
            "A banner must end after it starts."
            in response.context["adminform"].form.errors["expires_at"]
        )
        # Said once, beside the field (the database's check agrees, and isn't repeated).
        assert response.content.decode().count("A banner must end after it starts.") == 1
        assert not Breaking.objects.exists()

    def test_text_is_required_and_short(self, client):
        client.force_login(EditorFactory())
        for text in ("", "x" * 201):
            response = client.post(ADD, form(text=text))
            assert response.status_code == 200
            assert "text" in response.context["adminform"].form.errors
        assert not Breaking.objects.exists()

    def test_the_list_says_which_is_up(self, client):
        client.force_login(EditorFactory())
        banner(text="Up now")
        banner(text="Coming", starts=timezone.now() + timedelta(hours=1))
        banner(text="Over", starts=timezone.now() - timedelta(hours=5))
        listing = client.get(LIST).content.decode()
        for state in ("showing", "scheduled", "expired"):
            assert f">{state}<" in listing, state

    def test_reporters_cannot_touch_banners(self, reporter, client):
        shown = banner()
        change = reverse("admin:articles_breaking_change", args=[shown.pk])
        delete = reverse("admin:articles_breaking_delete", args=[shown.pk])
        assert client.get(LIST).status_code == 403
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, form(text="Not mine")).status_code == 403
        assert client.post(change, form(text="Changed")).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        assert list(Breaking.objects.values_list("text", flat=True)) == [shown.text]

    def test_editors_can_delete_one(self, client):
        client.force_login(EditorFactory())
        shown = banner()
        delete = reverse("admin:articles_breaking_delete", args=[shown.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert not Breaking.objects.exists()


def steady_queries(client, path):
    """The SQL of a request in its steady state (as tests/test_flat_queries.py measures)."""
    cache.clear()
    assert client.get(path).status_code == 200
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


class QueryTests:
    def test_a_banner_costs_the_front_page_no_query(self, client):
        story = PublishedArticleFactory()
        for path in ("/", story.get_absolute_url()):
            without = steady_queries(client, path)
            shown = banner(text="No query for me")
            assert "No query for me" in html(client, path)
            assert len(steady_queries(client, path)) == len(without), path
            shown.delete()


@pytest.mark.usefixtures("page_cache_on")
class PageCacheTests:
    def test_a_cached_page_shows_a_new_banner_at_once(self, client, committed):
        story = PublishedArticleFactory()
        for path in ("/", story.get_absolute_url()):
            assert "breaking" in client.get(path)["Surrogate-Key"].split()
        assert client.get("/")["X-Page-Cache"] == "hit"
        with committed():
            shown = banner(text="Bridge closed")
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "Bridge closed" in response.content.decode()
        assert "Bridge closed" in html(client, story.get_absolute_url())
        with committed():
            shown.delete()
        assert "Bridge closed" not in html(client, "/")

    def test_a_cached_page_drops_it_at_its_expiry_minute(self, client, committed, time_machine):
        time_machine.move_to(timezone.now(), tick=False)
        PublishedArticleFactory()
        with committed():
            shown = banner(text="Bridge closed", starts=timezone.now(), lasts=timedelta(seconds=90))
        response = client.get("/")
        assert "Bridge closed" in response.content.decode()
        # The proxies keep it no longer either.
        assert "s-maxage=90" in response["Cache-Control"]
        time_machine.move_to(shown.expires_at - timedelta(seconds=1), tick=False)
        assert client.get("/")["X-Page-Cache"] == "hit"
        time_machine.move_to(shown.expires_at, tick=False)
        response = client.get("/")
        assert response["X-Page-Cache"] == "miss"
        assert "Bridge closed" not in response.content.decode()

    def test_a_cached_page_shows_a_scheduled_banner_at_its_minute(
        self, client, committed, time_machine
    ):
        time_machine.move_to(timezone.now(), tick=False)
        PublishedArticleFactory()
        start = timezone.now() + timedelta(seconds=120)
        with committed():
            banner(text="Polls close", starts=start)
        response = client.get("/")
        assert "Polls close" not in response.content.decode()
        assert "s-maxage=120" in response["Cache-Control"]
        time_machine.move_to(start, tick=False)
        assert "Polls close" in html(client, "/")
