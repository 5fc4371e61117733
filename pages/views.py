"""The newsroom's own pages and its staff page, for readers (#16). Both are cached like every
reader's page (articles.views.CachedPageMixin) and run a fixed number of queries."""

from django.db.models import Exists, OuterRef
from django.views.generic import DetailView, ListView

from articles.caching import object_key
from articles.models import Article
from articles.views import CachedPageMixin
from authors.models import Author
from newsroom.surrogate_keys import STAFF, image_key, page_key

from .models import Page


class PageDetailView(CachedPageMixin, DetailView):
    model = Page

    def cache_keys(self, context):
        return [*super().cache_keys(context), page_key(self.object.pk)]


def staff():
    """The authors readers know: those with at least one live story, as the authors' sitemap
    has them. An author named only on drafts stays unknown until a story of theirs is out."""
    live = Article.objects.published().filter(authors=OuterRef("pk"))
    return (
        Author.objects.filter(Exists(live))
        .select_related("photo")
        .prefetch_related("photo__renditions")
        .order_by("name", "pk")
    )


class StaffView(CachedPageMixin, ListView):
    """Everyone with a byline, A to Z: photo, job title, short bio, and a link to their page.
    A story coming or going may change who is listed (STAFF); an author or their photo
    changing purges their own keys."""

    template_name = "pages/staff.html"
    context_object_name = "authors"

    def get_queryset(self):
        return staff()

    def cache_keys(self, context):
        keys = [*super().cache_keys(context), STAFF]
        for author in context["authors"]:
            keys.append(object_key(author))
            if author.photo_id:
                keys.append(image_key(author.photo_id))
        return keys
