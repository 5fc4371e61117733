"""The footer's pages, on every page's template (#16)."""

from django.utils.functional import SimpleLazyObject

from .models import Page


def footer(request):
    """The pages the footer lists: one query, run only if the page shows the footer."""
    return {
        "footer_pages": SimpleLazyObject(
            lambda: list(Page.objects.in_footer().only("title", "slug"))
        ),
    }
