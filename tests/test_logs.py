"""Structured logs (#7): one JSON line per request, server errors with their traceback in the
log and never on the reader's page, and nothing a reader sends can forge a line."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from newsroom.logs import PATH_LIMIT, JsonFormatter
from tests.factories import EditorFactory, PublishedArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_output(caplog):
    """What a console handler with the JSON formatter writes, as text."""
    caplog.set_level(logging.INFO)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def records(stream):
    """Every line parsed: a line that isn't a whole JSON object fails the test."""
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def request_lines(stream):
    return [record for record in records(stream) if record["logger"] == "newsroom.requests"]


class RequestLogTests:
    def test_a_request_is_one_json_line_with_its_fields(self, client, log_output):
        story = PublishedArticleFactory(headline="Harbour reopens")
        response = client.get("/search/?q=harbour")
        assert response.status_code == 200
        (line,) = request_lines(log_output)
        assert line["level"] == "INFO"
        assert line["method"] == "GET"
        assert line["path"] == "/search/?q=harbour"
        assert line["status"] == 200
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert line["user_id"] is None
        assert line["remote_addr"] == "127.0.0.1"
        assert line["request_id"] == response["X-Request-ID"]
        assert len(line["request_id"]) == 32
        assert line["message"].startswith("GET /search/?q=harbour 200 ")
        client.get(story.get_absolute_url())
        assert [line["status"] for line in request_lines(log_output)] == [200, 200]

    def test_the_logged_in_user_is_an_id_never_a_name_or_address(self, client, log_output):
        # Letters no hexadecimal request id holds.
        editor = EditorFactory(username="quill.editor", email="quill@example.org")
        client.force_login(editor)
        assert client.get("/admin/").status_code == 200
        (line,) = request_lines(log_output)
        assert line["user_id"] == editor.pk
        assert "quill" not in log_output.getvalue()

    def test_the_proxys_request_id_is_kept_when_sane(self, client, log_output):
        sane = "3f2a9c1e-77b0-4d6e-9a51-0c8f1d2e4b6a"
        assert client.get("/", headers={"x-request-id": sane})["X-Request-ID"] == sane
        forged = 'x" "level": "CRITICAL'
        replaced = client.get("/", headers={"x-request-id": forged})["X-Request-ID"]
        long = client.get("/", headers={"x-request-id": "a" * 129})["X-Request-ID"]
        assert replaced != forged and len(replaced) == 32
        assert long != "a" * 129 and len(long) == 32
        assert [line["request_id"] for line in request_lines(log_output)] == [sane, replaced, long]

    def test_a_hostile_address_cant_forge_a_line(self, client, log_output):
        hostile = '/x%0A{"level":%20"CRITICAL",%20"message":%20"forged"}%0D%0A"'
        response = client.get(hostile + "?q=%22%0Aforged")
        assert response.status_code == 404
        (line,) = request_lines(log_output)
        assert all(record["level"] != "CRITICAL" for record in records(log_output))
        # Escaped in the path itself, so the plain-text format is one line too.
        assert "\n" not in line["path"] and '"' not in line["path"] and "\r" not in line["path"]
        assert line["path"].startswith("/x%0A%7B%22level%22:%20%22CRITICAL%22")
        assert "\n" not in logging.Formatter("%(message)s").format(
            logging.makeLogRecord({"msg": line["message"]})
        )

    def test_long_query_strings_are_cut(self, client, log_output):
        client.get("/search/?q=" + "harbour+" * 200)
        (line,) = request_lines(log_output)
        assert len(line["path"]) == PATH_LIMIT + len("...")

    def test_health_probes_are_not_logged(self, client, log_output):
        client.get("/healthz")
        assert request_lines(log_output) == []


class ErrorLogTests:
    def test_a_server_error_is_logged_with_its_traceback_and_not_shown(self, settings, log_output):
        settings.ROOT_URLCONF = "tests.urls_failing"
        response = Client(raise_request_exception=False).get("/boom/")
        assert response.status_code == 500
        html = response.content.decode()
        assert "Something went wrong on our side" in html
        assert "Traceback" not in html and "ZeroDivisionError" not in html
        (error,) = [record for record in records(log_output) if record["level"] == "ERROR"]
        assert error["logger"] == "django.request"
        assert error["status_code"] == 500
        assert error["traceback"].startswith("Traceback (most recent call last):")
        assert "ZeroDivisionError: division by zero" in error["traceback"]
        # The error and the request's line share the request's id.
        (line,) = request_lines(log_output)
        assert line["status"] == 500
        assert error["request_id"] == line["request_id"] == response["X-Request-ID"]

    def test_not_found_is_only_the_requests_line(self, client, log_output):
        assert client.get("/no-such-page/").status_code == 404
        assert [record["logger"] for record in records(log_output)] == ["newsroom.requests"]


def log_a_warning(**env):
    """stderr of a fresh interpreter that loads the settings and logs one warning."""
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('newsroom.check').warning('disk %s full', 'nearly')"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": "sqlite://:memory:",
        "DJANGO_SECRET_KEY": "x" * 50,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True
    )


class LogFormatSettingTests:
    @pytest.mark.slow
    def test_json_without_debug(self):
        lines = log_a_warning().stderr.splitlines()
        # Every line is JSON, the apps' own start-up messages too.
        (record,) = [json.loads(line) for line in lines if "newsroom.check" in line]
        assert record["level"] == "WARNING" and record["message"] == "disk nearly full"

    @pytest.mark.slow
    def test_text_with_debug_or_when_asked(self):
        for env in ({"DJANGO_DEBUG": "true"}, {"NEWSROOM_LOG_FORMAT": "text"}):
            lines = log_a_warning(**env).stderr.splitlines()
            (line,) = [line for line in lines if "newsroom.check" in line]
            assert line.endswith(" WARNING newsroom.check: disk nearly full"), env
        lines = log_a_warning(DJANGO_DEBUG="true", NEWSROOM_LOG_FORMAT="json").stderr.splitlines()
        assert json.loads(lines[-1])["message"] == "disk nearly full"

    @pytest.mark.slow
    def test_refuses_an_unknown_format(self):
        result = log_a_warning(NEWSROOM_LOG_FORMAT="xml")
        assert result.returncode != 0
        assert "NEWSROOM_LOG_FORMAT must be json or text" in result.stderr
