"""The SEO title and description of a story (#14): what the story page tells search engines and
social sites, the story form's fieldset and its preview, and every path a story's fields take
(unpublished changes, revisions, comparisons, a refused stale save)."""

import json
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import conflicts, scheduling, services, snapshots
from articles.admin_seo import preview_html
from articles.models import SEO_DESCRIPTION_MAX_LENGTH, SEO_TITLE_MAX_LENGTH, Article
from articles.seo import search_cut
from articles.text import DESCRIPTION_SHOWN, HEADLINE_SHOWN
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    UserFactory,
)
from tests.images.samples import jpeg, make_image

from .workflow_http import (
    admin_preview_url,
    change_url,
    compare_url,
    messages_of,
    page_form,
    submit,
)

pytestmark = pytest.mark.django_db


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def json_ld(html: str) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(block)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://news.example"
    settings.SITE_NAME = "Harbourside News"


@pytest.fixture
def live(site):
    return PublishedArticleFactory(
        headline="Council approves the harbour budget after a six-hour debate",
        standfirst="Councillors voted 31 to 20.",
        authors=[AuthorFactory(name="Nadia Noor")],
    )


class FallbackTests:
    def test_without_seo_fields_the_headline_and_summary_are_used(self):
        story = Article(headline="Trams return", standfirst="The line reopens.")
        assert story.meta_title == "Trams return"
        assert story.meta_description == "The line reopens."
        story.standfirst = ""
        story.body = "<p>The first words of the story.</p>"
        assert story.meta_description == "The first words of the story."

    def test_blank_seo_fields_fall_back_too(self):
        story = Article(headline="Trams return", standfirst="The line reopens.")
        story.seo_title, story.seo_description = "   ", "\n"
        assert (story.meta_title, story.meta_description) == ("Trams return", "The line reopens.")

    def test_seo_fields_win(self):
        story = Article(headline="Trams return", standfirst="The line reopens.")
        story.seo_title, story.seo_description = "Eastern tram line reopens", "From Monday."
        assert story.meta_title == "Eastern tram line reopens"
        assert story.meta_description == "From Monday."


class SearchCutTests:
    def test_short_text_is_kept_with_its_spaces_folded(self):
        assert search_cut("  Trams\n return  ", 60) == "Trams return"

    def test_long_text_is_cut_after_the_last_word_that_fits(self):
        text = "Council approves the harbour budget, after a six-hour debate on Tuesday night"
        cut = search_cut(text, 40)
        assert cut == "Council approves the harbour budget …"
        assert len(cut) <= 40 + 2

    def test_a_word_longer_than_half_the_room_is_cut_inside(self):
        assert search_cut("x" * 50, 10) == "x" * 10 + " …"

    def test_exactly_the_limit_is_not_cut(self):
        assert search_cut("a" * HEADLINE_SHOWN, HEADLINE_SHOWN) == "a" * HEADLINE_SHOWN


class StoryPageTests:
    def test_without_seo_fields(self, client, live):
        html = client.get(live.get_absolute_url()).content.decode()
        assert title_of(html) == f"{live.headline} | Harbourside News"
        assert meta(html, "description") == ["Councillors voted 31 to 20."]
        assert meta(html, "og:title") == [live.headline] == meta(html, "twitter:title")
        data = json_ld(html)
        assert data["headline"] == live.headline and "alternativeHeadline" not in data

    def test_with_seo_fields(self, client, live):
        live.seo_title = "Harbour budget approved"
        live.seo_description = "What the £40m harbour budget pays for, line by line."
        live.save()
        html = client.get(live.get_absolute_url()).content.decode()
        assert title_of(html) == "Harbour budget approved | Harbourside News"
        description = "What the £40m harbour budget pays for, line by line."
        assert meta(html, "description") == [description]
        assert meta(html, "og:title") == ["Harbour budget approved"]
        assert meta(html, "twitter:title") == ["Harbour budget approved"]
        assert meta(html, "og:description") == [description] == meta(html, "twitter:description")
        data = json_ld(html)
        # Structured data describes the page readers see: its headline stays the story's.
        assert data["headline"] == live.headline
        assert data["alternativeHeadline"] == "Harbour budget approved"
        assert data["description"] == description
        # Readers see the story's own headline and standfirst on the page.
        assert f'<h1 class="story__headline">{live.headline}</h1>' in html
        assert "Councillors voted 31 to 20." in html

    def test_the_admin_preview_tells_its_title(self, client, editor, site):
        draft = DraftArticleFactory(headline="Trams return", seo_title="Eastern trams return")
        html = client.get(admin_preview_url(draft)).content.decode()
        assert title_of(html) == "Preview: Eastern trams return | Harbourside News"


# The story form -----------------------------------------------------------------------------


class FormTests:
    @pytest.mark.slow
    def test_a_too_long_seo_title_is_a_form_error_and_nothing_is_saved(self, client, editor):
        story = DraftArticleFactory(headline="Trams return")
        data = page_form(client.get(change_url(story)), seo_title="x" * (SEO_TITLE_MAX_LENGTH + 1))
        response = submit(client, change_url(story), {**data, "_continue": "Save"})
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert list(errors) == ["seo_title"]
        assert f"at most {SEO_TITLE_MAX_LENGTH} characters" in errors["seo_title"][0]
        # The fieldset with the error is open, not collapsed.
        fieldset = _html(response).split("seo-social")[1].split("</fieldset>")[0]
        assert "<details>" not in fieldset and "errorlist" in fieldset
        assert Article.objects.get(pk=story.pk).seo_title == ""

    @pytest.mark.slow
    def test_a_too_long_seo_description_is_a_form_error(self, client, editor):
        story = DraftArticleFactory()
        data = page_form(
            client.get(change_url(story)),
            seo_description="word " * (SEO_DESCRIPTION_MAX_LENGTH // 5 + 1),
        )
        response = submit(client, change_url(story), {**data, "_continue": "Save"})
        assert response.status_code == 200
        assert list(response.context["adminform"].form.errors) == ["seo_description"]

    @pytest.mark.slow
    def test_saving_keeps_them_and_says_so(self, client, editor):
        story = DraftArticleFactory(headline="Trams return")
        data = page_form(
            client.get(change_url(story)),
            seo_title="  Eastern trams return  ",
            seo_description="The line reopens on Monday, after two years.",
        )
        response = submit(client, change_url(story), {**data, "_continue": "Save"})
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.seo_title == "Eastern trams return"
        assert story.seo_description == "The line reopens on Monday, after two years."
        revision = story.revisions.latest()
        assert revision.comment == "Edited the SEO title and SEO description"
        assert revision.snapshot["seo_title"] == "Eastern trams return"

    @pytest.mark.slow
    def test_the_fieldset_is_collapsed_unless_filled(self, client, editor):
        empty = DraftArticleFactory()
        filled = DraftArticleFactory(seo_description="Filled in.")
        pattern = r'<fieldset class="module aligned ([^"]*seo-social[^"]*)"'
        assert "collapse" in re.search(pattern, _html(client.get(change_url(empty)))).group(1)
        assert "collapse" not in re.search(pattern, _html(client.get(change_url(filled)))).group(1)
        add = _html(client.get(reverse("admin:articles_article_add")))
        assert "collapse" in re.search(pattern, add).group(1)

    @pytest.mark.slow
    def test_the_preview_shows_the_search_result_and_the_card(self, client, editor, site):
        image = make_image(jpeg((1600, 1000)), alt_text="The quay")
        story = PublishedArticleFactory(
            headline="Trams return", slug="trams-return", lead_image=image
        )
        long_title = "The eastern tram line reopens after two years of works on the tracks"
        Article.objects.filter(pk=story.pk).update(seo_title=long_title)
        html = _html(client.get(change_url(story)))
        preview = html.split('id="seo-preview"')[1].split("</fieldset>")[0]
        shown = search_cut(long_title + " | Harbourside News", HEADLINE_SHOWN)
        assert f'<p class="serp__title" id="seo-preview-title">{shown}</p>' in preview
        assert shown.endswith(" …")
        day = story.publication_date
        assert f"https://news.example › {day:%Y} › {day:%m} › {day:%d} ›" in preview
        social = image.crop("social")
        assert (social.width, social.height) == (1200, 630)
        assert f'src="{social.url}"' in preview
        assert f">{long_title}</p>" in preview  # the card shows the whole title
        assert "NEWS.EXAMPLE" in preview
        # The script that redraws it, and the page's settings for it.
        assert "js/story-seo.js" in html
        assert f'data-headline-shown="{HEADLINE_SHOWN}"' in preview
        assert f'data-description-shown="{DESCRIPTION_SHOWN}"' in preview

    def test_without_a_lead_image_the_card_says_so(self, editor):
        story = DraftArticleFactory(headline="Trams return")
        html = preview_html(story)
        # The site's own card stands in (#16).
        assert "No lead image: the site’s default picture is shared." in html
        assert 'id="seo-preview-image" alt="" width="1200" height="630" hidden' in html


def _html(response) -> str:
    return response.content.decode()


class SocialImageTests:
    """The preview asks for a newly picked lead image's social crop."""

    url = reverse("admin:articles_article_social_image")

    def test_answers_the_social_crop(self, client, editor):
        image = make_image(jpeg((480, 320)), alt_text="The quay", focal_x=0.8)
        response = client.get(self.url, {"image": image.pk})
        assert response.status_code == 200
        social = image.crop("social")
        assert social.url != image.original().url  # the crop, not the picture
        assert response.json() == {
            "url": social.url,
            "width": social.width,
            "height": social.height,
            "alt": "The quay",
        }

    @pytest.mark.parametrize("value", ["", "abc", "²", "-1", "9" * 13, "99999"])
    def test_bad_or_unknown_pictures_are_404(self, client, editor, value):
        assert client.get(self.url, {"image": value}).status_code == 404

    def test_staff_without_the_picture_library_are_refused(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert client.get(self.url, {"image": "1"}).status_code == 403

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        response = client.get(self.url, {"image": "1"})
        assert response.status_code == 302 and "/login/" in response["Location"]


# Every path a story's fields take -----------------------------------------------------------


class StagedChangeTests:
    @pytest.mark.slow
    def test_readers_keep_the_published_title_until_the_changes_are_published(
        self, client, editor, live
    ):
        old_title = title_of(_html(client.get(live.get_absolute_url())))
        data = page_form(client.get(change_url(live)), seo_title="Harbour budget approved")
        response = submit(client, change_url(live), {**data, "_save": "Save draft of changes"})
        assert response.status_code == 302
        assert messages_of(client.get(response["Location"]))[0].startswith("Saved the changes")
        live.refresh_from_db()
        assert live.seo_title == ""
        assert title_of(_html(client.get(live.get_absolute_url()))) == old_title
        staged = live.staged_change
        assert staged.snapshot["seo_title"] == "Harbour budget approved"
        assert live.revisions.latest().comment == "Saved unpublished changes to the SEO title"

        # The form shows the waiting changes, in an open fieldset; the preview of the changes
        # shows the new title.
        page = client.get(change_url(live))
        assert page_form(page)["seo_title"] == "Harbour budget approved"
        assert 'class="module aligned seo-social"' in _html(page)
        preview = _html(client.get(admin_preview_url(live)))
        assert title_of(preview) == "Preview: Harbour budget approved | Harbourside News"

        data = page_form(page, _publish_changes="Publish changes")
        assert submit(client, change_url(live), data).status_code == 302
        html = _html(client.get(live.get_absolute_url()))
        assert title_of(html) == "Harbour budget approved | Harbourside News"
        assert meta(html, "og:title") == ["Harbour budget approved"]

    def test_scheduled_changes_carry_them_live(self, live):
        editor = EditorFactory()
        due = timezone.now() + timedelta(hours=1)
        services.article_save(
            article=live,
            by=editor,
            changes={"seo_description": "Line by line."},
            transition="schedule_changes",
            at=due,
        )
        # The preview of the changes shows them; readers don't see them yet.
        assert services.staged_story(live).seo_description == "Line by line."
        assert Article.objects.get(pk=live.pk).seo_description == ""
        with time_machine.travel(due + timedelta(seconds=1), tick=False):
            assert scheduling.publish_due_changes() == 1
        assert Article.objects.get(pk=live.pk).seo_description == "Line by line."


class RevisionTests:
    @pytest.mark.slow
    def test_restoring_a_revision_brings_them_back(self, client, editor, live):
        services.article_save(article=live, by=editor, changes={"seo_title": "First"})
        first = live.revisions.latest()
        services.article_save(article=live, by=editor, changes={"seo_title": "Second"})
        services.article_restore(article=live, revision=first, by=editor, publish=True)
        assert Article.objects.get(pk=live.pk).seo_title == "First"

    @pytest.mark.slow
    def test_a_revision_from_before_them_leaves_them_as_they_are(self, editor, live):
        services.article_save(article=live, by=editor, changes={"seo_title": "Kept"})
        old = services.revision_record(article=live, by=editor, comment="Old")
        for key in ("seo_title", "seo_description"):
            del old.snapshot[key]
        old.snapshot["headline"] = "An older headline"
        old.save()
        services.article_restore(article=live, revision=old, by=editor, publish=True)
        live.refresh_from_db()
        assert (live.headline, live.seo_title) == ("An older headline", "Kept")
        # Not recorded is never a change.
        assert "seo_title" not in snapshots.changed_parts(old.snapshot, snapshots.snapshot(live))

    @pytest.mark.slow
    def test_the_comparison_shows_them_word_by_word(self, client, editor, live):
        services.article_save(article=live, by=editor, changes={"seo_title": "Budget approved"})
        older = live.revisions.latest()
        services.article_save(
            article=live, by=editor, changes={"seo_title": "Harbour budget approved"}
        )
        newer = live.revisions.latest()
        html = _html(client.get(compare_url(live, older, newer)))
        assert "<h2>SEO title</h2>" in html
        assert "<del>Budget</del><ins>Harbour budget</ins> approved" in html


class ConflictTests:
    def test_my_seo_title_goes_onto_their_new_headline(self, live):
        editor, other = EditorFactory(), EditorFactory()
        opened = services.revision_record(article=live, by=editor, comment="Opened")
        version = live.version
        opened.version = version
        opened.save()
        services.article_save(
            article=live, by=other, changes={"headline": "Their headline"}, stage=False
        )
        mine = {**opened.snapshot, "seo_title": "My SEO title"}
        found = conflicts.conflict(Article.objects.get(pk=live.pk), version, mine)
        assert found.applicable == ["seo_title"] and found.clashes == []

    def test_the_form_reads_them(self, live):
        mine = conflicts.from_form(
            {"headline": live.headline, "seo_title": "Typed", "seo_description": "Also typed"},
            live,
        )
        assert (mine["seo_title"], mine["seo_description"]) == ("Typed", "Also typed")
