"""Uploaded pictures served by the app itself (#16), so that one machine started with
`make serve` shows them. With NEWSROOM_SERVE_MEDIA on (the default without S3), MEDIA_URL
answers with the files under MEDIA_ROOT:

- files only: a folder, a hidden name (`.x`), a path leading out of MEDIA_ROOT (`..`, an
  absolute path, a symbolic link pointing outside) is not found;
- the type from an allowlist of picture formats; any other file is a download
  (application/octet-stream, attachment), never a page the browser would render; with
  `X-Content-Type-Options: nosniff` (SecurityMiddleware) browsers don't guess otherwise;
- renditions are named after everything that decides their pixels (images/renditions.py), so
  a name always means the same bytes: browsers and proxies keep them for a year. An original's
  name can come back (a file deleted, another uploaded under the same name), so an hour;
- ETag and Last-Modified from the file, answered with 304; HEAD; no Range.

It goes through the same middleware as every page: security headers, the CSP. At scale, a web
server in front (docs/deploy.md) or object storage (NEWSROOM_S3_BUCKET) serves the files.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.http import FileResponse, Http404
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

# The picture types the site stores (images/validators.py takes JPEG, PNG, WebP and GIF; its
# renditions are WebP and JPEG), and AVIF. Not SVG: it can carry scripts. A table of our own, not
# the mimetypes module, whose answers depend on the machine's /etc/mime.types.
PICTURE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".avif": "image/avif",
}
# Folders whose file names name their content (images/models.py, rendition_upload_to).
IMMUTABLE_FOLDERS = ("renditions/",)
IMMUTABLE_SECONDS = 365 * 24 * 3600
REUSABLE_NAME_SECONDS = 3600


def media_file(root: Path, name: str) -> Path | None:
    """The regular file named `name` under `root`, or None when there is none, or it would lie
    outside `root`."""
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    root = root.resolve()
    try:
        file = (root / name).resolve(strict=True)
    except (OSError, RuntimeError):  # Missing, or a symbolic link loop.
        return None
    if not file.is_relative_to(root) or not file.is_file():
        return None
    return file


@require_safe
def serve_media(request, name):
    """One uploaded file (the module's docstring)."""
    file = media_file(Path(settings.MEDIA_ROOT), name)
    if file is None:
        raise Http404("No such file.")
    stat = file.stat()
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    picture_type = PICTURE_TYPES.get(file.suffix.lower())
    response = FileResponse(
        file.open("rb"),
        content_type=picture_type or "application/octet-stream",
        as_attachment=picture_type is None,
        filename=file.name,
    )
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(stat.st_mtime)
    response.headers["X-Content-Type-Options"] = "nosniff"
    immutable = name.startswith(IMMUTABLE_FOLDERS)
    patch_cache_control(
        response,
        public=True,
        max_age=IMMUTABLE_SECONDS if immutable else REUSABLE_NAME_SECONDS,
        **({"immutable": True} if immutable else {}),
    )
    conditional = get_conditional_response(
        request, etag=etag, last_modified=int(stat.st_mtime), response=response
    )
    if conditional is not response:
        response.close()
    return conditional


def urlpatterns():
    """The route of MEDIA_URL, when it is a path on this site and the app serves it."""
    prefix = settings.MEDIA_URL
    if not settings.NEWSROOM_SERVE_MEDIA or not prefix.startswith("/") or prefix == "/":
        return []
    return [path(f"{prefix.lstrip('/')}<path:name>", serve_media, name="media")]


@checks.register(checks.Tags.security, deploy=True)
def check_media_served(app_configs, **kwargs):
    """Pictures need something to serve them: object storage, this app, or a web server at
    another address (an absolute MEDIA_URL). A web server in front that serves MEDIA_ROOT at a
    path of the site can't be seen from here; behind one, keep NEWSROOM_SERVE_MEDIA on: the
    app's route is then simply never reached."""
    if settings.NEWSROOM_S3_BUCKET or urlpatterns() or not settings.MEDIA_URL.startswith("/"):
        return []
    return [
        checks.Warning(
            f"Nothing serves the uploaded pictures at {settings.MEDIA_URL}: NEWSROOM_S3_BUCKET "
            "is not set and NEWSROOM_SERVE_MEDIA is off, so every picture would be missing "
            "unless a web server in front serves DJANGO_MEDIA_ROOT there.",
            hint="Set NEWSROOM_SERVE_MEDIA=true (the app serves them; keep it on behind a web "
            "server that serves them, docs/deploy.md), or set NEWSROOM_S3_BUCKET.",
            id="newsroom.W003",
        )
    ]
