"""Real processes for the deployment tests: Gunicorn app servers and Varnish, started as in
production against the test database, and a small HTTP client that keeps cookies.

Each process writes its output to a log file; `show_output()` prints what they wrote during a
test, and pytest shows it when the test fails.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from tests.articles.workflow_http import form_fields

ROOT = Path(__file__).resolve().parents[2]
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
GUNICORN_CONFIG = "newsroom/gunicorn.conf.py"
# Answered with 200 by an app server as soon as it is up (WhiteNoise, no database).
READY_PATH = "/static/favicon.svg"
STARTUP_SECONDS = 30
# The password tests.factories gives every user.
PASSWORD = "correct horse battery staple"


# What the tests need ----------------------------------------------------------------------------


def require(available, what):
    """Skips the test when a tool is missing here; in CI (CI=true) that is a failure."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {what}: the deployment tests must run in CI.")
    pytest.skip(f"{what}: the deployment tests need it.")


def require_postgresql(connection):
    """Skips on SQLite, in CI too: the app servers are other processes, and pytest-django's
    SQLite test database lives in this process's memory, out of their reach. That is a limit of
    the database, not a missing tool; CI's PostgreSQL pass runs these tests."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL (DATABASE_URL=postgres://…): the app servers run in other "
            "processes and can't open SQLite's in-memory test database."
        )


def gunicorn_path():
    beside_python = Path(sys.executable).with_name("gunicorn")
    return str(beside_python) if beside_python.exists() else shutil.which("gunicorn")


def varnishd_path():
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("varnishd", path=path)


def redis_client(url):
    """A client for `url`, or None when no Redis answers there."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except redis.RedisError:
        client.close()
        return None
    return client


def database_url(settings_dict):
    """DATABASE_URL for the database these settings name (in a test: the test database)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Setup:
    """What the app servers of one test module share: the test database, Redis under a key
    prefix of their own, the collected static files, and the test's secret key (nodes share
    theirs in production; this one makes the sessions a test creates valid on the servers)."""

    database: str
    redis_url: str
    redis: object
    key_prefix: str
    static_root: Path
    media_root: Path
    log_dir: Path

    def environment(self, *, purge_urls=(), tasks_backend="immediate", **extra):
        """A production app server's environment (docs/deploy.md). The rest of this process's
        environment is kept, so that settings such as TIME_ZONE agree with the test's (story
        addresses carry dates). Jobs run inside the request (`tasks_backend="immediate"`)
        unless a worker is started beside the servers (start_worker)."""
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in {"BIND", "HOST", "PORT", "GUNICORN_CMD_ARGS", "WEB_CONCURRENCY"}
        }
        env.update(
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY=settings.SECRET_KEY,
            DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
            # The servers are reached over plain HTTP, with no HTTPS proxy in front.
            NEWSROOM_HTTPS="false",
            DATABASE_URL=self.database,
            # No connection outlives its request, so none holds the test database open when
            # pytest-django drops it (tests/environment.py does the same for this process).
            DJANGO_CONN_MAX_AGE="0",
            REDIS_URL=self.redis_url,
            NEWSROOM_CACHE_KEY_PREFIX=self.key_prefix,
            NEWSROOM_PAGE_CACHE_SECONDS="300",
            NEWSROOM_EDGE_CACHE_SECONDS="300",
            NEWSROOM_BROWSER_CACHE_SECONDS="60",
            NEWSROOM_PURGE_URLS=",".join(purge_urls),
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_MEDIA_ROOT=str(self.media_root),
            PYTHONUNBUFFERED="1",
            NEWSROOM_TASKS_BACKEND=tasks_backend,
            **extra,
        )
        return env

    def forget_cache(self):
        """Deletes what the app servers cached under the prefix (Django's keys are
        `prefix:version:key`): pages, purge marks, the clock."""
        keys = list(self.redis.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            self.redis.delete(*keys)


# Processes --------------------------------------------------------------------------------------


class Process:
    """A server in a process group of its own, its output in a log file."""

    def __init__(self, name, args, *, port, env, log_dir):
        self.name, self.args, self.port, self.env = name, args, port, env
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(log_dir) / f"{name}.log"
        self.process = None
        self._log = None
        self._shown = 0
        self._old_workers = set()

    def start(self):
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_until_ready(self, timeout=STARTUP_SECONDS):
        """Polls READY_PATH until it answers 200; fails with the output if the process exits
        or the time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"{self.name} exited with {self.process.returncode} while starting:\n"
                    f"{' '.join(map(str, self.args))}\n{self.output()}"
                )
            try:
                if http_request("GET", self.url + READY_PATH, timeout=2).status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"{self.name} did not answer {READY_PATH} in {timeout} s:\n{self.output()}")

    def recycle_workers(self):
        """Gunicorn: starts replacing its workers with new ones (HUP, as after a release);
        `wait_until_recycled()` waits for the new ones.

        Between two tests pytest-django empties the tables and fills some again: content
        types come back with new ids, and a worker that served the last test would still hold
        the old ones in memory (ContentType's cache). New workers start from the master
        process, which never handles a request."""
        if not self._children().exists():  # Not Linux: start again instead.
            self.stop()
            self.start()
            return
        self._old_workers = set(self._children().read_text().split())
        self.process.send_signal(signal.SIGHUP)

    def wait_until_recycled(self, workers=2, timeout=STARTUP_SECONDS):
        if not self._children().exists():
            return self.wait_until_ready(timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited on HUP:\n{self.output()}")
            current = set(self._children().read_text().split())
            if len(current) >= workers and not current & self._old_workers:
                return self
            time.sleep(0.05)
        pytest.fail(f"{self.name} did not replace its workers in {timeout} s:\n{self.output()}")

    def _children(self):
        return Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")

    def stop(self):
        stop_all([self])

    def output(self, since=0):
        """What the process wrote, from character `since` on."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_bytes().decode(errors="replace")[since:]

    def new_output(self):
        """What the process wrote since the last call."""
        text = self.output()
        new, self._shown = text[self._shown :], len(text)
        return new


def stop_all(processes):
    """TERM to each (Gunicorn and varnishd stop their own workers and children), then KILL
    what is left of its process group: all of it after 10 s, or any stray worker."""
    running = [p for p in processes if p.process is not None and p.process.poll() is None]
    for process in running:
        process.process.terminate()
    for process in running:
        try:
            process.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.process.pid, signal.SIGKILL)
        process.process.wait(timeout=10)
    for process in processes:
        if process._log is not None:
            process._log.close()


def start_gunicorn(name, setup, *, purge_urls=(), tasks_backend="immediate", **extra):
    """`make serve`'s Gunicorn (newsroom/gunicorn.conf.py) with two workers, on a free port,
    with its access log in the output. Call `wait_until_ready()` before using it."""
    port = free_port()
    args = [
        gunicorn_path(),
        "--config",
        GUNICORN_CONFIG,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ]
    env = setup.environment(purge_urls=purge_urls, tasks_backend=tasks_backend, **extra)
    return Process(name, args, port=port, env=env, log_dir=setup.log_dir).start()


# The job workers of docs/deploy.md ("Background jobs", #15), by backend.
WORKER_COMMANDS = {
    "database": ["db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload"],
    "rq": ["rqworker", "--with-scheduler", "--job-class", "django_tasks_rq.Job", "default"],
}


def start_worker(name, setup, *, tasks_backend, purge_urls=()):
    """A job worker with the app servers' environment: `manage.py db_worker` or `rqworker`.
    It answers no HTTP: there is nothing to wait for."""
    args = [sys.executable, "manage.py", *WORKER_COMMANDS[tasks_backend]]
    env = setup.environment(purge_urls=purge_urls, tasks_backend=tasks_backend)
    return Process(name, args, port=None, env=env, log_dir=setup.log_dir).start()


def render_vcl(backend_port):
    """deploy/varnish/default.vcl with its first backend's port set."""
    vcl, count = re.subn(
        r'(backend app1 \{[^}]*?\.port = )"\d+"', rf'\g<1>"{backend_port}"', VCL.read_text()
    )
    assert count == 1, 'deploy/varnish/default.vcl: no `backend app1 { .port = "…"; }`'
    return vcl


def start_varnish(*, port, backend_port, work_dir, log_dir):
    """varnishd in the foreground on `port`, with deploy/varnish/default.vcl and a working
    directory of its own. Call `wait_until_ready()` before using it."""
    work_dir = Path(work_dir)
    vcl = work_dir / "default.vcl"
    vcl.write_text(render_vcl(backend_port))
    args = [
        varnishd_path(),
        "-F",
        "-n",
        str(work_dir / "varnish"),
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(vcl),
        "-s",
        "malloc,64m",
        # As root, varnishd runs its VCL compiler and worker as an unprivileged user (the
        # `unix` jail), who can't read pytest's private temporary folders.
        *(["-j", "none"] if os.geteuid() == 0 else []),
        # No management port: nothing here uses the CLI.
        "-T",
        "none",
        # A small shared-memory log instead of 80 MB.
        "-l",
        "8m",
    ]
    return Process("varnishd", args, port=port, env=dict(os.environ), log_dir=log_dir).start()


def show_output(processes):
    """Prints what the servers wrote during the test; pytest shows it if the test failed."""
    for process in processes:
        output = process.new_output()
        if output.strip():
            sys.stdout.write(f"\n----- {process.name} -----\n{output}")


# HTTP -------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    content: bytes

    @property
    def text(self):
        """The body as text (compressed bodies: decompress `content` instead)."""
        return self.content.decode()

    def __getitem__(self, name):
        """A header's value, or None."""
        return self.headers[name]


def http_request(method, url, *, headers=None, body=None, timeout=10):
    """One request on a new connection; redirects are not followed, any status is returned."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class Browser:
    """Requests to one site, keeping its cookies as a browser does."""

    base_url: str
    cookies: dict = field(default_factory=dict)

    def request(self, method, path, *, headers=None, body=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = http_request(method, self.base_url + path, headers=headers, body=body)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response

    def get(self, path, **headers):
        return self.request("GET", path, headers=headers)

    def post_form(self, path, data):
        return self.request(
            "POST",
            path,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=urlencode(data, doseq=True),
        )


def admin_login(base_url, user):
    """A browser logged in to the admin as `user` through its login form (CSRF token and
    all). The user's password must be hashed with a hasher the servers use (Django's default)."""
    browser = Browser(base_url)
    page = browser.get("/admin/login/")
    assert page.status == 200, page.status
    data = {**form_fields(page.text, "login-form"), "username": user.username}
    response = browser.post_form("/admin/login/?next=/admin/", {**data, "password": PASSWORD})
    assert response.status == 302, f"login failed ({response.status}):\n{response.text[:2000]}"
    assert settings.SESSION_COOKIE_NAME in browser.cookies
    return browser


def logged_in(base_url, user):
    """A browser with a session of `user`'s, made in the database as a login makes it:
    quicker than `admin_login()`, whose password hashing takes a second or more."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return Browser(base_url, {name: client.cookies[name].value})


def change_story(browser, story, **changes):
    """Opens the story's change form in the admin, types `changes` in and sends it, as an
    editor does; `_publish="…"` presses "Save and publish now", and on a live story
    `_publish_changes="…"` presses "Publish changes" (a plain save keeps them a draft)."""
    path = f"/admin/articles/article/{story.pk}/change/"
    page = browser.get(path)
    assert page.status == 200, page.status
    response = browser.post_form(path, {**form_fields(page.text, "article_form"), **changes})
    assert response.status == 302, f"the admin refused the form:\n{response.text[:3000]}"
    return response
