"""Prometheus metrics, served at ``/metrics`` to the addresses in ``METRICS_ALLOWED_IPS``.

Counters and histograms live in each process; with several gunicorn workers (or a worker and
``receive_email``), set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory shared by every
process of this machine (emptied at each start) and ``/metrics`` adds them up, as
prometheus-client's multiprocess mode does. The queue depth and the mail held for editors are
read from the database at each scrape, so every machine reports the same.
"""

import os

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from archive.client_ip import client_ip

REQUESTS = Counter(
    "nadzor_http_requests_total", "HTTP requests answered", ["method", "view", "status"]
)
LATENCY = Histogram(
    "nadzor_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SEARCH = Histogram(
    "nadzor_search_duration_seconds",
    "Time a search took in the database (results and facets)",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5),
)
MAIL = Counter(
    "nadzor_mail_received_total",
    "Incoming e-mail by outcome (delivered, held for an editor, bounced, auto_reply)",
    ["outcome"],
)
FIXITY_FAILURES = Counter(
    "nadzor_fixity_failures_total", "Stored files found missing or altered", ["kind"]
)
CACHE_ERRORS = Counter("nadzor_cache_errors_total", "Cache operations that failed (Redis down)")


class DatabaseCollector:
    """Gauges read from the database at scrape time."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from records.models import InboundMail, InboundState

        queue = GaugeMetricFamily(
            "nadzor_task_queue_depth", "Background jobs by status", labels=["status"]
        )
        counts = dict(DBTaskResult.objects.order_by().values_list("status").annotate(n=Count("pk")))
        for status in ("READY", "RUNNING", "FAILED"):
            queue.add_metric([status.lower()], counts.get(status, 0))
        yield queue
        held = GaugeMetricFamily("nadzor_mail_held", "Incoming e-mail waiting for an editor")
        held.add_metric([], InboundMail.objects.filter(state=InboundState.HELD).count())
        yield held


def exposition():
    """This process's metrics (or all processes' in multiprocess mode), then the database's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        processes = CollectorRegistry()
        multiprocess.MultiProcessCollector(processes)
        text = generate_latest(processes)
    else:
        text = generate_latest(REGISTRY)
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    return text + generate_latest(database)


def metrics_view(request):
    if client_ip(request) not in settings.METRICS_ALLOWED_IPS:
        return HttpResponseForbidden("Metrics are served to the monitoring hosts only.")
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
