"""The site's URLs plus /bench/floor/: a trivial view returning a fixed page (the floor that
no Django page can beat)."""

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site

FLOOR_PAGE = b"<!DOCTYPE html><html lang=en><title>Floor</title><p>A fixed response.</p></html>"


def floor(request):
    return HttpResponse(FLOOR_PAGE)


urlpatterns = [path("bench/floor/", floor), *site]
