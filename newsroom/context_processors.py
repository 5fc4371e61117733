from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.functional import SimpleLazyObject


def _canonical_url(request) -> str:
    """The page's address on the site (from SITE_URL, never the Host header), keeping only the
    page number of the query string."""
    try:
        page = request.GET.get("page", "")
    except TooManyFieldsSent:  # The 400 page for that query string is being rendered (#7).
        page = ""
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    return settings.SITE_URL + request.path + query


def site(request):
    """The site's name and metadata defaults, and the sections of the main menu (queried only if
    a page shows it)."""
    from articles.models import Section

    return {
        "site_name": settings.SITE_NAME,
        "default_social_image": settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE,
        "canonical_url": _canonical_url(request),
        "navigation_sections": SimpleLazyObject(
            lambda: list(Section.objects.filter(in_navigation=True))
        ),
    }
