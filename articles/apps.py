from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from . import search

        # A later migration that rebuilds a table on SQLite drops its search triggers (#5).
        post_migrate.connect(
            search.ensure_installed, sender=self, dispatch_uid="articles.search.ensure_installed"
        )
