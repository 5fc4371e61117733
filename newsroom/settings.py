"""Newsroom settings, read from the environment.

Every variable is listed with its default in `.env.example`. The same file serves development,
tests and production: nothing behaves differently except what the environment says.
"""

import importlib.util
import json
import os
import zoneinfo
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django_prose_editor.config import html_tags
from js_asset import static_lazy

# Only the registry's pure data: readers' frame-src is built from it (below).
from embeds.providers import check_instances, check_site_providers, frame_sources

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.")
    return int(value)


def env_picture(name: str, default: tuple[str, int, int]) -> tuple[str, int, int]:
    """A picture setting (#16): NAME, an absolute URL, a path on the site or a path under
    static/, with NAME_SIZE, its "WIDTHxHEIGHT" in pixels (Open Graph and structured data
    carry it). `default` when NAME is unset or empty."""
    path = os.environ.get(name, "").strip()
    if not path:
        return default
    size = os.environ.get(f"{name}_SIZE", "").strip().lower()
    width, _, height = size.partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
        raise ImproperlyConfigured(
            f"{name} is set: set {name}_SIZE to its size in pixels too, e.g. 1200x630."
        )
    return path, int(width), int(height)


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Newsroom refuses to start without a secret key when "
            "DJANGO_DEBUG is off; see .env.example (for development, `make run` writes a .env "
            "with both)."
        )
    SECRET_KEY = "django-insecure-newsroom-development-only"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default="localhost,127.0.0.1,[::1]" if DEBUG else ""
)

INSTALLED_APPS = [
    # Django's admin, with its side doors closed (newsroom/admin_site.py).
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_prose_editor",
    "taggit",
    "csp",
    "axes",
    # Background jobs kept in the database (#15, TASKS below).
    "newsroom.apps.JobsConfig",  # django_tasks_db, named "Background jobs" in the admin.
    # Site-wide system checks (newsroom/apps.py).
    "newsroom",
    "embeds",
    "images",
    "authors",
    "articles",
    # Internal notes on stories and what people are told about them (#15).
    "notifications",
    # Planning on the desk (#15): above articles.
    "planning",
    # Signed webhooks to other systems when stories are published, corrected… (#18): above
    # articles, which it listens to.
    "webhooks",
    # The newsroom's own pages (about, contact, policies) and its staff page (#16).
    "pages",
    # The Content API under /api/v1/ (#18); django-ninja's own static files for its docs page.
    "api",
    "ninja",
]

# The story editor's own nodes (#14): ES modules the prose editor loads beside its own, each
# exporting the extensions named here; articles/text.py enables them (EDITOR_EXTENSIONS) and
# its sanitiser, not these processors, decides what a body keeps.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("js/editor/picture.js")],
        "extensions": {"Picture": html_tags(["figure", "img", "figcaption"])},
    },
    {
        # Links to our stories, tables, pull quotes and related boxes (#14).
        "js": [static_lazy("js/editor/stories.js")],
        "extensions": {
            "StoryLink": html_tags(["a"], {"a": ["href", "title", "data-story"]}),
            "StoryTable": html_tags(["table", "thead", "tbody", "tr", "th", "td"]),
            "PullQuote": html_tags(["aside", "p"]),
            "RelatedStory": html_tags(["aside", "a"], {"a": ["href"]}),
        },
    },
    {
        "js": [static_lazy("js/editor/embed.js")],
        "extensions": {"Embed": html_tags(["figure", "a"], {"figure": ["data-embed"]})},
    },
]

MIDDLEWARE = [
    # /healthz for load balancers, before host checks, HTTPS redirects and caching (#7).
    "newsroom.health.HealthCheckMiddleware",
    # One log line per request, with its id (#7).
    "newsroom.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything else runs (STORAGES below).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page, cached ones too (newsroom/security.py).
    "newsroom.security.ContentSecurityPolicyMiddleware",
    # A query string with a NUL character is a bad request (newsroom/guards.py).
    "newsroom.guards.NulCharacterMiddleware",
    # Changes to live stories scheduled for a minute that has come are published first, so
    # that no cached page outlives them (articles/scheduling.py, #12).
    "articles.scheduling.DueChangesMiddleware",
    # Brotli or gzip for public responses the page cache didn't compress (newsroom/compression.py).
    "newsroom.compression.CompressionMiddleware",
    # Cached pages are answered here, before sessions, authentication and CSRF.
    "newsroom.pagecache.PageCacheMiddleware",
    # The versions of the menu, the footer and the front page's pins, read in one query that
    # stands in for the connection's health check (newsroom/lookups.py, #17).
    "newsroom.lookups.LookupVersionsMiddleware",
    # Idle sessions that a page's own heartbeat doesn't keep alive (newsroom/sessions.py).
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Outside the admin only GET and HEAD: 405, not a CSRF failure (newsroom/guards.py).
    "newsroom.guards.ReadOnlySiteMiddleware",
    # The story form may post 20 MB; every other form Django's 2.5 MB (newsroom/guards.py).
    "newsroom.guards.LargeFormMiddleware",
    # Every admin answer private and never stored (newsroom/guards.py).
    "newsroom.guards.PrivateAdminMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers a locked-out login with the lockout page (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.i18n",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "articles.context_processors.navigation",
                "articles.context_processors.breaking",
                "pages.context_processors.footer",
            ],
        },
    },
]

# Database: DATABASE_URL, or an SQLite file under var/ that works out of the box.
_default_database_url = f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=_default_database_url,
        # Reusing connections matters: a new connection per request costs 2-4x throughput.
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Writers wait for each other instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too, as a site does: the browser tests' server answers the story form's
    # autosave and heartbeat while it serves pages, and an in-memory database shared between
    # threads refuses a reader while another thread writes ("table is locked") instead of
    # waiting. One file a test run, so that two runs never meet.
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}

# The cache: Redis (Django's own backend) when REDIS_URL is set, shared by every app server;
# otherwise memory local to each process, which is fine for one server.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            # Django's backend, minus two per-call costs (newsroom/cache.py).
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": REDIS_URL,
            # Sites (or test runs) sharing one Redis keep apart with a prefix each.
            "KEY_PREFIX": os.environ.get("NEWSROOM_CACHE_KEY_PREFIX", ""),
            # A Redis that stops answering (rather than refusing connections) must not hold a
            # worker until Gunicorn kills it: after 2 s the page is served uncached and
            # /healthz answers 503.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Whole-page caching for anonymous readers, purged by surrogate keys (newsroom/pagecache.py).
PAGE_CACHE = {
    "CACHE": "default",
    # How long this app keeps a page; 0 turns the page cache off (the headers stay). Off by
    # default without Redis: a purge must reach every worker process, and memory local to
    # each can't be purged from another.
    "SECONDS": int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS") or (300 if REDIS_URL else 0)),
    # Cache-Control for a CDN or caching proxy (s-maxage) and for browsers (max-age). Both
    # end early when a scheduled story is due. Proxies are purged; browsers can't be.
    "EDGE_SECONDS": int(os.environ.get("NEWSROOM_EDGE_CACHE_SECONDS") or 300),
    "BROWSER_SECONDS": int(os.environ.get("NEWSROOM_BROWSER_CACHE_SECONDS") or 60),
    "STALE_SECONDS": 30,
    "STALE_IF_ERROR_SECONDS": 86400,
    # max-age of a missing page (404) and of a withdrawn story (410) for anonymous readers
    # (#16): a 404 may be a story about to be published, a withdrawal rarely comes back.
    "NOT_FOUND_SECONDS": env_int("NEWSROOM_NOT_FOUND_CACHE_SECONDS", 60),
    "GONE_SECONDS": env_int("NEWSROOM_GONE_CACHE_SECONDS", 3600),
    # The query string parameters some cached page reads: lists' `page`, the sitemaps' `p`,
    # search's form. Every other parameter is left out of a page's cache key (#13).
    # The Content API's too (#18): its cursors, filters and sizes.
    "QUERY_PARAMETERS": {"page", "p", "q", "section", "author", "from", "to"}
    | {"cursor", "limit", "tag", "since", "until", "path"},
    # Caching proxies to send PURGE requests to, e.g. "http://10.0.0.5:6081,http://10.0.0.6:6081".
    "PURGE_URLS": [url for url in os.environ.get("NEWSROOM_PURGE_URLS", "").split(",") if url],
    # Whether the same keys purged again before their job started join it (#15): only when
    # the workers share the cache (Redis), since the job clears the pending mark.
    "COALESCE_PURGES": bool(REDIS_URL),
    # When pages change with nobody saving (a scheduled story going live): no page is kept
    # past the moment this function returns. The page cache imports no app (#13).
    "NEXT_CHANGE_AT": "articles.caching.next_change_at",
}

# Background jobs (#15): django-tasks, the backport of Django 6's tasks framework. Jobs are
# kept in the database by default, so one machine needs nothing new: `make run` starts a
# worker beside the dev server, `manage.py db_worker` runs one anywhere (docs/deploy.md).
# NEWSROOM_TASKS_BACKEND=immediate runs each job inside the request that enqueued it (the
# test suite's default); =rq keeps them in Redis (REDIS_URL) for `manage.py rqworker`, with the
# `rq` extra installed (pip install -e ".[rq]").
NEWSROOM_TASKS_BACKEND = os.environ.get("NEWSROOM_TASKS_BACKEND", "database").strip().lower()
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if NEWSROOM_TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"NEWSROOM_TASKS_BACKEND={NEWSROOM_TASKS_BACKEND!r}: "
        f"use one of {', '.join(_TASK_BACKENDS)}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[NEWSROOM_TASKS_BACKEND], "QUEUES": ["default"]}}
if NEWSROOM_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "NEWSROOM_TASKS_BACKEND=rq keeps the jobs in Redis: set REDIS_URL."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # django-rq's queues, one per queue of TASKS; a job may run for ten minutes at most.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# /healthz answers 503 when a job has been ready to run for longer than this: no worker is
# taking jobs (newsroom/health.py). 0 turns the check off.
NEWSROOM_QUEUE_STALL_SECONDS = int(os.environ.get("NEWSROOM_QUEUE_STALL_SECONDS") or 300)

# The Content API (#18): how many uncached requests a client without a token may make, per
# address ("120/min", "2000/hour"), found behind proxies as for logins (NEWSROOM_PROXY_COUNT).
# Answers the page cache or a proxy serves don't count.
NEWSROOM_API_ANON_RATE = os.environ.get("NEWSROOM_API_ANON_RATE") or "120/min"
# How often a live blog's open pages ask for new updates (#18): each ask is a 304 from the
# page cache or the caching proxy while nothing is new.
NEWSROOM_LIVE_POLL_SECONDS = env_int("NEWSROOM_LIVE_POLL_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en")
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a known time zone (try 'Europe/London')."
    ) from error
USE_I18N = True
USE_TZ = True
# Times name their zone ("3 Dec 2026, 14:30 CET") wherever Django formats a date and time (#15).
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = os.environ.get("DJANGO_STATIC_URL", "/static/")
# Relative paths are taken from the project directory.
STATIC_ROOT = BASE_DIR / os.environ.get("DJANGO_STATIC_ROOT", "var/static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = BASE_DIR / os.environ.get("DJANGO_MEDIA_ROOT", "var/media")

# Static files: `collectstatic` gives each file a name with its content's hash and writes gzip and
# Brotli copies; WhiteNoise serves them with far-future cache headers. That storage answers 500
# until `collectstatic` has run, so debug (and the tests) use the plain one.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploads (pictures) go through Django's storage API: MEDIA_ROOT above, or S3-compatible object
# storage when NEWSROOM_S3_BUCKET is set (needs the `s3` extra: pip install ".[s3]"). boto3 reads
# the credentials itself: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or an instance role.
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
if NEWSROOM_S3_BUCKET:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            'NEWSROOM_S3_BUCKET is set but django-storages is not installed: pip install ".[s3]".'
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": NEWSROOM_S3_BUCKET,
            # Empty means AWS itself; set it for other providers (MinIO, R2, Spaces...).
            "endpoint_url": os.environ.get("NEWSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("NEWSROOM_S3_REGION") or None,
            # A host name (a CDN's, or the bucket's public one) for the files' URLs.
            "custom_domain": os.environ.get("NEWSROOM_S3_CUSTOM_DOMAIN") or None,
            # Media is public: plain URLs, no expiring signatures, the bucket's own ACL.
            "querystring_auth": False,
            "default_acl": None,
            # An upload never replaces a stored file: a name already taken gets a suffix.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "max-age=31536000, public, immutable"},
        },
    }

# Pictures without object storage: the app itself serves MEDIA_ROOT at MEDIA_URL (a path on
# this site), so that one machine started with `make serve` shows them (newsroom/media.py, #16).
# At scale, a web server in front (docs/deploy.md has an nginx block) or S3 serves them instead;
# `check --deploy` warns when nothing does.
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", default=not NEWSROOM_S3_BUCKET)

# The public address of the site, for links printed by management commands.
SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")

# Webhooks (#18, webhooks/targets.py) go to public addresses only; these host names or IP
# addresses are allowed even if private or loopback (a receiver on the newsroom's own network).
NEWSROOM_WEBHOOK_ALLOWED_HOSTS = env_list("NEWSROOM_WEBHOOK_ALLOWED_HOSTS")
# Seconds a webhook receiver has to connect and to answer each read before the attempt fails.
NEWSROOM_WEBHOOK_TIMEOUT_SECONDS = env_int("NEWSROOM_WEBHOOK_TIMEOUT_SECONDS", 5)

# The publisher's logo in structured data, and the picture shared when a page has none of its
# own (#16): (path or URL, width, height). Defaults: the project's own, drawn by
# `manage.py draw_brand_images` (newsroom/brand.py).
NEWSROOM_SITE_LOGO = env_picture("NEWSROOM_SITE_LOGO", ("brand/logo.png", 512, 512))
NEWSROOM_DEFAULT_SOCIAL_IMAGE = env_picture(
    "NEWSROOM_DEFAULT_SOCIAL_IMAGE", ("brand/social.png", 1200, 630)
)
# Open Graph's og:locale needs a country ("en_GB"): the one for a language code without one
# (#16). DJANGO_LANGUAGE_CODE=en-us gives en_US whatever this says.
NEWSROOM_LOCALES = {"en": "en-gb", "fr": "fr-fr", "de": "de-de", "es": "es-es", "pt": "pt-pt"}
# PostgreSQL's text search language for /search/ (SQLite's FTS5 index needs none).
NEWSROOM_SEARCH_CONFIG = os.environ.get("NEWSROOM_SEARCH_CONFIG", "english")
# Feeds carry the full story (true) or only its summary (false).
NEWSROOM_FEED_FULL_CONTENT = env_bool("NEWSROOM_FEED_FULL_CONTENT", default=True)

# Email (#15): notifications go out through Django's email framework, from a job
# (notifications/tasks.py), never in the request. With debug on they are printed on the
# console; otherwise sent by SMTP to EMAIL_HOST (nothing is sent while it is unset: the
# notifications stay in the admin). The tests use Django's locmem backend (mail.outbox).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
# Seconds to wait for the mail server before the job fails (and the queue records it).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or f"{SITE_NAME} <newsroom@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if DEBUG and not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Security (#7; newsroom/security.py) ---------------------------------------------------------

# HTTPS: plain HTTP is redirected, cookies travel over HTTPS only, and browsers are told to use
# nothing else for a year (HSTS, subdomains included; `preload` lets the domain be submitted to
# the browsers' built-in list). On unless debug is; off only to serve plain HTTP on a private
# network, as the tests do.
NEWSROOM_HTTPS = env_bool("NEWSROOM_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = NEWSROOM_HTTPS
SECURE_HSTS_SECONDS = env_int("NEWSROOM_HSTS_SECONDS", 365 * 24 * 3600) if NEWSROOM_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# The header a proxy in front sets on requests it received over HTTPS, e.g. X-Forwarded-Proto.
# Only when every request comes through a proxy that overwrites it: anyone else could claim
# HTTPS. (Gunicorn already trusts X-Forwarded-Proto from FORWARDED_ALLOW_IPS.)
if _proxy_ssl_header := os.environ.get("NEWSROOM_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
# Origins whose forms the admin accepts besides the request's own: the public address, so
# that the admin works behind a proxy that ends HTTPS.
_site = urlsplit(SITE_URL)
CSRF_TRUSTED_ORIGINS = env_list(
    "DJANGO_CSRF_TRUSTED_ORIGINS", default=f"{_site.scheme}://{_site.netloc}"
)
# No script reads a cookie; none is sent with cross-site requests other than top-level links.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
# Database sessions that ignore a session cookie Django could not have set (newsroom/sessions.py).
SESSION_ENGINE = "newsroom.sessions"
# An admin session ends after a working day without activity, not after Django's 14 days (#13);
# the story form keeps what was typed when it ends (#12). Optionally when the browser closes.
SESSION_COOKIE_AGE = env_int("NEWSROOM_SESSION_IDLE_SECONDS", 10 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("NEWSROOM_SESSION_ENDS_WITH_BROWSER", default=False)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
# The admin's messages, punctuated once after a quoted headline (newsroom/messages.py).
MESSAGE_STORAGE = "newsroom.messages.Storage"
X_FRAME_OPTIONS = "DENY"
# Other sites learn only that a reader came from this one, never which page (preview links).
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"


def _origins(*urls: str) -> list[str]:
    """scheme://host of each absolute URL (static files or uploads served from elsewhere)."""
    parts = [urlsplit(url) for url in urls if url]
    return [f"{p.scheme}://{p.netloc}" for p in parts if p.scheme and p.netloc]


_static_sources = _origins(STATIC_URL)
_media_sources = _origins(MEDIA_URL)
if NEWSROOM_S3_BUCKET:
    _s3 = STORAGES["default"]["OPTIONS"]
    if _s3["custom_domain"]:
        _media_sources += [f"https://{_s3['custom_domain']}"]
    elif _s3["endpoint_url"]:  # path-style or bucket-as-host addresses at the provider
        _endpoint = urlsplit(_s3["endpoint_url"])
        _media_sources += [
            f"{_endpoint.scheme}://{_endpoint.netloc}",
            f"{_endpoint.scheme}://{NEWSROOM_S3_BUCKET}.{_endpoint.netloc}",
        ]
    else:
        _media_sources += [f"https://{NEWSROOM_S3_BUCKET}.s3.amazonaws.com"]
        if _s3["region_name"]:
            _media_sources += [
                f"https://{NEWSROOM_S3_BUCKET}.s3.{_s3['region_name']}.amazonaws.com"
            ]

# Embeds in story bodies (#14; embeds/providers.py): Mastodon posts from these instances, and
# the oEmbed providers the site allows besides the built-in ones, as a JSON list of
# {"name", "urls" (oEmbed URL schemes), "endpoint", "frames" (the hosts its players come
# from)}. Readers' pages may frame exactly the players' hosts of these and the built-in ones.
try:
    NEWSROOM_EMBED_MASTODON_INSTANCES = check_instances(
        env_list(
            "NEWSROOM_EMBED_MASTODON_INSTANCES",
            default="mastodon.social,mastodon.online,mstdn.social,journa.host,newsie.social,"
            "hachyderm.io,infosec.exchange,fosstodon.org",
        )
    )
except ValueError as error:
    raise ImproperlyConfigured(f"NEWSROOM_EMBED_MASTODON_INSTANCES: {error}.") from None
try:
    NEWSROOM_OEMBED_PROVIDERS = check_site_providers(
        json.loads(os.environ.get("NEWSROOM_OEMBED_PROVIDERS") or "[]")
    )
except ValueError as error:
    raise ImproperlyConfigured(f"NEWSROOM_OEMBED_PROVIDERS: {error}.") from None
_frame_sources = frame_sources(NEWSROOM_EMBED_MASTODON_INSTANCES, NEWSROOM_OEMBED_PROVIDERS)

# Readers' pages: scripts, styles and fonts from the site, pictures from it or the uploads'
# host; no inline code, no plugins, no framing of the site; frames only from embeds' players,
# which the reader asks for (static/js/embeds.js). No nonce either, so a page kept whole by the
# page cache matches the header it is served with.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF, *_static_sources],
        "script-src": [SELF, *_static_sources],
        "style-src": [SELF, *_static_sources],
        "img-src": [SELF, *_static_sources, *_media_sources],
        "frame-src": _frame_sources or [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the admin's pages change: the rich-text editor's inline import map runs with the
# request's nonce, and inline styles (set by Tiptap/ProseMirror and Django's admin) are allowed.
NEWSROOM_ADMIN_CSP = {
    "script-src": [SELF, *_static_sources, NONCE],
    "style-src": [SELF, *_static_sources, UNSAFE_INLINE],
}

# Logins: the axes backend refuses a username locked out from the client's address, after
# AXES_FAILURE_LIMIT failures in a row, for AXES_COOLOFF_TIME; a success starts the count
# again. Its lockout page names no account (newsroom/security.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# A story form posted with an outdated CSRF token (its opener logged in again in another tab)
# keeps its text and opens again with it (#12); any other refusal is Django's page.
CSRF_FAILURE_VIEW = "articles.admin.csrf_failure"
# The admin is the only place to log in; a `next=` that would leave the site lands on its index.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Counted per username and address, and per address across usernames: a handler of our own
# locks an address out after NEWSROOM_LOGIN_ADDRESS_LIMIT failures (newsroom/security.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "newsroom.security.LoginThrottle"
NEWSROOM_LOGIN_ADDRESS_LIMIT = env_int("NEWSROOM_LOGIN_ADDRESS_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
AXES_USERNAME_CALLABLE = "newsroom.security.login_username"
# No banner in the log at every start; logins and lockouts are still logged.
AXES_VERBOSE = False
# Proxies in front of the app that add the client's address to X-Forwarded-For (a load
# balancer and Varnish: 2). 0 takes the address that connects to the app.
NEWSROOM_PROXY_COUNT = env_int("NEWSROOM_PROXY_COUNT", 0)

# Logs go to stderr: one JSON object a line for a log collector, or plain text to read in a
# terminal (the default with debug on). See newsroom/logs.py (#7).
NEWSROOM_LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT") or ("text" if DEBUG else "json")
if NEWSROOM_LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(
        f"NEWSROOM_LOG_FORMAT must be json or text, not {NEWSROOM_LOG_FORMAT!r}."
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "newsroom.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": NEWSROOM_LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's records reach the console above, once: without its own handlers (a second
        # console with debug on, and mail to ADMINS, which Newsroom doesn't set).
        "django": {"handlers": [], "level": "INFO"},
        # Server errors with their traceback; 4xx are already in each request's line.
        "django.request": {"level": "ERROR"},
    },
}

# Editing (#12; articles/editing.py). With edit locks on, the first to open a story holds it
# while they are in it; others read it, and an editor can take it over. Off, everyone edits
# and sees who else is in the story; a stale save is refused and shows what changed.
NEWSROOM_EDIT_LOCKS = env_bool("NEWSROOM_EDIT_LOCKS", default=False)
# How often an open story form saves the user's working copy and says they are there.
NEWSROOM_AUTOSAVE_SECONDS = 5
NEWSROOM_HEARTBEAT_SECONDS = 15

# "Trams" and "trams" are one topic (#4).
TAGGIT_CASE_INSENSITIVE = True

# A long story must never be refused on save (#3), and nothing else may post that much (#13):
# Django's 2.5 MB everywhere, and 20 MB for the story form and its autosave only
# (newsroom/guards.py, LargeFormMiddleware).
NEWSROOM_LARGE_FORMS = {
    "articles_article_add",
    "articles_article_change",
    "articles_article_autosave",
    "articles_article_autosave_new",
}
NEWSROOM_LARGE_FORM_BYTES = 20 * 1024 * 1024
