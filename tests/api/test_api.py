"""The Content API (#18): what it answers, to whom, at what cost, and how it is cached."""

import datetime
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from api.models import ApiToken
from articles import services
from articles.models import Article
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ScheduledArticleFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1"


def get(client, address, **params):
    return client.get(API + address, params)


def token_for(user, name="Newsletter") -> str:
    token = ApiToken(user=user, name=name)
    secret = token.issue()
    token.save()
    return secret


def with_token(secret):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def live(n, **kwargs):
    """n live stories, an hour apart, the newest first."""
    now = timezone.now()
    return [
        PublishedArticleFactory(published_at=now - timedelta(hours=i + 1), **kwargs)
        for i in range(n)
    ]


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def walk(client, address, **params):
    """Every page of a list, following `next`."""
    response = get(client, address, **params)
    found = ids(response)
    while response.json()["next"]:
        response = client.get(response.json()["next"])
        assert response.status_code == 200
        found += ids(response)
    return found


class StoriesTests:
    def test_live_stories_newest_first_and_nothing_else(self, client):
        stories = live(3)
        DraftArticleFactory()
        ScheduledArticleFactory()
        response = get(client, "/stories")
        assert response.status_code == 200
        assert ids(response) == [story.pk for story in stories]
        item = response.json()["items"][0]
        assert item["url"].startswith("http") and item["url"].endswith(
            stories[0].get_absolute_url()
        )
        assert item["headline"] == stories[0].headline

    def test_the_cursor_walks_every_story_once(self, client):
        stories = live(7)
        # Two stories at the same minute: the id breaks the tie.
        twin = PublishedArticleFactory(published_at=stories[3].published_at)
        found = walk(client, "/stories", limit=2)
        assert sorted(found) == sorted([s.pk for s in stories] + [twin.pk])
        assert len(found) == len(set(found))

    @pytest.mark.parametrize("owner", ["section", "tag", "author"])
    def test_each_filter_walks_its_stories(self, client, owner):
        section, author = SectionFactory(), AuthorFactory()
        mine = live(5, section=section, authors=[author])
        for story in mine:
            story.tags.add("harbour")
        live(3)  # Others, in none of them.
        slug = {"section": section.slug, "tag": "harbour", "author": author.slug}[owner]
        assert walk(client, "/stories", limit=2, **{owner: slug}) == [s.pk for s in mine]

    def test_filters_combine(self, client):
        section, author = SectionFactory(), AuthorFactory()
        both = live(2, section=section, authors=[author])
        both[0].tags.add("harbour")
        live(2, section=section)
        response = get(client, "/stories", section=section.slug, author=author.slug, tag="harbour")
        assert ids(response) == [both[0].pk]

    def test_since_and_until(self, client):
        stories = live(5)
        response = get(
            client,
            "/stories",
            since=stories[3].published_at.isoformat(),
            until=stories[0].published_at.isoformat().replace("+00:00", "Z"),
        )
        assert ids(response) == [stories[1].pk, stories[2].pk, stories[3].pk]

    @pytest.mark.parametrize(
        "value",
        [
            "0.5",
            "2026-03-10",
            "2026-03-10T08:00:00",
            "2026-02-30T00:00:00Z",
            "yesterday",
            "0001-01-01T00:00:00+05:00",
        ],
    )
    def test_a_time_that_isnt_rfc_3339_is_a_400_naming_it(self, client, value):
        response = get(client, "/stories", since=value)
        assert response.status_code == 400
        assert response.json()["detail"].startswith("`since` must be a time")

    @pytest.mark.parametrize("owner", ["section", "tag", "author"])
    def test_an_unknown_owner_is_a_404(self, client, owner):
        response = get(client, "/stories", **{owner: "nobody-here"})
        assert response.status_code == 404
        assert response.json() == {"detail": f"No such {owner}."}

    @pytest.mark.parametrize("cursor", ["x", "!!!", "MjAyNnwx", "bm90LWEtZGF0ZXwx"])
    def test_a_made_up_cursor_is_a_400(self, client, cursor):
        response = get(client, "/stories", cursor=cursor)
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"]

    @pytest.mark.parametrize("limit", ["0", "101", "ten"])
    def test_a_bad_limit_is_refused_with_a_message(self, client, limit):
        response = get(client, "/stories", limit=limit)
        assert response.status_code == 422
        assert response.json()["detail"]

    @pytest.mark.parametrize("story_id", ["0", str(2**63), "abc", "1.5"])
    def test_an_id_that_cant_be_one_is_refused_in_json(self, client, story_id):
        response = client.get(f"{API}/stories/{story_id}")
        assert response.status_code == 422
        assert response.json()["detail"]

    def test_queries_dont_grow_with_the_stories(self, client):
        def count():
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                assert get(client, "/stories").status_code == 200
            return len(queries)

        section = SectionFactory()
        live(1, section=section)[0].tags.add("a")
        count()  # The first request of the process reads what it then keeps.
        few = count()
        for story in live(15, section=section, authors=[AuthorFactory(), AuthorFactory()]):
            story.tags.add("b", "c")
        assert count() == few


class StoryTests:
    def test_a_live_story_in_full(self, client):
        author = AuthorFactory(name="Ada Lovelace")
        story = PublishedArticleFactory(
            headline="Ferry “returns”", body="<p>It’s back.</p>", authors=[author]
        )
        story.tags.add("port")
        editor = EditorFactory()
        services.article_correct(
            article=story, by=editor, kind="correction", text="The ferry is blue."
        )
        body = get(client, f"/stories/{story.pk}").json()
        assert body["headline"] == "Ferry “returns”"
        assert "It’s back." in body["body_html"]
        assert [a["name"] for a in body["authors"]] == ["Ada Lovelace"]
        assert [t["name"] for t in body["tags"]] == ["port"]
        assert [n["text"] for n in body["notes"]] == ["The ferry is blue."]
        assert body["status"] == "live"

    @pytest.mark.parametrize("state", ["draft", "scheduled", "trashed", "deleted"])
    def test_a_story_readers_cant_see_answers_as_one_that_never_was(self, client, state):
        story = PublishedArticleFactory()
        if state == "draft":
            Article.objects.filter(pk=story.pk).update(status=Article.Status.DRAFT)
        elif state == "scheduled":
            Article.objects.filter(pk=story.pk).update(
                published_at=timezone.now() + timedelta(hours=2)
            )
        elif state == "trashed":
            services.article_trash(article=story, by=EditorFactory())
        else:
            Article.objects.filter(pk=story.pk).delete()
        hidden, never = get(client, f"/stories/{story.pk}"), get(client, "/stories/999999")
        assert hidden.status_code == never.status_code == 404
        assert hidden.content == never.content

    def test_a_withdrawn_story_is_gone(self, client):
        story = PublishedArticleFactory()
        services.article_withdraw(article=story, by=EditorFactory(), reason="Legal advice.")
        response = get(client, f"/stories/{story.pk}")
        assert response.status_code == 410
        assert story.headline not in response.content.decode()
        by_path = get(client, "/stories/by-path", path=story.get_absolute_url())
        assert by_path.status_code == 410

    def test_by_path_finds_the_story_at_its_address_and_its_old_one(self, client):
        story = PublishedArticleFactory(slug="tram-fares")
        old = story.get_absolute_url()
        services.article_save(article=story, by=EditorFactory(), changes={"slug": "fares-rise"})
        story.refresh_from_db()
        for path in (story.get_absolute_url(), old, "https://example.org" + old):
            response = get(client, "/stories/by-path", path=path)
            assert response.status_code == 200, path
            assert response.json()["id"] == story.pk
        for path in ("/2026/13/40/tram-fares/", "nonsense", "/feed/"):
            assert get(client, "/stories/by-path", path=path).status_code == 404

    def test_queries_dont_grow_with_authors_and_tags(self, client):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count(story):
            with CaptureQueriesContext(connection) as queries:
                assert get(client, f"/stories/{story.pk}").status_code == 200
            return len(queries)

        small = PublishedArticleFactory(authors=[AuthorFactory()])
        big = PublishedArticleFactory(authors=[AuthorFactory() for _ in range(4)])
        big.tags.add("a", "b", "c")
        services.article_correct(article=big, by=EditorFactory(), kind="update", text="More.")
        count(small)  # The first request of the process reads what it then keeps.
        assert count(big) == count(small)


class NinjsTests:
    def test_a_live_story_as_ninjs(self, client):
        story = PublishedArticleFactory(headline="Ferry “returns”", authors=[AuthorFactory()])
        document = get(client, f"/stories/{story.pk}/ninjs").json()
        assert document["pubstatus"] == "usable"
        assert document["headlines"][0]["value"] == "Ferry “returns”"
        assert document["uri"].endswith(f":story:{story.pk}")

    def test_a_draft_as_ninjs_only_with_a_token(self, client):
        draft = DraftArticleFactory()
        assert get(client, f"/stories/{draft.pk}/ninjs").status_code == 404
        staff = with_token(token_for(EditorFactory()))
        assert get(staff, f"/stories/{draft.pk}/ninjs").json()["pubstatus"] == "withheld"


class TokenTests:
    def test_an_editor_reads_a_draft_with_its_status(self):
        draft = DraftArticleFactory(headline="Secret plans")
        client = with_token(token_for(EditorFactory()))
        response = get(client, f"/stories/{draft.pk}")
        assert response.status_code == 200
        assert response.json()["status"] == "draft"
        # Never kept by a cache.
        assert "private" in response["Cache-Control"]
        assert "Surrogate-Key" not in response

    def test_a_reporter_reads_their_own_drafts_only(self):
        reporter = ReporterFactory()
        author = AuthorFactory(user=reporter)
        mine = DraftArticleFactory(authors=[author])
        theirs = DraftArticleFactory()
        client = with_token(token_for(reporter))
        assert get(client, f"/stories/{mine.pk}").status_code == 200
        assert get(client, f"/stories/{theirs.pk}").status_code == 404

    @pytest.mark.parametrize(
        "header", ["Bearer nrt_made-up", "Bearer ", "Basic dXNlcjpwYXNz", "nrt_x", "Bearer"]
    )
    def test_a_bad_token_is_a_401_not_the_public_answer(self, header):
        live(1)
        response = Client(HTTP_AUTHORIZATION=header).get(API + "/stories")
        assert response.status_code == 401

    def test_a_revoked_token_or_a_deactivated_user_stops_at_once(self):
        editor = EditorFactory()
        secret = token_for(editor)
        client = with_token(secret)
        draft = DraftArticleFactory()
        assert get(client, f"/stories/{draft.pk}").status_code == 200
        editor.is_active = False
        editor.save()
        assert get(client, f"/stories/{draft.pk}").status_code == 401
        editor.is_active = True
        editor.save()
        ApiToken.objects.get().revoke()
        assert get(client, f"/stories/{draft.pk}").status_code == 401

    def test_only_a_hash_is_kept(self):
        secret = token_for(EditorFactory())
        row = ApiToken.objects.get()
        assert secret not in (row.key_hash, row.hint) and secret.startswith(row.hint)


class OwnersTests:
    def test_authors_are_those_with_a_live_story(self, client):
        shown = AuthorFactory(name="Ada Lovelace")
        PublishedArticleFactory(authors=[shown])
        DraftArticleFactory(authors=[AuthorFactory(name="Grace Hopper")])
        assert [a["name"] for a in get(client, "/authors").json()] == ["Ada Lovelace"]
        assert get(client, f"/authors/{shown.slug}").json()["name"] == "Ada Lovelace"
        assert get(client, "/authors/nobody").status_code == 404

    def test_tags_are_those_of_live_stories(self, client):
        PublishedArticleFactory().tags.add("port")
        DraftArticleFactory().tags.add("merger-acme")
        assert [t["name"] for t in get(client, "/tags").json()] == ["port"]
        assert get(client, "/tags/merger-acme").status_code == 404
        assert get(client, "/tags/port").json()["name"] == "port"

    def test_sections(self, client):
        section = SectionFactory(name="City", description="Our city.")
        assert [s["name"] for s in get(client, "/sections").json()] == ["City"]
        assert get(client, f"/sections/{section.slug}").json()["description"] == "Our city."
        assert get(client, "/sections/none").status_code == 404


class SearchAndCorrectionsTests:
    def test_search_finds_live_stories_only(self, client):
        PublishedArticleFactory(
            headline="Harbour ferry returns", body="<p>The harbour ferry is back.</p>"
        )
        DraftArticleFactory(headline="Harbour secret")
        body = get(client, "/search", q="harbour").json()
        assert [item["headline"] for item in body["items"]] == ["Harbour ferry returns"]
        assert body["found"] == 1
        assert "<mark>" in body["items"][0]["snippet_html"]

    @pytest.mark.parametrize("q", ["   ", "!!", "<|"])
    def test_a_search_without_words_finds_nothing(self, client, q):
        PublishedArticleFactory(headline="Harbour ferry returns")
        response = get(client, "/search", q=q)
        assert response.status_code == 200
        assert response.json()["items"] == [] and response.json()["found"] == 0

    def test_a_search_needs_its_words(self, client):
        assert get(client, "/search").status_code == 422

    def test_a_nul_is_refused_as_everywhere(self, client):
        assert get(client, "/search", q="a\x00b").status_code == 400

    def test_corrections_and_withdrawals(self, client):
        editor = EditorFactory()
        story = PublishedArticleFactory(headline="Ferry returns")
        services.article_correct(article=story, by=editor, kind="correction", text="Blue.")
        gone = PublishedArticleFactory(headline="Named a witness")
        services.article_withdraw(article=gone, by=editor, reason="Legal advice.")
        items = get(client, "/corrections").json()["items"]
        withdrawal, correction = items
        assert withdrawal["kind"] == "withdrawal" and withdrawal["story"] is None
        assert withdrawal["text"] == "Legal advice."
        assert correction["story"]["headline"] == "Ferry returns"
        assert "Named a witness" not in get(client, "/corrections").content.decode()


class CachingTests:
    def test_answers_are_cached_and_purged_like_pages(self, client, page_cache_on, committed):
        with committed():
            story = PublishedArticleFactory(headline="Ferry returns")
        first = get(client, f"/stories/{story.pk}")
        assert f"story-{story.pk}" in first["Surrogate-Key"]
        assert "public" in first["Cache-Control"]
        again = client.get(API + f"/stories/{story.pk}", HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
        assert first["Last-Modified"] == http_date(story.published_at.timestamp())
        with committed():
            services.article_save(
                article=story, by=EditorFactory(), changes={"headline": "Ferry is back"}
            )
        assert get(client, f"/stories/{story.pk}").json()["headline"] == "Ferry is back"
        listing = get(client, "/stories")
        assert "archive" in listing["Surrogate-Key"].split()

    def test_anonymous_misses_are_rate_limited(self, client, settings):
        settings.NEWSROOM_API_ANON_RATE = "3/min"
        answers = [get(client, "/sections").status_code for _ in range(5)]
        assert answers == [200, 200, 200, 429, 429]
        # A token is not counted against the address.
        assert get(with_token(token_for(EditorFactory())), "/sections").status_code == 200


class DocumentTests:
    def test_the_openapi_document(self, client):
        document = client.get(API + "/openapi.json").json()
        assert document["openapi"].startswith("3.1")
        assert "/api/v1/stories" in document["paths"]

    def test_the_docs_page(self, client):
        response = client.get(API + "/docs")
        assert response.status_code == 200
        assert b"swagger-ui" in response.content


class AdminTests:
    def test_staff_make_a_token_seen_once_and_revoke_it(self, client):
        reporter = ReporterFactory()
        client.force_login(reporter)
        add = reverse("admin:api_apitoken_add")
        response = client.post(add, {"name": "Newsletter"}, follow=True)
        assert response.status_code == 200
        message = next(str(m) for m in response.context["messages"])
        secret = message.split(" is ", 1)[1].split(" ", 1)[0]
        assert ApiToken.user_for(secret) == reporter
        changelist = client.get(reverse("admin:api_apitoken_changelist"))
        assert secret not in changelist.content.decode()
        client.post(
            reverse("admin:api_apitoken_changelist"),
            {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]},
        )
        assert ApiToken.user_for(secret) is None

    def test_staff_see_only_their_own_tokens(self, client):
        token_for(EditorFactory(), name="Someone else's")
        client.force_login(ReporterFactory())
        response = client.get(reverse("admin:api_apitoken_changelist"))
        assert "Someone else" not in response.content.decode()
        other = ApiToken.objects.get()
        assert client.get(reverse("admin:api_apitoken_change", args=[other.pk])).status_code in (
            302,
            403,
            404,
        )


def test_times_carry_their_offset(client):
    live(1)
    published = get(client, "/stories").json()["items"][0]["published_at"]
    assert datetime.datetime.fromisoformat(published).tzinfo is not None


@pytest.mark.parametrize("owner", ["authors", "sections", "tags"])
def test_a_nul_in_a_slug_is_a_404(client, owner):
    """PostgreSQL refuses NUL in a query; the site's slug converters take none, the API's
    addresses do (found by the hostile sweep on PostgreSQL)."""
    response = client.get(f"{API}/{owner}/a%00b")
    assert response.status_code == 404
    assert response.json()["detail"].startswith("No such")


class ErrorsInJsonTests:
    """Under /api/, even the site's own refusals are JSON (#18)."""

    def test_an_address_the_api_doesnt_have(self, client):
        response = client.get(API + "/nothing-here")
        assert response.status_code == 404
        assert "/api/v1/" in response.json()["detail"]

    def test_a_nul_in_the_query(self, client):
        response = client.get(API + "/stories?cursor=%00")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Bad request")

    def test_a_write(self, client):
        response = client.post(API + "/stories", {"headline": "x"})
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response.json()["detail"] == "The API only reads: use GET or HEAD."

    def test_the_site_keeps_its_pages(self, client):
        assert client.get("/nothing-here/")["Content-Type"].startswith("text/html")


class BreakingTests:
    def test_the_banner_every_page_shows(self, client, time_machine):
        from articles.models import Breaking

        assert get(client, "/breaking").json() is None
        now = timezone.now()
        Breaking.objects.create(
            text="Storm closes the <bridge>",
            link="/search/?q=bridge",
            starts_at=now,
            expires_at=now + timedelta(hours=2),
        )
        body = get(client, "/breaking").json()
        assert body["text"] == "Storm closes the <bridge>"  # Plain text: the client escapes it.
        assert body["url"].startswith("http") and body["url"].endswith("/search/?q=bridge")
        time_machine.move_to(now + timedelta(hours=2), tick=False)
        assert get(client, "/breaking").json() is None
