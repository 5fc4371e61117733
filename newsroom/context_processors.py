"""The site's own template context: its name, address and metadata defaults. What a page
needs from the apps comes from their own context processors (the navigation is the articles
app's)."""

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.utils.translation import to_locale

from . import brand


def _canonical_url(request) -> str:
    """The page's address on the site (from SITE_URL, never the Host header), keeping only the
    page number of the query string."""
    try:
        page = request.GET.get("page", "")
    except TooManyFieldsSent:  # The 400 page for that query string is being rendered (#7).
        page = ""
    query = f"?page={page}" if page.isdigit() and page != "1" else ""
    return settings.SITE_URL + request.path + query


def og_locale(language_code: str | None = None) -> str:
    """Open Graph's locale, "en_GB", for a language code (#16): "en-gb" gives "en_GB", and a
    code without a country takes the one settings.NEWSROOM_LOCALES names ("en" → "en_GB")."""
    code = (language_code or settings.LANGUAGE_CODE).lower()
    return to_locale(settings.NEWSROOM_LOCALES.get(code, code))


def site(request):
    """The site's name and metadata defaults."""
    return {
        "site_name": settings.SITE_NAME,
        "default_social_image": brand.default_social_image(),
        "og_locale": og_locale(),
        "canonical_url": _canonical_url(request),
    }
