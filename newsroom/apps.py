from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django_tasks_db import apps as tasks_apps


class NewsroomConfig(AppConfig):
    """The project itself, as an app: site-wide system checks."""

    name = "newsroom"
    verbose_name = "Site"
    # What "newsroom" in INSTALLED_APPS means, of the configurations in this module (the others
    # are named in full there). The libraries' are imported as modules, never as classes: a
    # class imported here would count as one of this module's, and Django, finding two, would
    # take neither and skip ready() with its checks.
    default = True

    def ready(self):
        # Registers the deploy checks of the site's public address (#7) and of its pictures
        # (#16), and the refusal to delete an account named in the history (#13).
        from . import accounts, media, security  # noqa: F401


class NewsroomAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site of newsroom/admin_site.py (INSTALLED_APPS names it)."""

    default = False
    default_site = "newsroom.admin_site.NewsroomAdminSite"


class JobsConfig(tasks_apps.TasksAppConfig):
    """django-tasks' database backend under the newsroom's name for it (#15): the admin's
    index, sidebar and breadcrumbs say "Background jobs", not "Tasks Database Backend". The
    label, tables and permissions stay the library's."""

    default = False
    verbose_name = "Background jobs"
