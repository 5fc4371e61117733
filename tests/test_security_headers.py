"""Security headers (#7): the Content-Security-Policy of readers' pages and of the admin, how it
goes with the page cache, the other browser protections, and what may be cached or set as a
cookie."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from articles import services
from articles.previews import preview_url
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    SectionFactory,
    UserFactory,
)
from tests.test_settings import load_settings

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def public_paths():
    """A live story with a section, a tag and an author, and the address of every kind of
    page readers (and their feed readers and crawlers) can open."""
    author = AuthorFactory(slug="ada")
    story = PublishedArticleFactory(
        headline="Harbour tram opens", section=SectionFactory(slug="city"), authors=[author]
    )
    story.tags.add("trams")
    day = story.publication_date
    return {
        "front": "/",
        "story": story.get_absolute_url(),
        "section": "/sections/city/",
        "tag": "/tags/trams/",
        "author": "/authors/ada/",
        "year": f"/{day:%Y}/",
        "month": f"/{day:%Y/%m}/",
        "day": f"/{day:%Y/%m/%d}/",
        "corrections": "/corrections/",
        "search": "/search/?q=harbour",
        "feed": "/feed/",
        "atom": "/feed/atom/",
        "section feed": "/sections/city/feed/",
        "tag feed": "/tags/trams/feed/",
        "author feed": "/authors/ada/feed/atom/",
        "sitemap index": "/sitemap.xml",
        "sitemap": "/sitemap-articles.xml",
        "news sitemap": "/news-sitemap.xml",
        "robots": "/robots.txt",
    }


def directives(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


class ReaderPolicyTests:
    def test_readers_pages_allow_only_the_sites_own_scripts_and_styles(self, client):
        response = client.get(public_paths()["story"])
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["form-action"] == ["'self'"]

    @pytest.mark.parametrize("page", ["front", "story", "author", "section", "search"])
    def test_html_pages_have_no_inline_script_and_no_nonce(self, client, page):
        html = client.get(public_paths()[page]).content.decode()
        assert "nonce" not in html
        assert 'style="' not in html and "<style" not in html
        for attributes in SCRIPT.findall(html):
            # Structured data is not run, so script-src doesn't apply to it: it needs no nonce.
            assert 'type="application/ld+json"' in attributes or "src=" in attributes

    def test_a_cached_page_is_served_with_the_policy_its_body_was_written_for(
        self, client, settings
    ):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        path = public_paths()["story"]
        first = client.get(path)
        second = client.get(path)
        assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
        assert second.content == first.content
        assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
        assert "nonce" not in second["Content-Security-Policy"]

    def test_shared_previews_run_under_the_readers_policy(self, client):
        link = services.preview_link_create(article=DraftArticleFactory(), by=EditorFactory())
        response = client.get(preview_url(link))
        assert response.status_code == 200
        assert directives(response)["script-src"] == ["'self'"]


class AdminPolicyTests:
    def test_the_editor_gets_a_fresh_nonce_that_its_import_map_carries(self, client):
        client.force_login(EditorFactory())
        nonces = []
        for _ in range(2):
            response = client.get("/admin/articles/article/add/")
            assert response.status_code == 200
            policy = directives(response)
            (nonce,) = [s for s in policy["script-src"] if s.startswith("'nonce-")]
            nonce = nonce.removeprefix("'nonce-").removesuffix("'")
            assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()
            assert "'unsafe-inline'" not in policy["script-src"]
            assert "'unsafe-inline'" in policy["style-src"]
            nonces.append(nonce)
        assert nonces[0] != nonces[1]
        assert "no-store" in response["Cache-Control"]

    def test_the_change_form_carries_the_nonce_too(self, client):
        client.force_login(EditorFactory())
        story = DraftArticleFactory()
        response = client.get(f"/admin/articles/article/{story.pk}/change/")
        (nonce,) = re.findall(
            r'<script type="importmap" nonce="([^"]+)">', response.content.decode()
        )
        assert f"'nonce-{nonce}'" in directives(response)["script-src"]

    @pytest.mark.slow
    def test_every_admin_form_with_inline_script_carries_the_nonce(self, client):
        """Any admin page that renders an import map (a ProseEditorField) needs the nonce:
        a new model with a rich-text field must not leave its editor blocked."""
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        checked = 0
        for model in admin.site._registry:
            info = model._meta.app_label, model._meta.model_name
            try:
                url = reverse("admin:{}_{}_add".format(*info))
            except NoReverseMatch:
                continue
            response = client.get(url)
            html = response.content.decode()
            for attributes in SCRIPT.findall(html):
                if "src=" in attributes or "application/json" in attributes:
                    continue
                (nonce,) = re.findall(r'nonce="([^"]+)"', attributes) or [None]
                assert nonce, f"{url}: <script{attributes}> has no nonce"
                assert f"'nonce-{nonce}'" in directives(response)["script-src"], url
                checked += 1
        assert checked  # the story form's import map, at least

    def test_the_login_page_has_the_admins_policy_without_a_nonce_it_doesnt_use(self, client):
        response = client.get("/admin/login/")
        policy = directives(response)
        assert policy["script-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]


class OtherHeadersTests:
    @pytest.mark.parametrize("path", ["/", "/admin/login/"])
    def test_framing_referrer_and_opener_are_locked_down(self, client, path):
        response = client.get(path)
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


class CookieTests:
    def test_no_public_page_sets_a_cookie(self, client):
        paths = public_paths()
        link = services.preview_link_create(article=DraftArticleFactory(), by=EditorFactory())
        paths["shared preview"] = preview_url(link)
        paths["missing page"] = "/no-such-page/"
        for page, path in paths.items():
            response = client.get(path)
            assert response.status_code in (200, 404), (page, response.status_code)
            assert not response.cookies, (page, list(response.cookies))
            assert "Set-Cookie" not in response, page
            assert not client.cookies, page


class NeverCachedTests:
    def test_pages_seen_logged_in_are_private(self, client):
        paths = public_paths()
        client.force_login(EditorFactory())
        for page, path in paths.items():
            response = client.get(path)
            assert response.status_code == 200, page
            cache_control = response["Cache-Control"]
            assert "private" in cache_control and "public" not in cache_control, page
            assert "Surrogate-Key" not in response, page

    def test_previews_are_never_stored(self, client):
        link = services.preview_link_create(article=DraftArticleFactory(), by=EditorFactory())
        response = client.get(preview_url(link))
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "Surrogate-Key" not in response
        assert response["X-Robots-Tag"] == "noindex, nofollow"

    def test_admin_previews_are_never_stored(self, client):
        client.force_login(EditorFactory())
        story = DraftArticleFactory()
        response = client.get(f"/admin/articles/article/{story.pk}/preview/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]

    def test_a_logged_in_reader_is_never_served_a_cached_page(self, client, settings):
        settings.PAGE_CACHE = {**settings.PAGE_CACHE, "SECONDS": 300}
        path = public_paths()["front"]
        assert client.get(path)["X-Page-Cache"] == "miss"
        client.force_login(EditorFactory())
        response = client.get(path)
        assert "X-Page-Cache" not in response
        assert django_settings.SESSION_COOKIE_NAME in client.cookies


class UploadsHostTests:
    """Pictures served from object storage or a CDN are allowed on every page: the policy
    names the host of the very URLs the storage makes."""

    CODE = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.core.files.storage import default_storage as d; "
        "policy = s.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
        "print(json.dumps([d.url('images/a.jpg'), policy['img-src'], policy['script-src']]))"
    )

    @pytest.mark.slow
    @pytest.mark.parametrize(
        "env",
        [
            {"NEWSROOM_S3_CUSTOM_DOMAIN": "media.example.org"},
            {"NEWSROOM_S3_ENDPOINT_URL": "https://s3.example.net"},
            {"NEWSROOM_S3_REGION": "eu-west-1"},
            {},
        ],
    )
    def test_the_uploads_host_is_allowed_for_pictures_only(self, env):
        result = load_settings(
            self.CODE,
            DJANGO_SECRET_KEY="x" * 50,
            DATABASE_URL="sqlite://",
            NEWSROOM_S3_BUCKET="newsroom-media",
            **env,
        )
        assert result.returncode == 0, result.stderr
        url, img_src, script_src = json.loads(result.stdout)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        assert origin in img_src
        assert script_src == ["'self'"]

    def test_static_files_from_a_cdn_are_allowed_for_scripts_and_styles(self):
        code = (
            "import json; from django.conf import settings as s; "
            "print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
        )
        result = load_settings(
            code,
            DJANGO_SECRET_KEY="x" * 50,
            DATABASE_URL="sqlite://",
            DJANGO_STATIC_URL="https://static.example.net/newsroom/",
        )
        policy = json.loads(result.stdout)
        for directive in ["script-src", "style-src", "img-src", "default-src"]:
            assert policy[directive] == ["'self'", "https://static.example.net"], directive
