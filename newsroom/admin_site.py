"""The admin site: Django's, with its side doors closed (#13).

- "View on site" (`admin/r/<content type>/<id>/`), which Django routes for every staff member,
  redirects only to an object the user may see in the admin, and only to an address the
  object's admin offers (a story's only while it is live); anything else is a 404, never a
  500 and never another story's address.

Every admin response is private and never stored: newsroom/guards.py, PrivateAdminMiddleware.
"""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path


class NewsroomAdminSite(admin.AdminSite):
    def _build_app_dict(self, request, label=None):
        """Django's app list, with a model's entry named by its admin's `list_name` when it has
        one: a library's model keeps its own verbose names (changing them would need a
        migration in the library's app), and the newsroom still reads its own words (#15,
        "Background jobs" for django-tasks' results). Django builds the index, the sidebar and
        each app's page from this one method."""
        built = super()._build_app_dict(request, label)
        for app in built.values():
            for entry in app["models"]:
                name = getattr(self._registry.get(entry["model"]), "list_name", None)
                if name:
                    entry["name"] = name
        return built

    def get_urls(self):
        own = [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
        ]
        # Django's own "r/" pattern comes later and is never reached.
        return own + super().get_urls()

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError, OverflowError):
            raise Http404("No such page.") from None
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404("No such page.")
        try:
            obj = model_admin.get_queryset(request).get(pk=object_id)
        except (ObjectDoesNotExist, ValueError, ValidationError, OverflowError):
            raise Http404("No such page.") from None
        if not model_admin.has_view_or_change_permission(request, obj):
            raise Http404("No such page.")
        offered = model_admin.view_on_site
        url = offered(obj) if callable(offered) else (offered and obj.get_absolute_url())
        if not url:
            raise Http404("This has no public page (yet).")
        return HttpResponseRedirect(url)
