import pytest
from django.urls import reverse

from authors.models import Author
from tests.factories import AuthorFactory, PublishedArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


class AuthorAdminTests:
    def test_list_shows_story_counts_and_searches(self, admin_client_):
        author = AuthorFactory(name="Sophia Martinez")
        PublishedArticleFactory.create_batch(3, authors=[author])
        AuthorFactory(name="Other Person")
        response = admin_client_.get(reverse("admin:authors_author_changelist"), {"q": "sophia"})
        (row,) = response.context["cl"].result_list
        assert row.name == "Sophia Martinez" and row.story_count == 3

    def test_add_author(self, admin_client_):
        response = admin_client_.post(
            reverse("admin:authors_author_add"),
            {"name": "Sophia Martinez", "slug": "sophia-martinez", "job_title": "Reporter"},
        )
        assert response.status_code == 302
        assert Author.objects.get().get_absolute_url() == "/authors/sophia-martinez/"

    def test_deleting_an_author_with_stories_is_refused(self, admin_client_):
        author = AuthorFactory(name="Sophia Martinez")
        article = PublishedArticleFactory(authors=[author])
        url = reverse("admin:authors_author_delete", args=[author.pk])
        page = admin_client_.get(url).content.decode()
        assert "Cannot delete author" in page
        assert article.headline in page
        admin_client_.post(url, {"post": "yes"})
        assert Author.objects.filter(pk=author.pk).exists()
        assert article.byline_authors == [author]

    def test_deleting_an_author_without_stories_works(self, admin_client_):
        author = AuthorFactory()
        admin_client_.post(
            reverse("admin:authors_author_delete", args=[author.pk]), {"post": "yes"}
        )
        assert not Author.objects.exists()

    def test_bulk_delete_refuses_authors_with_stories(self, admin_client_):
        author = AuthorFactory()
        PublishedArticleFactory(authors=[author])
        admin_client_.post(
            reverse("admin:authors_author_changelist"),
            {"action": "delete_selected", "_selected_action": [author.pk], "post": "yes"},
        )
        assert Author.objects.filter(pk=author.pk).exists()
