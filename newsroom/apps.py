from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, as an app: site-wide system checks."""

    name = "newsroom"
    verbose_name = "Site"

    def ready(self):
        # Registers the deploy checks of the site's public address (#7).
        from . import security  # noqa: F401
