"""The newsroom's own pages, the staff page and the footer that lists them (#16)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import resolve

from pages.models import Page
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def footer(text):
    return re.search(r'<footer class="site-footer">(.*?)</footer>', text, re.S).group(1)


class PageTests:
    def test_a_page_at_its_address(self, client):
        page = Page.objects.create(
            title="About us",
            slug="about",
            summary="Who we are.",
            body="<p>We report on <strong>Harbourside</strong>.</p>",
        )
        assert page.get_absolute_url() == "/pages/about/"
        text = html(client, "/pages/about/")
        assert '<h1 class="info-page__title">About us</h1>' in text
        assert "<p>We report on <strong>Harbourside</strong>.</p>" in text
        assert "<title>About us | " in text
        assert '<meta name="description" content="Who we are.">' in text

    def test_without_a_summary_the_description_is_the_start_of_the_page(self, client):
        Page.objects.create(title="Privacy", slug="privacy", body="<p>We keep no cookies.</p>")
        assert '<meta name="description" content="We keep no cookies.">' in html(
            client, "/pages/privacy/"
        )

    def test_unknown_page_is_a_404(self, client):
        assert client.get("/pages/nothing-here/").status_code == 404

    def test_the_addresses_take_nothing_from_the_stories(self):
        # A page or the staff page can't hide a story's archive, and a year can't hide them.
        assert resolve("/pages/2026/").url_name == "detail"
        assert resolve("/pages/2026/").namespace == "pages"
        assert resolve("/staff/").url_name == "staff"
        assert resolve("/2026/").url_name == "archive_year"

    def test_the_body_is_sanitised_on_every_save(self):
        page = Page.objects.create(
            title="Contact",
            slug="contact",
            body='<p onclick="alert(1)">Call us<script>alert(2)</script></p>'
            '<p><a href="javascript:alert(3)">bad</a> <a href="mailto:desk@example.org">desk</a>'
            "</p><iframe src='https://evil.example/'></iframe>",
        )
        page.refresh_from_db()
        for removed in ("onclick", "<script", "alert", "javascript:", "<iframe"):
            assert removed not in page.body, removed
        assert "Call us" in page.body and 'href="mailto:desk@example.org"' in page.body
        page.body = "<p>Again<script>x()</script></p>"
        page.save(update_fields=["title"])
        page.refresh_from_db()
        assert page.body == "<p>Again</p>"


class FooterTests:
    def test_lists_footer_pages_in_order_and_no_hidden_page(self, client):
        Page.objects.create(title="Privacy", slug="privacy", footer_order=30)
        Page.objects.create(title="About us", slug="about", footer_order=10)
        Page.objects.create(title="Contact", slug="contact", footer_order=20)
        Page.objects.create(title="Old notice", slug="old", show_in_footer=False)
        text = footer(html(client, "/"))
        links = re.findall(r'<a href="([^"]+)">([^<]+)', text)
        assert links == [
            ("/pages/about/", "About us"),
            ("/pages/contact/", "Contact"),
            ("/pages/privacy/", "Privacy"),
            ("/staff/", "Our staff"),
            ("/corrections/", "Corrections and updates"),
            ("/feed/", "RSS feed"),
            ("/feed/atom/", "Atom feed"),
        ]
        assert "Old notice" not in text
        assert html(client, "/pages/old/")  # Still at its address.

    def test_feed_links_have_names_that_say_which_feed(self, client):
        text = footer(html(client, "/"))
        assert 'RSS feed<span class="visually-hidden"> of the latest stories</span></a>' in text

    def test_every_reader_page_has_the_footer(self, client):
        Page.objects.create(title="About us", slug="about")
        story = PublishedArticleFactory()
        for path in ("/", story.get_absolute_url(), "/staff/", "/pages/about/", "/corrections/"):
            assert 'href="/pages/about/"' in footer(html(client, path)), path

    def test_the_404_page_has_the_footer(self, client):
        Page.objects.create(title="About us", slug="about")
        response = client.get("/no/such/page/")
        assert response.status_code == 404
        assert 'href="/pages/about/"' in footer(response.content.decode())


class StaffPageTests:
    def test_lists_the_authors_of_live_stories_a_to_z(self, client):
        zoe = AuthorFactory(name="Zoë Adams", job_title="Court reporter", bio="Covers the courts.")
        ben = AuthorFactory(name="Ben Clarke", job_title="", bio="")
        both = AuthorFactory(name="Ada Byrne")
        PublishedArticleFactory(authors=[zoe, both])
        PublishedArticleFactory(authors=[ben])
        drafts_only = AuthorFactory(name="Dora Draft")
        DraftArticleFactory(authors=[drafts_only])
        scheduled_only = AuthorFactory(name="Sam Scheduled")
        ScheduledArticleFactory(authors=[scheduled_only])
        AuthorFactory(name="Nora Nothing")
        text = html(client, "/staff/")
        names = re.findall(r'<h2 class="staff-card__name"><a href="([^"]+)">([^<]+)</a>', text)
        assert names == [
            (both.get_absolute_url(), "Ada Byrne"),
            (ben.get_absolute_url(), "Ben Clarke"),
            (zoe.get_absolute_url(), "Zoë Adams"),
        ]
        assert "Court reporter" in text and "Covers the courts." in text
        for hidden in ("Dora Draft", "Sam Scheduled", "Nora Nothing"):
            assert hidden not in text

    def test_empty_newsroom(self, client):
        assert "No bylines yet." in html(client, "/staff/")

    @pytest.mark.slow
    def test_photos_are_square_crops_and_the_rest_get_an_initial(self, client):
        photo = make_image(jpeg((600, 800)), alt_text="Ada Byrne at her desk")
        ada = AuthorFactory(name="Ada Byrne", photo=photo)
        ben = AuthorFactory(name="Ben Clarke")
        PublishedArticleFactory(authors=[ada, ben])
        text = html(client, "/staff/")
        square = photo.crop("1:1")
        assert square.width == square.height and square.url in text
        assert 'class="staff-card__photo"' in text
        assert '<span class="staff-card__photo staff-card__photo--none" aria-hidden="true">B' in (
            text
        )

    def test_linked_from_the_footer(self, client):
        assert 'href="/staff/"' in footer(html(client, "/"))


class DemoPagesTests:
    def test_loads_the_four_pages_once(self, client):
        out = StringIO()
        call_command("load_demo_pages", stdout=out)
        assert "4 new footer pages." in out.getvalue()
        assert list(Page.objects.in_footer().values_list("slug", flat=True)) == [
            "about",
            "contact",
            "corrections-policy",
            "privacy",
        ]
        Page.objects.filter(slug="about").update(title="About the paper")
        again = StringIO()
        call_command("load_demo_pages", stdout=again)
        assert "0 new footer pages (nothing to add)." in again.getvalue()
        assert Page.objects.count() == 4
        assert Page.objects.get(slug="about").title == "About the paper"
        for page in Page.objects.all():
            assert len(page.body) > 300 and "<script" not in page.body
            html(client, page.get_absolute_url())
