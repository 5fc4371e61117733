"""What every page's template needs from the stories' side (#13)."""

from django.utils.functional import SimpleLazyObject

from .lookups import active_banner, navigation_sections


def navigation(request):
    """The sections of the main menu, read only if a page shows it, and then from memory
    unless a section changed (#17)."""
    return {"navigation_sections": SimpleLazyObject(navigation_sections.get)}


def breaking(request):
    """The breaking-news banner shown now, or None (#18): from memory, like the menu."""
    return {"breaking": SimpleLazyObject(active_banner)}
