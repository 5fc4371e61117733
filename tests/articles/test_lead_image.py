"""A story's lead image: credited, described, responsive (#4)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.articles.test_admin import ADD, story_form
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


def lead_image(**fields):
    defaults = {
        "alt_text": "Dockers on the quay at dawn",
        "caption": "The picket line at Quay Street on Monday.",
        "credit": "Jo Bloggs/Harbourside Press",
    }
    return make_image(jpeg((1600, 1000)), **{**defaults, **fields})


class LeadImageTests:
    @pytest.mark.slow
    def test_story_page_shows_the_picture_with_caption_and_credit(self, client):
        story = PublishedArticleFactory(lead_image=lead_image())
        html = client.get(story.get_absolute_url()).content.decode()
        figure = html.split('<figure class="story__figure">')[1].split("</figure>")[0]
        assert "<picture>" in figure and 'type="image/webp"' in figure
        assert 'alt="Dockers on the quay at dawn"' in figure
        assert 'width="' in figure and 'height="' in figure and "srcset=" in figure
        assert 'loading="eager"' in figure and 'fetchpriority="high"' in figure
        assert "The picket line at Quay Street on Monday." in figure
        assert "Photo: Jo Bloggs/Harbourside Press" in figure

    @pytest.mark.slow
    def test_cards_show_a_lazy_crop_without_the_credit(self, client):
        # The credit goes with large pictures (the front page's lead, the story page), not
        # with every thumbnail (#16).
        # The list's first picture loads at once (tests/articles/test_list_pictures.py); the
        # second card's is lazy.
        section = SectionFactory(name="City")
        story = PublishedArticleFactory(
            lead_image=lead_image(),
            section=section,
            published_at=timezone.now() - timedelta(days=1),
        )
        PublishedArticleFactory(lead_image=lead_image(), section=section)
        html = client.get(section.get_absolute_url()).content.decode()
        card = html.split('<article class="card card--with-image">')[2].split("</article>")[0]
        assert 'loading="lazy"' in card and story.lead_image.crop("4:3").url in card
        assert "Photo: Jo Bloggs/Harbourside Press" not in card

    @pytest.mark.slow
    def test_the_front_page_lead_shows_a_large_picture_with_its_credit(self, client):
        story = PublishedArticleFactory(lead_image=lead_image())
        html = client.get("/").content.decode()
        card = html.split('<article class="card card--lead card--with-image">')[1]
        card = card.split("</article>")[0]
        assert 'loading="eager"' in card and 'fetchpriority="high"' in card
        assert story.lead_image.crop("16:9").url in card
        assert "Photo: Jo Bloggs/Harbourside Press" in card

    @pytest.mark.slow
    def test_publishing_needs_alt_text_unless_decorative(self):
        editor = EditorFactory()
        story = DraftArticleFactory(lead_image=lead_image(alt_text=""))
        with pytest.raises(ValidationError, match="alt text"):
            services.article_publish(article=story, by=editor)
        story.lead_image.is_decorative = True
        story.lead_image.save()
        services.article_publish(article=story, by=editor)
        assert story.is_published()

    @pytest.mark.slow
    def test_an_image_used_by_a_story_cannot_be_deleted(self):
        story = PublishedArticleFactory(lead_image=lead_image())
        with pytest.raises(ProtectedError):
            story.lead_image.delete()

    @pytest.mark.slow
    def test_caption_and_credit_are_escaped(self, client):
        image = lead_image(caption="<script>alert(1)</script>", credit='"><b>x</b>')
        story = PublishedArticleFactory(lead_image=image)
        html = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in html and "<b>x</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


class StoryFormTests:
    @pytest.mark.slow
    def test_editor_sets_section_and_lead_image_in_the_form(self, client):
        client.force_login(EditorFactory())
        image, section = lead_image(), SectionFactory(name="Business")
        data = story_form((AuthorFactory(), 0), lead_image=str(image.pk), section=str(section.pk))
        assert client.post(ADD, data).status_code == 302
        story = Article.objects.get()
        assert story.lead_image == image and story.section == section
