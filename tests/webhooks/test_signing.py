"""Signatures (#18) as the reference implementation of Standard Webhooks checks them."""

import base64
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from webhooks import signing


def test_a_new_secret_has_the_prefix_and_enough_random_bytes():
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"))) <= 64
    assert signing.new_secret() != secret


def test_message_ids_are_unique_and_prefixed():
    ids = {signing.new_message_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("msg_") for i in ids)


def test_the_reference_library_verifies_our_headers():
    secret, body = signing.new_secret(), '{"type":"story.published","data":{"é":1}}'.encode()
    now = int(time.time())
    headers = signing.headers([secret], "msg_abc", now, body)
    assert headers["webhook-id"] == "msg_abc"
    assert headers["webhook-timestamp"] == str(now)
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(secret).verify(body, headers) == {"type": "story.published", "data": {"é": 1}}


def test_our_signature_is_the_reference_signature():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # the specification's example secret
    at = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    body = b'{"test": 2432232314}'
    expected = Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, body)
    assert signing.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", int(at.timestamp()), body) == (
        expected
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b: ({**h, "webhook-id": "msg_other"}, b),
        lambda h, b: ({**h, "webhook-timestamp": str(int(h["webhook-timestamp"]) - 1)}, b),
        lambda h, b: (h, b + b" "),
    ],
    ids=["id", "timestamp", "body"],
)
def test_a_changed_id_timestamp_or_body_fails_verification(tamper):
    secret, body = signing.new_secret(), b'{"a":1}'
    headers, body = tamper(signing.headers([secret], "msg_1", int(time.time()), body), body)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


def test_another_secret_fails_and_two_secrets_both_verify():
    old, new, body = signing.new_secret(), signing.new_secret(), b"{}"
    headers = signing.headers([new, old], "msg_1", int(time.time()), body)
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(new).verify(body, headers)
    Webhook(old).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
