"""What every page's template needs from the stories' side (#13)."""

from django.utils.functional import SimpleLazyObject

from .models import Section


def navigation(request):
    """The sections of the main menu, queried only if a page shows it."""
    return {
        "navigation_sections": SimpleLazyObject(
            lambda: list(Section.objects.filter(in_navigation=True))
        ),
    }
