"""Where a webhook may be sent (#18): no server-side request forgery.

An endpoint's address is typed in the admin, and the server then connects to it: without a
check, anyone who may register an endpoint could make the newsroom's servers post to its own
private network (a database's admin port, the cloud's metadata service at 169.254.169.254).

So the host is resolved and every address it resolves to must be public: not private,
loopback, link-local, multicast, reserved, unspecified or otherwise not global, for IPv4 and
IPv6 (an IPv4 address mapped into IPv6, `::ffff:127.0.0.1`, is judged as the IPv4 address).
Only http and https. The check runs when the endpoint is saved (a form error) and again before
each attempt, since what a name resolves to can change. The connection then goes to the
address that was checked (`Target.address`), not to a second lookup of the name, so a name
that resolves to a public address for the check and a private one for the connection (DNS
rebinding) reaches nothing private; the name is still sent as the Host header and, for https,
used for SNI and to verify the certificate.

`NEWSROOM_WEBHOOK_ALLOWED_HOSTS` (the same name in the environment) lists host names
or addresses that are allowed anyway: a receiver on the same private network, or a test's.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class UnsafeTarget(ValueError):
    """The address may not receive webhooks; the message says why, for the admin."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as typed (lowercase), for the Host header and TLS
    port: int
    path: str  # with the query
    address: str  # the checked IP address to connect to


def allowed_hosts() -> set[str]:
    return {h.strip().lower().strip("[]") for h in settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS}


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a scope (fe80::1%eth0) is link-local
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise UnsafeTarget(f"The host {host} can't be found.") from error
    addresses = []
    for *_, sockaddr in found:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise UnsafeTarget(f"The host {host} can't be found.")
    return addresses


def check(url: str) -> Target:
    """The target of `url`, resolved and checked; raises UnsafeTarget."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise UnsafeTarget("Enter a valid address, like https://example.org/hooks.") from error
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UnsafeTarget("Use an http:// or https:// address.")
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeTarget("Enter a valid address, like https://example.org/hooks.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("Put no user name or password in the address.")
    port = port or SCHEMES[scheme]
    addresses = _resolve(host, port)
    allowed = allowed_hosts()
    if host not in allowed:
        refused = [a for a in addresses if not is_public(a) and a.lower() not in allowed]
        if refused:
            raise UnsafeTarget(
                f"{host} is a private, loopback or reserved address ({refused[0]}): "
                "webhooks go to public addresses only, unless the site's settings allow it "
                "(NEWSROOM_WEBHOOK_ALLOWED_HOSTS)."
            )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme=scheme, host=host, port=port, path=path, address=addresses[0])
