"""The footer's pages, on every page's template (#16)."""

from django.utils.functional import SimpleLazyObject

from .lookups import footer_pages


def footer(request):
    """The pages the footer lists: read only if the page shows the footer, and then from
    memory unless a page changed (#17)."""
    return {"footer_pages": SimpleLazyObject(footer_pages.get)}
