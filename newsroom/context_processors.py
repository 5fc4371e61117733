"""The site's own template context: its name, address and metadata defaults. What a page
needs from the apps comes from their own context processors (the navigation is the articles
app's)."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent


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
    """The site's name and metadata defaults."""
    return {
        "site_name": settings.SITE_NAME,
        "default_social_image": settings.NEWSROOM_DEFAULT_SOCIAL_IMAGE,
        "canonical_url": _canonical_url(request),
    }
