"""Load test: gunicorn with production settings on PostgreSQL, and a client on loopback.

    uv run python bench/load.py prepare [--records 3000]
    uv run python bench/load.py run [--clients 50 --duration 60 --writers 2 --json out.json]

Everything happens in its own database, ``nadzor_load`` (``--database-url`` or
``LOAD_DATABASE_URL`` to change it). ``prepare`` creates it, loads the Safe City demo
archive (``manage.py demo --no-serve``) and a few thousand synthetic records from
``bench/corpus.py`` through ``import_records``.

``run`` collects the static files into a temporary ``STATIC_ROOT``, starts
``gunicorn archive.wsgi --workers 3`` with production settings (``DEBUG=0``, a secret key,
``ALLOWED_HOSTS=127.0.0.1``; HTTPS redirect and secure cookies off, since the client speaks
plain HTTP on loopback), then runs the client in this process: ``--clients`` readers, each
with its own connection, requesting as fast as answers come, for ``--duration`` seconds, a
mix of the home page, searches (Latin, Cyrillic, operators), record pages, the FOI list and
the API (list, detail, search); and ``--writers`` clients signing up through the real form
(GET the form for its CSRF token, POST it, expect the redirect to "sent"). Every answer that
is not 2xx/3xx, and every connection error or timeout, is an error.

All the clients come from one address, 127.0.0.1, so the rate limits (search, API, sign-up
per address and per e-mail) are raised for the run through their environment variables
(``RATE_LIMITS`` below); everything else is as in production.

The report gives the requests, errors, throughput, p50/p95/max per page type and the
gunicorn processes' memory (RSS, sampled each second). ``bench/faults.py`` reuses these
pieces to restart PostgreSQL during the load.
"""

import argparse
import asyncio
import collections
import json
import os
import platform
import random
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadzor_load"

# One client address for everything: limits far above what the run can reach.
RATE_LIMITS = {
    "SEARCH_RATE": "1000000/m",
    "API_RATE": "1000000/m",
    "API_RATE_SIGNED_IN": "1000000/m",
    "SIGNUP_RATE_PER_IP": "1000000/h",
    "SIGNUP_RATE_PER_ADDRESS": "1000000/h",
    "FILING_RATE": "1000000/h",
}

SEARCHES = [
    "kamere",
    "камере",
    "Шабић",
    "sabic",
    "djordjevic",
    "huawei OR hikvision",
    '"prepoznavanje lica"',
    "kamere -huawei",
    "nadzor beograd",
    "biometrija",
    "надзор",
    "safe city",
]

# Page type -> share of the readers' requests.
MIX = {
    "home": 10,
    "search": 25,
    "record": 25,
    "foi_list": 10,
    "api_list": 10,
    "api_detail": 10,
    "api_search": 10,
}


# -- the database -------------------------------------------------------------------


def database_url(arguments):
    return arguments.database_url or os.environ.get("LOAD_DATABASE_URL") or DEFAULT_DATABASE_URL


def _connect(url):
    import psycopg

    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def prepare(url, records):
    """Create the database (if needed), load the demo archive and ``records`` synthetic ones."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with _connect(admin_url) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            create = psycopg.sql.SQL("CREATE DATABASE {}")
            connection.execute(create.format(psycopg.sql.Identifier(name)))
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "demo", "--no-serve"], env=env, check=True, cwd=ROOT)  # noqa: S603
    if records:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as corpus:
            subprocess.run(  # noqa: S603
                [sys.executable, str(ROOT / "bench" / "corpus.py"), str(records), "--seed", "7"],
                stdout=corpus,
                check=True,
                cwd=ROOT,
            )
        try:
            subprocess.run(  # noqa: S603
                [*manage, "import_records", corpus.name], env=env, check=True, cwd=ROOT
            )
        finally:
            os.unlink(corpus.name)
    with _connect(url) as connection:
        count = connection.execute(
            "SELECT count(*) FROM records_record WHERE status = 'published'"
        ).fetchone()[0]
    print(f"{name}: {count} published records")


def published_ids(url):
    with _connect(url) as connection:
        rows = connection.execute(
            "SELECT public_id FROM records_record WHERE status = 'published' ORDER BY id"
        ).fetchall()
    return [row[0] for row in rows]


# -- the server ---------------------------------------------------------------------


class Server(common.Server):
    """``bench.common.Server`` with the rate limits lifted for the run's single address."""

    def __init__(self, url, **kwargs):
        super().__init__(url, env={**RATE_LIMITS, **kwargs.pop("env", {})}, **kwargs)


# -- the client ---------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    url: str
    start: float  # wall-clock time.time()
    seconds: float
    status: int | None  # None: no answer (connection error, timeout)
    error: str = ""

    @property
    def failed(self):
        return self.status is None or self.status >= 400


@dataclass
class Run:
    samples: list = field(default_factory=list)
    acknowledged: list = field(default_factory=list)  # e-mail addresses of sign-ups answered 302
    rss: list = field(default_factory=list)  # (time, master MB, [worker MB])
    started: float = 0.0
    duration: float = 0.0


def _pick_reader_request(rng, ids):
    kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    if kind == "home":
        path = rng.choice(["/", "/sr-latn/", "/sr/"])
    elif kind == "search":
        path = "/search/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
    elif kind == "record":
        path = f"{rng.choice(['', '/sr-latn', '/sr'])}/r/{rng.choice(ids)}/"
    elif kind == "foi_list":
        path = "/foi/"
    elif kind == "api_list":
        path = f"/api/records/?page={rng.randint(1, max(1, min(10, len(ids) // 50)))}"
    elif kind == "api_detail":
        path = f"/api/records/{rng.choice(ids)}/"
    else:
        path = "/api/records/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES)})
    return kind, path


async def _timed(session, run, kind, url, method="GET", **kwargs):
    """One request; its sample is kept in ``run``. Returns (status, text) or (None, None)."""
    start, began = time.time(), time.perf_counter()
    try:
        async with session.request(method, url, allow_redirects=False, **kwargs) as answer:
            text = await answer.text()
            status = answer.status
            error = "" if status < 400 else text[:200]
    except (TimeoutError, aiohttp.ClientError, OSError) as problem:
        status, text, error = None, None, f"{type(problem).__name__}: {problem}"[:200]
    run.samples.append(Sample(kind, url, start, time.perf_counter() - began, status, error))
    return status, text


def _session(timeout):
    return aiohttp.ClientSession(
        timeout=aiohttp.ClientTimeout(total=timeout),
        connector=aiohttp.TCPConnector(limit=1, force_close=True),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # an IP address host keeps its cookies
    )


async def reader(base, ids, run, stop_at, seed, timeout):
    rng = random.Random(seed)
    async with _session(timeout) as session:
        while time.monotonic() < stop_at:
            kind, path = _pick_reader_request(rng, ids)
            await _timed(session, run, kind, base + path)


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


async def writer(base, run, stop_at, tag, number, timeout):
    """Sign up again and again through the real form; keep the addresses answered 302."""
    async with _session(timeout) as session:
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            status, page = await _timed(session, run, "signup_form", base + "/account/signup/")
            token = CSRF_INPUT.search(page or "")
            if status != 200 or not token:
                await asyncio.sleep(0.2)
                continue
            email = f"load-{tag}-{number}-{n}@example.org"
            status, _ = await _timed(
                session,
                run,
                "signup_post",
                base + "/account/signup/",
                method="POST",
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "email": email,
                    "display_name": f"Load {number}-{n}",
                    "password": "correct horse battery staple 42",
                },
                headers={"Referer": base + "/account/signup/"},
            )
            if status == 302:
                run.acknowledged.append((email, time.time()))


async def sample_memory(server, run, stop_at):
    while time.monotonic() < stop_at:
        master, workers = server.rss_mb()
        run.rss.append((time.time(), master, workers))
        await asyncio.sleep(1)


async def drive(server, ids, *, clients, writers, duration, timeout=30, tag=None, seed=1):
    """Run ``clients`` readers and ``writers`` sign-up clients against ``server`` for
    ``duration`` seconds; returns the ``Run``."""
    run = Run(started=time.time(), duration=duration)
    tag = tag or secrets.token_hex(4)
    stop_at = time.monotonic() + duration
    jobs = [
        reader(server.base, ids, run, stop_at, seed * 1000 + i, timeout) for i in range(clients)
    ]
    jobs += [writer(server.base, run, stop_at, tag, i, timeout) for i in range(writers)]
    jobs.append(sample_memory(server, run, stop_at))
    await asyncio.gather(*jobs)
    return run


# -- the report ---------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarize(run, duration):
    by_kind = collections.defaultdict(list)
    for sample in run.samples:
        by_kind[sample.kind].append(sample)
    kinds = {}
    for kind, samples in sorted(by_kind.items()):
        ok = [s.seconds * 1000 for s in samples if not s.failed]
        kinds[kind] = {
            "requests": len(samples),
            "errors": sum(s.failed for s in samples),
            "p50_ms": round(percentile(ok, 0.50), 1) if ok else None,
            "p95_ms": round(percentile(ok, 0.95), 1) if ok else None,
            "max_ms": round(max(ok), 1) if ok else None,
        }
    errors = [s for s in run.samples if s.failed]
    peak_total = max((m + sum(w) for _, m, w in run.rss), default=0)
    peak_worker = max((max(w, default=0) for _, _, w in run.rss), default=0)
    window_end = run.started + run.duration
    in_window = sum(s.start + s.seconds <= window_end for s in run.samples)
    return {
        "requests": len(run.samples),
        "errors": len(errors),
        # Answers received within the run's duration, per second; the requests still in
        # flight when it ends are answered after it (and counted in "requests").
        "throughput_rps": round(in_window / run.duration, 1),
        "throughput_with_drain_rps": round(len(run.samples) / duration, 1),
        "by_kind": kinds,
        "signups_acknowledged": len(run.acknowledged),
        "rss_peak_total_mb": round(peak_total, 1),
        "rss_peak_worker_mb": round(peak_worker, 1),
        "rss_end_mb": [round(x, 1) for x in (run.rss[-1][1], *run.rss[-1][2])] if run.rss else [],
        "error_examples": [asdict(s) for s in errors[:10]],
    }


def machine():
    """What else was running: load average and the other engineers' benchmarks and tests."""
    others = subprocess.run(
        ["pgrep", "-af", "bench/search.py|pytest|db_worker"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split("\n")
    return {
        "cpus": os.cpu_count(),
        "cpu": common.cpu_model(),
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
        "others": [line for line in others if line and "pgrep" not in line],
    }


def print_report(summary):
    print(
        f"requests {summary['requests']}, errors {summary['errors']}, "
        f"throughput {summary['throughput_rps']} req/s, "
        f"sign-ups acknowledged {summary['signups_acknowledged']}"
    )
    print("| page | requests | errors | p50 ms | p95 ms | max ms |")
    print("|---|---|---|---|---|---|")
    for kind, row in summary["by_kind"].items():
        print(
            f"| {kind} | {row['requests']} | {row['errors']} | {row['p50_ms']} | "
            f"{row['p95_ms']} | {row['max_ms']} |"
        )
    print(
        f"gunicorn RSS: peak {summary['rss_peak_total_mb']} MB in all (master + workers), "
        f"peak worker {summary['rss_peak_worker_mb']} MB; at the end {summary['rss_end_mb']}"
    )
    for example in summary["error_examples"]:
        print("ERROR", example)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    commands = parser.add_subparsers(dest="command", required=True)
    load = commands.add_parser("prepare", help="create and fill the load-test database")
    load.add_argument("--records", type=int, default=3000)
    go = commands.add_parser("run", help="start gunicorn and run the load")
    go.add_argument("--clients", type=int, default=50)
    go.add_argument("--writers", type=int, default=2)
    go.add_argument("--duration", type=float, default=60)
    go.add_argument("--workers", type=int, default=3)
    go.add_argument("--json", help="write the summary and machine to this file")
    arguments = parser.parse_args()
    url = database_url(arguments)
    if arguments.command == "prepare":
        prepare(url, arguments.records)
        return
    ids = published_ids(url)
    before = machine()
    with Server(url, workers=arguments.workers) as server:
        print(f"gunicorn: {' '.join(server.command[1:])} (pid {server.process.pid})")
        started = time.time()
        run = asyncio.run(
            drive(
                server,
                ids,
                clients=arguments.clients,
                writers=arguments.writers,
                duration=arguments.duration,
            )
        )
        elapsed = time.time() - started
        restarted = set(server.worker_pids()) != server.worker_pids_at_start
    summary = summarize(run, elapsed)
    summary["gunicorn_workers_replaced"] = restarted
    summary["missing_signups"] = missing_signups(url, run.acknowledged)
    report = {
        "clients": arguments.clients,
        "writers": arguments.writers,
        "duration_s": round(elapsed, 1),
        "published_records": len(ids),
        "machine_before": before,
        "machine_after": machine(),
        **summary,
    }
    print_report(summary)
    print(f"gunicorn workers replaced during the run: {restarted}")
    print(f"acknowledged sign-ups missing from the database: {len(summary['missing_signups'])}")
    print("machine:", json.dumps(report["machine_before"]))
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    if summary["errors"] or summary["missing_signups"]:
        sys.exit(1)


def missing_signups(url, acknowledged):
    """The acknowledged sign-ups (answered 302) with no account in the database."""
    emails = [email for email, _ in acknowledged]
    if not emails:
        return []
    with _connect(url) as connection:
        found = {
            row[0]
            for row in connection.execute(
                "SELECT u.username FROM auth_user u JOIN records_profile p ON p.user_id = u.id "
                "WHERE u.username = ANY(%s)",
                [emails],
            )
        }
    return [email for email in emails if email not in found]


if __name__ == "__main__":
    main()
