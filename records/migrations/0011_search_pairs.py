"""Adjacent word pairs of every record, indexed, so that a phrase search finds its
candidates in the index instead of re-checking word positions record by record
(PostgreSQL only; see records.search.backends)."""

from django.db import migrations

from records.search.backends import PAIRS_INSTALL, PAIRS_UNINSTALL


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PAIRS_INSTALL:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in PAIRS_UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("records", "0010_foi")]

    operations = [migrations.RunPython(install, uninstall)]
