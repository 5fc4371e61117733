"""Django's database sessions, taking only a session key Django could have made (#7), and
ending after a working day without activity (#13).

A cookie can carry any key, NUL characters included (as an octal escape in a quoted value);
PostgreSQL refuses those in a query with an error, so such a cookie would turn the admin's
pages into server errors. A key of other characters than Django's own is treated as no key.

Sessions are idle sessions: every request moves their end on (SESSION_SAVE_EVERY_REQUEST),
except the requests a page makes by itself (the story form's heartbeat), which mark the session
`passive`: a story left open on a desk overnight doesn't keep its session. An unchanged
session is written at most every REFRESH_SECONDS, not on every admin request. (Django's own
SessionMiddleware stays in MIDDLEWARE: its deploy checks look for it by name.)
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils import timezone


class SessionStore(db.SessionStore):
    # Set for a request no person made: saving it would move the session's end on.
    passive = False
    # Moving the end on costs a write; an unchanged session is written at most this often, so a
    # session ends between SESSION_COOKIE_AGE and that plus this after its last activity.
    REFRESH_SECONDS = 300

    _stored_expiry = None

    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= set(VALID_KEY_CHARS)

    def _get_session_from_db(self):
        found = super()._get_session_from_db()
        self._stored_expiry = found.expire_date if found else None
        return found

    def save(self, must_create=False):
        if not (self.modified or must_create) and (self.passive or self._fresh()):
            return
        super().save(must_create)

    def _fresh(self):
        """Whether the stored end was moved on less than REFRESH_SECONDS ago."""
        if self._stored_expiry is None:
            return False
        left = (self._stored_expiry - timezone.now()).total_seconds()
        return left > self.get_session_cookie_age() - self.REFRESH_SECONDS
