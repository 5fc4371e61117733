"""The site's URLconf with views that fail or refuse, to check what readers and staff see."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from newsroom.urls import handler400, handler403, handler404, handler500  # noqa: F401
from newsroom.urls import urlpatterns as site_urlpatterns


def boom(request):
    return 1 / 0


def refuse(request):
    raise PermissionDenied("Only editors may <publish> this.")


urlpatterns = [
    path("boom/", boom),
    path("refused/", refuse),
    path("admin/refused/", refuse),
    *site_urlpatterns,
]
