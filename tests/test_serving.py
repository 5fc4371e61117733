"""Production serving: hashed, compressed static files from WhiteNoise, and Gunicorn's settings.

The tests elsewhere use plain StaticFilesStorage (tests/conftest.py); here `collectstatic` runs
once, into a temporary folder, with the storage production uses.
"""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import brotli
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings
from whitenoise.compress import Compressor

ROOT = Path(__file__).resolve().parents[1]
MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
FOREVER = "max-age=315360000, public, immutable"


def production_storages():
    return {**django_settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST_STORAGE}}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Every static file, collected as `make serve` does, but with faster Brotli: its highest
    quality, WhiteNoise's choice, takes 18 s here instead of 1 s (the prose editor's JS)."""
    root = tmp_path_factory.mktemp("static")
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(STATIC_ROOT=root, STORAGES=production_storages()),
    ):
        patch.setattr(Compressor, "compress_brotli", staticmethod(fast_brotli))
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def fast_brotli(data):
    return brotli.compress(data, quality=5)


@pytest.fixture
def production_static(settings, static_root):
    settings.STATIC_ROOT = static_root
    settings.STORAGES = production_storages()
    return static_root


def hashed_name(static_root, name):
    return json.loads((static_root / "staticfiles.json").read_text())["paths"][name]


class CollectstaticTests:
    @pytest.mark.slow
    @pytest.mark.parametrize("name", ["css/site.css", "admin/css/base.css"])
    def test_each_file_gets_a_hashed_name_and_gzip_and_brotli_copies(self, static_root, name):
        hashed = hashed_name(static_root, name)
        assert hashed != name and Path(hashed).suffix == Path(name).suffix
        content = (static_root / hashed).read_bytes()
        assert gzip.decompress((static_root / f"{hashed}.gz").read_bytes()) == content
        assert brotli.decompress((static_root / f"{hashed}.br").read_bytes()) == content

    def test_pages_link_to_the_hashed_names(self, production_static):
        url = Template("{% load static %}{% static 'css/site.css' %}").render(Context())
        assert url == f"/static/{hashed_name(production_static, 'css/site.css')}"


class WhiteNoiseTests:
    def test_runs_right_after_the_security_middleware(self):
        security = django_settings.MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
        assert django_settings.MIDDLEWARE[security + 1] == (
            "whitenoise.middleware.WhiteNoiseMiddleware"
        )

    # Closing a response sends `request_finished`, whose handler checks database connections.
    @pytest.mark.slow
    @pytest.mark.django_db
    @pytest.mark.parametrize(("accept", "encoding"), [("br, gzip", "br"), ("gzip", "gzip")])
    def test_serves_a_hashed_file_compressed_and_cached_for_ever(
        self, client, production_static, accept, encoding
    ):
        hashed = hashed_name(production_static, "css/site.css")
        response = client.get(f"/static/{hashed}", headers={"accept-encoding": accept})
        assert response.status_code == 200
        assert response["Cache-Control"] == FOREVER
        assert response["Content-Encoding"] == encoding
        assert response["Vary"] == "Accept-Encoding"
        assert response["Content-Type"].startswith("text/css")
        response.close()

    @pytest.mark.django_db
    def test_a_name_without_hash_is_cached_briefly(self, client, production_static):
        response = client.get("/static/css/site.css")
        assert response.status_code == 200
        assert response["Cache-Control"] == "max-age=60, public"
        response.close()


def gunicorn_config(**env):
    """Gunicorn's resolved settings (`--print-config`) for newsroom/gunicorn.conf.py."""
    environment = {"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": "x" * 50, **env}
    result = subprocess.run(
        [Path(sys.executable).with_name("gunicorn"), "-c", "newsroom/gunicorn.conf.py"]
        + ["--print-config"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = (line.partition("=") for line in result.stdout.splitlines())
    return {name.strip(): value.strip() for name, _, value in lines}


class GunicornConfigTests:
    @pytest.mark.slow
    def test_defaults(self):
        config = gunicorn_config()
        assert config["bind"] == "['127.0.0.1:8000']"
        assert config["workers"] == str(2 * len(os.sched_getaffinity(0)) + 1)
        assert config["wsgi_app"] == "newsroom.wsgi:application"
        assert config["preload_app"] == "True"
        assert config["accesslog"] == "None"

    @pytest.mark.slow
    def test_the_environment_overrides_them(self):
        assert gunicorn_config(WEB_CONCURRENCY="3")["workers"] == "3"
        assert gunicorn_config(HOST="0.0.0.0", PORT="8765")["bind"] == "['0.0.0.0:8765']"
        assert gunicorn_config(BIND="unix:/tmp/newsroom.sock")["bind"] == (
            "['unix:/tmp/newsroom.sock']"
        )
