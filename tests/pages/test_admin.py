"""Editors write the footer pages in the admin; reporters and Legal read none of it (#16)."""

import pytest
from django.test import Client
from django.urls import reverse

from pages.models import Page
from tests.articles.workflow_http import form_fields, submit
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


class TwoEditorsTests:
    """Two editors on one footer page: neither loses what they typed (newsroom/admin_lists.py,
    StaleForm)."""

    @pytest.fixture
    def page(self):
        return Page.objects.create(title="About us", slug="about", body="<p>Who we are.</p>")

    @pytest.fixture
    def two_forms(self, page, client):
        change = reverse("admin:pages_page_change", args=[page.pk])
        first, second = Client(), Client()
        first.force_login(EditorFactory())
        second.force_login(EditorFactory())
        forms = [form_fields(c.get(change).content.decode(), "page_form") for c in (first, second)]
        return change, (first, forms[0]), (second, forms[1])

    def test_different_fields_are_both_kept(self, page, two_forms):
        change, (first, first_form), (second, second_form) = two_forms
        body = "<p>Who we are, since 1881.</p>"
        assert submit(first, change, {**first_form, "body": body}).status_code == 302
        response = submit(second, change, {**second_form, "title": "About Harbourside"})
        assert response.status_code == 302
        page.refresh_from_db()
        assert page.title == "About Harbourside" and page.body == body

    def test_the_same_field_is_refused_with_the_text_kept_then_saved_again(self, page, two_forms):
        change, (first, first_form), (second, second_form) = two_forms
        assert submit(first, change, {**first_form, "body": "<p>First.</p>"}).status_code == 302
        mine = {**second_form, "body": "<p>Second, typed meanwhile.</p>"}
        refused = submit(second, change, mine)
        assert refused.status_code == 200
        html = refused.content.decode()
        assert "Changed by someone else since you opened this page." in html
        assert "Second, typed meanwhile." in html  # What was typed is still in the form.
        page.refresh_from_db()
        assert page.body == "<p>First.</p>"
        again = submit(second, change, form_fields(html, "page_form"))
        assert again.status_code == 302
        page.refresh_from_db()
        assert page.body == "<p>Second, typed meanwhile.</p>"
