"""The text index per language, so a language filter reads only its own records' entries
(PostgreSQL only; see records.search.backends)."""

from django.db import migrations

from records.search.backends import LANGUAGE_INSTALL, LANGUAGE_UNINSTALL


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in LANGUAGE_INSTALL:
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in LANGUAGE_UNINSTALL:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("records", "0012_redaction_rules")]

    operations = [migrations.RunPython(install, uninstall)]
