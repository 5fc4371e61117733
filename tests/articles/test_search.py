"""Search (/search/ and articles.search): PostgreSQL full-text search or SQLite FTS5, whichever
database the tests run on; backend-only details are asserted on their own vendor."""

import datetime
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, ArticleAuthor, SearchDocument, SearchUpdate, Tag
from articles.search import (
    FTS,
    fts5_match,
    refresh_search_index,
    search_articles,
    snippet_html,
)
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db

REAL_AFTER_COMMIT = search._after_commit


def found(query, **filters):
    return list(search_articles(query, **filters))


def body(text):
    return f"<p>{text}</p>"


class RankingTests:
    def test_headline_match_ranks_above_body_only_match(self):
        in_body = PublishedArticleFactory(
            headline="Council meets on Tuesday", body=body("The tram budget was discussed.")
        )
        in_headline = PublishedArticleFactory(
            headline="Tram budget approved", body=body("Councillors voted late.")
        )
        results = found("tram budget")
        assert results == [in_headline, in_body]
        assert results[0].search_rank > results[1].search_rank

    def test_standfirst_ranks_above_body(self):
        in_body = PublishedArticleFactory(headline="One", standfirst="", body=body("Harbour"))
        in_standfirst = PublishedArticleFactory(
            headline="Two", standfirst="The harbour reopens.", body=body("Nothing else.")
        )
        assert found("harbour") == [in_standfirst, in_body]

    def test_reference_word_fentanyl_is_found_in_the_body(self):
        story = PublishedArticleFactory(
            headline="A quiet week", body=body("Police seized fentanyl at the port.")
        )
        PublishedArticleFactory(headline="Unrelated", body=body("Weather was fine."))
        assert found("fentanyl") == [story]

    def test_every_word_is_needed(self):
        # Fixed standfirst and byline: random ones could contain either word.
        ann = AuthorFactory(name="Ann Ames")
        both = PublishedArticleFactory(
            headline="Bridge", standfirst="", authors=[ann], body=body("Bridge repairs in spring.")
        )
        PublishedArticleFactory(
            headline="Bridge", standfirst="", authors=[ann], body=body("Nothing about the season.")
        )
        assert found("bridge spring") == [both]

    def test_author_names_and_tags_are_found(self):
        author = AuthorFactory(name="Wilhelmina Quarrington")
        by_her = PublishedArticleFactory(authors=[author], headline="Budget day")
        tagged = PublishedArticleFactory(headline="Another story")
        tagged.tags.add("Ornithology")
        assert found("Quarrington") == [by_her]
        assert found("ornithology") == [tagged]


class CandidateTests:
    def test_only_the_newest_matches_are_ranked(self, client, monkeypatch):
        monkeypatch.setattr("articles.search.MAX_RESULTS", 3)
        now = timezone.now()
        stories = [
            # Fixed text besides the headline: the rank would follow random words' lengths.
            PublishedArticleFactory(
                headline="Harbour " * (5 - age),
                standfirst="",
                body=body("Ships came in."),
                published_at=now - timedelta(days=age),
            )
            for age in range(5)
        ]
        found = list(search_articles("harbour"))
        # The two oldest (the best matches) are beyond the newest three and not ranked.
        assert {story.pk for story in found} == {story.pk for story in stories[:3]}
        assert found[0] == stories[0]
        html = " ".join(client.get("/search/", {"q": "harbour"}).content.decode().split())
        assert "At least 3 stories found: the newest 3 are shown" in html


class VisibilityTests:
    def test_only_published_stories_are_found_or_counted(self, client):
        live = PublishedArticleFactory(headline="Zeppelin returns")
        for factory in (
            DraftArticleFactory,
            ScheduledArticleFactory,
            ReviewArticleFactory,
            WithdrawnArticleFactory,
        ):
            factory(headline="Zeppelin returns again")
        assert found("zeppelin") == [live]
        assert search_articles("zeppelin").count() == 1
        response = client.get("/search/", {"q": "zeppelin"})
        assert response.status_code == 200
        assert list(response.context["page_obj"]) == [live]
        assert response.context["found"] == 1
        assert "1 story found" in response.content.decode()

    def test_publishing_and_withdrawing_change_results_at_once(self):
        story = DraftArticleFactory(headline="Aqueduct plan")
        assert found("aqueduct") == []
        story.status = Article.Status.PUBLISHED
        story.published_at = timezone.now() - timedelta(minutes=5)
        story.save()
        assert found("aqueduct") == [story]
        Article.objects.filter(pk=story.pk).update(status=Article.Status.WITHDRAWN)
        assert found("aqueduct") == []

    def test_scheduled_story_appears_when_its_time_comes(self, time_machine):
        story = ScheduledArticleFactory(headline="Observatory opens")
        assert found("observatory") == []
        time_machine.move_to(story.published_at + timedelta(minutes=1))
        assert found("observatory") == [story]


class IndexStaysCurrentTests:
    def test_editing_a_story_with_save(self):
        story = PublishedArticleFactory(headline="Old headline about ferries")
        assert found("ferries") == [story]
        story.headline = "New headline about gondolas"
        story.body = body("Gondolas everywhere.")
        story.save()
        assert found("ferries") == []
        assert found("gondolas") == [story]

    def test_queryset_update_is_taken_in_by_the_next_write(self):
        story = PublishedArticleFactory(headline="Lighthouse keeper")
        # update() sends no signal: the trigger records the change, and a search (a reader)
        # doesn't write; the next write's hook takes it in.
        Article.objects.filter(pk=story.pk).update(standfirst="A story about walruses.")
        assert list(SearchUpdate.objects.values_list("kind", "object_id")) == [
            ("article", story.pk)
        ]
        assert found("walruses") == []
        AuthorFactory()
        assert found("walruses") == [story]
        assert not SearchUpdate.objects.exists()

    def test_deletion(self):
        story = PublishedArticleFactory(headline="Lighthouse keeper")
        story.delete()
        assert found("lighthouse") == []
        assert not SearchDocument.objects.filter(pk=story.pk).exists()
        other = PublishedArticleFactory(headline="Lighthouse keeper")
        Article.objects.filter(pk=other.pk).delete()
        assert not SearchDocument.objects.filter(pk=other.pk).exists()

    def test_changing_tags(self):
        story = PublishedArticleFactory(headline="Weekly roundup")
        story.tags.add("volcanoes")
        assert found("volcanoes") == [story]
        story.tags.set(["glaciers"])
        assert found("volcanoes") == []
        assert found("glaciers") == [story]
        Tag.objects.filter(name="glaciers").update(name="icebergs")
        refresh_search_index()  # update() sends no signal: the next write's hook would
        assert found("icebergs") == [story]
        story.tags.clear()
        assert found("icebergs") == []

    def test_changing_the_byline(self):
        first = AuthorFactory(name="Ottoline Featherstonehaugh")
        story = PublishedArticleFactory(authors=[first], headline="Weekly roundup")
        assert found("Featherstonehaugh") == [story]
        ArticleAuthor.objects.filter(article=story).delete()
        ArticleAuthor.objects.create(article=story, author=AuthorFactory(name="Bartholomew Quince"))
        assert found("Featherstonehaugh") == []
        assert found("Quince") == [story]
        author = story.authors.get()
        author.name = "Bartholomew Marchbanks"
        author.save()
        assert found("Marchbanks") == [story]
        assert found("Quince") == []

    def test_rebuild_command(self):
        story = PublishedArticleFactory(headline="Carillon concert")
        call_command("rebuild_search_index", stdout=io.StringIO())
        assert found("carillon") == [story]
        assert refresh_search_index() == 0


class SnippetTests:
    def test_snippet_escapes_the_story_text_and_marks_the_words(self):
        PublishedArticleFactory(
            headline="Security",
            body=body("The page printed &lt;script&gt;alert(1)&lt;/script&gt; next to fentanyl."),
        )
        (story,) = found("fentanyl")
        html = snippet_html(story.search_snippet)
        assert "<mark>" in html and "</mark>" in html
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<mark>fentanyl</mark>" in html.lower()

    def test_snippet_markers_typed_into_a_story_are_not_trusted(self):
        PublishedArticleFactory(headline="Markers", body=body("odd \ue000text\ue001 quokka"))
        (story,) = found("quokka")
        assert snippet_html(story.search_snippet).count("<mark>") == 1

    def test_words_deep_in_a_long_story_are_marked(self):
        # PostgreSQL builds the snippet from a window around the first match (#17).
        filler = " ".join(["The committee met again to discuss the budget."] * 120)
        PublishedArticleFactory(
            headline="Minutes",
            body=body(f"{filler} Then a narwhal was seen. {filler}"),
        )
        (story,) = found("narwhal")
        html = snippet_html(story.search_snippet)
        assert "a <mark>narwhal</mark> was seen" in html
        assert len(html) < 1000

    def test_a_stem_that_is_no_prefix_of_its_word_is_still_marked(self):
        # "happy" is indexed as "happi": no window is found, the whole text is read.
        filler = " ".join(["Nothing much happened in the town."] * 60)
        PublishedArticleFactory(headline="Town", body=body(f"{filler} They were happy. {filler}"))
        (story,) = found("happy")
        assert "<mark>happy</mark>" in snippet_html(story.search_snippet)

    def test_view_shows_the_snippet(self, client):
        PublishedArticleFactory(
            headline="Night bus", body=body("Drivers &amp; riders talk about the night bus.")
        )
        content = client.get("/search/", {"q": "riders"}).content.decode()
        assert "<mark>riders</mark>" in content
        assert "Drivers &amp; " in content


HOSTILE = [
    "",
    "   ",
    "a",
    "x" * 5000,
    '"""',
    "' OR 1=1 --",
    "'; DROP TABLE articles_article; --",
    "NEAR(",
    "NEAR(a b, 3)",
    "*",
    "AND OR NOT",
    "headline:foo",
    "foo^bar -baz (",
    "\x00",
    "café Zürich 日本語 ✨",
    "<script>alert(1)</script>",
]


class HostileQueryTests:
    @pytest.mark.parametrize("query", HOSTILE)
    def test_answers_cleanly(self, client, query):
        PublishedArticleFactory(headline="Café culture in Zürich")
        response = client.get("/search/", {"q": query})
        # A NUL character in a query string is a bad request, site-wide (newsroom/guards.py).
        assert response.status_code == (400 if "\x00" in query else 200)
        assert isinstance(list(search_articles(query)), list)  # no database error either

    def test_messages(self, client):
        assert "Type a word or two" in client.get("/search/", {"q": '"""'}).content.decode()
        long = client.get("/search/", {"q": "x" * 5000}).content.decode()
        assert "Keep your search under 200 characters" in long

    def test_unicode_and_accents(self):
        story = PublishedArticleFactory(headline="Café culture in Zürich")
        assert found("café") == [story]
        assert found("Zürich") == [story]

    def test_fts5_match_expression_is_quoted(self):
        assert fts5_match('NEAR( "a" OR b* -c') == '"NEAR" "a" "OR" "b" "c"'
        assert fts5_match("' OR 1=1 --") == '"OR" "1" "1"'
        assert fts5_match("***") == ""


class FilterTests:
    def test_section_author_and_dates(self, client):
        sport, city = SectionFactory(name="Sport"), SectionFactory(name="City")
        author = AuthorFactory()
        old = PublishedArticleFactory(
            headline="Marathon news",
            section=sport,
            published_at=timezone.now() - timedelta(days=40),
        )
        new = PublishedArticleFactory(headline="Marathon news", section=city, authors=[author])
        assert found("marathon", section="sport") == [old]
        assert found("marathon", author=author.slug) == [new]
        cutoff = timezone.localdate() - timedelta(days=10)
        assert found("marathon", date_from=cutoff) == [new]
        assert found("marathon", date_to=cutoff) == [old]
        response = client.get(
            "/search/", {"q": "marathon", "section": "city", "from": cutoff.isoformat()}
        )
        assert list(response.context["page_obj"]) == [new]
        response = client.get("/search/", {"q": "marathon", "author": author.slug})
        assert list(response.context["page_obj"]) == [new]

    @pytest.mark.parametrize(
        "params",
        [
            {"from": "yesterday"},
            {"to": "2025-13-45"},
            {"from": "99999-01-01"},
            {"from": "2025-05-01", "to": "2025-04-01"},
            {"section": "no-such-section"},
            {"author": "not a slug!"},
        ],
    )
    def test_bad_filters_are_form_errors(self, client, params):
        PublishedArticleFactory(headline="Marathon news")
        response = client.get("/search/", {"q": "marathon", **params})
        assert response.status_code == 200
        assert response.context["page_obj"] is None
        assert response.context["form"].errors


class PageTests:
    def test_search_page_without_a_query(self, client):
        response = client.get("/search/")
        content = response.content.decode()
        assert response.status_code == 200
        assert '<label for="id_q">' in content
        assert '<input type="search" name="q"' in content
        assert '<meta name="robots" content="noindex">' not in content

    def test_result_pages_are_noindex_and_titled(self, client):
        PublishedArticleFactory(headline="Harbour festival")
        content = client.get("/search/", {"q": "harbour"}).content.decode()
        assert '<meta name="robots" content="noindex">' in content
        assert "<title>Search results for “harbour” | " in content

    @pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1.5", "9" * 30])
    def test_bad_page_numbers(self, client, page):
        PublishedArticleFactory(headline="Harbour festival")
        response = client.get("/search/", {"q": "harbour", "page": page})
        assert response.status_code == 200

    def test_pagination_keeps_the_query_and_filters(self, client):
        section = SectionFactory(name="City")
        for _ in range(21):
            PublishedArticleFactory(headline="Harbour festival", section=section)
        response = client.get("/search/", {"q": "harbour", "section": "city"})
        content = response.content.decode()
        assert "21 stories found" in content
        assert 'href="?q=harbour&amp;section=city&amp;page=2"' in content
        second = client.get("/search/", {"q": "harbour", "section": "city", "page": "2"})
        assert len(second.context["page_obj"]) == 1

    def test_section_choices_follow_edits_without_a_query(self, client):
        SectionFactory(name="City", slug="city")
        client.get("/search/")  # the choices are now kept in memory (#17)
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/")
        assert not [q for q in captured if "articles_section" in q["sql"]]
        SectionFactory(name="Harbour & docks", slug="harbour")
        content = client.get("/search/").content.decode()
        assert '<option value="harbour">Harbour &amp; docks</option>' in content
        response = client.get("/search/", {"q": "ferry", "section": "harbour"})
        assert response.context["form"].is_valid()

    def test_query_count_does_not_grow_with_stories(self, client):
        author = AuthorFactory()
        section = SectionFactory(name="City")

        def make(count):
            for _ in range(count):
                story = PublishedArticleFactory(
                    headline="Harbour festival", section=section, authors=[author, AuthorFactory()]
                )
                story.tags.add("events")

        def queries():
            refresh_search_index()
            cache.clear()
            # Warm: the menu and footer are then read from the process's memory (#17).
            client.get("/search/", {"q": "harbour festival", "section": "city"})
            with CaptureQueriesContext(connection) as captured:
                response = client.get("/search/", {"q": "harbour festival", "section": "city"})
            assert response.status_code == 200
            return len(captured)

        make(2)
        with_few = queries()
        make(28)
        with_many = queries()
        assert with_few == with_many
        assert with_many <= 12


class BackendTests:
    def test_index_structures_of_the_running_database(self, settings):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'articles_searchdocument'"
                )
                assert any("gin" in row[0].lower() for row in cursor.fetchall())
            elif connection.vendor == "sqlite":
                cursor.execute(f"SELECT sql FROM sqlite_master WHERE name = '{FTS}'")
                assert "fts5" in cursor.fetchone()[0].lower()

    def test_language_configuration_setting(self, settings):
        # Every word fixed: a random standfirst could hold "race" itself.
        story = PublishedArticleFactory(
            headline="Running races", standfirst="", body=body("They ran."), authors=[]
        )
        assert found("race") == [story]  # stemmed on both backends
        if connection.vendor == "postgresql":
            settings.NEWSROOM_SEARCH_CONFIG = "simple"
            call_command("rebuild_search_index", stdout=io.StringIO())
            assert found("race") == []
            assert found("races") == [story]

    def test_triggers_record_changes_from_any_write_path(self):
        story = PublishedArticleFactory(headline="Plain text")
        refresh_search_index()
        Article.objects.filter(pk=story.pk).update(headline="Changed by update()")
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, object_id FROM articles_searchupdate")
            assert cursor.fetchall() == [("article", story.pk)]
        assert refresh_search_index() == 1
        assert SearchDocument.objects.get(pk=story.pk).headline == "Changed by update()"


def test_dates_are_filtered_by_publication_date():
    story = PublishedArticleFactory(headline="Solstice")
    day = story.publication_date
    assert found("solstice", date_from=day, date_to=day) == [story]
    assert found("solstice", date_from=day + datetime.timedelta(days=1)) == []


class SearchHookTests:
    """The real after-commit hook (conftest's `search_index_at_once` runs it at the write);
    each test's setup writes before the hook is put back, as in an earlier transaction."""

    @pytest.fixture
    def real_hook(self, monkeypatch):
        return lambda: monkeypatch.setattr(search, "_after_commit", REAL_AFTER_COMMIT)

    def test_writes_are_indexed_after_their_commit_once(
        self, django_capture_on_commit_callbacks, real_hook
    ):
        real_hook()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            story = PublishedArticleFactory(headline="Funicular reopens")
            story.tags.add("railways")
            story.headline = "Funicular reopens at last"
            story.save()
            assert found("funicular") == []  # not committed yet
        assert found("funicular") == [story]
        assert found("railways") == [story]
        refreshes = [func for func in callbacks if func is search._refresher("default")]
        assert len(refreshes) == 1

    def test_rolled_back_writes_change_nothing(self, django_capture_on_commit_callbacks, real_hook):
        story = PublishedArticleFactory(headline="Tramway")
        real_hook()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            story.headline = "Monorail"
            story.save()
        assert callbacks  # queued, but never run: as after a rollback
        assert found("monorail") == []
        assert found("tramway") == [story]

    def test_author_and_tag_renames(self, django_capture_on_commit_callbacks, real_hook):
        author = AuthorFactory(name="Perpetua Lindqvist")
        story = PublishedArticleFactory(authors=[author], headline="Weekly roundup")
        story.tags.add("ferries")
        real_hook()
        with django_capture_on_commit_callbacks(execute=True):
            author.name = "Perpetua Osei"
            author.save()
            tag = Tag.objects.get(name="ferries")
            tag.name = "hovercraft"
            tag.save()
        assert found("Osei hovercraft") == [story]
        assert found("Lindqvist") == []


WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER", "REPLACE")


class ReadersNeverWriteTests:
    def test_no_search_get_writes_even_right_after_edits(self, client):
        story = PublishedArticleFactory(headline="Cable car")
        story.headline = "Cable car gondola"
        story.save()
        # A change that sent no signal, still waiting in the queue for the next write.
        Article.objects.filter(pk=story.pk).update(standfirst="Seen from the valley.")
        assert SearchUpdate.objects.exists()
        statements = []

        def watch(execute, sql, params, many, context):
            statements.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(watch):
            for params in (
                {"q": "gondola"},
                {"q": "valley"},
                {"q": "cable car", "page": "2"},
                {"q": "the"},
                {"q": ""},
            ):
                assert client.get("/search/", params).status_code == 200
            list(search_articles("gondola"))
        assert statements
        writes = [sql for sql in statements if sql.lstrip().upper().startswith(WRITES)]
        assert writes == []
        assert SearchUpdate.objects.exists()  # still there: only a writer takes it in
