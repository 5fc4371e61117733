"""Editors write the footer pages in the admin; reporters and Legal read none of it (#16)."""

import pytest
from django.urls import reverse

from pages.models import Page
from tests.factories import EditorFactory, LegalFactory, ReporterFactory

pytestmark = pytest.mark.django_db

FORM = {
    "title": "Corrections policy",
    "slug": "corrections-policy",
    "summary": "How we put mistakes right.",
    "body": "<p>We correct <em>quickly</em>.</p><script>alert(1)</script>",
    "show_in_footer": "on",
    "footer_order": "30",
}


@pytest.fixture
def editor(client):
    client.force_login(EditorFactory())
    return client


class PageAdminTests:
    def test_an_editor_adds_changes_and_deletes_a_page(self, editor, client):
        response = editor.post(reverse("admin:pages_page_add"), FORM)
        assert response.status_code == 302, response.content.decode()[:2000]
        page = Page.objects.get()
        assert page.body == "<p>We correct <em>quickly</em>.</p>"
        assert page.show_in_footer and page.footer_order == 30

        change = reverse("admin:pages_page_change", args=[page.pk])
        form = editor.get(change)
        assert form.status_code == 200
        assert "prose-editor" in form.content.decode()
        response = editor.post(change, {**FORM, "title": "How we correct", "show_in_footer": ""})
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.title == "How we correct" and not page.show_in_footer

        listing = editor.get(reverse("admin:pages_page_changelist"))
        assert "How we correct" in listing.content.decode()

        delete = reverse("admin:pages_page_delete", args=[page.pk])
        assert editor.post(delete, {"post": "yes"}).status_code == 302
        assert not Page.objects.exists()

    def test_the_editor_form_runs_under_the_admin_security_policy(self, editor):
        response = editor.get(reverse("admin:pages_page_add"))
        nonce = response.wsgi_request.csp_nonce
        assert f'<script type="importmap" nonce="{nonce}">' in response.content.decode()

    @pytest.mark.parametrize("factory", [ReporterFactory, LegalFactory])
    def test_reporters_and_legal_may_not_touch_pages(self, client, factory):
        client.force_login(factory())
        assert client.get(reverse("admin:pages_page_changelist")).status_code == 403
        assert client.post(reverse("admin:pages_page_add"), FORM).status_code == 403
        assert not Page.objects.exists()
