"""What a footer page's change purges from the page cache (#16): its own page, the sitemap,
and every HTML page, since each carries the footer that lists the pages (NAVIGATION). Pages
have no service; like authors and sections (articles/caching.py) they are caught by model
signals, and purged once the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from newsroom.pagecache import purge
from newsroom.surrogate_keys import NAVIGATION, SITEMAP, page_key

from .models import Page


def page_change_keys(page):
    return {page_key(page.pk), NAVIGATION, SITEMAP}


def _page_changed(sender, instance, **kwargs):
    keys = page_change_keys(instance)
    transaction.on_commit(lambda: purge(keys))


def connect():
    """Called from PagesConfig.ready()."""
    post_save.connect(_page_changed, sender=Page, dispatch_uid="pagecache.pages.page")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="pagecache.pages.page")
