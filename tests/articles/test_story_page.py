"""The story page's byline photos, share links and "more from" blocks (#16)."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Correction
from newsroom.surrogate_keys import author_key, image_key, section_key, stories_key, story_key
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
    SectionFactory,
    WithdrawnArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


class Links(HTMLParser):
    """Every element's attributes, in order, as a list of (tag, attrs)."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def hrefs(self):
        return [attrs["href"] for tag, attrs in self.elements if tag == "a" and "href" in attrs]


def portrait(name):
    return AuthorFactory(name=name, photo=make_image(jpeg((400, 500)), alt_text="A portrait"))


def hours_ago(hours):
    return timezone.now() - timedelta(hours=hours)


def keys(response):
    return response["Surrogate-Key"].split()


class BylinePhotoTests:
    def test_each_author_with_a_photo_has_it_beside_the_name_and_decorative(self, client):
        ann, bo, cy = portrait("Ann Ames"), portrait("Bo Berg"), AuthorFactory(name="Cy Cole")
        story = PublishedArticleFactory(authors=[ann, bo, cy])
        html = client.get(story.get_absolute_url()).content.decode()
        byline = re.search(r'<p class="byline byline--photos">.*?</p>', html, re.DOTALL).group()
        images = [attrs for tag, attrs in Links(byline).elements if tag == "img"]
        assert len(images) == 2
        for image in images:
            # Decorative: the author's name is the link's text, right beside it.
            assert image["alt"] == ""
            assert image["class"] == "byline__photo"
            assert (image["width"], image["height"]) == ("40", "40")
            assert "/media/" in image["src"]
        for author in (ann, bo):
            link = re.search(
                rf'<a href="{author.get_absolute_url()}" rel="author">(.*?)</a>', byline
            )
            assert "<picture>" in link.group(1) and link.group(1).endswith(author.name)
        assert f'rel="author">{cy.name}</a>' in byline  # no photo: just the name

    def test_a_story_without_photos_has_a_plain_byline(self, client):
        story = PublishedArticleFactory(authors=[AuthorFactory(name="Di Dunn")])
        html = client.get(story.get_absolute_url()).content.decode()
        assert 'rel="author">Di Dunn</a></p>' in html
        assert "byline__photo" not in html

    def test_a_photo_still_being_processed_is_left_out(self, client):
        author = portrait("Ed Ek")
        type(author.photo).objects.filter(pk=author.photo_id).update(renditions_status="pending")
        story = PublishedArticleFactory(authors=[author])
        html = client.get(story.get_absolute_url()).content.decode()
        assert "byline__photo" not in html and 'rel="author">Ed Ek</a>' in html

    def test_photos_cost_no_query_per_author(self, client):
        one = PublishedArticleFactory(authors=[portrait("Fay Fox")], section=None)
        three = PublishedArticleFactory(
            authors=[portrait("Gus Gray"), portrait("Hal Hart"), portrait("Ida Ito")],
            section=None,
        )
        counts = []
        for story in (one, three):
            client.get(story.get_absolute_url())  # renditions and search queue settle first
            with CaptureQueriesContext(connection) as captured:
                assert client.get(story.get_absolute_url()).status_code == 200
            counts.append(len(captured))
        assert counts[0] == counts[1]

    def test_the_page_depends_on_the_photos(self, client):
        ann = portrait("Jo Jay")
        story = PublishedArticleFactory(authors=[ann, AuthorFactory()])
        response = client.get(story.get_absolute_url())
        assert image_key(ann.photo_id) in keys(response)


class ShareLinkTests:
    HEADLINE = 'Tom & Jerry’s “cheese” <deal> at 50% & "more"'

    @pytest.fixture
    def story(self, settings):
        settings.SITE_URL = "https://news.example"
        return PublishedArticleFactory(headline=self.HEADLINE, slug="tom-and-jerry")

    def links(self, client, story):
        html = client.get(story.get_absolute_url()).content.decode()
        section = re.search(r'<section class="share".*?</section>', html, re.DOTALL).group()
        return section, Links(section)

    def test_every_network_gets_the_address_and_the_headline_encoded(self, client, story):
        section, links = self.links(client, story)
        url = "https://news.example" + story.get_absolute_url()
        by_host = {urlsplit(href).netloc or urlsplit(href).scheme: href for href in links.hrefs()}
        assert set(by_host) == {
            "mailto",
            "x.com",
            "www.facebook.com",
            "www.linkedin.com",
            "wa.me",
            "bsky.app",
        }
        mail = parse_qs(urlsplit(by_host["mailto"]).query)
        assert mail == {"subject": [self.HEADLINE], "body": [url]}
        assert parse_qs(urlsplit(by_host["x.com"]).query) == {"text": [self.HEADLINE], "url": [url]}
        assert parse_qs(urlsplit(by_host["www.facebook.com"]).query) == {"u": [url]}
        assert parse_qs(urlsplit(by_host["www.linkedin.com"]).query) == {"url": [url]}
        for host in ("wa.me", "bsky.app"):
            assert parse_qs(urlsplit(by_host[host]).query) == {"text": [f"{self.HEADLINE} {url}"]}
        # In the HTML itself nothing of the headline is left raw: no quote ends an attribute,
        # no ampersand starts an entity, and mailto gets %20 for spaces (not "+").
        for href in re.findall(r'href="([^"]*)"', section):
            assert "<" not in href and '"' not in href and "’" not in href
            assert "+" not in href
            assert re.fullmatch(r"[^&]*(&amp;[^&]*)*", href), href
        assert "Tom%20%26%20Jerry%E2%80%99s%20%E2%80%9Ccheese%E2%80%9D" in section

    def test_no_third_party_code_and_copy_button_hidden_without_script(self, client, story):
        html = client.get(story.get_absolute_url()).content.decode()
        section, links = self.links(client, story)
        scripts = re.findall(r"<script[^>]*>", html)
        assert all('src="/static/' in tag or "application/ld+json" in tag for tag in scripts)
        assert '<script src="/static/js/share.js" defer></script>' in html
        assert not re.search(r"<[^>]*\son[a-z]+=", html)  # no inline handlers anywhere
        item = re.search(r'<li class="share__copy" hidden><button type="button"[^>]*>', section)
        assert item and f'data-share-url="https://news.example{story.get_absolute_url()}"' in (
            item.group()
        )
        assert '<p class="share__status" role="status" aria-live="polite"></p>' in section

    def test_previews_have_no_share_links(self, client, editor):
        draft = DraftArticleFactory(headline="Not out yet")
        html = client.get(f"/admin/articles/article/{draft.pk}/preview/").content.decode()
        assert "Not out yet" in html
        assert 'class="share"' not in html and "share.js" not in html


class MoreFromTests:
    @pytest.fixture
    def newsroom(self):
        city, sport = SectionFactory(name="City"), SectionFactory(name="Sport")
        ann, bo = AuthorFactory(name="Ann Ames"), AuthorFactory(name="Bo Berg")
        story = PublishedArticleFactory(
            headline="The story", section=city, authors=[ann, bo], published_at=hours_ago(1)
        )
        # The four newest in the section are "Related stories" (same section).
        related = [
            PublishedArticleFactory(
                headline=f"Related {i}", section=city, authors=[bo], published_at=hours_ago(2 + i)
            )
            for i in range(4)
        ]
        in_city = [
            PublishedArticleFactory(
                headline=f"City {i}", section=city, authors=[bo], published_at=hours_ago(10 + i)
            )
            for i in range(4)
        ]
        by_ann = [
            PublishedArticleFactory(
                headline=f"Ann {i}", section=sport, authors=[ann], published_at=hours_ago(20 + i)
            )
            for i in range(4)
        ]
        hidden = [
            factory(headline=f"Hidden {factory.__name__}", section=city, authors=[ann])
            for factory in (DraftArticleFactory, ScheduledArticleFactory, WithdrawnArticleFactory)
        ]
        return locals()

    def blocks(self, client, story):
        response = client.get(story.get_absolute_url())
        html = response.content.decode()
        found = {}
        for key in ("more-section", "more-author"):
            match = re.search(
                rf'<aside class="more" aria-labelledby="{key}-title">.*?</aside>', html, re.S
            )
            found[key] = (
                re.findall(r'<h3 class="card__headline"><a href="[^"]+">([^<]+)</a>', match.group())
                if match
                else []
            )
        return response, html, found

    def test_recent_stories_of_the_section_then_of_the_first_author(self, client, newsroom):
        response, html, found = self.blocks(client, newsroom["story"])
        assert found["more-section"] == ["City 0", "City 1", "City 2"]
        assert found["more-author"] == ["Ann 0", "Ann 1", "Ann 2"]
        assert "More from City</h2>" in html and "More from Ann Ames</h2>" in html
        assert html.count("Related 0") == 1  # in "Related stories" only

    def test_never_the_story_itself_nor_a_hidden_story(self, client, newsroom):
        response, html, found = self.blocks(client, newsroom["story"])
        shown = found["more-section"] + found["more-author"]
        assert "The story" not in shown
        assert html.count(">The story<") == 1  # the headline
        assert "Hidden" not in html

    def test_a_story_is_not_shown_in_both_blocks(self, client, newsroom):
        newsroom["in_city"][0].bylines.create(author=newsroom["ann"], position=1)
        _, _, found = self.blocks(client, newsroom["story"])
        assert found["more-section"][0] == "City 0"
        assert "City 0" not in found["more-author"]

    def test_the_page_is_purged_when_those_listings_change(self, client, newsroom):
        response, _, _ = self.blocks(client, newsroom["story"])
        page_keys = keys(response)
        assert stories_key(section_key(newsroom["city"].pk)) in page_keys
        assert stories_key(author_key(newsroom["ann"].pk)) in page_keys
        for shown in [*newsroom["in_city"][:3], *newsroom["by_ann"][:3]]:
            assert story_key(shown.pk) in page_keys

    def test_a_story_without_section_or_authors_has_no_blocks(self, client):
        story = PublishedArticleFactory(section=None, authors=[])
        PublishedArticleFactory.create_batch(3, section=None)
        html = client.get(story.get_absolute_url()).content.decode()
        assert 'class="more"' not in html

    def test_a_fixed_number_of_queries(self, client, newsroom):
        def count():
            client.get(newsroom["story"].get_absolute_url())
            with CaptureQueriesContext(connection) as captured:
                client.get(newsroom["story"].get_absolute_url())
            return len(captured)

        lead = make_image(jpeg((480, 320)), alt_text="A boat")
        Article.objects.update(lead_image=lead)
        before = count()
        for i in range(6):
            PublishedArticleFactory(
                section=newsroom["city"],
                authors=[newsroom["ann"], portrait(f"Co-author {i}"), AuthorFactory()],
                lead_image=make_image(jpeg((480, 320)), alt_text="A quay"),
                published_at=hours_ago(1.5 + i / 10),
            )
        assert count() == before


class ReaderNotesTests:
    def test_the_notes_show_oldest_first_without_a_past_withdrawal(self, client):
        story = PublishedArticleFactory()
        later = Correction.objects.create(
            article=story, text="Second note.", created_at=hours_ago(1)
        )
        Correction.objects.create(
            article=story, kind="withdrawal", text="Withdrawn once.", created_at=hours_ago(3)
        )
        Correction.objects.create(
            article=story, kind="update", text="First note.", created_at=hours_ago(2)
        )
        html = client.get(story.get_absolute_url()).content.decode()
        notes = re.search(r'<section class="story__notes".*?</section>', html, re.DOTALL).group()
        assert notes.index("First note.") < notes.index(later.text)
        assert "Withdrawn once." not in html
