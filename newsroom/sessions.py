"""Django's database sessions, taking only a session key Django could have made (#7).

A cookie can carry any key, NUL characters included (as an octal escape in a quoted value);
PostgreSQL refuses those in a query with an error, so such a cookie would turn the admin's
pages into server errors. A key of other characters than Django's own is treated as no key.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS


class SessionStore(db.SessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and set(key) <= set(VALID_KEY_CHARS)
