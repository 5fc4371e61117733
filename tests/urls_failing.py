"""A URLconf with a view that fails, to check what readers see on a server error."""

from django.urls import path


def boom(request):
    return 1 / 0


urlpatterns = [path("boom/", boom)]
