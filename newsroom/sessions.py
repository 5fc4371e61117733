"""Django's database sessions, taking only a session key Django could have made (#7), and
ending after a working day without activity (#13).

A cookie can carry any key, NUL characters included (as an octal escape in a quoted value);
PostgreSQL refuses those in a query with an error, so such a cookie would turn the admin's
pages into server errors. A key of other characters than Django's own is treated as no key.

Sessions are idle sessions: every request moves their end on (SESSION_SAVE_EVERY_REQUEST),
except the requests a page makes by itself (the story form's heartbeat), which mark the session
`passive`: a story left open on a desk overnight doesn't keep its session. (Django's own
SessionMiddleware stays in MIDDLEWARE: its deploy checks look for it by name.)
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS


class SessionStore(db.SessionStore):
    # Set for a request no person made: saving it would move the session's end on.
    passive = False

    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= set(VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.passive and not self.modified and not must_create:
            return
        super().save(must_create)
