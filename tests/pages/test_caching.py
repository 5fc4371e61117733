"""The page cache and the newsroom's own pages (#16): a page saved or deleted purges every
page that shows the footer; the staff page follows its authors, their photos and their
stories."""

import pytest

from articles import services
from pages.models import Page
from tests.factories import AuthorFactory, DraftArticleFactory, PublishedArticleFactory
from tests.images.samples import jpeg, make_image

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def cached(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response["X-Page-Cache"] == "hit"


class FooterPageCacheTests:
    def test_a_page_is_cached_with_its_keys(self, client):
        page = Page.objects.create(title="About us", slug="about")
        response = client.get("/pages/about/")
        assert response["Surrogate-Key"].split() == ["sections", "breaking", f"page-{page.pk}"]
        assert not cached(client, "/staff/") and cached(client, "/pages/about/")

    @pytest.mark.parametrize("change", ["save", "delete"])
    def test_saving_or_deleting_a_page_purges_every_page_with_the_footer(
        self, client, committed, change
    ):
        page = Page.objects.create(title="About us", slug="about")
        story = PublishedArticleFactory()
        paths = ["/", story.get_absolute_url(), "/staff/", "/corrections/"]
        for path in paths:
            client.get(path)
            assert cached(client, path), path
        with committed():
            if change == "save":
                page.title = "About the paper"
                page.save()
            else:
                page.delete()
        for path in paths:
            response = client.get(path)
            assert response["X-Page-Cache"] == "miss", path
            assert ("About the paper" in response.content.decode()) == (change == "save")


class StaffPageCacheTests:
    def test_keys_name_each_author_and_photo(self, client):
        photo = make_image(jpeg((300, 300)))
        ada = AuthorFactory(name="Ada", photo=photo)
        ben = AuthorFactory(name="Ben")
        PublishedArticleFactory(authors=[ada, ben])
        keys = client.get("/staff/")["Surrogate-Key"].split()
        assert keys == [
            "sections",
            "breaking",
            "staff",
            f"author-{ada.pk}",
            f"image-{photo.pk}",
        ] + [f"author-{ben.pk}"]

    def test_an_author_changing_purges_the_staff_page(self, client, committed):
        author = AuthorFactory(name="Ada", job_title="Reporter")
        PublishedArticleFactory(authors=[author])
        client.get("/staff/")
        assert cached(client, "/staff/")
        with committed():
            author.job_title = "Chief reporter"
            author.save()
        response = client.get("/staff/")
        assert response["X-Page-Cache"] == "miss" and "Chief reporter" in response.content.decode()

    def test_an_authors_first_story_going_live_adds_them(self, client, committed):
        author = AuthorFactory(name="Newcomer Nell")
        draft = DraftArticleFactory(authors=[author])
        client.get("/staff/")
        assert cached(client, "/staff/")
        with committed():
            services.article_publish(article=draft, by=services.SYSTEM)
        assert "Newcomer Nell" in client.get("/staff/").content.decode()
