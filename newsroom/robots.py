"""/robots.txt: keeps crawlers out of the admin and preview links, and names the sitemaps."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    return TemplateResponse(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
            "news_sitemap_url": request.build_absolute_uri(reverse("news-sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
