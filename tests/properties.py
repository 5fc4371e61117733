"""How many examples a property test tries (Hypothesis; the profiles are in tests/conftest.py).

Each test states its full number, which CI runs (CI=true, or HYPOTHESIS_PROFILE=ci); elsewhere
it tries a tenth of them, so that the local loop stays quick (#13). Hypothesis keeps the
failing examples it finds in .hypothesis/ and tries them first next time, whatever the number.
"""

import os

PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI") == "true" else "dev"
)
SHARE = {"ci": 1.0, "dev": 0.1}
if PROFILE not in SHARE:
    raise ValueError(f"HYPOTHESIS_PROFILE must be one of {', '.join(SHARE)}, not {PROFILE!r}.")


def examples(full: int) -> int:
    """`full` in CI; a share of it, but at least 10, elsewhere."""
    return full if PROFILE == "ci" else max(10, round(full * SHARE[PROFILE]))
