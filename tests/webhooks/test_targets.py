"""No server-side request forgery (#18): webhooks go to public addresses only."""

import socket
from unittest import mock

import pytest

from webhooks import targets


def resolving(*addresses):
    """socket.getaddrinfo answering these addresses for any name."""

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port) if ":" not in a else (a, port, 0, 0),
            )
            for a in addresses
        ]

    return mock.patch.object(targets.socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def nothing_allowed(settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",
        "http://127.1.2.3:8080/",
        "http://[::1]/hooks",
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://localhost:8000/hooks",
        "http://LocalHost/hooks",
    ],
)
def test_private_loopback_and_reserved_addresses_are_refused(url):
    with pytest.raises(targets.UnsafeTarget, match="public addresses only"):
        targets.check(url)


def test_a_name_that_resolves_to_a_private_address_is_refused():
    with resolving("93.184.216.34", "10.1.2.3"), pytest.raises(targets.UnsafeTarget):
        targets.check("https://partner.example.org/hooks")


def test_a_public_address_is_accepted_and_pinned():
    with resolving("93.184.216.34"):
        target = targets.check("https://Partner.example.org/hooks?source=newsroom")
    assert target == targets.Target(
        scheme="https",
        host="partner.example.org",
        port=443,
        path="/hooks?source=newsroom",
        address="93.184.216.34",
    )
    assert targets.check("http://93.184.216.34:8080").port == 8080
    assert targets.check("http://[2606:4700:4700::1111]/").address == "2606:4700:4700::1111"


@pytest.mark.parametrize(
    "url, message",
    [
        ("ftp://example.org/", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("gopher://127.0.0.1:6379/", "http:// or https://"),
        ("http://", "valid address"),
        ("http://example.org:99999/", "valid address"),
        ("http://user:pass@93.184.216.34/", "no user name"),
        ("not a url", "http:// or https://"),
    ],
)
def test_other_schemes_and_bad_addresses_are_refused(url, message):
    with pytest.raises(targets.UnsafeTarget, match=message):
        targets.check(url)


def test_a_name_that_does_not_resolve_is_refused():
    def fails(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    with mock.patch.object(targets.socket, "getaddrinfo", fails):
        with pytest.raises(targets.UnsafeTarget, match="can't be found"):
            targets.check("https://nowhere.invalid/")


@pytest.mark.parametrize(
    "allowed, url",
    [
        (["127.0.0.1"], "http://127.0.0.1:9000/hooks"),
        (["::1"], "http://[::1]/hooks"),
        (["[::1]"], "http://[::1]/hooks"),
        (["localhost"], "http://localhost/hooks"),
        (["receiver.internal"], "http://receiver.internal/hooks"),
        (["10.0.0.7"], "http://receiver.internal/hooks"),
    ],
)
def test_the_setting_allows_named_hosts_or_addresses(settings, allowed, url):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = allowed
    with resolving("10.0.0.7") if "internal" in url else mock.patch.object(targets, "__doc__"):
        assert targets.check(url)


def test_allowing_one_address_allows_no_other(settings):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    for url in ["http://10.0.0.1/", "http://169.254.169.254/", "http://[::1]/"]:
        with pytest.raises(targets.UnsafeTarget):
            targets.check(url)
