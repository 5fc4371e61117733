"""Readers' pages page through the archive without counting it (#6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.pagination import MAX_PAGES, ArchivePaginator, capped_count
from tests.factories import PublishedArticleFactory

pytestmark = pytest.mark.django_db


class ArchivePaginatorTests:
    def test_pages_know_their_neighbours_without_a_total(self):
        PublishedArticleFactory.create_batch(5)
        paginator = ArchivePaginator(Article.objects.published().order_by("-pk"), 2)
        first, last = paginator.page(1), paginator.page(3)
        assert (len(first), first.has_previous(), first.has_next()) == (2, False, True)
        assert (len(last), last.has_previous(), last.has_next()) == (1, True, False)
        assert (last.start_index(), last.end_index()) == (5, 5)
        assert paginator.count is None and paginator.num_pages is None

    def test_one_query_per_page_and_no_count(self):
        PublishedArticleFactory.create_batch(5)
        paginator = ArchivePaginator(Article.objects.published().order_by("-pk"), 2)
        with CaptureQueriesContext(connection) as captured:
            paginator.page(2)
        assert len(captured) == 1
        assert "COUNT(" not in captured[0]["sql"].upper()

    def test_an_empty_first_page_is_allowed_but_not_an_empty_second(self):
        paginator = ArchivePaginator(Article.objects.none(), 20)
        assert len(paginator.page(1)) == 0
        with pytest.raises(Exception, match="no results"):
            paginator.page(2)
        strict = ArchivePaginator(Article.objects.none(), 20, allow_empty_first_page=False)
        with pytest.raises(Exception, match="no results"):
            strict.page(1)

    @pytest.mark.parametrize(
        ("asked", "given"), [("x", 1), ("0", 1), ("-4", 1), ("2.5", 1), ("3", 3), ("9" * 30, 500)]
    )
    def test_get_page_never_fails(self, asked, given):
        page = ArchivePaginator(Article.objects.none(), 20).get_page(asked)
        assert page.number == given and len(page) == 0

    def test_capped_count_stops_counting_at_the_cap(self):
        PublishedArticleFactory.create_batch(5)
        assert capped_count(Article.objects.published(), 3) == 4
        assert capped_count(Article.objects.published(), 10) == 5


class ReaderPageTests:
    def test_pages_beyond_the_cap_are_404(self, client):
        PublishedArticleFactory()
        assert client.get("/", {"page": MAX_PAGES + 1}).status_code == 404

    def test_the_page_shows_its_number_not_a_total(self, client):
        PublishedArticleFactory.create_batch(21)
        html = client.get("/", {"page": 2}).content.decode()
        assert '<span class="pagination__current" aria-current="page">Page 2</span>' in html
        assert " of " not in html.split('aria-current="page">')[1].split("</span>")[0]

    def test_search_past_the_last_page_says_so(self, client):
        PublishedArticleFactory(headline="Harbour festival")
        html = client.get("/search/", {"q": "harbour", "page": 4}).content.decode()
        assert "1 story found (page 4)" in " ".join(html.split())
        assert "No more results." in html
        assert 'href="?q=harbour">Back to the first page</a>' in html
