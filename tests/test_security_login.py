"""Logging in (#7, #13): throttled by username and address, and by address alone (django-axes),
without telling whether an account exists; the client's address read right behind proxies,
strong passwords, and a new session at each login."""

import re
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from newsroom.security import client_ip
from tests.articles.workflow_http import ADMIN_INDEX, LOGIN
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def attempt(client, username, password="wrong password!", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail_until_locked(client, username, settings, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, username, **extra).status_code == 200
    return attempt(client, username, **extra)


def page(response):
    """The page as text, without the per-request CSRF token."""
    return CSRF_INPUT.sub("", response.content.decode())


class LockoutTests:
    def test_repeated_failures_lock_the_username_out_even_with_the_right_password(
        self, client, settings
    ):
        editor = EditorFactory()
        locked = fail_until_locked(client, editor.username, settings)
        assert locked.status_code == 429
        assert "Too many failed logins" in locked.content.decode()
        assert attempt(client, editor.username, PASSWORD).status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_lockout_page_is_the_admins_and_never_stored(self, client, settings):
        locked = fail_until_locked(client, "someone", settings)
        html = locked.content.decode()
        assert "Newsroom admin" in html  # the site's admin header, not Django's
        assert "someone" not in html
        assert f"paused for {settings.AXES_COOLOFF_TIME.seconds // 60} minutes" in html
        assert "no-store" in locked["Cache-Control"]
        assert "Content-Security-Policy" in locked

    def test_an_unknown_username_gets_exactly_the_same_answers(self, client, settings):
        editor = EditorFactory(username="desk")
        known = [attempt(client, editor.username) for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
        unknown = [attempt(client, "nobody") for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
        for mine, theirs in zip(known, unknown, strict=True):
            assert mine.status_code == theirs.status_code
            assert page(mine).replace("desk", "nobody") == page(theirs)
        assert [r.status_code for r in known][-2:] == [429, 429]

    def test_other_usernames_and_other_addresses_can_still_log_in(self, client, settings):
        editor, colleague = EditorFactory(), EditorFactory()
        assert fail_until_locked(client, editor.username, settings).status_code == 429
        assert attempt(client, colleague.username, PASSWORD).status_code == 302
        elsewhere = attempt(client, editor.username, PASSWORD, REMOTE_ADDR="198.51.100.9")
        assert elsewhere.status_code == 302

    def test_the_lockout_ends_after_the_cool_off(self, client, settings):
        editor = EditorFactory()
        assert fail_until_locked(client, editor.username, settings).status_code == 429
        later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        with time_machine.travel(later):
            response = attempt(client, editor.username, PASSWORD)
        assert response.status_code == 302 and response["Location"] == ADMIN_INDEX

    def test_a_success_starts_the_count_again(self, client, settings):
        editor = EditorFactory()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            attempt(client, editor.username)
        assert attempt(client, editor.username, PASSWORD).status_code == 302
        client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert attempt(client, editor.username).status_code == 200


class ClientAddressTests:
    def request(self, forwarded=None, remote="10.0.0.2"):
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().post(LOGIN, **extra)

    def test_without_proxies_the_connecting_address_counts(self, settings):
        settings.NEWSROOM_PROXY_COUNT = 0
        assert client_ip(self.request("203.0.113.7")) == "10.0.0.2"

    @pytest.mark.parametrize(
        ("count", "forwarded", "expected"),
        [
            (1, "203.0.113.7", "203.0.113.7"),
            (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # the client added 6.6.6.6
            (2, "6.6.6.6, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
            (1, "2001:db8::1", "2001:db8::1"),
            (2, "203.0.113.7", "10.0.0.2"),  # didn't come through both proxies
            (1, "not-an-address", "10.0.0.2"),
            (1, "", "10.0.0.2"),
        ],
    )
    def test_behind_proxies_the_address_the_outermost_one_saw_counts(
        self, settings, count, forwarded, expected
    ):
        settings.NEWSROOM_PROXY_COUNT = count
        assert client_ip(self.request(forwarded)) == expected

    def test_a_forged_forwarded_for_does_not_escape_the_lockout(self, client, settings):
        settings.NEWSROOM_PROXY_COUNT = 1
        editor = EditorFactory()
        proxied = {"REMOTE_ADDR": "127.0.0.1"}
        for number in range(settings.AXES_FAILURE_LIMIT):
            forged = {"HTTP_X_FORWARDED_FOR": f"6.6.6.{number}, 203.0.113.7", **proxied}
            response = attempt(client, editor.username, **forged)
        assert response.status_code == 429
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
        forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7", **proxied}
        assert attempt(client, editor.username, PASSWORD, **forged).status_code == 429
        other = {"HTTP_X_FORWARDED_FOR": "198.51.100.9", **proxied}
        assert attempt(client, editor.username, PASSWORD, **other).status_code == 302


class PasswordTests:
    @pytest.mark.parametrize("password", ["short-pw-1", "fenceposts1"])
    def test_passwords_under_twelve_characters_are_refused(self, password):
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password(password)

    def test_the_generated_passwords_pass(self):
        out = StringIO()
        call_command("create_newsroom_user", "desk", "--role", "editor", stdout=out)
        password = out.getvalue().split("password: ")[1].split()[0]
        validate_password(password)


class SessionTests:
    def test_logging_in_through_the_form_starts_a_new_session(self, client):
        editor = EditorFactory()
        session = client.session
        session["before_login"] = True
        session.save()
        before = session.session_key
        assert client.cookies["sessionid"].value == before

        response = attempt(client, editor.username, PASSWORD)
        assert response.status_code == 302
        after = client.cookies["sessionid"].value
        assert after != before
        assert not Session.objects.filter(session_key=before).exists()
        assert client.session["_auth_user_id"] == str(editor.pk)


class PasswordSprayingTests:
    """One password tried against many usernames from one address (#13). Before, only a
    username and address together were counted, and fifty usernames were never throttled."""

    def spray(self, client, settings, count, **extra):
        return [attempt(client, f"sprayed{n}", **extra) for n in range(count)]

    def test_many_usernames_from_one_address_are_locked_out(self, client, settings):
        editor = EditorFactory()
        answers = self.spray(client, settings, settings.NEWSROOM_LOGIN_ADDRESS_LIMIT)
        assert [r.status_code for r in answers[:-1]] == [200] * (len(answers) - 1)
        assert answers[-1].status_code == 429
        assert "Logging in from your network is paused" in answers[-1].content.decode()
        # Every username from that address, the right password included…
        assert attempt(client, editor.username, PASSWORD).status_code == 429
        # …but not from another address.
        elsewhere = attempt(client, editor.username, PASSWORD, REMOTE_ADDR="198.51.100.9")
        assert elsewhere.status_code == 302

    def test_a_few_colleagues_typos_dont_lock_the_office_out(self, client, settings):
        editor = EditorFactory()
        self.spray(client, settings, settings.AXES_FAILURE_LIMIT)
        assert attempt(client, editor.username, PASSWORD).status_code == 302

    def test_the_address_lockout_page_is_the_same_for_known_and_unknown_accounts(
        self, client, settings
    ):
        EditorFactory(username="desk")
        self.spray(client, settings, settings.NEWSROOM_LOGIN_ADDRESS_LIMIT)
        known, unknown = attempt(client, "desk"), attempt(client, "nobody")
        assert known.status_code == unknown.status_code == 429
        assert page(known).replace("desk", "nobody") == page(unknown)

    def test_a_forged_forwarded_for_does_not_escape_it(self, client, settings):
        settings.NEWSROOM_PROXY_COUNT = 1
        proxied = {"REMOTE_ADDR": "127.0.0.1"}
        for number in range(settings.NEWSROOM_LOGIN_ADDRESS_LIMIT):
            forged = {"HTTP_X_FORWARDED_FOR": f"6.6.{number}.1, 203.0.113.7", **proxied}
            response = attempt(client, f"sprayed{number}", **forged)
        assert response.status_code == 429
        forged = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.7", **proxied}
        assert attempt(client, "anyone", **forged).status_code == 429

    def test_a_success_clears_only_its_own_usernames_failures(self, client, settings):
        editor = EditorFactory()
        self.spray(client, settings, settings.NEWSROOM_LOGIN_ADDRESS_LIMIT - 2)
        assert attempt(client, editor.username, PASSWORD).status_code == 302
        client.logout()
        answers = self.spray(client, settings, 2)
        assert answers[-1].status_code == 429
