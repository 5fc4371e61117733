"""A URL configuration whose story address has another shape (tests/test_paths.py)."""

from django.http import HttpResponse
from django.urls import include, path


def page(request, **kwargs):
    return HttpResponse()


articles = (
    [
        path("stories/<slug:slug>-<yyyy:year>-<dd:month>-<dd:day>/", page, name="detail"),
        path("s/<slug:slug>", page, name="section"),
    ],
    "articles",
)
urlpatterns = [path("", include(articles))]
