"""`make bench`: Newsroom's throughput and latency, measured side by side in one run (#6).

Seeds N stories (default 100,000) into a PostgreSQL database kept between runs, serves the
site with Gunicorn, and loads each page with wrk:

- uncached: Gunicorn only, the page cache off: every request renders;
- cached: the page cache in Redis, shared by the workers;
- edge: Varnish (deploy/varnish/default.vcl) in front of the cached servers;
- two floors: the article's HTML as a static file served by nginx, and a trivial Django view
  (the Python floor);
- flatness: the front and a section page, uncached, on a 1,000-story archive.

It prints req/s, p50 and p99 per page and the ratios, checks them against the targets, and
writes docs/benchmarks.md. Needs PostgreSQL, Redis, wrk, nginx and varnishd (Debian's
packages). Settings come from the environment: N, SEED, DURATION (seconds per page),
CONNECTIONS, WORKERS, BENCH_DATABASE_URL (a server URL without a database name), REDIS_URL.
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent

N = int(os.environ.get("N", "100000"))
SEED = int(os.environ.get("SEED", "1"))
SMALL = 1000
DURATION = int(os.environ.get("DURATION", "10"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
# Each cached page is measured back to back with the Python floor, and each Varnish page with
# nginx, this many times, alternating which goes first: a shared machine's load then weighs on
# both sides of a ratio alike.
ROUNDS = int(os.environ.get("ROUNDS", "2"))
WORKERS = int(os.environ.get("WORKERS", "2"))
SERVER = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# What browsers send: readers get compressed pages, from the page cache, Varnish and nginx alike.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"

# Where the section of `make bench-peers` starts in docs/benchmarks.md.
PEERS_SECTION = "## Side by side: a minimal Wagtail site, a plain Django app and Newsroom"

TARGETS = {
    "cached_vs_python_floor": 0.70,
    "edge_vs_nginx_static": 0.80,
    "flat_within": 0.10,
    "search_p99_ms": 100,
    "rss_mb": 150,
}


def log(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url, timeout=30, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, dict(response.headers), response.read()


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{process.args[0]} exited with {process.returncode} before serving")
        try:
            fetch(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"Nothing answered at {url} after {timeout} s")


@contextmanager
def running(args, *, env=None, ready_url=None, cwd=ROOT, log_path=None):
    """A subprocess for the duration of the block, stopped (with its children) afterwards."""
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(
        args, env=env, cwd=cwd, stdout=output, stderr=output, start_new_session=True
    )
    try:
        if ready_url:
            wait_for(ready_url, process)
        yield process
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
        if log_path:
            output.close()


# The archive ---------------------------------------------------------------------------------


def django_env(database, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        # manage.py reads no development .env: the benchmark's settings are all here.
        "DJANGO_ENV_FILE": "",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        # wrk, nginx and Varnish reach the servers over plain HTTP.
        "NEWSROOM_HTTPS": "false",
        "DATABASE_URL": f"{SERVER}/{database}",
        "NEWSROOM_SITE_URL": "http://127.0.0.1",
    }
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", f"{SERVER}/{database}", "-tAc", sql],
        check=True,
        text=True,
        capture_output=True,
    ).stdout.strip()


def archive(count):
    """A database holding `count` seeded stories; made once, then reused by later runs."""
    database = f"newsroom_bench_{count}_{SEED}"
    env = django_env(database)
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'") == "1"
    if exists:
        try:
            done = psql("SELECT count(*) FROM articles_article", database) == str(count)
        except subprocess.CalledProcessError:
            done = False
        if done:
            log(f"--- reusing {database}")
            return database, env
        psql(f'DROP DATABASE "{database}"')
    log(f"--- seeding {count:,} stories into {database}")
    psql(f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    started = time.monotonic()
    manage(env, "seed_articles", "--count", str(count), "--seed", str(SEED))
    log(f"    seeded in {time.monotonic() - started:.0f} s")
    return database, env


def pages(env):
    """The URLs measured: front, an article, a section, its page 50, search and the feed."""
    script = (
        "from django.db.models import Count;"
        "from articles.models import Article, Section;"
        "a = Article.objects.published().order_by('-published_at')[5];"
        "s = Section.objects.annotate(n=Count('articles')).order_by('-n').first();"
        "w = max(a.headline.split(), key=len).strip('.,:;?!');"
        "print(a.get_absolute_url(), s.get_absolute_url(), w, s.n)"
    )
    out = manage(env, "shell", "-c", script, capture=True).split()
    article, section, word, size = out[-4], out[-3], out[-2], int(out[-1])
    # Page 50 of the biggest section, or its last page on a small archive.
    deep = max(1, min(50, size * 9 // 10 // 20))
    return {
        "front": "/",
        "article": article,
        "section": section,
        "section p50": f"{section}?page={deep}",
        "search": f"/search/?q={urllib.request.quote(word)}",
        "rss": "/feed/",
    }


# Servers -------------------------------------------------------------------------------------


@contextmanager
def gunicorn(env, workdir, name):
    port = free_port()
    static = workdir / "static"
    env = {
        **env,
        "DJANGO_STATIC_ROOT": str(static),
        "WEB_CONCURRENCY": str(WORKERS),
        "BIND": f"127.0.0.1:{port}",
        # No worker recycling while measuring: a restart is not what a page costs.
        "GUNICORN_CMD_ARGS": "--max-requests 0",
    }
    if not static.exists():
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    args = [str(BIN / "gunicorn"), "--config", "newsroom/gunicorn.conf.py"]
    with running(
        args,
        env=env,
        ready_url=f"http://127.0.0.1:{port}/robots.txt",
        log_path=workdir / f"gunicorn-{name}.log",
    ) as process:
        yield f"http://127.0.0.1:{port}", process


@contextmanager
def nginx(root, encoding):
    """nginx on root/www; `encoding` is what article.compressed holds ("br", "gzip")."""
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(
        f"""worker_processes {os.cpu_count() or 1};
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  server {{
    listen 127.0.0.1:{port};
    root {root}/www;
    location / {{ default_type text/html; }}
    # The article as the app sends it to a browser: the same compressed bytes and encoding.
    location = /article.compressed {{
      default_type text/html;
      add_header Content-Encoding {encoding};
      add_header Vary Accept-Encoding;
    }}
  }}
}}
"""
    )
    with running(
        ["nginx", "-c", str(conf), "-p", str(root)],
        ready_url=f"http://127.0.0.1:{port}/article.html",
    ):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def varnish(backend, root):
    port = free_port()
    host, backend_port = backend.removeprefix("http://").split(":")
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    vcl = re.sub(r'\.host\s*=\s*"[^"]*"', f'.host = "{host}"', vcl, count=1)
    vcl = re.sub(r'\.port\s*=\s*"[^"]*"', f'.port = "{backend_port}"', vcl, count=1)
    (root / "default.vcl").write_text(vcl)
    args = ["varnishd", "-F", "-n", str(root / "varnish"), "-a", f"127.0.0.1:{port}"]
    args += ["-f", str(root / "default.vcl"), "-s", "malloc,256m", "-j", "none"]
    with running(args, ready_url=f"http://127.0.0.1:{port}/robots.txt", log_path=root / "v.log"):
        yield f"http://127.0.0.1:{port}"


# Measuring -----------------------------------------------------------------------------------


def wrk(url, connections=None):
    fetch(url)  # Warm: the first request may render and fill the caches.
    out = subprocess.run(
        [
            "wrk",
            "-t1" if connections == 1 else "-t2",
            f"-c{connections or CONNECTIONS}",
            f"-d{DURATION}s",
            "--latency",
            "-H",
            f"Accept-Encoding: {ACCEPT_ENCODING}",
            "-s",
            str(ROOT / "bench" / "report.lua"),
            url,
        ],
        check=True,
        text=True,
        capture_output=True,
    ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    if figures["non_2xx"] or figures["socket_errors"]:
        log(f"    {url}: {figures['non_2xx']} non-2xx, {figures['socket_errors']} socket errors")
    return {
        "rps": figures["requests"] / (figures["duration_us"] / 1e6),
        "p50": figures["p50_us"] / 1000,
        "p99": figures["p99_us"] / 1000,
        "errors": figures["non_2xx"] + figures["socket_errors"],
    }


def median_figures(runs):
    """The median of several wrk runs of one URL (errors summed)."""
    return {
        "rps": median(run["rps"] for run in runs),
        "p50": median(run["p50"] for run in runs),
        "p99": median(run["p99"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
    }


def paired(page_url, floor_url):
    """The page and its floor, each ROUNDS times, back to back, alternating which goes first.
    Returns the page's median figures with `ratio` (the median of each round's page/floor
    req/s) and the floor's runs."""
    pages, floors, ratios = [], [], []
    for number in range(ROUNDS):
        order = [(page_url, pages), (floor_url, floors)]
        if number % 2:
            order.reverse()
        for url, runs in order:
            runs.append(wrk(url))
        ratios.append(pages[-1]["rps"] / floors[-1]["rps"])
    return {**median_figures(pages), "ratio": median(ratios)}, floors


def worker_rss_mb(master):
    """Resident memory of each Gunicorn worker (children of the master), in MB."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        sizes.append(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024)
    return sizes


def measure(base, urls, label):
    results = {}
    for name, path in urls.items():
        log(f"    {label}: {name}")
        results[name] = wrk(base + path)
    return results


# The run -------------------------------------------------------------------------------------


def main():
    for tool in ("wrk", "nginx", "varnishd", "psql"):
        if not shutil.which(tool) and not Path("/usr/sbin", tool).exists():
            raise SystemExit(f"make bench needs {tool} (Debian package).")
    os.environ["PATH"] += os.pathsep + "/usr/sbin"
    big, big_env = archive(N)
    small, small_env = archive(SMALL)
    urls = pages(big_env)
    small_urls = pages(small_env)
    results, rss = {}, {}
    results["load"] = [os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as tmp:
        work = Path(tmp)
        work.chmod(0o755)

        log("--- uncached")
        with gunicorn({**big_env, "NEWSROOM_PAGE_CACHE_SECONDS": "0"}, work, "plain") as (
            base,
            master,
        ):
            results["uncached"] = measure(base, urls, "uncached")
            log("    uncached: search, one reader at a time")
            results["search_alone"] = wrk(base + urls["search"], connections=1)
            rss["uncached"] = worker_rss_mb(master)
            article_html = fetch(base + urls["article"])[2]
            _, headers, article_compressed = fetch(
                base + urls["article"], headers={"Accept-Encoding": ACCEPT_ENCODING}
            )
            encoding = headers.get("Content-Encoding", "identity")

        # The static copies nginx serves: the article as the app sends it, compressed and not.
        (work / "www").mkdir()
        (work / "www" / "article.html").write_bytes(article_html)
        (work / "www" / "article.compressed").write_bytes(article_compressed)
        (work / "www").chmod(0o755)

        log("--- cached (Redis) beside the Python floor, Varnish beside nginx")
        redis = {"REDIS_URL": REDIS_URL, "NEWSROOM_CACHE_KEY_PREFIX": f"bench-{uuid.uuid4()}"}
        with (
            gunicorn({**big_env, **redis}, work, "cached") as (base, master),
            gunicorn({**big_env, "BENCH_FLOOR": "1"}, work, "floor") as (floor_base, _),
            varnish(base, work) as edge,
            nginx(work, encoding) as static,
        ):
            python_runs, nginx_runs = [], []
            results["cached"], results["edge"] = {}, {}
            for name, path in urls.items():
                log(f"    cached: {name}")
                results["cached"][name], runs = paired(base + path, floor_base + "/bench/floor/")
                python_runs += runs
            rss["cached"] = worker_rss_mb(master)
            for name in ("front", "article", "section"):
                log(f"    edge: {name}")
                results["edge"][name], runs = paired(
                    edge + urls[name], static + "/article.compressed"
                )
                nginx_runs += runs
            results["floors"] = {
                "python": median_figures(python_runs),
                "nginx": median_figures(nginx_runs),
                "nginx identity": wrk(static + "/article.html"),
                "encoding": encoding,
            }

        log(f"--- {SMALL:,} stories beside {N:,}")
        uncached = {"NEWSROOM_PAGE_CACHE_SECONDS": "0"}
        with (
            gunicorn({**small_env, **uncached}, work, "small") as (small_base, _),
            gunicorn({**big_env, **uncached}, work, "big") as (big_base, _),
        ):
            results["small"], results["big"] = {}, {}
            for name in ("front", "section"):
                log(f"    {SMALL:,} beside {N:,}: {name}")
                results["small"][name], big_runs = paired(
                    small_base + small_urls[name], big_base + urls[name]
                )
                results["big"][name] = median_figures(big_runs)

    results["load"].append(os.getloadavg())
    report = render(results, rss)
    sys.stdout.write(report)
    docs = ROOT / "docs" / "benchmarks.md"
    # The side-by-side section that `make bench-peers` writes (bench/peers/to_docs.py) stays.
    peers = docs.read_text().partition(PEERS_SECTION)[1:] if docs.exists() else ("", "")
    docs.write_text(report + ("\n" + "".join(peers) if peers[0] else ""))
    log("Written to docs/benchmarks.md")


def render(results, rss):
    floor, static = results["floors"]["python"], results["floors"]["nginx"]

    def row(name, figures, versus=None):
        # A page measured beside its floor carries the median of its rounds' ratios.
        ratio = figures.get("ratio") or (figures["rps"] / versus["rps"] if versus else None)
        ratio = f"{ratio:.0%}" if ratio else ""
        return (
            f"| {name} | {figures['rps']:,.0f} | {figures['p50']:.1f} | {figures['p99']:.1f} "
            f"| {ratio} |"
        )

    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {datetime.now(UTC):%Y-%m-%d}: {machine()}. "
        f"{N:,} stories in PostgreSQL, Gunicorn with {WORKERS} sync workers, wrk with 2 threads "
        f"and {CONNECTIONS} connections for {DURATION} s per page, sending `Accept-Encoding: "
        f"{ACCEPT_ENCODING}` as a browser does, all on the same machine. Each cached page "
        f"is measured back to back with the Python floor, and each Varnish page with nginx, "
        f"{ROUNDS} times in alternating order; their ratios are the medians of each round's "
        "ratio, and the floors' figures the medians of all their runs. "
        "Absolute figures move with the machine's load (load average over 1, 5 and 15 minutes "
        f"before the run: {load(results['load'][0])}; after: {load(results['load'][1])}); the "
        "ratios, measured side by side in the same run, are what to compare.",
        "",
        "## Floors",
        "",
        "| page | req/s | p50 ms | p99 ms | |",
        "|---|---:|---:|---:|---|",
        row(f"nginx, the article as a static file ({results['floors']['encoding']})", static),
        row("nginx, the article as a static file (identity)", results["floors"]["nginx identity"]),
        row("Django, a trivial view (the Python floor)", floor),
        "",
    ]
    sections = [
        ("uncached", "Uncached: every request renders", floor, "of the Python floor"),
        ("cached", "Page cache in Redis", floor, "of the Python floor"),
        ("edge", "Varnish in front (edge cache)", static, "of nginx static"),
    ]
    for key, title, versus, ratio_name in sections:
        lines += [
            f"## {title}",
            "",
            f"| page | req/s | p50 ms | p99 ms | {ratio_name} |",
            "|---|---:|---:|---:|---:|",
        ]
        lines += [row(name, figures, versus) for name, figures in results[key].items()]
        lines.append("")
    alone = results["search_alone"]
    lines += [
        f"Search with one reader at a time (uncached): {alone['rps']:,.0f} req/s, p50 "
        f"{alone['p50']:.1f} ms, p99 {alone['p99']:.1f} ms. Under load, latencies above are "
        f"mostly waiting: {CONNECTIONS} connections share {WORKERS} workers.",
        "",
        f"## Flat cost: {SMALL:,} against {N:,} stories (uncached, back to back)",
        "",
        f"| page | req/s at {SMALL:,} | req/s at {N:,} | change |",
        "|---|---:|---:|---:|",
    ]
    flat = {}
    for name, small in results["small"].items():
        big = results["big"][name]
        # Measured back to back: the median of each round's big/small req/s.
        flat[name] = 1 / small["ratio"] - 1
        lines.append(f"| {name} | {small['rps']:,.0f} | {big['rps']:,.0f} | {flat[name]:+.0%} |")
    rss_all = [size for sizes in rss.values() for size in sizes]
    lines += [
        "",
        "## Memory",
        "",
        f"Resident memory per Gunicorn worker after its pages were measured: "
        f"{', '.join(f'{size:.0f} MB' for size in rss_all)}.",
        "",
        "## Targets",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    cached_ratio = min(figures["ratio"] for figures in results["cached"].values())
    edge_ratio = min(figures["ratio"] for figures in results["edge"].values())
    checks = [
        (
            "cached pages ≥ 70% of the Python floor",
            f"{cached_ratio:.0%} (slowest page)",
            cached_ratio >= TARGETS["cached_vs_python_floor"],
        ),
        (
            "edge-cached pages ≥ 80% of nginx static",
            f"{edge_ratio:.0%} (slowest page)",
            edge_ratio >= TARGETS["edge_vs_nginx_static"],
        ),
        *(
            (
                f"{name} at {N:,} within 10% of {SMALL:,}",
                f"{change:+.0%}",
                change >= -TARGETS["flat_within"],
            )
            for name, change in flat.items()
        ),
        (
            "search p99 < 100 ms (uncached, one reader at a time)",
            f"{results['search_alone']['p99']:.0f} ms "
            f"({results['uncached']['search']['p99']:.0f} ms under the load above)",
            results["search_alone"]["p99"] < TARGETS["search_p99_ms"],
        ),
        ("< 150 MB per worker", f"{max(rss_all):.0f} MB", max(rss_all) < TARGETS["rss_mb"]),
    ]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in checks]
    lines.append("")
    return "\n".join(lines)


def load(averages) -> str:
    return " ".join(f"{value:.2f}" for value in averages)


def machine():
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    postgres = psql("SHOW server_version").split()[0]
    return (
        f"{os.cpu_count()} × {cpu}, {memory / 1024**2:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, PostgreSQL {postgres}"
    )


if __name__ == "__main__":
    main()
