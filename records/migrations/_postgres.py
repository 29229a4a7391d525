"""Migrations that run SQL on PostgreSQL only (the search indexes; SQLite has FTS5)."""

import re

from django.db import migrations

CONCURRENT_INDEX = re.compile(r"^\s*CREATE\s+INDEX\s+(\w+)\s+(ON\s.*)$", re.I | re.S)


def postgres_statements(install, uninstall):
    """A ``RunPython`` that executes the ``install`` statements on PostgreSQL, and the
    ``uninstall`` ones when the migration is reversed; nothing on other databases. The
    statements are kept on the operation (``statements``) for the migration linter."""

    def run(statements):
        def forwards(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return forwards

    operation = migrations.RunPython(run(install), run(uninstall))
    operation.statements = list(install)
    return operation


def concurrent_indexes(install, uninstall):
    """Like ``postgres_statements`` for ``CREATE INDEX`` statements, built ``CONCURRENTLY``:
    writes to the table go on while each index is built. The migration must say
    ``atomic = False`` (PostgreSQL builds such an index outside a transaction). An index left
    invalid by an interrupted build is dropped and built again."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in install:
            name, rest = CONCURRENT_INDEX.match(statement).groups()
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(%s)", [name]
                )
                row = cursor.fetchone()
                if row and not row[0]:
                    cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
                cursor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {rest}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in uninstall:
            with schema_editor.connection.cursor() as cursor:
                cursor.execute(statement.replace("DROP INDEX", "DROP INDEX CONCURRENTLY", 1))

    operation = migrations.RunPython(create, drop, atomic=False)
    operation.statements = [
        CONCURRENT_INDEX.sub(r"CREATE INDEX CONCURRENTLY \1 \2", s) for s in install
    ]
    return operation
