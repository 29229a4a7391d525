"""PostgreSQL settings for one block of queries, transaction-local (nothing on other
databases)."""

import contextlib

from django.db import connection, transaction

from archive.db_router import read_alias, read_connection


@contextlib.contextmanager
def session_settings(**settings):
    """PostgreSQL's ``settings`` for the block, on the connection reads go to (the replica or
    the primary, ``archive.db_router``), local to a transaction (``set_config(..., true)``):
    they end with it, so a connection handed back to a pool or to PgBouncer in transaction
    mode never carries them to another client. Inside an outer transaction they are restored
    at the end of the block. On other databases, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=read_alias()):
        with read_connection().cursor() as cursor:
            cursor.execute(
                "SELECT "
                + ", ".join("current_setting(%s), set_config(%s, %s, true)" for _ in settings),
                [value for name, new in settings.items() for value in (name, name, new)],
            )
            previous = dict(zip(settings, cursor.fetchone()[::2], strict=True))
        try:
            yield
        finally:
            with read_connection().cursor() as cursor:
                cursor.execute(
                    "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in previous),
                    [value for item in previous.items() for value in item],
                )


def without_parallel_workers():
    """No parallel workers: for a query over a few hundred ids, starting them costs more
    than the query (on a busy 2-core machine, 15-30 ms of a 20-40 ms facet query)."""
    return session_settings(max_parallel_workers_per_gather="0")
