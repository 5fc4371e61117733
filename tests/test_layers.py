"""The apps' layers (#13): articles above authors and images, above the newsroom core, with only
the URL configuration composing them. `make lint` checks the same contracts (pyproject.toml);
this test keeps a plain test run from passing with a broken layer."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


class LayerTests:
    def test_every_import_contract_is_kept(self):
        result = subprocess.run(
            [LINT_IMPORTS, "--no-cache", "--no-logo"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Contracts: 2 kept, 0 broken." in result.stdout
