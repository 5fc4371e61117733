"""Rarely-changing lookups kept in each process's memory, re-read only when they changed (#17).

Every page showed the menu's sections, the footer's pages and (the front page) the pinned
stories, and read each from the database on every request, though editors change them a few
times a week. Here each such lookup is a `Lookup`: a name and a function that reads it. Its
value is kept in the process, with the *version* it was read at; a version is a random number
in a small table (`LookupVersion`), replaced by `bump()` whenever a write changes what the
lookup reads. Each request reads every version in one query (`LookupVersionsMiddleware`), and a
lookup whose version moved is read again. So an app server learns of a change made on another
one at its next request, however many servers there are.

Why the database and not the shared cache: the versions must be right whenever the data is,
and only the database gives that. `bump()` writes the version in the transaction that changes
the data, so a reader sees both or neither: no moment after the commit where the data is new
and the version old (as with a bump after the commit), no bump lost to a process that dies
between the two, and the same on a site without Redis. A version is random, not a counter, so
that a version never comes back after a rollback or a restored backup.

The one query also stands in for Django's connection health check (`conn_health_checks`: a
`SELECT 1` before a request's first query): when it is the request's first query, a failure of
the kept-alive connection is answered by connecting again and asking once more.

Lookups are for what readers may all see: a lookup must never read drafts, and whatever a
value depends on besides the data (the clock: pins expire, stories are scheduled) is applied
on reading it, not kept in it.
"""

import contextvars
import secrets

from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)

from .models import LookupVersion

# The versions read at the start of the current request; None outside a request (a command, a
# job, a shell), where lookups read the database every time.
_versions = contextvars.ContextVar("lookup_versions", default=None)
# name -> (version, value), for the life of the process.
_memo: dict[str, tuple[object, object]] = {}
# The version of a lookup changed during this request: read it, keep nothing.
_CHANGED = object()


class Lookup:
    """A value read by `load()` and kept until its version changes. Writes that change it call
    `bump(name)` (or `lookup.bump()`) in their transaction."""

    registry: dict[str, "Lookup"] = {}

    def __init__(self, name: str, load):
        if name in self.registry:
            raise ValueError(f"Two lookups are named {name!r}.")
        self.name, self.load = name, load
        self.registry[name] = self

    def get(self):
        versions = _versions.get()
        if versions is None:
            return self.load()
        version = versions.get(self.name)
        if version is not _CHANGED:
            kept = _memo.get(self.name)
            if kept is not None and kept[0] == version:
                return kept[1]
        value = self.load()
        if version is not _CHANGED:
            _memo[self.name] = (version, value)
        return value

    def bump(self):
        bump(self.name)

    def __repr__(self):
        return f"<Lookup {self.name}>"


def bump(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Gives these lookups a new version, in the current transaction: every process reads
    them again at its next request once it commits (nothing changes if it rolls back)."""
    names = sorted(set(names))  # One order, so that two writers never wait on each other.
    version = secrets.randbits(63)
    rows = LookupVersion.objects.using(using)
    for name in names:
        if not rows.filter(name=name).update(version=version):
            rows.bulk_create([LookupVersion(name=name, version=version)], ignore_conflicts=True)
            rows.filter(name=name).update(version=version)
    # This request, if it reads them again, reads what it just wrote.
    versions = _versions.get()
    if versions is not None:
        versions.update(dict.fromkeys(names, _CHANGED))


def bump_all(using: str = DEFAULT_DB_ALIAS) -> None:
    """A new version for every lookup: after writes that send no signals (an import, bulk
    loads, SQL)."""
    bump(*Lookup.registry, using=using)


def read_versions(using: str = DEFAULT_DB_ALIAS) -> dict:
    """Every lookup's version, in one query. As the request's first query it is also the
    connection's health check: a connection that died while kept open is replaced and the
    query asked again, once."""
    connection = connections[using]
    checking = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
    )
    if checking:
        connection.health_check_done = True  # This query is the check: no SELECT 1 before it.
    try:
        return _select_versions(connection)
    except (OperationalError, InterfaceError):
        if not checking or connection.in_atomic_block:
            raise
        connection.close()
        return _select_versions(connection)


def _select_versions(connection) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {LookupVersion._meta.db_table}")
        return dict(cursor.fetchall())


class LookupVersionsMiddleware:
    """Reads the lookups' versions once at the start of each request the page cache didn't
    answer (it comes after PageCacheMiddleware, so cached pages cost no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            versions = read_versions()
        except DatabaseError:
            # The database is unreachable: the request goes on without kept lookups, so that
            # a missing page is still a 404 (newsroom/errors.py) rather than a server error.
            versions = None
        token = _versions.set(versions)
        try:
            return self.get_response(request)
        finally:
            _versions.reset(token)
