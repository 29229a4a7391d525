"""Editors and Contributors may attach files; editors may retry a file's text extraction."""

from django.db import migrations

from records.migrations._permissions import change_group_permissions

GRANTS = {
    "Editors": [
        "add_attachment", "change_attachment", "delete_attachment", "view_attachment",
        "view_storedfile", "change_storedfile",
    ],
    "Contributors": [
        "add_attachment", "change_attachment", "delete_attachment", "view_attachment",
        "view_storedfile",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    change_group_permissions(apps, GRANTS)


def revoke(apps, schema_editor):
    change_group_permissions(apps, GRANTS, remove=True)


class Migration(migrations.Migration):
    dependencies = [("records", "0005_files")]

    operations = [migrations.RunPython(grant, revoke)]
