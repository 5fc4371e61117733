from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.urls import register_converter

        from . import caching, converters, latest, link_times, lookups, search

        # Used by the site's URLs and the project's (feeds): registered before either loads.
        register_converter(converters.FourDigitYearConverter, "yyyy")
        register_converter(converters.TwoDigitConverter, "dd")
        register_converter(converters.TagSlugConverter, "tag")

        # Pages in the cache are purged when what they show changes.
        caching.connect()
        # Each section's, tag's and author's newest stories follow every change (#17).
        latest.connect()
        # Tag links and bylines carry their story's publication time (#17).
        link_times.connect()
        # So are the lookups each process keeps in memory (#17).
        lookups.connect()

        # The search index takes in each write after its commit (#17).
        search.connect()
        # A later migration that rebuilds a table on SQLite drops its search triggers (#5).
        post_migrate.connect(
            search.after_migrate, sender=self, dispatch_uid="articles.search.after_migrate"
        )

        # The picture library's "Used in" (#14): it learns of stories and authors from here.
        from images import usage

        from . import picture_uses

        usage.register(picture_uses.story_uses)
        usage.register(picture_uses.author_uses)
