"""Editors and Contributors may attach files; editors may retry a file's text extraction."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = [
    "add_attachment", "change_attachment", "delete_attachment", "view_attachment",
    "view_storedfile", "change_storedfile",
]  # fmt: skip
CONTRIBUTORS = [
    "add_attachment", "change_attachment", "delete_attachment", "view_attachment",
    "view_storedfile",
]  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Contributors", CONTRIBUTORS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Contributors", CONTRIBUTORS)):
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
            )


class Migration(migrations.Migration):
    dependencies = [("records", "0005_files")]

    operations = [migrations.RunPython(grant, revoke)]
