"""Fault test: restart PostgreSQL in the middle of the load, and check what it costs.

    uv run python bench/faults.py --restart-cluster [--clients 50 --writers 2 --duration 60
                                   --outage-at 20 --down 5]

Runs the load of ``bench/load.py`` (same gunicorn, same settings, same mix, sign-ups through
the real form as the write path) and, ``--outage-at`` seconds in, stops the PostgreSQL
cluster (``pg_ctlcluster --skip-systemctl-redirect VERSION main stop``, fast mode: sessions
are cut; ``--mode immediate``: a crash, WAL replayed at start), waits ``--down`` seconds,
and starts it again. Then it checks:

- **errors only during the outage**: every failed request's time span must overlap the
  window from the stop command to the moment the database answered again (plus
  ``--grace`` seconds for requests already waiting in gunicorn's queue);
- **recovery without a restart**: requests succeed again after the outage, and gunicorn's
  master and workers are the same processes as before it (none was restarted or replaced);
- **no acknowledged write is lost**: every sign-up answered with the redirect to "sent"
  has its account and profile in the database afterwards.

Restarting PostgreSQL cuts every other session on the server: run it only when no one
else is using it, or try it first on a private cluster with ``--stop-command`` and
``--start-command`` (e.g. ``pg_ctl -D /tmp/pg -m fast stop`` and ``pg_ctl -D /tmp/pg -w
start``) and a ``--database-url`` on that cluster. Exit status 1 if any check fails.
"""

import argparse
import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    DEFAULT_DATABASE_URL,
    Server,
    _connect,
    drive,
    machine,
    missing_signups,
    print_report,
    published_ids,
    summarize,
)


def cluster():
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if p.name.isdigit())
    return versions[-1], "main"


def pg_ctl(action, command=None, mode="fast"):
    """Stop or start PostgreSQL: ``command`` (a shell command) if given, else the cluster."""
    if command:
        subprocess.run(command, shell=True, check=True)  # noqa: S602 -- the operator's own
        return
    version, name = cluster()
    extra = ["-m", mode] if action == "stop" else []
    subprocess.run(  # noqa: S603
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action, *extra],  # noqa: S607
        check=True,
    )


def wait_for_database(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with _connect(url) as connection:
                connection.execute("SELECT 1")
            return time.time()
        except Exception:
            time.sleep(0.1)
    raise RuntimeError("PostgreSQL did not come back")


async def outage(url, arguments, window):
    await asyncio.sleep(arguments.outage_at)
    window["stop_issued"] = time.time()
    await asyncio.to_thread(pg_ctl, "stop", arguments.stop_command, arguments.mode)
    window["stopped"] = time.time()
    await asyncio.sleep(arguments.down)
    window["start_issued"] = time.time()
    await asyncio.to_thread(pg_ctl, "start", arguments.start_command)
    window["started"] = time.time()
    window["answering"] = await asyncio.to_thread(wait_for_database, url)


async def load_with_outage(server, ids, arguments, url):
    window = {}
    run, _ = await asyncio.gather(
        drive(
            server,
            ids,
            clients=arguments.clients,
            writers=arguments.writers,
            duration=arguments.duration,
        ),
        outage(url, arguments, window),
    )
    return run, window


def analyse(run, window, grace):
    t0 = min(s.start for s in run.samples)
    down_from, down_to = window["stop_issued"], window["answering"] + grace
    failed = [s for s in run.samples if s.failed]
    outside = [s for s in failed if s.start + s.seconds < down_from or s.start > down_to]
    after = [s for s in run.samples if s.start > window["answering"]]
    first_ok_after = min((s.start + s.seconds for s in after if not s.failed), default=None)
    last_error = max((s.start + s.seconds for s in failed), default=None)
    first_error = min((s.start + s.seconds for s in failed), default=None)

    def rel(t):
        return None if t is None else round(t - t0, 2)

    statuses = {}
    for s in failed:
        key = str(s.status) if s.status else s.error.split(":")[0]
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "outage": {name: rel(t) for name, t in window.items()},
        "errors": len(failed),
        "errors_by_status": statuses,
        "first_error_at": rel(first_error),
        "last_error_at": rel(last_error),
        "errors_outside_window": len(outside),
        "outside_examples": [
            {"kind": s.kind, "at": rel(s.start), "status": s.status, "error": s.error}
            for s in outside[:10]
        ],
        "requests_after_outage": len(after),
        "errors_after_outage": sum(s.failed for s in after),
        "first_success_after_outage_at": rel(first_ok_after),
        "recovered_after_s": (
            None if first_ok_after is None else round(first_ok_after - window["answering"], 2)
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--outage-at", type=float, default=20)
    parser.add_argument("--down", type=float, default=5)
    parser.add_argument("--grace", type=float, default=2)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--json")
    parser.add_argument(
        "--stop-command", help="shell command that stops PostgreSQL (default: pg_ctlcluster)"
    )
    parser.add_argument("--start-command", help="shell command that starts it again")
    parser.add_argument(
        "--mode",
        choices=["fast", "immediate"],
        default="fast",
        help="how the cluster stops: fast (sessions cut, a clean shutdown) or immediate (a "
        "crash: no checkpoint, WAL replayed at start)",
    )
    parser.add_argument(
        "--restart-cluster",
        action="store_true",
        help="stop and start the machine's PostgreSQL cluster (pg_ctlcluster): every other "
        "session on it is cut, so this must be asked for by name",
    )
    arguments = parser.parse_args()
    if not arguments.restart_cluster and not (arguments.stop_command and arguments.start_command):
        parser.error(
            "say what to restart: --restart-cluster (the machine's PostgreSQL, shared by "
            "everyone on it) or --stop-command and --start-command (e.g. a private cluster)"
        )
    url = arguments.database_url
    ids = published_ids(url)
    before = machine()
    with Server(url, workers=arguments.workers) as server:
        master = server.process.pid
        print(f"gunicorn: {' '.join(server.command[1:])} (pid {master})")
        started = time.time()
        run, window = asyncio.run(load_with_outage(server, ids, arguments, url))
        elapsed = time.time() - started
        workers_after = set(server.worker_pids())
        same_processes = server.process.poll() is None and (
            workers_after == server.worker_pids_at_start
        )
    summary = summarize(run, elapsed)
    report = analyse(run, window, arguments.grace)
    missing = missing_signups(url, run.acknowledged)
    acknowledged_during = [
        email for email, t in run.acknowledged if window["stop_issued"] <= t <= window["answering"]
    ]
    report.update(
        requests=summary["requests"],
        throughput_rps=summary["throughput_rps"],
        by_kind=summary["by_kind"],
        gunicorn_same_processes=same_processes,
        signups_acknowledged=len(run.acknowledged),
        signups_acknowledged_during_outage=len(acknowledged_during),
        signups_missing=missing,
        machine_before=before,
        machine_after=machine(),
        clients=arguments.clients,
        writers=arguments.writers,
        duration_s=round(elapsed, 1),
    )
    print_report(summary)
    print(json.dumps({k: v for k, v in report.items() if k != "by_kind"}, indent=2))
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(report, indent=2, ensure_ascii=False))
    ok = (
        report["errors_outside_window"] == 0
        and report["errors_after_outage"] == 0
        and report["first_success_after_outage_at"] is not None
        and same_processes
        and not missing
    )
    print("PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
