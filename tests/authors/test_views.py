import pytest

from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    PublishedArticleFactory,
    ScheduledArticleFactory,
)
from tests.images.samples import jpeg, make_image

pytestmark = pytest.mark.django_db


class AuthorPageTests:
    def test_shows_profile_and_only_published_stories(self, client):
        author = AuthorFactory(
            name="Sophia Martinez", job_title="Health reporter", bio="Covers drugs policy."
        )
        live = PublishedArticleFactory(authors=[author])
        draft = DraftArticleFactory(authors=[author])
        scheduled = ScheduledArticleFactory(authors=[author])
        response = client.get(author.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert '<h1 class="profile__name">Sophia Martinez</h1>' in html
        assert "Health reporter" in html and "Covers drugs policy." in html
        assert live.headline in html
        assert draft.headline not in html and scheduled.headline not in html

    def test_email_is_never_shown(self, client):
        author = AuthorFactory(email="sophia@newsroom.example")
        PublishedArticleFactory(authors=[author])
        assert (
            "sophia@newsroom.example" not in client.get(author.get_absolute_url()).content.decode()
        )

    @pytest.mark.slow
    def test_photo_is_a_square_crop_with_its_alt_text(self, client):
        photo = make_image(
            jpeg((600, 800)), alt_text="Sophia Martinez in the newsroom", credit="Staff"
        )
        author = AuthorFactory(photo=photo)
        html = client.get(author.get_absolute_url()).content.decode()
        assert 'alt="Sophia Martinez in the newsroom"' in html
        assert 'class="profile__photo"' in html and "Photo: Staff" in html
        square = photo.crop("1:1")
        assert square.width == square.height and square.url in html

    def test_author_without_stories_renders(self, client):
        author = AuthorFactory()
        assert "No published stories yet." in client.get(author.get_absolute_url()).content.decode()

    @pytest.mark.slow
    def test_paginated(self, client):
        author = AuthorFactory()
        PublishedArticleFactory.create_batch(21, authors=[author])
        assert len(client.get(author.get_absolute_url()).context["article_list"]) == 20
        assert len(client.get(author.get_absolute_url(), {"page": 2}).context["article_list"]) == 1
        assert client.get(author.get_absolute_url(), {"page": "abc"}).status_code == 404

    def test_unknown_author_is_404(self, client):
        assert client.get("/authors/nobody/").status_code == 404
