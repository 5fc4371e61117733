"""Django's database sessions, taking only a session key Django could have made (#7), and
ending after a working day without activity (#13).

A cookie can carry any key, NUL characters included (as an octal escape in a quoted value);
PostgreSQL refuses those in a query with an error, so such a cookie would turn the admin's
pages into server errors. A key of other characters than Django's own is treated as no key.

Sessions are idle sessions: every request moves their end on (SESSION_SAVE_EVERY_REQUEST),
except the requests a page makes by itself (the story form's heartbeat), which set
`request.session_passive`: a story left open on a desk overnight doesn't keep its session.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= set(VALID_KEY_CHARS)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, leaving the session as it is after a request no person made."""

    def process_response(self, request, response):
        passive = getattr(request, "session_passive", False)
        if passive and hasattr(request, "session") and not request.session.modified:
            return response
        return super().process_response(request, response)
