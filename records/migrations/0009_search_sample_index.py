"""A random-order index for fair samples of large result sets, and finer word statistics
(PostgreSQL only; see records.search.backends)."""

from django.db import migrations

from records.search.backends import SHUFFLE_INSTALL


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in SHUFFLE_INSTALL:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS record_published_shuffle")
        schema_editor.execute(
            "ALTER TABLE records_record ALTER COLUMN search_vector SET STATISTICS -1"
        )


class Migration(migrations.Migration):
    dependencies = [("records", "0008_web_captures")]

    operations = [migrations.RunPython(install, uninstall)]
