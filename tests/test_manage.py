"""manage.py and the development `.env` that `make run` writes (#13; newsroom/envfile.py).

The README's commands work as written once `make run` has written `.env`, without exporting
anything; a missing or bad setting stops with one line, not a traceback; the environment wins
over the file; and the web server never reads it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom import envfile

ROOT = Path(__file__).resolve().parents[1]


def run(args, *, cwd=ROOT, **env):
    """`args` in a fresh interpreter whose environment has only PATH and the given variables."""
    environment = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=environment, capture_output=True, text=True
    )


def write_env_file(path, port):
    """What `make run PORT=...` runs first."""
    result = run(["-m", "newsroom.envfile", "--port", str(port), "--file", str(path)])
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def project(tmp_path):
    """A folder with manage.py, as in a checkout, and an SQLite database of its own."""
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    return tmp_path


def database(folder):
    return f"sqlite:///{folder / 'db.sqlite3'}"


class ManageTests:
    def test_a_missing_secret_key_is_one_line(self, tmp_path):
        result = run(
            ["manage.py", "create_newsroom_user", "--help"],
            DJANGO_ENV_FILE="",
            DATABASE_URL=database(tmp_path),
        )
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        [line] = result.stderr.splitlines()
        assert line.startswith("manage.py: DJANGO_SECRET_KEY is not set.")
        assert "make run" in line

    def test_a_bad_value_is_one_line(self, tmp_path):
        result = run(
            ["manage.py", "check"],
            DJANGO_ENV_FILE="",
            DJANGO_DEBUG="true",
            TIME_ZONE="Mars/Olympus",
            DATABASE_URL=database(tmp_path),
        )
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            "manage.py: TIME_ZONE='Mars/Olympus' is not a known time zone (try 'Europe/London')."
        ]

    @pytest.mark.slow
    def test_reads_the_env_file_beside_it(self, project):
        write_env_file(project / ".env", 8200)
        result = run(
            ["manage.py", "create_newsroom_user", "--help"],
            cwd=project,
            DATABASE_URL=database(project),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: manage.py create_newsroom_user")

    @pytest.mark.slow
    def test_the_readme_commands_work_as_written_after_make_run(self, project):
        """`make run PORT=8200` writes .env; then the README's commands need nothing exported,
        and the links they print are on the port the site is served on."""
        write_env_file(project / ".env", 8200)
        env = {"DATABASE_URL": database(project)}
        assert run(["manage.py", "migrate", "-v0"], cwd=project, **env).returncode == 0

        created = run(
            ["manage.py", "create_newsroom_user", "desk", "--role", "editor"], cwd=project, **env
        )
        assert created.returncode == 0, created.stderr
        assert created.stdout.startswith("Editor login: http://127.0.0.1:8200/admin/  user: desk")

        story = project / "story.txt"
        story.write_text(
            "Trams return to the city\n\nThe first tram ran at dawn.\n\nAnn Reporter\n"
        )
        imported = run(["manage.py", "import_article", str(story), "--publish"], cwd=project, **env)
        assert imported.returncode == 0, imported.stderr
        assert "Read it on the site: http://127.0.0.1:8200/" in imported.stdout
        assert "Traceback" not in created.stderr + imported.stderr

    @pytest.mark.slow
    def test_the_environment_wins_over_the_file(self, project):
        write_env_file(project / ".env", 8200)
        code = "from django.conf import settings as s; print(s.DEBUG, s.SITE_URL)"
        result = run(
            ["manage.py", "shell", "-v0", "-c", code],
            cwd=project,
            DATABASE_URL=database(project),
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="x" * 50,
            NEWSROOM_SITE_URL="https://news.example.org",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["False", "https://news.example.org"]

    @pytest.mark.slow
    def test_env_file_names_another_file_or_none(self, project, tmp_path_factory):
        write_env_file(project / ".env", 8200)
        other = write_env_file(tmp_path_factory.mktemp("elsewhere") / "dev.env", 8300)
        code = "from django.conf import settings as s; print(s.SITE_URL)"
        env = {"DATABASE_URL": database(project)}
        named = run(
            ["manage.py", "shell", "-v0", "-c", code], cwd=project, DJANGO_ENV_FILE=other, **env
        )
        assert named.stdout.strip() == "http://127.0.0.1:8300", named.stderr

        none = run(
            ["manage.py", "shell", "-v0", "-c", code], cwd=project, DJANGO_ENV_FILE="", **env
        )
        assert none.returncode == 1
        assert none.stderr.startswith("manage.py: DJANGO_SECRET_KEY is not set.")

        missing = run(["manage.py", "check"], cwd=project, DJANGO_ENV_FILE="nowhere.env", **env)
        assert missing.stderr.splitlines() == [
            "manage.py: DJANGO_ENV_FILE names nowhere.env, which is not a file."
        ]

    def test_a_line_that_is_not_a_variable_is_named(self, project):
        (project / ".env").write_text("DJANGO_DEBUG=true\nmake run\n")
        result = run(["manage.py", "check"], cwd=project, DATABASE_URL=database(project))
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"manage.py: {project / '.env'}, line 2: expected NAME=value, not 'make run'."
        ]

    @pytest.mark.slow
    @pytest.mark.parametrize("module", ["newsroom.wsgi", "newsroom.asgi"])
    def test_the_web_server_reads_no_env_file(self, project, module):
        """Not the one beside manage.py, nor one DJANGO_ENV_FILE names: production's
        environment comes from its process manager."""
        env_file = write_env_file(project / ".env", 8200)
        result = run(
            ["-c", f"import {module}"],
            cwd=project,
            DATABASE_URL=database(project),
            DJANGO_ENV_FILE=env_file,
        )
        assert result.returncode == 1
        assert "DJANGO_SECRET_KEY is not set" in result.stderr


class EnvFileTests:
    def test_a_new_file_has_debug_a_secret_key_and_the_site_on_the_port(self, tmp_path):
        path = tmp_path / ".env"
        changes = envfile.write_development_file(path, port=8200)
        assert changes == (
            "debug on, a new secret key, site at http://127.0.0.1:8200, times in Europe/London"
        )
        values = envfile.parse(path.read_text())
        assert values["DJANGO_DEBUG"] == "true"
        assert values["TIME_ZONE"] == "Europe/London"
        assert values["NEWSROOM_SITE_URL"] == "http://127.0.0.1:8200"
        assert len(values["DJANGO_SECRET_KEY"]) >= 50
        assert path.stat().st_mode & 0o777 == 0o600

    def test_another_port_moves_the_site_and_keeps_the_rest(self, tmp_path):
        path = tmp_path / ".env"
        envfile.write_development_file(path, port=8000)
        with path.open("a") as file:
            file.write("# my Redis\nREDIS_URL=redis://127.0.0.1:6379/3\n")
        before = envfile.parse(path.read_text())

        assert envfile.write_development_file(path, port=8200) == "site at http://127.0.0.1:8200"
        after = envfile.parse(path.read_text())
        assert after == {**before, "NEWSROOM_SITE_URL": "http://127.0.0.1:8200"}
        assert "# my Redis" in path.read_text()
        assert envfile.write_development_file(path, port=8200) == ""

    def test_an_address_of_ones_own_is_kept(self, tmp_path):
        path = tmp_path / ".env"
        path.write_text("DJANGO_DEBUG=false\nNEWSROOM_SITE_URL=https://newsroom.test\n")
        assert envfile.write_development_file(path, port=8200) == "a new secret key"
        values = envfile.parse(path.read_text())
        assert values["NEWSROOM_SITE_URL"] == "https://newsroom.test"
        assert values["DJANGO_DEBUG"] == "false"
        assert "TIME_ZONE" not in values  # A file of one's own keeps settings' default.

    def test_parse_reads_the_common_forms(self):
        text = "# a comment\n\nexport A=1\nB = 'two words'\nC=\"x=y\"\nD=\n"
        assert envfile.parse(text) == {"A": "1", "B": "two words", "C": "x=y", "D": ""}
