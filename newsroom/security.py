"""Secure defaults that need a little code (#7): the admin's Content-Security-Policy, the
client's address behind proxies for login throttling, the lockout page, and deploy checks
for the site's public address.

Readers' pages run under one fixed policy (settings.CONTENT_SECURITY_POLICY): scripts and
styles from the site only, no inline code, so no nonce. A nonce differs per response and a
page cached whole (newsroom/pagecache.py) would replay an old one; with none, a cached page
and the header sent with it always agree. Structured data (`<script type="application/ld+json">`)
is a data block, which browsers never run: script-src doesn't apply to it, so it needs no nonce.
The admin's pages carry a per-request nonce for the rich-text editor's inline import map, and
allow inline styles, which the editor (Tiptap injects a <style> element) and Django's admin set.
"""

import ipaddress
from urllib.parse import urlsplit

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.db.models import Sum
from django.http.request import validate_host
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with settings.NEWSROOM_ADMIN_CSP replacing directives of the
    site's policy on the admin's pages (the views of its URL namespace)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if not report_only and parts.replace is None and match and "admin" in match.namespaces:
            parts.replace = settings.NEWSROOM_ADMIN_CSP
        return parts


def client_ip(request) -> str | None:
    """The reader's address, for django-axes (AXES_CLIENT_IP_CALLABLE).

    Behind NEWSROOM_PROXY_COUNT proxies that each append the address they were reached from
    to X-Forwarded-For, that address is the one the outermost proxy saw: the count-th entry
    from the right. Entries further left come from the client and can be forged. A request
    that did not come through every proxy (too few entries, or not an address) counts under
    the address that connected to the app.
    """
    count = settings.NEWSROOM_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(forwarded) >= count:
        candidate = forwarded[-count]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def login_username(request, credentials=None) -> str | None:
    """The username a login tried, for django-axes (AXES_USERNAME_CALLABLE), cut to the 255
    characters its records hold: Django's login form doesn't limit its length, and a longer
    one would fail to save on PostgreSQL, a server error instead of a failed login (#7)."""
    username = (credentials or request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:255] if isinstance(username, str) else username


class LoginThrottle(AxesDatabaseHandler):
    """django-axes's database handler (AXES_HANDLER), counting failed logins two ways (#13):

    - per username and address (AXES_LOCKOUT_PARAMETERS' first entry): AXES_FAILURE_LIMIT
      failures lock that username out from that address;
    - per address, whatever the username (its second entry): NEWSROOM_LOGIN_ADDRESS_LIMIT
      failures lock every login from that address out. One password tried against many
      usernames (password spraying) is stopped, while a newsroom behind one address isn't
      locked out by a few colleagues' typing errors.

    Both count under the address client_ip() reads, so a forged X-Forwarded-For escapes
    neither. A successful login clears only its own username's failures from its address.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_account, per_address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if per_address >= settings.NEWSROOM_LOGIN_ADDRESS_LIMIT:
            request.newsroom_address_locked = True
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request, credentials=None) -> int:
        own, _address = self.filter_user_attempts(request, credentials)
        count, _ = own.delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The page after too many failed logins (AXES_LOCKOUT_CALLABLE), in the admin's look.

    The same for every username, existing or not: it names no account and tells nothing
    about the password."""
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "whole_address": getattr(request, "newsroom_address_locked", False),
    }
    response = render(
        request, "admin/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    add_never_cache_headers(response)
    return response


@checks.register(checks.Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs):
    """Canonical links, structured data and printed links use NEWSROOM_SITE_URL: in
    production it must be the address readers use, over HTTPS when the site is."""
    url = urlsplit(settings.SITE_URL)
    problems = []
    if settings.NEWSROOM_HTTPS and url.scheme != "https":
        problems.append(
            checks.Warning(
                f"NEWSROOM_SITE_URL is {settings.SITE_URL!r}, not an https:// address, while "
                "NEWSROOM_HTTPS is on: canonical links would point readers to plain HTTP.",
                hint="Set NEWSROOM_SITE_URL to the site's public address, e.g. "
                "https://news.example.org.",
                id="newsroom.W001",
            )
        )
    if url.hostname and not validate_host(url.hostname, settings.ALLOWED_HOSTS):
        problems.append(
            checks.Warning(
                f"The host of NEWSROOM_SITE_URL ({url.hostname}) is not in "
                "DJANGO_ALLOWED_HOSTS: canonical links would name a host the site refuses.",
                hint="Set NEWSROOM_SITE_URL to the site's public address, and list its host "
                "in DJANGO_ALLOWED_HOSTS.",
                id="newsroom.W002",
            )
        )
    return problems
