"""The footer pages and the staff page in the sitemap index (#16)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Page


class PageSitemap(Sitemap):
    """A newsroom has a handful of pages: one query lists them, and the index's lastmod is
    read from that same list rather than from a second query."""

    def items(self):
        # The sitemap views make an instance per request: the list lives as long as that.
        if not hasattr(self, "_pages"):
            pages = Page.objects.only("slug", "updated_at").order_by("footer_order", "pk")
            self._pages = list(pages)
        return self._pages

    def lastmod(self, page):
        return page.updated_at

    def get_latest_lastmod(self):
        return max((page.updated_at for page in self.items()), default=None)


class StaffSitemap(Sitemap):
    def items(self):
        return ["pages:staff"]

    def location(self, name):
        return reverse(name)


PAGE_SITEMAPS = {"pages": PageSitemap, "staff": StaffSitemap}
