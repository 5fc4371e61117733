"""What readers see as stories move through the workflow, through real HTTP requests (#3).

Times are set with time_machine and built in the newsroom's zone (Europe/London here, an hour
ahead of UTC in July), so a time zone mistake shows up as a story an hour early or late.
"""

import datetime
import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib import messages
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleRedirect, Correction
from articles.previews import SALT, preview_url
from articles.text import html_to_text
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    LegalFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

from .workflow_http import (
    ADD,
    ADMIN_INDEX,
    CHANGELIST,
    LOGIN,
    add_byline,
    admin_preview_url,
    assert_login_redirect,
    change_url,
    compare_url,
    desk_lists,
    form_fields,
    login,
    messages_of,
    page_form,
    preview_links_url,
    revisions_url,
    story_text,
    submit,
    text_of,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2031, 7, 15)
PAST_DAY = datetime.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _newsroom_zone(settings):
    settings.TIME_ZONE = "Europe/London"


def at(hour, minute=0, second=0, day=DAY):
    """A moment on the newsroom's clock (Europe/London)."""
    naive = datetime.datetime.combine(day, datetime.time(hour, minute, second))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def frozen(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def editor():
    return EditorFactory(first_name="Eve", last_name="Ellis")


@pytest.fixture
def second_editor():
    return EditorFactory(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def reporter():
    user = ReporterFactory(first_name="Rita", last_name="Reyes")
    AuthorFactory(name="Rita Reyes", slug="rita-reyes", user=user)
    return user


@pytest.fixture
def other_reporter():
    user = ReporterFactory(first_name="Omar", last_name="Okafor")
    AuthorFactory(name="Omar Okafor", slug="omar-okafor", user=user)
    return user


@pytest.fixture
def author():
    return AuthorFactory(name="Nadia Noor", slug="nadia-noor")


def edit(user, article, **changes):
    """Opens the story form as `user`, types the changes and presses the button given; on a
    live story without one, "Publish changes" (plain "Save" keeps them a draft, #12)."""
    client = login(user)
    pressed = any(name.startswith("_") for name in changes)
    if not pressed and Article.objects.get(pk=article.pk).is_published():
        changes["_publish_changes"] = "Publish changes"
    data = page_form(client.get(change_url(article)), **changes)
    response = submit(client, change_url(article), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    assert not response["Location"].startswith(LOGIN), "the session ran out"
    article.refresh_from_db()
    return client, response


def withdraw(user, article, reason="It was wrong."):
    """The "Withdraw…" button: its page asks for the reason, then withdraws."""
    client = login(user)
    url = reverse("admin:articles_article_withdraw", args=[article.pk])
    assert client.get(url).status_code == 200
    response = submit(client, url, {"_confirmed": "yes", "reason": reason})
    assert response.status_code == 302
    article.refresh_from_db()
    return client, response


def visible(client, article, author, correction_text=None) -> dict:
    """Where readers can find the story (and its correction) right now."""
    url = article.get_absolute_url()
    seen = {
        "front page": article.headline in client.get("/").content.decode(),
        "story page": client.get(url).status_code,
        "author page": article.headline in client.get(author.get_absolute_url()).content.decode(),
    }
    if correction_text:
        seen["corrections"] = correction_text in client.get("/corrections/").content.decode()
    return seen


class SchedulingTests:
    @pytest.mark.slow
    def test_a_scheduled_story_goes_live_on_every_page_at_its_minute(self, client, editor, author):
        with frozen(at(9)):
            article = DraftArticleFactory(
                headline="Tram strike called off", slug="tram-strike-called-off", authors=[author]
            )
            edit(
                editor,
                article,
                publish_at_0=DAY.isoformat(),
                publish_at_1="14:00",
                _schedule="Save and schedule",
            )
        assert article.published_at == at(14)
        assert article.published_at == datetime.datetime(2031, 7, 15, 13, tzinfo=datetime.UTC)
        assert article.get_absolute_url() == "/2031/07/15/tram-strike-called-off/"

        absent = {"front page": False, "story page": 404, "author page": False}
        present = {"front page": True, "story page": 200, "author page": True}
        for moment in (at(9, 1), at(13, 0), at(13, 59), at(13, 59, 59)):
            with frozen(moment):
                assert visible(client, article, author) == absent, moment
        for moment in (at(14), at(14, 0, 1), at(18)):
            with frozen(moment):
                assert visible(client, article, author) == present, moment

    @pytest.mark.slow
    def test_a_correction_on_a_rescheduled_story_appears_with_it(self, client, editor, author):
        """Live, corrected, withdrawn, then scheduled again for 14:00."""
        with frozen(at(8)):
            article = PublishedArticleFactory(
                headline="Bridge reopening date", slug="bridge-reopening", authors=[author]
            )
        with frozen(at(8, 30)):
            text = "An earlier version gave the wrong reopening date."
            services.article_correct(article=article, by=editor, kind="correction", text=text)
        with frozen(at(9)):
            withdraw(editor, article)
            assert client.get(article.get_absolute_url()).status_code == 410
        with frozen(at(10)):
            edit(
                editor,
                article,
                publish_at_0=DAY.isoformat(),
                publish_at_1="14:00",
                _schedule="Save and schedule",
            )
        assert article.is_scheduled() and article.published_at == at(14)

        with frozen(at(13, 59)):
            seen = visible(client, article, author, text)
            assert seen == {
                "front page": False,
                "story page": 404,
                "author page": False,
                "corrections": False,
            }
        with frozen(at(14)):
            seen = visible(client, article, author, text)
            assert seen == {
                "front page": True,
                "story page": 200,
                "author page": True,
                "corrections": True,
            }

    def test_scheduled_story_is_on_the_desk_until_it_goes_live(self, editor):
        with frozen(at(9)):
            article = ScheduledArticleFactory(headline="Night bus trial", published_at=at(14))
        with frozen(at(13, 59)):
            lists = desk_lists(login(editor).get(ADMIN_INDEX).content.decode())
            assert "Night bus trial" in lists["Scheduled next"]
            assert "Night bus trial" not in lists["Recently published"]
        with frozen(at(14)):
            lists = desk_lists(login(editor).get(ADMIN_INDEX).content.decode())
            assert "Night bus trial" not in lists["Scheduled next"]
            assert "Night bus trial" in lists["Recently published"]
        assert article.published_at == at(14)

    @pytest.mark.parametrize(
        ("day", "time"),
        [("2032-03-28", "01:30"), ("2031-10-26", "01:30")],
        ids=["skipped-by-the-clocks-going-forward", "repeated-when-they-go-back"],
    )
    def test_a_local_time_that_does_not_exist_once_is_a_form_error(self, editor, day, time):
        with frozen(at(9)):
            article = ReviewArticleFactory(headline="Clock change story")
            client = login(editor)
            data = page_form(
                client.get(change_url(article)), publish_at_0=day, publish_at_1=time, _schedule="1"
            )
            response = submit(client, change_url(article), data)
        assert response.status_code == 200
        assert "publish_at" in response.context["adminform"].form.errors
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW and article.published_at is None


class WithdrawnTests:
    @pytest.fixture
    def live(self, editor, author):
        with frozen(at(8)):
            article = PublishedArticleFactory(
                headline="Hospital waiting times", slug="hospital-waiting-times", authors=[author]
            )
        with frozen(at(9)):
            services.article_correct(
                article=article, by=editor, kind="correction", text="A figure was wrong."
            )
        return article

    def test_withdrawn_story_is_gone_from_every_page(self, client, editor, author, live):
        with frozen(at(10)):
            before = visible(client, live, author, "A figure was wrong.")
            assert before == {
                "front page": True,
                "story page": 200,
                "author page": True,
                "corrections": True,
            }
            withdraw(editor, live)
            assert live.status == Article.Status.WITHDRAWN

            response = client.get(live.get_absolute_url())
            assert response.status_code == 410
            assert "This story has been withdrawn" in response.content.decode()
            assert "A figure was wrong." not in response.content.decode()
            assert "Hospital waiting times" not in client.get("/").content.decode()
            author_page = client.get(author.get_absolute_url()).content.decode()
            assert "Hospital waiting times" not in author_page
            # The corrections page says it was withdrawn, when and why, without its text, its
            # headline, its notes or its address: they may be why it was taken down (#12).
            corrections = client.get("/corrections/").content.decode()
            assert "A figure was wrong." not in corrections
            assert "Hospital waiting times" not in corrections
            assert live.slug not in corrections
            entry = text_of(corrections)
            assert (
                "A story published on 15 July 2031 Withdrawn on 15 July 2031: It was wrong."
                in entry
            )
            assert "Withdrawn on 15 July 2031: It was wrong." in text_of(response.content.decode())

    def test_former_address_of_a_withdrawn_story_is_gone_too(self, client, editor, live):
        with frozen(at(10)):
            first_url = live.get_absolute_url()
            edit(editor, live, slug="hospital-waiting-times-rise")
            assert client.get(first_url).status_code == 301
            withdraw(editor, live)
            for url in (first_url, live.get_absolute_url()):
                response = client.get(url)
                assert response.status_code == 410, url
                assert "This story has been withdrawn" in response.content.decode()

    def test_withdrawn_story_stays_gone_when_another_day_has_a_live_story_with_its_slug(
        self, client, editor, author
    ):
        """Recurring slugs ("weather", "live-updates") are common: yesterday's withdrawn story
        must still answer 410, not send readers to today's story of the same name."""
        with frozen(at(8, day=DAY - timedelta(days=1))):
            withdrawn = PublishedArticleFactory(
                headline="Weather: storm warning", slug="weather", authors=[author]
            )
        with frozen(at(8)):
            PublishedArticleFactory(headline="Weather: sunny spells", slug="weather")
        with frozen(at(10)):
            withdraw(editor, withdrawn)
            response = client.get(withdrawn.get_absolute_url())
            assert response.status_code == 410, response.get("Location")
            assert "This story has been withdrawn" in response.content.decode()


class CorrectionTests:
    @pytest.fixture
    def live(self, author):
        with frozen(at(9)):
            return PublishedArticleFactory(
                headline="Mayor opens new library",
                slug="mayor-opens-new-library",
                body="<p>The library opened on Monday.</p>",
                authors=[author],
            )

    def test_story_ends_with_the_correction_and_shows_updated(self, client, editor, live):
        text = "An earlier version of this story misspelled the mayor’s name."
        # 00:30 on 16 July in London is still 15 July in UTC: the date readers see is London's.
        with frozen(at(0, 30, day=DAY + timedelta(days=1))):
            correction = services.article_correct(
                article=live, by=editor, kind="correction", text=text
            )
            page = client.get(live.get_absolute_url())
        assert correction.created_at == at(0, 30, day=DAY + timedelta(days=1))
        assert page.status_code == 200
        words = story_text(page.content.decode())
        assert words.endswith(f"Correction, 16 July 2031: {text}"), words[-200:]
        assert "Updated 16 July 2031, 00:30" in words

    def test_corrections_page_lists_newest_first(self, client, editor, live, author):
        with frozen(at(9)):
            other = PublishedArticleFactory(headline="Ferry fares rise", authors=[author])
        notes = [
            (at(10), live, "correction", "First note: the opening day was Tuesday."),
            (at(11), other, "clarification", "Second note: fares rise for adults only."),
            (at(12), live, "update", "Third note: the library now opens on Sundays."),
        ]
        for moment, article, kind, text in notes:
            with frozen(moment):
                services.article_correct(article=article, by=editor, kind=kind, text=text)
        with frozen(at(13)):
            page = text_of(client.get("/corrections/").content.decode())
        positions = [page.index(text) for _, _, _, text in notes]
        assert positions == sorted(positions, reverse=True)
        assert "Update, 15 July 2031: Third note" in page
        assert "Clarification, 15 July 2031: Second note" in page
        with frozen(at(13)):
            words = story_text(client.get(live.get_absolute_url()).content.decode())
        # On the story itself, the notes read in the order they were added.
        assert words.index("First note") < words.index("Third note")
        assert words.endswith("Update, 15 July 2031: Third note: the library now opens on Sundays.")

    @pytest.mark.slow
    def test_only_a_significant_update_changes_the_updated_time(self, client, editor, live):
        url = live.get_absolute_url()
        with frozen(at(10)):
            edit(editor, live, body="The library opened on Tuesday.")
            assert live.revised_at is None
            assert "Updated" not in client.get(url).content.decode()
        with frozen(at(11)):
            services.article_correct(
                article=live, by=editor, kind="correction", text="It opened on Tuesday."
            )
            live.refresh_from_db()
            assert live.revised_at == at(11)
        with frozen(at(12)):
            edit(editor, live, body="The library opened on Tuesday, not Monday.")
            assert live.revised_at == at(11)
            words = story_text(client.get(url).content.decode())
            assert "Updated 15 July 2031, 11:00" in words
            assert "The library opened on Tuesday, not Monday." in words
        with frozen(at(13)):
            edit(editor, live, body="Opening hours were extended.", significant_update="on")
            assert live.revised_at == at(13)
            words = story_text(client.get(url).content.decode())
            assert "Updated 15 July 2031, 13:00" in words
            assert "11:00" not in words

    def test_a_correction_through_the_admin_form(self, client, editor, live):
        with frozen(at(15)):
            edit(
                editor,
                live,
                correction_kind="correction",
                correction_text="The library has 40,000 books, not 4,000.",
            )
            words = story_text(client.get(live.get_absolute_url()).content.decode())
        assert words.endswith("Correction, 15 July 2031: The library has 40,000 books, not 4,000.")
        assert "Updated 15 July 2031, 15:00" in words
        # The published ones are not called "notes" on the form: the internal thread of notes
        # is just below it, and is never shown to readers (#15).
        with frozen(at(16)):
            form = login(editor).get(change_url(live)).content.decode()
        assert "Published so far" in form and "Notes so far" not in form
        assert "The library has 40,000 books" in form


class SlugChangeTests:
    @pytest.fixture(params=["admin form", "service"])
    def rename(self, request, editor):
        def rename(article, slug):
            if request.param == "admin form":
                edit(editor, article, slug=slug)
            else:
                services.article_save(article=article, by=editor, changes={"slug": slug})
            return Article.objects.get(pk=article.pk)

        return rename

    @pytest.fixture
    def live(self):
        return PublishedArticleFactory(slug="council-tax", published_at=at(9, day=PAST_DAY))

    def test_old_address_redirects_permanently_to_the_new_one(self, client, live, rename):
        old_url = live.get_absolute_url()
        live = rename(live, "council-tax-rises")
        assert live.get_absolute_url() == "/2026/03/10/council-tax-rises/"
        response = client.get(old_url)
        assert response.status_code == 301
        assert response["Location"] == "/2026/03/10/council-tax-rises/"
        assert client.get(response["Location"]).status_code == 200

    def test_two_renames_still_take_one_hop(self, client, live, rename):
        first_url = live.get_absolute_url()
        second_url = rename(live, "council-tax-rises").get_absolute_url()
        final_url = rename(live, "council-tax-rises-five-percent").get_absolute_url()
        for url in (first_url, second_url):
            response = client.get(url)
            assert response.status_code == 301, url
            assert response["Location"] == final_url, url
        assert client.get(final_url).status_code == 200
        assert set(ArticleRedirect.objects.values_list("old_path", flat=True)) == {
            first_url,
            second_url,
        }

    def test_renaming_back_does_not_loop(self, client, live, rename):
        first_url = live.get_absolute_url()
        second_url = rename(live, "council-tax-rises").get_absolute_url()
        assert rename(live, "council-tax").get_absolute_url() == first_url
        assert client.get(first_url).status_code == 200
        response = client.get(second_url)
        assert response.status_code == 301 and response["Location"] == first_url


class SharedPreviewTests:
    @pytest.fixture
    def draft(self, reporter):
        return DraftArticleFactory(
            headline="Secret budget plans",
            created_by=reporter,
            authors=[reporter.author_profile],
        )

    def assert_private(self, response):
        assert "noindex" in response["X-Robots-Tag"]
        cache = response["Cache-Control"]
        assert "private" in cache and "no-store" in cache

    def test_anonymous_reader_sees_the_draft_with_the_banner(self, client, reporter, draft):
        link = services.preview_link_create(article=draft, by=reporter)
        response = client.get(preview_url(link))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Secret budget plans" in html
        assert 'class="preview-banner"' in html and "This story is not published" in html
        self.assert_private(response)
        assert client.head(preview_url(link)).status_code == 200
        assert client.post(preview_url(link)).status_code == 405

    def test_link_to_a_withdrawn_story_is_gone(self, client, editor):
        story = PublishedArticleFactory(headline="Taken down")
        link = services.preview_link_create(article=story, by=editor)
        services.article_withdraw(article=story, by=editor, reason="Legal advice.")
        response = client.get(preview_url(link))
        assert response.status_code == 410
        assert "Taken down" not in response.content.decode()
        self.assert_private(response)

    def test_link_created_on_the_admin_page_works(self, client, reporter, draft):
        response = submit(login(reporter), preview_links_url(draft), {}, follow=True)
        link = draft.preview_links.get()
        # The token carries the time it was signed, so compare what it names, not its text.
        shown = [u for m in messages_of(response) for u in re.findall(r"/preview/[^/\s\"<]+/", m)]
        assert shown and all(signing.loads(u.split("/")[2], salt=SALT) == link.pk for u in shown)
        assert client.get(shown[0]).status_code == 200
        assert client.get(preview_url(link)).status_code == 200

    def test_link_expires_after_48_hours(self, client, reporter, draft):
        start = at(9)
        with frozen(start):
            link = services.preview_link_create(article=draft, by=reporter)
            url = preview_url(link)
        with frozen(start + timedelta(hours=47, minutes=59)):
            assert client.get(url).status_code == 200
        for later in (timedelta(hours=48), timedelta(hours=48, minutes=2), timedelta(days=30)):
            with frozen(start + later):
                response = client.get(url)
                assert response.status_code == 410, later
                assert "This preview link no longer works" in response.content.decode()
                assert "Secret budget plans" not in response.content.decode()
                self.assert_private(response)

    def test_revoked_link_is_gone(self, client, reporter, editor, draft):
        link = services.preview_link_create(article=draft, by=reporter)
        services.preview_link_revoke(link=link, by=reporter)
        assert client.get(preview_url(link)).status_code == 410
        # Revoking on the admin page, as an editor, does the same.
        second = services.preview_link_create(article=draft, by=reporter)
        assert client.get(preview_url(second)).status_code == 200
        response = submit(login(editor), preview_links_url(draft), {"revoke": str(second.pk)})
        assert response.status_code == 302
        response = client.get(preview_url(second))
        assert response.status_code == 410
        assert "Secret budget plans" not in response.content.decode()

    def test_tampered_token_is_gone(self, client, reporter, draft):
        link = services.preview_link_create(article=draft, by=reporter)
        url = preview_url(link)
        token = url.rstrip("/").rsplit("/", 1)[1]
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        # Another link's id under this link's signature (the id's own encoding, reversed, can
        # read the same: "MTM" is 13's).
        head = token.split(":")[0]
        other = signing.dumps(link.pk + 1, salt=SALT).split(":")[0]
        other_pk = token.replace(head, other, 1)
        for bad in (forged, other_pk, "nope", token + "x"):
            response = client.get(f"/preview/{bad}/")
            assert response.status_code == 410, bad
            assert "Secret budget plans" not in response.content.decode()

    def test_link_to_a_published_story_leads_to_it(self, client, reporter, editor, draft):
        link = services.preview_link_create(article=draft, by=reporter)
        services.article_publish(article=draft, by=editor)
        response = client.get(preview_url(link))
        assert response.status_code == 302
        assert response["Location"] == draft.get_absolute_url()
        assert client.get(response["Location"]).status_code == 200

    def test_link_to_a_scheduled_story_still_previews_until_it_is_live(
        self, client, reporter, editor, draft
    ):
        with frozen(at(9)):
            link = services.preview_link_create(article=draft, by=reporter)
            services.article_schedule(article=draft, by=editor, at=at(14))
        with frozen(at(13, 59)):
            response = client.get(preview_url(link))
            assert response.status_code == 200
            assert "scheduled for 15 July 2031, 14:00" in response.content.decode()
        with frozen(at(14)):
            response = client.get(preview_url(link))
            assert response.status_code == 302
            assert response["Location"] == draft.get_absolute_url()


class AdminPreviewTests:
    @pytest.fixture
    def draft(self, reporter):
        return DraftArticleFactory(
            headline="Draft on the port deal",
            created_by=reporter,
            authors=[reporter.author_profile],
        )

    @pytest.mark.parametrize("who", ["editor", "reporter"])
    def test_editor_and_owner_see_it_never_cached(self, request, draft, who):
        response = login(request.getfixturevalue(who)).get(admin_preview_url(draft))
        assert response.status_code == 200
        assert "Draft on the port deal" in response.content.decode()
        assert 'class="preview-banner"' in response.content.decode()
        cache = response["Cache-Control"]
        assert "no-cache" in cache and "no-store" in cache and "private" in cache
        assert "noindex" in response["X-Robots-Tag"]

    def test_a_live_story_is_previewed_on_the_site(self, editor):
        story = PublishedArticleFactory()
        response = login(editor).get(admin_preview_url(story))
        assert response.status_code == 302 and response["Location"] == story.get_absolute_url()

    def test_another_reporter_is_refused(self, other_reporter, draft):
        response = login(other_reporter).get(admin_preview_url(draft))
        assert response.status_code == 403
        assert "Draft on the port deal" not in response.content.decode()

    def test_anonymous_visitor_is_sent_to_login(self, client, draft):
        url = admin_preview_url(draft)
        assert_login_redirect(client.get(url), url)


class DeskTests:
    @pytest.fixture
    def stories(self, editor, reporter, other_reporter):
        with frozen(at(8)):
            stories = {
                "rita review": ReviewArticleFactory(headline="Rita in review", created_by=reporter),
                "omar review": ReviewArticleFactory(
                    headline="Omar in review", authors=[other_reporter.author_profile]
                ),
                "rita draft": DraftArticleFactory(headline="Rita draft", created_by=reporter),
                "omar draft": DraftArticleFactory(headline="Omar draft", created_by=other_reporter),
                "eve draft": DraftArticleFactory(headline="Eve draft", created_by=editor),
                "scheduled": ScheduledArticleFactory(
                    headline="Scheduled tomorrow", published_at=at(8, day=DAY + timedelta(1))
                ),
                "published": PublishedArticleFactory(
                    headline="Published this morning", published_at=at(7), created_by=reporter
                ),
                "withdrawn": WithdrawnArticleFactory(
                    headline="Withdrawn story", published_at=at(6), created_by=reporter
                ),
            }
        return stories

    def headlines(self, section_html):
        return set(
            re.findall(r'<a href="/admin/articles/article/\d+/change/">([^<]+)</a>', section_html)
        )

    def test_editor_sees_the_whole_desk(self, editor, stories):
        with frozen(at(9)):
            page = login(editor).get(ADMIN_INDEX)
        assert page.status_code == 200
        lists = desk_lists(page.content.decode())
        assert list(lists) == [
            "Awaiting review",
            "My drafts",
            "Scheduled next",
            "Recently published",
        ]
        assert self.headlines(lists["Awaiting review"]) == {"Rita in review", "Omar in review"}
        assert self.headlines(lists["My drafts"]) == {"Eve draft"}
        assert self.headlines(lists["Scheduled next"]) == {"Scheduled tomorrow"}
        assert self.headlines(lists["Recently published"]) == {"Published this morning"}

    def test_reporter_sees_only_their_own_lists(self, reporter, stories):
        with frozen(at(9)):
            page = login(reporter).get(ADMIN_INDEX)
        assert page.status_code == 200
        html = page.content.decode()
        lists = desk_lists(html)
        assert list(lists) == ["My stories in review", "My drafts"]
        assert self.headlines(lists["My stories in review"]) == {"Rita in review"}
        assert self.headlines(lists["My drafts"]) == {"Rita draft"}
        for other in ("Omar in review", "Omar draft", "Eve draft", "Scheduled tomorrow"):
            assert other not in html, other

    def test_legal_sees_what_is_held_not_empty_writers_boxes(self, stories):
        """Legal writes no stories (#15): no "My assignments", "My stories in review" or "My
        drafts" on their desk, which starts with what is on hold."""
        legal = LegalFactory()
        with frozen(at(9)):
            services.article_hold(
                article=stories["published"], by=legal, reason="Defamation risk in para 7."
            )
            page = login(legal).get(ADMIN_INDEX)
        assert page.status_code == 200
        html = page.content.decode()
        lists = desk_lists(html)
        assert list(lists) == ["On legal hold"]
        assert self.headlines(lists["On legal hold"]) == {"Published this morning"}
        assert "My assignments" not in html


class NoLostEditsTests:
    @pytest.mark.slow
    def test_second_editor_saving_a_stale_form_is_refused(self, editor, second_editor):
        with frozen(at(9)):
            article = ReviewArticleFactory(headline="Rail fares", body="<p>Original text.</p>")
            # Ada (second_editor) saves first; Eve (editor) still has the form she opened.
            first, second = login(second_editor), login(editor)
            first_page = first.get(change_url(article))
            second_page = second.get(change_url(article))
        version = first_page.context["adminform"].form.initial["expected_version"]
        assert version == article.version
        assert second_page.context["adminform"].form.initial["expected_version"] == version
        assert f'name="expected_version" value="{version}"' in first_page.content.decode()

        with frozen(at(10)):
            response = submit(
                first,
                change_url(article),
                page_form(first_page, body="Ada’s rewrite.", _save="Save"),
            )
        assert response.status_code == 302

        stale = page_form(second_page, body="Eve’s rewrite.", headline="Eve’s headline")
        assert stale["expected_version"] == str(version)
        with frozen(at(10, 30)):
            response = submit(second, change_url(article), {**stale, "_save": "Save"})
        assert response.status_code == 200
        form = response.context["adminform"].form
        errors = " ".join(form.non_field_errors())
        assert "Ada Lovelace saved this story at 15 Jul 2031, 10:00 BST" in errors
        assert "your changes were not saved" in errors
        html = response.content.decode()
        assert "Ada Lovelace saved this story" in html
        assert form_fields(html, "article_form")["body"] == "Eve’s rewrite."
        article.refresh_from_db()
        assert article.body == "<p>Ada’s rewrite.</p>"
        assert article.headline == "Rail fares"
        assert article.updated_by == second_editor

        # The stale form's workflow buttons are refused the same way.
        with frozen(at(10, 31)):
            response = submit(second, change_url(article), {**stale, "_publish": "1"})
        assert response.status_code == 200
        article.refresh_from_db()
        assert article.status == Article.Status.REVIEW and article.body == "<p>Ada’s rewrite.</p>"

        # Reloading gives the current version, and the save goes through.
        with frozen(at(10, 32)):
            fresh = page_form(second.get(change_url(article)), headline="Eve’s headline")
            response = submit(second, change_url(article), {**fresh, "_save": "Save"})
        assert response.status_code == 302 and response["Location"] == CHANGELIST
        article.refresh_from_db()
        assert article.headline == "Eve’s headline" and article.body == "<p>Ada’s rewrite.</p>"

    @pytest.mark.slow
    def test_list_action_leaves_a_story_changed_after_the_list_loaded(self, editor, second_editor):
        with frozen(at(8)):
            changed = ReviewArticleFactory(headline="Changed meanwhile")
            untouched = ReviewArticleFactory(headline="Not touched")
        with frozen(at(9)):
            client = login(editor)
            listing = client.get(CHANGELIST)
            loaded_at = form_fields(listing.content.decode(), "changelist-form")["_loaded_at"]
        assert datetime.datetime.fromisoformat(loaded_at) == at(9)
        with frozen(at(9, 5)):
            edit(second_editor, changed, headline="Changed meanwhile, by Ada")
        with frozen(at(9, 10)):
            response = submit(
                client,
                CHANGELIST,
                {
                    "action": "publish_selected",
                    "index": "0",
                    "_loaded_at": loaded_at,
                    "_selected_action": [changed.pk, untouched.pk],
                },
                follow=True,
            )
        changed.refresh_from_db(), untouched.refresh_from_db()
        assert changed.status == Article.Status.REVIEW
        assert untouched.status == Article.Status.PUBLISHED
        assert untouched.published_at == at(9, 10)
        warnings = [str(m) for m in response.context["messages"] if m.level == messages.WARNING]
        assert len(warnings) == 1
        assert "“Changed meanwhile, by Ada” was left alone" in warnings[0]
        assert "Ada Lovelace changed it at 15 Jul 2031, 09:05 BST" in warnings[0]


class LongStoryTests:
    @pytest.mark.slow
    def test_a_three_megabyte_story_saves_through_the_admin_form(self, client, editor, author):
        sentence = "The council’s “long-term” plan was debated again, line by line, for hours. "
        paragraphs = [f"Paragraph {n}. " + sentence * 13 for n in range(3000)]
        text = "\n\n".join(p.strip() for p in paragraphs)
        assert 2_900_000 < len(text) < 3_200_000

        browser = login(editor)
        data = page_form(
            browser.get(ADD),
            headline="The full council transcript",
            slug="full-council-transcript",
            body=text,
            _publish="Save and publish now",
        )
        response = submit(browser, ADD, add_byline(data, author))
        assert response.status_code == 302, response.status_code
        article = Article.objects.get()
        assert article.is_published()
        assert article.body.count("<p>") == 3000
        assert html_to_text(article.body) == text

        page = browser.get(change_url(article))
        assert page.status_code == 200
        assert page.context["adminform"].form.initial["body"] == article.body
        again = page_form(
            page, body=text + "\n\nOne more paragraph.", _publish_changes="Publish changes"
        )
        assert submit(browser, change_url(article), again).status_code == 302
        article.refresh_from_db()
        assert article.body.count("<p>") == 3001

        story = client.get(article.get_absolute_url())
        assert story.status_code == 200
        assert "Paragraph 2999." in story.content.decode()
        assert "One more paragraph." in story.content.decode()
        assert Correction.objects.count() == 0

    @pytest.mark.slow
    def test_comparing_revisions_of_a_long_story(self, editor, author):
        """An editor changes a word all through a long story, then compares the revisions."""
        sentence = "The council’s “long-term” plan was debated again, line by line, for hours. "
        text = "\n\n".join(f"Paragraph {n}. " + (sentence * 13).strip() for n in range(3000))
        browser = login(editor)
        data = page_form(
            browser.get(ADD), headline="Transcript", slug="transcript", body=text, _save="Save"
        )
        assert submit(browser, ADD, add_byline(data, author)).status_code == 302
        article = Article.objects.get()
        data = page_form(browser.get(change_url(article)), body=text.replace("council", "Council"))
        assert submit(browser, change_url(article), {**data, "_save": "Save"}).status_code == 302
        newer, older = article.revisions.all()[:2]
        assert older.comment == "Created" and newer.comment == "Edited the body"

        assert browser.get(revisions_url(article)).status_code == 200
        response = browser.get(compare_url(article, older, newer))
        assert response.status_code == 200
        # Word by word: the changed word, not the whole paragraph.
        assert (
            "The <del>council’s</del><ins>Council’s</ins> “long-term”" in response.content.decode()
        )
