from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    """The site's name, and the sections of the main menu (queried only if a page shows it)."""
    from articles.models import Section

    return {
        "site_name": settings.SITE_NAME,
        "navigation_sections": SimpleLazyObject(
            lambda: list(Section.objects.filter(in_navigation=True))
        ),
    }
