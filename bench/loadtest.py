"""`make loadtest`: a bounded load test on loopback (#7). Zero server errors, flat memory.

Seeds N stories (default 10,000) into PostgreSQL with `manage.py seed_articles` (the database
is kept for later runs, as `make bench` does: bench/run.py), serves the site with Gunicorn and
the production settings (debug off; plain HTTP, so NEWSROOM_HTTPS is off), and loads the front
page, a story and a search with wrk: CONNECTIONS connections (64) on two threads for DURATION
seconds (60) each, after a short warm-up that is not counted. Each mode is a separate Gunicorn,
run as `make serve` runs it:

- cached: with REDIS_URL, so the page cache in Redis answers most requests;
- uncached: without Redis, so the page cache is off and every request renders in Django.

While wrk runs, the resident memory (VmRSS) of the Gunicorn master and each worker is read
from /proc every second. Workers are not recycled during the run (`--max-requests 0`), so a
leak shows instead of being reset.

It writes docs/loadtest.md and exits non-zero on any 5xx, any other 4xx or socket error, a
server error in the app's log, a worker that had to be replaced, or a worker whose memory at
the end exceeds its memory after the warm-up by more than MEMORY_GROWTH_MB (default 10).

Run from the project directory: `python -m bench.loadtest`. Settings come from the
environment: N, SEED, DURATION, WARMUP (seconds per page), CONNECTIONS, WORKERS (default: as
`make serve`, 2 per CPU plus one), MODES (default "cached,uncached"), MEMORY_GROWTH_MB,
BENCH_DATABASE_URL, REDIS_URL. Needs PostgreSQL, Redis (for the cached mode) and wrk.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import redis

from bench import run as bench

N = int(os.environ.get("N", "10000"))
DURATION = int(os.environ.get("DURATION", "60"))
WARMUP = int(os.environ.get("WARMUP", "5"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "64"))
WORKERS = int(os.environ.get("WORKERS") or 2 * len(os.sched_getaffinity(0)) + 1)
MODES = [mode for mode in os.environ.get("MODES", "cached,uncached").split(",") if mode]
MEMORY_GROWTH_MB = float(os.environ.get("MEMORY_GROWTH_MB", "10"))
PAGES = ("front", "article", "search")
SCRIPT = Path(__file__).resolve().parent / "loadtest.lua"
REPORT = bench.ROOT / "docs" / "loadtest.md"

log = bench.log


# Memory --------------------------------------------------------------------------------------


def rss_mb(pid):
    """Resident memory of a process in MB, or None once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return None
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else None


class MemorySampler(threading.Thread):
    """Samples the RSS of the Gunicorn master and its workers every second."""

    def __init__(self, master):
        super().__init__(daemon=True)
        self.master = master.pid
        self.samples = defaultdict(list)  # pid -> MB, since the last start()
        self.marks = {}
        self.stopping = threading.Event()

    def processes(self):
        children = Path(f"/proc/{self.master}/task/{self.master}/children").read_text()
        return [self.master, *map(int, children.split())]

    def sample(self):
        sizes = {pid: rss_mb(pid) for pid in self.processes()}
        sizes = {pid: size for pid, size in sizes.items() if size is not None}
        for pid, size in sizes.items():
            self.samples[pid].append(size)
        return sizes

    def mark(self, name):
        if name == "start":
            self.samples.clear()
        self.marks[name] = self.sample()

    def run(self):
        while not self.stopping.wait(1):
            self.sample()

    def report(self):
        """One row per process: its name, then MB after the warm-up, after each page, and
        the peak (None where the process wasn't there)."""
        rows = []
        for pid in sorted(self.samples, key=lambda pid: (pid != self.master, pid)):
            name = "master" if pid == self.master else f"worker {pid}"
            marks = [self.marks[mark].get(pid) for mark in ("start", *PAGES)]
            rows.append((name, marks, max(self.samples[pid])))
        return rows


# Load ----------------------------------------------------------------------------------------


def status(url):
    """The status of a GET, redirects not followed: every page must answer 200 itself."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        return connection.getresponse().status
    finally:
        connection.close()


def drain(url):
    """Waits for the requests wrk left queued when it stopped (the workers still answer them),
    so that they don't count against the next page; the server must still answer."""
    if (answer := status(url)) != 200:
        raise SystemExit(f"{url} answered {answer} after the load, not 200")


def wrk(url, duration):
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            # Uncached pages queue behind each other at 64 connections; wrk's 2 s would count
            # the wait as an error. A reader gets a timeout from the proxy long before 30 s.
            "--timeout",
            "30s",
            "--latency",
            "-s",
            str(SCRIPT),
            url,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    summary, statuses = (json.loads(line) for line in out.strip().splitlines()[-2:])
    return {
        "requests": summary["requests"],
        "rps": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50": summary["p50_us"] / 1000,
        "p99": summary["p99_us"] / 1000,
        "socket_errors": summary["socket_errors"],
        **statuses,
    }


def app_log_errors(path):
    """Server errors the app itself logged: requests answered 5xx, and ERROR records."""
    errors = 0
    for line in path.read_text(errors="replace").splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # Gunicorn's own lines
        if record.get("level") in ("ERROR", "CRITICAL") or record.get("status", 0) >= 500:
            errors += 1
    return errors


def run_mode(mode, env, urls, work):
    env = {**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "NEWSROOM_HTTPS": "false"}
    prefix = f"loadtest-{uuid.uuid4()}"
    if mode == "cached":
        env |= {"REDIS_URL": bench.REDIS_URL, "NEWSROOM_CACHE_KEY_PREFIX": prefix}
    log(f"--- {mode}: Gunicorn with {WORKERS} workers")
    load = os.getloadavg()[0]  # what else the machine was doing
    with bench.gunicorn(env, work, mode) as (base, master):
        for name in PAGES:
            if (answer := status(base + urls[name])) != 200:
                raise SystemExit(f"{urls[name]} answered {answer}, not 200")
        sampler = MemorySampler(master)
        sampler.start()
        for name in PAGES:
            log(f"    warm-up: {name}, {WARMUP} s")
            wrk(base + urls[name], WARMUP)
            drain(base + urls[name])
        sampler.mark("start")
        results = {}
        for name in PAGES:
            log(f"    {name}: {DURATION} s")
            results[name] = wrk(base + urls[name], DURATION)
            drain(base + urls[name])
            sampler.mark(name)
        sampler.stopping.set()
    if mode == "cached":
        # The page cache's clock and marks never expire: leave nothing behind in Redis.
        client = redis.Redis.from_url(bench.REDIS_URL)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
    return {
        "pages": results,
        "memory": sampler.report(),
        "log_errors": app_log_errors(work / f"gunicorn-{mode}.log"),
        "load": load,
    }


# Report --------------------------------------------------------------------------------------


def failures(results):
    found = []
    for mode, result in results.items():
        for name, page in result["pages"].items():
            if not page["requests"]:
                found.append(f"{mode} {name}: no request answered in {DURATION} s")
            if page["status_5xx"]:
                found.append(f"{mode} {name}: {page['status_5xx']} responses 5xx")
            if page["status_4xx"]:
                found.append(f"{mode} {name}: {page['status_4xx']} responses 4xx")
            if page["socket_errors"]:
                found.append(f"{mode} {name}: {page['socket_errors']} socket errors")
        if result["log_errors"]:
            found.append(f"{mode}: {result['log_errors']} server errors in the app's log")
        for name, (start, *_pages, end), _peak in result["memory"]:
            if start is None or end is None:
                found.append(f"{mode}: {name} was not there for the whole run (replaced)")
            elif end - start > MEMORY_GROWTH_MB:
                found.append(f"{mode}: {name} grew {end - start:.1f} MB (bound {MEMORY_GROWTH_MB})")
    return found


def render(results, urls, problems):
    def mb(value):
        return "—" if value is None else f"{value:.1f}"

    lines = [
        "# Load test",
        "",
        f"Measured by `make loadtest` on {datetime.now(UTC):%Y-%m-%d}: {bench.machine()}.",
        "",
        "```sh",
        "make loadtest                       # the run below",
        "make loadtest DURATION=10 N=1000    # a quick one",
        "```",
        "",
        f"{N:,} stories in PostgreSQL (`manage.py seed_articles`), Gunicorn with {WORKERS} sync "
        "workers (as `make serve` starts on this machine) and the production settings, debug off, "
        "plain HTTP on loopback. wrk with 2 threads and "
        f"{CONNECTIONS} connections for {DURATION} s on each page, after {WARMUP} s of warm-up "
        "on each that is not counted. The load generator shares the machine's CPUs with the "
        "server, PostgreSQL and Redis; absolute figures move with the machine's load (load "
        "average when each mode started: "
        + ", ".join(f"{mode} {result['load']:.1f}" for mode, result in results.items())
        + ").",
        "",
        f"Pages: the front page `{urls['front']}`, a story `{urls['article']}`, a search "
        f"`{urls['search']}`.",
        "",
        "- **cached**: with `REDIS_URL`, as `make serve` runs in production: the page cache in "
        "Redis answers nearly every request.",
        "- **uncached**: without Redis, so the page cache is off: every request renders in "
        "Django and queries PostgreSQL.",
        "",
        "## Requests",
        "",
        "| mode | page | requests | req/s | p50 ms | p99 ms | 4xx | 5xx | socket errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, result in results.items():
        for name, page in result["pages"].items():
            lines.append(
                f"| {mode} | {name} | {page['requests']:,} | {page['rps']:,.0f} "
                f"| {page['p50']:.1f} | {page['p99']:.1f} | {page['status_4xx']} "
                f"| {page['status_5xx']} | {page['socket_errors']} |"
            )
    lines += [
        "",
        "Server errors the app logged (5xx request lines and ERROR records): "
        + ", ".join(f"{mode} {result['log_errors']}" for mode, result in results.items())
        + ".",
        "",
        "## Memory",
        "",
        "Resident memory (VmRSS, MB) of each Gunicorn process, read every second: after the "
        "warm-up, after each page's run, and the peak. Workers are not recycled during the "
        f"run. Bound: no worker ends more than {MEMORY_GROWTH_MB:g} MB above where it started. "
        "A worker grows while it first renders each kind of page (compiled templates, Python's "
        "own caches) and then stays flat; a leak would keep growing with every page.",
        "",
        "| mode | process | start | "
        + " | ".join(f"after {name}" for name in PAGES)
        + " | peak | growth |",
        "|---|---|" + "---:|" * (len(PAGES) + 3),
    ]
    for mode, result in results.items():
        for name, marks, peak in result["memory"]:
            start, end = marks[0], marks[-1]
            growth = "—" if start is None or end is None else f"{end - start:+.1f}"
            lines.append(
                f"| {mode} | {name} | {' | '.join(mb(mark) for mark in marks)} | {mb(peak)} "
                f"| {growth} |"
            )
    lines += ["", "## Result", ""]
    if problems:
        lines += [f"- **{problem}**" for problem in problems]
    else:
        lines.append(
            "Passed: no 5xx, no other error response or socket error, no server error in the "
            f"app's log, no worker replaced, and no worker grew by more than "
            f"{MEMORY_GROWTH_MB:g} MB."
        )
    lines.append("")
    return "\n".join(lines)


def main():
    for tool in ("wrk", "psql"):
        if not shutil.which(tool):
            raise SystemExit(f"make loadtest needs {tool} (Debian package).")
    bench.WORKERS = WORKERS  # bench.gunicorn() starts this many
    _database, env = bench.archive(N)
    bench.manage(env, "migrate", "--no-input", "--verbosity", "0")
    urls = bench.pages(env)
    results = {}
    with tempfile.TemporaryDirectory(prefix="newsroom-loadtest-") as tmp:
        work = Path(tmp)
        for mode in MODES:
            results[mode] = run_mode(mode, env, urls, work)
    problems = failures(results)
    report = render(results, urls, problems)
    sys.stdout.write(report)
    REPORT.write_text(report)
    log(f"Written to {REPORT.relative_to(bench.ROOT)}")
    if problems:
        raise SystemExit("make loadtest failed:\n  " + "\n  ".join(problems))


if __name__ == "__main__":
    main()
