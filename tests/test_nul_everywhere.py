"""A NUL character (U+0000, e.g. in pasted text) in any field an admin form saves is a form
error, never a 500, on PostgreSQL as on SQLite, and the rest of the form is kept (#13)."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.workflow_http import ADD, add_byline, form_fields, login, page_form, submit
from tests.factories import AuthorFactory, EditorFactory, SectionFactory

pytestmark = pytest.mark.django_db

NUL = "bad\x00text"


@pytest.fixture
def editor():
    return EditorFactory()


@pytest.mark.parametrize(
    "field", ["headline", "slug", "standfirst", "body", "tags", "seo_title", "seo_description"]
)
def test_the_story_form_refuses_nul_in_any_text_field(editor, field):
    client = login(editor)
    data = page_form(client.get(ADD), headline="Harbour news", body="Words I typed.")
    data = add_byline(data, AuthorFactory())
    data[field] = NUL if field != "tags" else ["trams", NUL]
    response = submit(client, ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    assert not Article.objects.exists()
    if field != "body":
        assert "Words I typed." in response.content.decode()


def _text_fields(form):
    """The form's free-text inputs (the ones a person types into)."""
    return [
        name
        for name, field in form.fields.items()
        if field.__class__.__name__ in {"CharField", "SlugField", "EmailField", "URLField"}
    ]


@pytest.mark.parametrize(
    "label", ["authors.author", "articles.section", "articles.tag", "images.image"]
)
def test_every_other_admin_form_refuses_nul(editor, label):
    from django.apps import apps

    model = apps.get_model(label)
    obj = {
        "authors.author": AuthorFactory,
        "articles.section": SectionFactory,
    }.get(label)
    if obj is None:
        if label == "articles.tag":
            from articles.models import Tag

            obj = Tag.objects.create(name="trams")
        else:
            from tests.images.samples import jpeg, make_image

            obj = make_image(jpeg((400, 300)), alt_text="A quay")
    else:
        obj = obj()
    client = login(editor)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    form_id = f"{model._meta.model_name}_form"
    names = _text_fields(page.context["adminform"].form)
    assert names, label
    for name in names:
        data = form_fields(page.content.decode(), form_id)
        if name not in data:
            continue
        data[name] = NUL
        response = submit(client, url, {**data, "_save": "Save"})
        assert response.status_code == 200, (label, name, response.status_code)
        assert name in response.context["adminform"].form.errors, (label, name)
