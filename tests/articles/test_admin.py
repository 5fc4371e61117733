"""The editors' workspace, through real HTTP requests as logged-in users."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ADD = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def story_form(*authors, article=None, **fields):
    """The POST data of the story form (for `article`, if changing); `authors` are (author,
    position) pairs, posted in position order as the byline field sends them."""
    data = {
        "expected_version": str(article.version) if article else "",
        "headline": "Harbour tram opens",
        "slug": "harbour-tram-opens",
        "standfirst": "The first line in 60 years.",
        "body": "The tram’s first run.\n\nIt was “on time”.",
        "tags": "transport, city",
        "byline": [str(author.pk) for author, _ in sorted(authors, key=lambda a: a[1])],
        "_save": "Save",
    }
    data.update(fields)
    return data


class ChangelistTests:
    @pytest.mark.slow
    def test_lists_stories_with_byline_status_and_editor(self, client, editor):
        author = AuthorFactory(name="Sophia Martinez")
        PublishedArticleFactory(headline="Live one", authors=[author], updated_by=editor)
        DraftArticleFactory(headline="Draft one")
        html = client.get(CHANGELIST).content.decode()
        assert "Live one" in html and "Draft one" in html
        assert "Sophia Martinez" in html
        assert '<td class="field-state">Live</td>' in html
        assert editor.username in html

    @pytest.mark.parametrize(
        "query",
        [
            {"status__exact": "published"},
            {"q": "fentanyl"},
            {"q": "Martinez"},
            {"tag": "health"},
            {"author": "1"},
            {"author": "Nobody"},
            {"tag": "%;<b>DROP"},
            {"author": "9" * 30},
            {"published_at__year": "2026"},
        ],
    )
    def test_filters_and_search_answer(self, client, editor, query):
        PublishedArticleFactory(headline="Fentanyl story").tags.add("health")
        response = client.get(CHANGELIST, query)
        assert response.status_code == 200

    def test_search_finds_by_author_name(self, client, editor):
        author = AuthorFactory(name="Sophia Martinez")
        PublishedArticleFactory(headline="Hers", authors=[author])
        # A name of its own: a made-up one could be a Martinez too.
        PublishedArticleFactory(headline="Someone else's", authors=[AuthorFactory(name="Bo Berg")])
        response = client.get(CHANGELIST, {"q": "martinez"})
        assert [a.headline for a in response.context["cl"].result_list] == ["Hers"]

    def test_author_filter(self, client, editor):
        author = AuthorFactory()
        PublishedArticleFactory(headline="Hers", authors=[author])
        PublishedArticleFactory(headline="Other")
        response = client.get(CHANGELIST, {"author": author.pk})
        assert [a.headline for a in response.context["cl"].result_list] == ["Hers"]

    @pytest.mark.slow
    def test_query_count_does_not_grow_with_rows(self, client, editor):
        def count():
            with CaptureQueriesContext(connection) as captured:
                assert client.get(CHANGELIST).status_code == 200
            return len(captured)

        PublishedArticleFactory.create_batch(2, authors=[AuthorFactory(), AuthorFactory()])
        few = count()
        PublishedArticleFactory.create_batch(28, authors=[AuthorFactory(), AuthorFactory()])
        assert count() == few


class EditFormTests:
    def test_add_keeps_byline_order_and_text_exactly(self, client, editor):
        second, first = AuthorFactory(name="Second"), AuthorFactory(name="First")
        response = client.post(ADD, story_form((first, 0), (second, 1)))
        assert response.status_code == 302
        article = Article.objects.get()
        assert [a.name for a in article.byline_authors] == ["First", "Second"]
        assert article.body == "<p>The tram’s first run.</p>\n<p>It was “on time”.</p>"
        assert set(article.tags.names()) == {"transport", "city"}
        assert article.status == Article.Status.DRAFT
        assert article.created_by == editor and article.updated_by == editor

    @pytest.mark.slow
    def test_form_gives_the_rich_editor_the_html(self, client, editor):
        article = DraftArticleFactory(body="<p>One &amp; two.</p>\n<p>Three “four”.</p>")
        response = client.get(change_url(article))
        assert response.context["adminform"].form.initial["body"] == article.body
        assert "django_prose_editor" in response.content.decode()

    def test_editor_html_is_sanitised_and_plain_text_becomes_paragraphs(self, client, editor):
        article = DraftArticleFactory(slug="x")
        hostile = '<h2>Sub</h2><p onclick="x()">Hi<script>alert(1)</script></p>'
        client.post(change_url(article), story_form(article=article, slug="x", body=hostile))
        article.refresh_from_db()
        assert article.body == "<h2>Sub</h2><p>Hi</p>"
        client.post(change_url(article), story_form(article=article, slug="x", body="A\n\nB"))
        article.refresh_from_db()
        assert article.body == "<p>A</p>\n<p>B</p>"

    def test_status_posted_by_hand_is_ignored(self, client, reporter):
        author = AuthorFactory()
        client.post(ADD, story_form((author, 0), status="published", published_at="2026-01-01"))
        assert Article.objects.get().status == Article.Status.DRAFT

    def test_save_and_publish(self, client, editor):
        response = client.post(ADD, story_form((AuthorFactory(), 0), _publish="Save and publish"))
        article = Article.objects.get()
        assert response.status_code == 302 and response["Location"] == change_url(article)
        assert article.is_published()
        page = client.get(response["Location"])
        message = str(list(page.context["messages"])[0])
        assert message.startswith("Published “Harbour tram opens”. It is live at")
        assert article.get_absolute_url() in message
        assert "Withdraw…" in page.content.decode()
        assert client.get(article.get_absolute_url()).status_code == 200

    def test_publish_without_an_author_keeps_the_draft_and_says_why(self, client, editor):
        response = client.post(ADD, story_form(_publish="Save and publish"), follow=True)
        article = Article.objects.get()
        assert article.status == Article.Status.DRAFT
        assert article.headline == "Harbour tram opens"
        message = str(list(response.context["messages"])[0])
        assert message == (
            "Saved as a draft; not published because the byline has no author. "
            "Add at least one author to the byline."
        )

    def test_withdraw_asks_for_the_reason_first(self, client, editor):
        article = PublishedArticleFactory()
        withdraw = reverse("admin:articles_article_withdraw", args=[article.pk])
        page = client.get(withdraw)
        assert page.status_code == 200 and "Why is it withdrawn?" in page.content.decode()
        # Without a reason nothing happens, and the page says what is missing.
        response = client.post(withdraw, {"_confirmed": "yes", "reason": " "})
        assert response.status_code == 200 and response.context["form"].errors["reason"]
        article.refresh_from_db()
        assert article.is_published()
        response = client.post(
            withdraw, {"_confirmed": "yes", "reason": "It named the wrong driver."}, follow=True
        )
        article.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN
        assert "was taken down" in str(list(response.context["messages"])[0])
        assert article.corrections.get().text == "It named the wrong driver."

    def test_withdraw_posted_as_a_form_button_is_refused_without_a_reason(self, client, editor):
        article = PublishedArticleFactory()
        data = story_form(
            (AuthorFactory(), 0),
            article=article,
            headline=article.headline,
            slug=article.slug,
            _withdraw="Withdraw",
        )
        response = client.post(change_url(article), data)
        assert response.status_code == 200
        assert "Say why" in str(response.context["adminform"].form.non_field_errors())
        article.refresh_from_db()
        assert article.is_published()

    def test_staff_without_permission_cannot_publish(self, client, reporter):
        response = client.post(ADD, story_form((AuthorFactory(), 0), _publish="Save and publish"))
        assert response.status_code == 403
        assert not Article.objects.exists()
        assert "Save and publish" not in client.get(ADD).content.decode()

    def test_slug_clash_on_the_same_day_is_a_form_error(self, client, editor):
        PublishedArticleFactory(slug="harbour-tram-opens")
        article = PublishedArticleFactory(slug="other")
        data = story_form((AuthorFactory(), 0), article=article, headline=article.headline)
        response = client.post(change_url(article), data)
        assert response.status_code == 200
        assert "already uses the address" in str(response.context["adminform"].form.errors["slug"])

    def test_only_a_significant_update_shows_readers_a_new_time(self, client, editor):
        author = AuthorFactory()
        article = PublishedArticleFactory(slug="harbour-tram-opens", authors=[author])
        data = story_form((author, 0), article=article, body="A typo fixed.", _publish_changes="1")
        client.post(change_url(article), data)
        article.refresh_from_db()
        assert article.body == "<p>A typo fixed.</p>" and not article.was_updated
        data = story_form(
            (author, 0),
            article=article,
            body="New facts.",
            significant_update="on",
            _publish_changes="1",
        )
        client.post(change_url(article), data)
        article.refresh_from_db()
        assert article.body == "<p>New facts.</p>" and article.was_updated

    def test_view_on_site_only_for_live_stories(self, client, editor):
        live, draft = PublishedArticleFactory(), DraftArticleFactory()
        assert live.get_absolute_url() in client.get(change_url(live)).content.decode()
        assert "View on site" not in client.get(change_url(draft)).content.decode()

    def test_headline_is_escaped_in_messages(self, client, editor):
        data = story_form((AuthorFactory(), 0), headline="<b>bold</b>", slug="bold")
        response = client.post(ADD, {**data, "_publish": "1"}, follow=True)
        assert "&lt;b&gt;bold&lt;/b&gt;" in response.content.decode()


class ActionTests:
    def post_action(self, client, action, *articles):
        return client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [a.pk for a in articles]},
            follow=True,
        )

    def test_publish_action(self, client, editor):
        ready, no_author = DraftArticleFactory(), DraftArticleFactory(authors=[])
        response = self.post_action(client, "publish_selected", ready, no_author)
        ready.refresh_from_db(), no_author.refresh_from_db()
        assert ready.is_published() and not no_author.is_published()
        messages = [str(m) for m in response.context["messages"]]
        assert any(m.startswith(f"Published “{ready.headline}”") for m in messages)
        assert any("Add at least one author" in m for m in messages)

    def test_withdraw_action_asks_for_the_reason(self, client, editor):
        article, draft = PublishedArticleFactory(), DraftArticleFactory()
        page = self.post_action(client, "withdraw_selected", article, draft)
        assert "Why is it withdrawn?" in page.content.decode()
        article.refresh_from_db()
        assert article.is_published()
        response = client.post(
            CHANGELIST,
            {
                "action": "withdraw_selected",
                "_selected_action": [article.pk, draft.pk],
                "_confirmed": "yes",
                "reason": "Legal advice.",
            },
            follow=True,
        )
        article.refresh_from_db(), draft.refresh_from_db()
        assert article.status == Article.Status.WITHDRAWN
        assert draft.status == Article.Status.DRAFT
        assert any("was taken down" in str(m) for m in response.context["messages"])

    def test_actions_are_refused_without_permission(self, client, reporter):
        article = DraftArticleFactory()
        response = client.get(CHANGELIST)
        assert "publish_selected" not in response.content.decode()
        self.post_action(client, "publish_selected", article)
        article.refresh_from_db()
        assert article.status == Article.Status.DRAFT
