"""Each request gets an id, a metrics sample, and (with ``ACCESS_LOG``) one log line.

The id is the proxy's ``X-Request-ID`` when it sent a sane one (nginx's ``$request_id``), a
new random one otherwise; it is returned in the response's ``X-Request-ID`` and added to every
log record written while the request is answered, so an error report, a log line and a
reader's complaint can be matched.
"""

import contextvars
import logging
import re
import time
import uuid

from django.conf import settings

from archive import metrics
from archive.client_ip import client_ip

request_id = contextvars.ContextVar("request_id", default="-")
access_logger = logging.getLogger("archive.access")
SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,100}")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every log record (``-`` outside a request)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RequestObservabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = offered if SANE_ID.fullmatch(offered) else uuid.uuid4().hex
        request.id = rid
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            elapsed = time.perf_counter() - started
            match = getattr(request, "resolver_match", None)
            view = match.view_name if match else "unmatched"
            metrics.REQUESTS.labels(request.method, view, str(response.status_code)).inc()
            metrics.LATENCY.labels(view).observe(elapsed)
            response["X-Request-ID"] = rid
            if settings.ACCESS_LOG:
                access_logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(elapsed * 1000, 1),
                        "client_ip": client_ip(request),
                        "view": view,
                    },
                )
            return response
        finally:
            request_id.reset(token)
