"""Structured logs (#7): one JSON object a line, and one line for each request.

`JsonFormatter` writes every record as a JSON object on one line: time, level, logger,
message, the request's id (when logged while a request was being answered), any `extra`
fields, and the traceback in `traceback`. Whatever a reader puts in a URL or a header is
escaped by JSON, so it can't start a line of its own. settings.LOGGING picks it or plain text
(NEWSROOM_LOG_FORMAT).

`RequestLogMiddleware` logs each request once it is answered (logger `newsroom.requests`):
method, path with its query string (escaped and cut to PATH_LIMIT characters), status,
duration, the logged-in user's id (never a name or an address), the client's address and a
request id, which it also sends back in `X-Request-ID`. Server errors are logged with their
traceback by Django itself (logger `django.request`); readers get the 500 page.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

logger = logging.getLogger("newsroom.requests")

# The id of the request being answered, for every record logged meanwhile.
request_id = contextvars.ContextVar("request_id", default=None)

HEADER = "X-Request-ID"
# An id from the proxy in front is kept when it looks like one (a UUID, a trace id); anything
# else is replaced, so a header can't put arbitrary text into the logs.
SANE_ID = re.compile(r"[A-Za-z0-9._:=+/@-]{1,128}")
# Query strings carry search terms: enough to tell requests apart, not whole essays.
PATH_LIMIT = 300

# A record's own attributes; any others were passed as `extra` and become fields.
_RECORD_ATTRIBUTES = {*vars(logging.makeLogRecord({})), "message", "asctime"}
# Django adds the request object to its records: the request's line already describes it.
_SKIPPED = {"request"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current := request_id.get()) is not None:
            entry["request_id"] = current
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in _SKIPPED:
                entry[name] = value
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


class RequestLogMiddleware:
    """See the module's docstring. Near the top of MIDDLEWARE, so that redirects, refused
    hosts and pages from the page cache are logged too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        current = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[HEADER] = current
            # get_full_path() percent-encodes control characters, quotes and spaces.
            path = request.get_full_path()
            if len(path) > PATH_LIMIT:
                path = path[:PATH_LIMIT] + "..."
            logger.info(
                "%s %s %s %.1fms",
                request.method,
                path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                    "remote_addr": request.META.get("REMOTE_ADDR"),
                },
            )
            return response
        finally:
            request_id.reset(token)


def _user_id(request):
    """The logged-in user's id if this request already looked them up (Django keeps the user
    in `request._cached_user`); looking them up here would cost a query on every request."""
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None
