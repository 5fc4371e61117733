"""One HTTP POST to a checked target (#18): http.client, so nothing new to install.

The connection goes to the address targets.check() approved, while the Host header, SNI and
the certificate check use the name. No redirect is followed (http.client follows none): a 3xx
is an answer like any other, and not a success. One timeout bounds the connection and each
read; the answer's first bytes are kept for the admin.
"""

import http.client
import socket
import ssl

from .targets import Target

READ_LIMIT = 8192  # bytes of the answer read at most; the rest is never downloaded


def _pinned(connection: http.client.HTTPConnection, address: str):
    """Makes `connection` connect to `address` whatever its host name resolves to now."""

    def create_connection(host_port, timeout, source_address=None):
        return socket.create_connection((address, host_port[1]), timeout, source_address)

    connection._create_connection = create_connection
    return connection


def post(target: Target, body: bytes, headers: dict, *, timeout: float) -> tuple[int, str]:
    """Posts `body`; returns the answer's status and the start of its text. Raises OSError
    (refused, timed out, TLS) or http.client.HTTPException (not HTTP)."""
    if target.scheme == "https":
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    _pinned(connection, target.address)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Newsroom-Webhooks/1",
                **headers,
            },
        )
        response = connection.getresponse()
        text = response.read(READ_LIMIT).decode("utf-8", errors="replace")
        return response.status, text
    finally:
        connection.close()
