"""Reads from a replica, when ``DATABASE_REPLICA_URL`` names one.

Public reads (an anonymous reader's pages, search, the API, feeds: GET or HEAD without a
session cookie) go to the replica; everything else goes to the primary: writes, the admin,
signed-in users (who must see what they just changed, and whose session the replica may
not have yet), and, for ``REPLICA_PIN_SECONDS`` after a client's own POST, that client's
reads. Once a request has written anything, the rest of it reads from the primary too. Code
outside a request (workers, commands) always uses the primary.

Raw SQL that reads (search) takes its connection from ``read_connection()``, so it follows
the same rule as the ORM.
"""

import contextvars

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PIN_COOKIE = "nadzor_primary"
_reads_from_replica = contextvars.ContextVar("reads_from_replica", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reads_from_replica.get() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _reads_from_replica.set(False)  # read your own writes for the rest of the request
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica gets its schema by replication


def read_alias():
    return REPLICA if _reads_from_replica.get() else DEFAULT_DB_ALIAS


def read_connection():
    """The connection a read in this context goes to (the replica or the primary)."""
    return connections[read_alias()]


def _public_read(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or PIN_COOKIE in request.COOKIES:
        return False
    path = request.path_info
    return "/admin/" not in path and "/account/" not in path


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        token = _reads_from_replica.set(_public_read(request))
        try:
            response = self.get_response(request)
        finally:
            _reads_from_replica.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
