"""The migration linter: new migrations must not block writes on the big tables.

On a live archive of a million records, a plain ``CREATE INDEX`` on ``records_record`` holds
a lock that makes every save wait for minutes, and a column that is computed (``GENERATED
... STORED``), or a change of a column's type, rewrites the whole table under an exclusive
lock. This refuses, in every migration after ``BASELINE``:

- an index on a big table not built ``CONCURRENTLY`` (Django's ``AddIndex``, or SQL),
- ``CONCURRENTLY`` in a migration that is atomic (PostgreSQL refuses it in a transaction),
- a table rewrite on a big table: ``AlterField``, ``ADD COLUMN ... GENERATED ... STORED``,
  ``ALTER COLUMN ... TYPE``, ``VACUUM FULL``, ``CLUSTER``,
- a ``RunSQL`` or ``RunPython`` whose SQL it cannot see (the ``postgres_statements`` and
  ``concurrent_indexes`` helpers show theirs), unless the migration says why it is safe in
  ``lint_ok = "..."``.

A migration that must do one of these anyway sets ``lint_ok`` to the reason, which the
release notes (CHANGELOG.md) then repeat for operators.
"""

import re

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations

# Migrations written before the linter; 0011 (a table rewrite) and 0013/0019 (indexes) are
# described, with their cost at 1,000,000 records, in the README's "Upgrading a live archive".
BASELINE = 21
BIG_TABLES = {
    "record",
    "recordactor",
    "record_tags",
    "link",
    "attachment",
    "storedfile",
    "filepage",
    "historicalrecord",
}
_SQL_INDEX = re.compile(r"CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.I)
_SQL_CONCURRENT = re.compile(r"\bCONCURRENTLY\b", re.I)
_SQL_REWRITE = re.compile(
    r"GENERATED\s+ALWAYS\s+AS\s*\(.*\)\s*STORED|ALTER\s+COLUMN\s+\w+\s+(SET\s+DATA\s+)?TYPE"
    r"|VACUUM\s+FULL|\bCLUSTER\b",
    re.I | re.S,
)


def _big(table):
    return table.lower().removeprefix("records_") in BIG_TABLES


def _tables_in(sql):
    return {m.lower() for m in re.findall(r"\b(records_\w+)", sql)}


def _number(name):
    head = name.split("_", 1)[0]
    return int(head) if head.isdigit() else 0


def problems(migration):
    """What is wrong with ``migration`` (a ``Migration`` instance), as sentences."""
    if getattr(migration, "lint_ok", None) or migration.app_label != "records":
        return []
    found = []
    for operation in migration.operations:
        kind = type(operation).__name__
        model = getattr(operation, "model_name", "") or ""
        if isinstance(operation, migrations.AddIndex) and not isinstance(
            operation, AddIndexConcurrently
        ):
            if _big(model):
                found.append(f"AddIndex on {model}: use AddIndexConcurrently (atomic = False)")
        elif isinstance(operation, AddIndexConcurrently) and migration.atomic:
            found.append("AddIndexConcurrently needs atomic = False")
        elif isinstance(operation, migrations.AlterField) and _big(model):
            found.append(f"AlterField on {model} may rewrite the table")
        elif isinstance(operation, migrations.RunSQL | migrations.RunPython):
            statements = getattr(operation, "statements", None)
            if statements is None and isinstance(operation, migrations.RunSQL):
                sql = operation.sql
                statements = [sql] if isinstance(sql, str) else [str(s) for s in sql]
            if statements is None:
                if operation.reversible or operation.code:  # RunPython with unseen SQL
                    found.append(
                        f"{kind} whose SQL the linter cannot see: say why it is safe "
                        "(lint_ok) or use postgres_statements/concurrent_indexes"
                    )
                continue
            for statement in statements:
                big = any(_big(t) for t in _tables_in(statement))
                if big and _SQL_INDEX.search(statement):
                    found.append(f"index built without CONCURRENTLY: {statement[:80]}")
                if big and _SQL_REWRITE.search(statement):
                    found.append(f"rewrites a big table: {statement[:80]}")
                if _SQL_CONCURRENT.search(statement) and migration.atomic:
                    found.append("CONCURRENTLY in an atomic migration: set atomic = False")
    return found


def lint(loader_graph_nodes, *, baseline=BASELINE):
    """``{migration name: problems}`` for the records migrations after ``baseline``."""
    report = {}
    for (app, name), migration in loader_graph_nodes.items():
        if app != "records" or _number(name) <= baseline:
            continue
        found = problems(migration)
        if found:
            report[name] = found
    return report
