"""The migration linter, and the non-atomic concurrent index build of migration 0019."""

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, migrations, models

from archive.migration_lint import problems
from records.migrations._postgres import concurrent_indexes, postgres_statements


def _migration(*operations, atomic=True, name="0099_new"):
    migration = migrations.Migration(name, "records")
    migration.operations = list(operations)
    migration.atomic = atomic
    return migration


def test_the_archive_migrations_pass_the_linter(capsys):
    call_command("lint_migrations")
    assert "no blocking operation" in capsys.readouterr().out


def test_a_plain_index_on_the_records_table_is_refused():
    index = models.Index(fields=["title"], name="record_title")
    assert problems(_migration(migrations.AddIndex("record", index))) == [
        "AddIndex on record: use AddIndexConcurrently (atomic = False)"
    ]
    assert problems(_migration(AddIndexConcurrently("record", index), atomic=False)) == []
    assert problems(_migration(AddIndexConcurrently("record", index))) == [
        "AddIndexConcurrently needs atomic = False"
    ]
    # A small table may take a plain index.
    assert problems(_migration(migrations.AddIndex("tag", index))) == []


def test_sql_that_locks_or_rewrites_a_big_table_is_refused():
    index = "CREATE INDEX record_x ON records_record USING gin (search_vector)"
    rewrite = (
        "ALTER TABLE records_record ADD COLUMN x tsvector GENERATED ALWAYS AS "
        "(to_tsvector('simple', title)) STORED"
    )
    assert problems(_migration(migrations.RunSQL(index))) == [
        f"index built without CONCURRENTLY: {index[:80]}"
    ]
    assert problems(_migration(postgres_statements([rewrite], []))) == [
        f"rewrites a big table: {rewrite[:80]}"
    ]
    concurrent = concurrent_indexes([index], ["DROP INDEX IF EXISTS record_x"])
    assert problems(_migration(concurrent, atomic=False)) == []
    assert problems(_migration(concurrent)) == [
        "CONCURRENTLY in an atomic migration: set atomic = False"
    ]


def test_unseen_sql_needs_a_stated_reason():
    opaque = migrations.RunPython(lambda apps, schema_editor: None)
    assert problems(_migration(opaque))
    migration = _migration(opaque)
    migration.lint_ok = "touches only the questions table"
    assert problems(migration) == []


def test_a_new_blocking_migration_fails_the_command(monkeypatch):
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = dict(loader.graph.nodes)
    index = models.Index(fields=["title"], name="record_title")
    nodes[("records", "0099_new")] = _migration(migrations.AddIndex("record", index))
    monkeypatch.setattr(
        "records.management.commands.lint_migrations.MigrationLoader",
        lambda *a, **k: type("L", (), {"graph": type("G", (), {"nodes": nodes})()})(),
    )
    with pytest.raises(CommandError, match="0099_new: AddIndex on record"):
        call_command("lint_migrations")


@pytest.mark.postgres
def test_migration_0019_built_its_indexes_concurrently_and_valid():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None)
    migration = loader.get_migration("records", "0019_search_pairs_by_language")
    assert migration.atomic is False
    assert all("CONCURRENTLY" in s for s in migration.operations[0].statements)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c "
            "ON c.oid = i.indexrelid WHERE c.relname LIKE 'record_search_pairs_%' ORDER BY 1"
        )
        assert cursor.fetchall() == [
            ("record_search_pairs_en", True),
            ("record_search_pairs_sr", True),
        ]
