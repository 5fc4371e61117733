from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Footer pages"

    def ready(self):
        from . import caching, lookups

        caching.connect()
        lookups.connect()
