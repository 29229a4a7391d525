"""gunicorn's settings for Nadzor (``gunicorn archive.wsgi --config deploy/gunicorn.conf.py``).

Each can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS, ...)."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request longer than this is killed (uploads of large files come through nginx buffered).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On reload or stop, a worker finishes the requests it holds for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Workers are recycled now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# nginx on the same machine sets X-Forwarded-For; the app reads it (BEHIND_PROXY).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None  # nginx logs requests; ACCESS_LOG=1 has the app log them as JSON
errorlog = "-"


def child_exit(server, worker):
    """A worker that exits leaves its live gauges behind in multiprocess mode: drop them."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
