"""One click, one save (#12): one validation, one save, one revision, one log entry with an
honest message, through the admin form as a browser posts it."""

import threading

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRedirect
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
)

from .workflow_http import (
    ADD,
    add_byline,
    change_url,
    login,
    messages_of,
    page_form,
    submit,
)

pytestmark = pytest.mark.django_db


def entries(article):
    return LogEntry.objects.filter(
        content_type__app_label="articles", object_id=str(article.pk)
    ).order_by("pk")


def counts(article):
    article.refresh_from_db()
    return article.version, article.revisions.count(), entries(article).count()


class PublishNowTests:
    def test_from_the_add_form_one_click_is_one_save(self, client, editor):
        author = AuthorFactory(name="Sophia Martinez")
        data = page_form(
            client.get(ADD),
            headline="Harbour tram opens",
            body="The first run.\n\nIt was “on time”.",
            _publish="Save and publish now",
        )
        response = submit(client, ADD, add_byline(data, author))
        article = Article.objects.get()
        assert response.status_code == 302 and response["Location"] == change_url(article)
        assert counts(article) == (1, 1, 1)
        entry = entries(article).get()
        assert (entry.action_flag, entry.change_message) == (ADDITION, "Created and published")
        assert article.revisions.get().comment == "Created and published"
        assert article.revisions.get().version == 1
        assert article.is_published()

    @pytest.mark.slow
    def test_from_the_change_form_one_click_is_one_save(self, client, editor):
        story = DraftArticleFactory(headline="Harbour tram opens")
        services.revision_record(article=story, by=editor, comment="Created")
        version, revisions, log = counts(story)
        data = page_form(client.get(change_url(story)), _publish="Save and publish now")
        assert submit(client, change_url(story), data).status_code == 302
        assert counts(story) == (version + 1, revisions + 1, log + 1)
        entry = entries(story).last()
        assert (entry.action_flag, entry.change_message) == (CHANGE, "Published")
        # No other entry claims a note was added, or tags edited.
        assert [e.change_message for e in entries(story)] == ["Published"]

    def test_editing_and_publishing_in_one_click_says_both(self, client, editor):
        story = DraftArticleFactory(headline="Harbour tram opens")
        data = page_form(
            client.get(change_url(story)),
            headline="Harbour tram opens at last",
            _publish="Save and publish now",
        )
        submit(client, change_url(story), data)
        assert [e.change_message for e in entries(story)] == ["Edited the headline; published"]


class HonestSaveTests:
    def test_a_save_that_changes_nothing_writes_nothing(self, client, editor):
        story = DraftArticleFactory()
        story.tags.add("trams", "city hall")
        before = counts(story)
        response = submit(client, change_url(story), page_form(client.get(change_url(story))))
        assert response.status_code == 302
        assert counts(story) == before
        page = client.get(change_url(story))
        assert f"Nothing to save: “{story.headline}” is as it was." in messages_of(page)

    @pytest.mark.slow
    def test_the_log_names_only_what_changed(self, client, editor):
        story = DraftArticleFactory()
        story.tags.add("trams", "city hall")
        data = page_form(client.get(change_url(story)), standfirst="A new standfirst.")
        submit(client, change_url(story), data)
        assert [e.change_message for e in entries(story)] == ["Edited the standfirst"]
        assert story.revisions.get().comment == "Edited the standfirst"

    @pytest.mark.slow
    def test_tags_typed_in_an_order_keep_that_order_everywhere(self, client, editor):
        author = AuthorFactory()
        typed = ["Zürich", "trams", "city hall", "Budget 2027"]
        data = page_form(
            client.get(ADD),
            headline="Tram budget",
            body="Text.",
            tags=typed,
            _publish="Save and publish now",
        )
        submit(client, ADD, add_byline(data, author))
        story = Article.objects.get()
        assert list(story.tags.names()) == typed
        assert story.revisions.get().snapshot["tags"] == typed
        # The form shows them in that order again, and saving it changes nothing.
        form = page_form(client.get(change_url(story)))
        assert form["tags"] == typed
        before = counts(story)
        submit(client, change_url(story), {**form, "_publish_changes": "Publish changes"})
        assert counts(story) == before
        # Readers see them in that order.
        page = client.get(story.get_absolute_url()).content.decode()
        positions = [page.index(f'rel="tag">{name}</a>') for name in typed]
        assert positions == sorted(positions)
        # Reordering is a change, and is kept.
        reordered = ["trams", "Zürich", "Budget 2027", "city hall"]
        data = page_form(
            client.get(change_url(story)), tags=reordered, _publish_changes="Publish changes"
        )
        submit(client, change_url(story), data)
        assert list(story.tags.names()) == reordered
        assert story.revisions.first().comment == "Published the changes to the tags"

    def test_the_byline_order_picked_is_kept(self, client, editor):
        first, second = AuthorFactory(name="Zoe Zhang"), AuthorFactory(name="Adam Abbott")
        data = page_form(client.get(ADD), headline="Two bylines", body="Text.")
        data = add_byline(add_byline(data, first), second)
        submit(client, ADD, data)
        story = Article.objects.get()
        assert story.byline_authors == [first, second]
        form = page_form(client.get(change_url(story)))
        assert form["byline"] == [str(first.pk), str(second.pk)]
        data = {**form, "byline": [str(second.pk), str(first.pk)]}
        submit(client, change_url(story), data)
        assert Article.objects.get().byline_authors == [second, first]
        assert story.revisions.first().comment == "Edited the byline"


def test_a_new_story_starts_with_the_writers_own_byline():
    reporter = ReporterFactory()
    profile = AuthorFactory(name="Rita Reyes", user=reporter)
    form = page_form(login(reporter).get(ADD))
    assert form["byline"] == str(profile.pk)


class RefusedTransitionTests:
    def test_the_text_is_saved_and_the_message_says_exactly_why(self, client):
        reporter = ReporterFactory()
        client = login(reporter)
        data = page_form(
            client.get(ADD),
            headline="Council meets",
            body="",
            _submit="Save and submit for review",
        )
        data = add_byline(data, AuthorFactory())
        response = submit(client, ADD, data)
        story = Article.objects.get()
        assert response["Location"] == change_url(story)
        assert story.status == Article.Status.DRAFT and story.headline == "Council meets"
        assert messages_of(client.get(response["Location"])) == [
            "Saved as a draft; not submitted because the body is empty. Write the story."
        ]
        assert story.revisions.get().comment == ("Created; not submitted because the body is empty")

    def test_nothing_to_save_and_not_ready_says_not_and_why(self, client, editor):
        story = DraftArticleFactory(authors=[])
        data = page_form(client.get(change_url(story)), _publish="Save and publish now")
        response = submit(client, change_url(story), data)
        before = counts(story)
        assert messages_of(client.get(response["Location"])) == [
            "Not published because the byline has no author. Add at least one author to the byline."
        ]
        assert counts(story) == before and story.status == Article.Status.DRAFT

    def test_never_says_was_not_changed_when_it_was(self, client, editor):
        story = DraftArticleFactory(authors=[])
        data = page_form(
            client.get(change_url(story)), headline="New headline", _publish="Save and publish now"
        )
        response = submit(client, change_url(story), data)
        shown = messages_of(client.get(response["Location"]))
        assert shown[0].startswith("Saved as a draft; not published because")
        assert not any("was not changed" in message for message in shown)
        story.refresh_from_db()
        assert story.headline == "New headline"


class AddressTests:
    @pytest.fixture(autouse=True)
    def midday(self, time_machine):
        """A story's address holds its publication date: the stories these tests publish an
        hour apart must share a day, which they don't between midnight and one."""
        time_machine.move_to(timezone.localtime().replace(hour=12, minute=0), tick=True)

    def test_a_headline_of_only_emoji_gets_a_usable_slug(self, client, editor):
        data = page_form(client.get(ADD), headline="🔥🚒", slug="", body="Fire.")
        data = add_byline({**data, "_publish": "Save and publish now"}, AuthorFactory())
        response = submit(client, ADD, data)
        story = Article.objects.get()
        assert response.status_code == 302 and story.slug == "fire-fire-engine"
        assert client.get(story.get_absolute_url()).status_code == 200

    def test_a_headline_of_only_punctuation_gets_a_usable_slug(self, client, editor):
        data = page_form(client.get(ADD), headline="?!", slug="", body="Text.")
        submit(client, ADD, add_byline(data, AuthorFactory()))
        assert Article.objects.get().slug == "story"

    def test_an_address_an_old_redirect_holds_is_refused_with_a_free_slug(self, client, editor):
        moved = PublishedArticleFactory(slug="tram-fares")
        services.article_save(article=moved, by=editor, changes={"slug": "tram-fares-rise"})
        old_address = ArticleRedirect.objects.get().old_path
        draft = DraftArticleFactory(headline="Tram fares", slug="tram-fares")
        data = page_form(client.get(change_url(draft)), _publish="Save and publish now")
        response = submit(client, change_url(draft), data)
        assert response.status_code == 200
        errors = str(response.context["adminform"].form.errors["slug"])
        assert f"The address {old_address} still leads readers to" in errors
        assert "“tram-fares-2” is free" in errors
        # The free slug is filled in; saving again publishes the story there.
        form = page_form(response, _publish="Save and publish now")
        assert form["slug"] == "tram-fares-2"
        assert submit(client, change_url(draft), form).status_code == 302
        draft.refresh_from_db()
        assert draft.is_published() and draft.slug == "tram-fares-2"
        # The old address still leads to the moved story.
        assert (
            client.get(old_address)["Location"]
            == moved.__class__.objects.get(pk=moved.pk).get_absolute_url()
        )

    def test_a_clash_found_only_by_the_database_is_a_form_error(self, client, editor, monkeypatch):
        """The race: another publication takes the slug between the check and the write."""
        PublishedArticleFactory(slug="council-votes")
        draft = DraftArticleFactory(headline="Council votes", slug="council-votes")
        checks = []
        real_check = services._check_address

        def misses_once(article):
            checks.append(article.slug)
            if len(checks) > 1:
                real_check(article)  # The check after the IntegrityError sees the clash.

        monkeypatch.setattr(services, "_check_address", misses_once)
        data = page_form(
            client.get(change_url(draft)),
            body="My whole text.",
            _publish="Save and publish now",
        )
        response = submit(client, change_url(draft), data)
        assert response.status_code == 200
        assert "“council-votes-2” is free" in str(response.context["adminform"].form.errors)
        assert "My whole text." in response.content.decode()
        draft.refresh_from_db()
        assert draft.status == Article.Status.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_editors_publishing_the_same_slug_at_once():
    """Two editors press "Save and publish now" on two drafts with the same slug at the same
    moment: one publishes, the other is told and keeps their text; never a 500."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one writer at a time: the race needs PostgreSQL's.")
    author = AuthorFactory()
    drafts = [
        DraftArticleFactory(headline="Mayor resigns", slug="mayor-resigns", authors=[author])
        for _ in range(2)
    ]
    editors = [EditorFactory(), EditorFactory()]
    both_checked = threading.Barrier(2, timeout=10)
    real_check = services._check_address

    def check_then_wait(article):
        real_check(article)
        if not getattr(threading.current_thread(), "checked", False):
            threading.current_thread().checked = True
            both_checked.wait()  # Both pass the check before either writes.

    results = {}

    def publish(index):
        client = Client(raise_request_exception=False)
        client.force_login(editors[index])
        url = change_url(drafts[index])
        data = page_form(client.get(url), body=f"Text {index}.", _publish="Save and publish")
        results[index] = submit(client, url, data)
        connections.close_all()

    original = services._check_address
    services._check_address = check_then_wait
    try:
        threads = [threading.Thread(target=publish, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        services._check_address = original
    statuses = sorted(response.status_code for response in results.values())
    assert statuses == [200, 302], statuses
    refused = next(r for r in results.values() if r.status_code == 200)
    assert "“mayor-resigns-2” is free" in refused.content.decode()
    published = Article.objects.published()
    assert published.count() == 1
    loser = Article.objects.exclude(pk=published.get().pk).get()
    assert loser.status == Article.Status.DRAFT
    index = drafts.index(next(d for d in drafts if d.pk == loser.pk))
    assert f"Text {index}." in refused.content.decode()
