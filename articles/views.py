"""The reader's side: the front page and story pages. Views only choose querysets and render."""

import datetime

from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import DetailView, ListView

from .models import Article


class PublishedArticleMixin:
    """Every public view starts from `Article.objects.published()`."""

    def get_queryset(self):
        return Article.objects.published().for_listing()


class ArticleListView(PublishedArticleMixin, ListView):
    """The front page: the latest stories, newest first. An empty site still renders."""

    paginate_by = 20
    allow_empty = True


class ArticleDetailView(PublishedArticleMixin, DetailView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related("tags")

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        slug, kwargs = self.kwargs["slug"], self.kwargs
        try:
            day = datetime.date(kwargs["year"], kwargs["month"], kwargs["day"])
        except (ValueError, OverflowError):
            day = None
        # The story at this date; failing that, the latest live story with this slug, which
        # get() then redirects to (an old link with a wrong date still finds its story).
        article = queryset.filter(publication_date=day, slug=slug).first() if day else None
        if article is None:
            article = queryset.filter(slug=slug).first()
        if article is None:
            raise Http404("No story at this address.")
        return article

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.path != self.object.get_absolute_url():
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))
