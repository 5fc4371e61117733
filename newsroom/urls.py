"""The site's addresses. The one module of the core that imports the apps: it composes their
views, feeds and sitemaps into one site (#13; the import-linter contract in pyproject.toml
exempts it alone)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from api import api
from articles import feeds, live, search_views
from articles.sitemaps import SITEMAPS, news_sitemap
from articles.views import AuthorDetailView
from pages.sitemaps import PAGE_SITEMAPS

from . import media
from .pagecache import cached_page
from .robots import robots_txt
from .surrogate_keys import ROBOTS, SITEMAP

admin.site.site_header = f"{settings.SITE_NAME} admin"
admin.site.site_title = settings.SITE_NAME
admin.site.index_title = "The newsroom"

# Sitemaps of many pages read `?p=`.
sitemap_page = cached_page(SITEMAP, query=("p",))
# The stories' sitemaps, then the newsroom's own pages and its staff page (#16).
ALL_SITEMAPS = {**SITEMAPS, **PAGE_SITEMAPS}

# An author's page lists their stories, so the articles app serves it, at the address and
# under the name (authors:detail) it has always had: the authors app knows nothing of
# stories (#13).
author_pages = ([path("<slug:slug>/", AuthorDetailView.as_view(), name="detail")], "authors")

discovery = [
    # A live blog's newest updates for its open pages, and its feed (#18).
    path("live/<int:pk>/updates.json", live.poll, name="live-poll"),
    path("live/<int:pk>/feed/", feeds.LiveBlogFeed(), name="live-feed"),
    # Feeds (RSS 2.0, and Atom under …/atom/).
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestStoriesAtomFeed(), name="feed-atom"),
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionAtomFeed(), name="section-feed-atom"),
    path("tags/<tag:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tags/<tag:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author-feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    # Sitemaps and robots.txt, cached until a story comes, goes or changes.
    path(
        "sitemap.xml",
        sitemap_page(sitemap_views.index),
        {
            "sitemaps": ALL_SITEMAPS,
            "sitemap_url_name": "sitemap-section",
            "template_name": "sitemaps/sitemap_index.xml",
        },
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_page(sitemap_views.sitemap),
        {"sitemaps": ALL_SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    path("news-sitemap.xml", sitemap_page(news_sitemap), name="news-sitemap"),
    path("robots.txt", cached_page(ROBOTS)(robots_txt), name="robots"),
]

# Error pages that render without the database, and the admin's own refusal page (#13).
handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    *discovery,
    path("authors/", include(author_pages)),
    path("search/", search_views.search, name="search"),
    # The Content API (#18): JSON, its OpenAPI document and its docs.
    path("api/v1/", api.urls()),
    # Uploaded pictures, unless object storage or a web server in front serves them (#16).
    *media.urlpatterns(),
    # /pages/<slug>/ and /staff/ (#16), before the stories' patterns at the root.
    path("", include("pages.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG and not media.urlpatterns():
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
