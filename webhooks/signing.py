"""Signing deliveries the Standard Webhooks way (#18, https://www.standardwebhooks.com).

A secret is `whsec_` followed by the base64 of random bytes (32 here; the specification asks for
24 to 64). The key is those bytes; the signed content is `{webhook-id}.{webhook-timestamp}.{body}`
and the signature is HMAC-SHA256 of it, in base64, sent as `webhook-signature: v1,<base64>`.
Several signatures are separated by spaces: for a day after a secret is rotated each delivery
carries one made with the new secret and one with the old, so that a receiver can switch keys
without refusing anything.

Nothing here knows the models: it is pure, and its tests check it with the reference library.
"""

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_message_id() -> str:
    """A unique id for one message, the same for every attempt at delivering it."""
    return "msg_" + secrets.token_urlsafe(18)


def key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64>` for one secret."""
    content = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_: list[str], message_id: str, timestamp: int, body: bytes) -> dict:
    """The three headers of one attempt, signed with every secret given (newest first)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, message_id, timestamp, body) for s in secrets_),
    }
