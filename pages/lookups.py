"""The footer's pages, kept in memory between requests and read again once a page is saved or
deleted (#17, newsroom/lookups.py)."""

from django.db.models.signals import post_delete, post_save

from newsroom.lookups import Lookup

from .models import Page


def _load_footer():
    """The footer's pages, each with its address (`url`) worked out once per version."""
    pages = list(Page.objects.in_footer().only("title", "slug"))
    for page in pages:
        page.url = page.get_absolute_url()
    return pages


footer_pages = Lookup("footer", _load_footer)


def _page_changed(sender, **kwargs):
    footer_pages.bump()


def connect():
    """Called from PagesConfig.ready()."""
    post_save.connect(_page_changed, sender=Page, dispatch_uid="lookups.pages.page")
    post_delete.connect(_page_changed, sender=Page, dispatch_uid="lookups.pages.page")
