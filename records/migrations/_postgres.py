"""Migrations that run SQL on PostgreSQL only (the search indexes; SQLite has FTS5)."""

from django.db import migrations


def postgres_statements(install, uninstall):
    """A ``RunPython`` that executes the ``install`` statements on PostgreSQL, and the
    ``uninstall`` ones when the migration is reversed; nothing on other databases."""

    def run(statements):
        def forwards(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return forwards

    return migrations.RunPython(run(install), run(uninstall))
