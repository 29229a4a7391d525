"""Liveness and readiness, for a load balancer or an orchestrator.

``/healthz`` answers 200 while the process can answer at all (it touches nothing else), so a
supervisor restarts only a process that is stuck. ``/readyz`` answers 200 only when this
server can do its work: the database (and the replica, if any) answers, no migration is
pending, the cache answers (when it is Redis) and the file store can be read. Otherwise it
answers 503 with what failed, and a load balancer stops sending readers here. It answers 503
too while the drain file (``DRAIN_FILE``) exists, so an operator can take a server out of
rotation before a reload or a stop (see the README).

Both are answered before host validation, HTTPS redirection and rate limits: a probe reaches
gunicorn directly, by address and over plain HTTP.
"""

import logging
import os

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

logger = logging.getLogger("archive.health")

# The probe object looked up in the file store: its absence is fine, an error is not.
STORAGE_PROBE = "readiness-probe"


def _database(alias):
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
        raise RuntimeError(f"{len(pending)} pending: {names}")
    return "ok"


def _cache():
    if hasattr(cache, "ping"):
        cache.ping()
        return "ok"
    return "ok (local to this process)"


def _storage():
    default_storage.exists(STORAGE_PROBE)
    return "ok"


def readiness():
    """(ready, {check: "ok" or the problem})."""
    checks = {"database": lambda: _database(DEFAULT_DB_ALIAS)}
    if "replica" in settings.DATABASES:
        checks["replica"] = lambda: _database("replica")
    checks |= {"migrations": _migrations, "cache": _cache, "storage": _storage}
    results, ready = {}, True
    drain = settings.DRAIN_FILE
    if drain and os.path.exists(drain):
        results["drain"] = f"draining ({drain} exists)"
        ready = False
    for name, check in checks.items():
        try:
            results[name] = check()
        except Exception as error:  # any failure makes the server not ready, and says why
            results[name] = f"failed: {type(error).__name__}: {error}"[:300]
            ready = False
    if not ready:
        logger.warning("not ready: %s", results)
    return ready, results


class HealthCheckMiddleware:
    """Answers /healthz, /readyz and /metrics before anything else runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "alive"}, headers={"Cache-Control": "no-store"})
        if request.path == "/readyz":
            ready, checks = readiness()
            return JsonResponse(
                {"status": "ready" if ready else "not ready", "checks": checks},
                status=200 if ready else 503,
                headers={"Cache-Control": "no-store"},
            )
        if request.path == "/metrics":
            from archive.metrics import metrics_view

            return metrics_view(request)
        return self.get_response(request)
