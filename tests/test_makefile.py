"""The Makefile's targets as a newcomer runs them (#13), read with `make -n` (nothing runs)."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make(*args):
    result = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


class MakefileTests:
    def test_help_lists_the_targets_and_the_knobs(self):
        output = make("help")
        for target in ["make run", "make test ", "make test-fast", "make lint"]:
            assert target in output
        for knob in ["PORT", "PYTEST_ARGS", "DATABASE_URL", "REDIS_URL", "HYPOTHESIS_PROFILE"]:
            assert f"\n  {knob} " in output

    def test_run_puts_the_site_address_on_its_port(self):
        """`make run PORT=8200` writes the address on 8200 into .env, which every manage.py
        command then reads (tests/test_manage.py), and serves on 8200."""
        commands = make("-n", "run", "PORT=8200").splitlines()
        assert any("-m newsroom.envfile --port 8200" in line for line in commands)
        assert any(line.endswith("manage.py runserver 127.0.0.1:8200") for line in commands)
        assert not any("8000" in line for line in commands)

    def test_serve_runs_manage_py_without_a_env_file(self):
        commands = [line for line in make("-n", "serve").splitlines() if "manage.py" in line]
        assert len(commands) == 2
        assert all(line.startswith("DJANGO_ENV_FILE= ") for line in commands)

    def test_test_fast_leaves_out_the_slow_markers_and_test_runs_everything(self):
        [fast] = [line for line in make("-n", "test-fast").splitlines() if "pytest" in line]
        assert '-m "not slow and not browser and not deploy"' in fast
        [everything] = [line for line in make("-n", "test").splitlines() if "pytest" in line]
        assert "not slow" not in everything
