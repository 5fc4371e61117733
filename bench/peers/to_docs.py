"""Puts the side-by-side table of `make bench-peers` into docs/benchmarks.md (#17).

Usage: python bench/peers/to_docs.py RESULTS_DIR[=NOTE] [RESULTS_DIR[=NOTE] ...]

Each RESULTS_DIR is one run of bench/peers/run-all.sh (its results.md); NOTE, when given, is
printed under the run's title (what was measured, which commit). The section that
starts at SECTION in docs/benchmarks.md is replaced by the command and those results, or
added at the end; everything before it (what bench/run.py writes) is kept.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Side by side: a minimal Wagtail site, a plain Django app and Newsroom"
INTRO = """\
Measured by `make bench-peers` (bench/peers/, its README says how): a minimal Wagtail 8 site
(A), the obvious plain Django list/detail app (B) and Newsroom uncached (cms) and with its Redis
page cache (cmsc), on the same data in one PostgreSQL, and Newsroom's floor (floor: its own
settings and middleware answering a trivial view, what a page-cache hit is held against), each
under Gunicorn with 2 sync workers, nginx serving each one's pages as static files, interleaved
wrk runs. The machine is
shared: compare CPU ms per request first, then ratios measured in the same run.
"""


def section(results_dirs):
    parts = [SECTION, "", INTRO]
    for argument in results_dirs:
        directory, _, note = argument.partition("=")
        text = (Path(directory) / "results.md").read_text().strip()
        # The run's own title becomes a subsection; its headings move down one level.
        lines = [("#" + line) if line.startswith("#") else line for line in text.splitlines()]
        if note:
            lines[1:1] = ["", note]
        parts += ["", *lines]
    return "\n".join(parts).rstrip() + "\n"


def main(results_dirs):
    before = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    kept = before.split(SECTION, 1)[0].rstrip() + "\n\n"
    DOCS.write_text(kept + section(results_dirs))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
