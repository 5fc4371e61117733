"""Side doors of Django's admin, closed (#13): "view on site" and uncached admin pages."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article
from tests.factories import (
    AuthorFactory,
    DraftArticleFactory,
    EditorFactory,
    PublishedArticleFactory,
    ReporterFactory,
    ReviewArticleFactory,
    ScheduledArticleFactory,
    WithdrawnArticleFactory,
)

pytestmark = pytest.mark.django_db


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


def login(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def other_reporter():
    return ReporterFactory()


@pytest.mark.parametrize(
    "factory",
    [
        DraftArticleFactory,
        ReviewArticleFactory,
        ScheduledArticleFactory,
        WithdrawnArticleFactory,
        PublishedArticleFactory,
    ],
)
def test_another_reporters_story_is_a_404_whatever_its_state(factory, other_reporter):
    owner = ReporterFactory()
    story = factory(created_by=owner, authors=[AuthorFactory(user=owner)])
    response = login(other_reporter).get(view_on_site(story))
    assert response.status_code == 404
    assert story.slug not in response.get("Location", "")


@pytest.mark.parametrize(
    "factory", [DraftArticleFactory, ReviewArticleFactory, ScheduledArticleFactory]
)
def test_a_story_not_live_has_no_address_to_go_to(factory):
    story = factory()
    response = login(EditorFactory()).get(view_on_site(story))
    assert response.status_code == 404  # Never a 500, never the slug.


def test_a_trashed_or_withdrawn_story_is_a_404_even_for_an_editor():
    editor = EditorFactory()
    live, gone = PublishedArticleFactory(), PublishedArticleFactory()
    services.article_trash(article=live, by=editor)
    services.article_withdraw(article=gone, by=editor, reason="Legal advice.")
    client = login(editor)
    assert client.get(view_on_site(Article.objects.get(pk=live.pk))).status_code == 404
    assert client.get(view_on_site(gone)).status_code == 404


def test_a_live_story_the_user_may_see_redirects_to_it():
    owner = ReporterFactory()
    story = PublishedArticleFactory(created_by=owner)
    for user in (owner, EditorFactory()):
        response = login(user).get(view_on_site(story))
        assert response.status_code == 302
        assert response["Location"] == story.get_absolute_url()


def test_other_things_with_a_public_page_redirect_and_odd_ids_are_404s():
    author = AuthorFactory()
    client = login(EditorFactory())
    assert client.get(view_on_site(author))["Location"] == author.get_absolute_url()
    content_type = ContentType.objects.get_for_model(author).pk
    for odd in ("abc", "99999999999999999999", "0"):
        url = reverse("admin:view_on_site", args=[content_type, odd])
        assert client.get(url).status_code == 404
    assert client.get(reverse("admin:view_on_site", args=[99999, 1])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in():
    story = PublishedArticleFactory()
    response = Client().get(view_on_site(story))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("name", ["admin:password_change", "admin:password_change_done"])
def test_the_password_pages_are_never_stored(name):
    response = login(EditorFactory()).get(reverse(name))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control


def admin_addresses():
    """Every address the admin routes that needs no object: the site's own pages and each
    registered model's list and add pages, as Django and the model admins add them."""
    from django.contrib import admin
    from django.urls import URLPattern, URLResolver

    found = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and not pattern.pattern.converters:
                if "(?P" not in str(pattern.pattern) and "<" not in str(pattern.pattern):
                    found.append("/admin/" + prefix + str(pattern.pattern).lstrip("^").rstrip("$"))

    walk(admin.site.get_urls())
    return sorted(set(found))


def test_every_admin_response_is_private_and_never_stored():
    """Django's admin leaves some of its pages cacheable (the password change pages, its
    translation catalogue): every one is now private and no-store."""
    client = login(EditorFactory())
    addresses = admin_addresses()
    assert "/admin/password_change/" in addresses and "/admin/jsi18n/" in addresses
    for address in addresses:
        if address.endswith("logout/"):
            continue
        response = client.get(address)
        cache_control = response.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, address
