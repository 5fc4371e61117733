from articles.views import StoriesOfView

from .models import Author


class AuthorDetailView(StoriesOfView):
    """An author's page: who they are, then their published stories, newest first."""

    template_name = "authors/author_detail.html"
    owner_name = "author"

    def get_owner_queryset(self):
        return Author.objects.select_related("photo").prefetch_related("photo__renditions")

    def narrow(self, stories, author):
        return stories.by_author(author)
