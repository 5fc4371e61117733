from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article

from .models import Author


class AuthorDetailView(ListView):
    """An author's page: who they are, then their published stories, newest first."""

    template_name = "authors/author_detail.html"
    paginate_by = 20
    allow_empty = True

    def get_queryset(self):
        authors = Author.objects.select_related("photo").prefetch_related("photo__renditions")
        self.author = get_object_or_404(authors, slug=self.kwargs["slug"])
        return Article.objects.published().by_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
