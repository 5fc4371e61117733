"""The webhooks' admin pages (#18): editors register endpoints, see the log, re-send."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.factories import ReporterFactory
from tests.jobs import run_jobs
from webhooks.models import Delivery, Endpoint, Event

pytestmark = pytest.mark.django_db

ENDPOINTS = reverse("admin:webhooks_endpoint_changelist")
ADD = reverse("admin:webhooks_endpoint_add")
DELIVERIES = reverse("admin:webhooks_delivery_changelist")


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def form(url, events=(Event.PUBLISHED, Event.CORRECTED)):
    return {"url": url, "description": "Partner <app>", "events": list(events), "is_active": "on"}


def test_an_editor_registers_an_endpoint(client_of, editor, receiver):
    client = client_of(editor)
    assert client.get(ADD).status_code == 200
    response = client.post(ADD, form(receiver.url))
    assert response.status_code == 302, response.context["adminform"].form.errors
    endpoint = Endpoint.objects.get()
    assert endpoint.url == receiver.url
    assert endpoint.events == [Event.PUBLISHED, Event.CORRECTED]
    assert endpoint.created_by == editor
    assert endpoint.secret.startswith("whsec_")
    # The list and the form show it; the secret is on the form, read-only, escaped text.
    listing = client.get(ENDPOINTS).text
    assert receiver.url in listing and "Partner &lt;app&gt;" in listing
    page = client.get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])).text
    assert f"<code>{endpoint.secret}</code>" in page
    assert 'name="secret"' not in page
    log = f"{DELIVERIES}?endpoint__id__exact={endpoint.pk}"
    assert log in page and client.get(log).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
    ],
)
def test_a_private_address_is_a_form_error(client_of, editor, url, settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = []
    response = client_of(editor).post(ADD, form(url))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "public addresses only" in errors["url"][0]
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"url": "ftp://example.org/", "events": [Event.PUBLISHED]}, "url"),
        ({"url": "http://93.184.216.34/", "events": []}, "events"),
        ({"url": "http://93.184.216.34/", "events": ["webhook.test"]}, "events"),
        ({"url": "http://93.184.216.34/", "events": ["story.eaten"]}, "events"),
        ({"url": "x" * 600, "events": [Event.PUBLISHED]}, "url"),
    ],
)
def test_bad_input_is_a_form_error(client_of, editor, data, field):
    response = client_of(editor).post(ADD, {**data, "description": ""})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_a_reporter_has_no_webhooks(client_of):
    client = client_of(ReporterFactory())
    assert client.get(ENDPOINTS).status_code == 403
    assert client.get(DELIVERIES).status_code == 403


def test_sending_a_test_event_and_re_sending_it(client_of, editor, receiver):
    endpoint = Endpoint.objects.create(url=receiver.url, events=[Event.PUBLISHED])
    receiver.secret = endpoint.secret
    client = client_of(editor)
    with run_jobs():
        response = client.post(
            ENDPOINTS, {"action": "send_test_event", ACTION_CHECKBOX_NAME: [endpoint.pk]}
        )
    assert response.status_code == 302
    (got,) = receiver.received
    assert got.verified and got.payload["type"] == "webhook.test"
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.SUCCEEDED

    # The log: list, filters and the delivery's page.
    listing = client.get(DELIVERIES)
    assert listing.status_code == 200 and "webhook.test" in listing.text
    for query in ["?status__exact=succeeded", "?event__exact=webhook.test", "?status__exact=x"]:
        assert client.get(DELIVERIES + query).status_code == 200
    page = client.get(reverse("admin:webhooks_delivery_change", args=[delivery.pk]))
    assert page.status_code == 200
    assert delivery.message_id in page.text and 'name="_save"' not in page.text
    assert "Succeeded" in client.get(ENDPOINTS).text  # the endpoint's last delivery

    with run_jobs():
        response = client.post(
            DELIVERIES, {"action": "resend", ACTION_CHECKBOX_NAME: [delivery.pk]}
        )
    assert response.status_code == 302
    first, second = receiver.received
    assert second.verified and second.headers["webhook-id"] == first.headers["webhook-id"]
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == Delivery.Status.SUCCEEDED


def test_rotating_the_secret(client_of, editor):
    endpoint = Endpoint.objects.create(url="http://93.184.216.34/", events=[Event.PUBLISHED])
    old = endpoint.secret
    response = client_of(editor).post(
        ENDPOINTS, {"action": "rotate_secret", ACTION_CHECKBOX_NAME: [endpoint.pk]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.previous_secret == old


def test_deliveries_cannot_be_added_changed_or_deleted(client_of, editor):
    endpoint = Endpoint.objects.create(url="http://93.184.216.34/", events=[Event.PUBLISHED])
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=Event.PUBLISHED, message_id="msg_1", payload={}
    )
    client = client_of(editor)
    assert client.get(reverse("admin:webhooks_delivery_add")).status_code == 403
    change = reverse("admin:webhooks_delivery_change", args=[delivery.pk])
    assert client.post(change, {"event": "story.trashed"}).status_code == 403
    assert client.get(
        reverse("admin:webhooks_delivery_delete", args=[delivery.pk])
    ).status_code == (403)
    assert client.get(reverse("admin:webhooks_delivery_change", args=["abc"])).status_code == 302
