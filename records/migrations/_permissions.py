"""Granting model permissions to the editorial groups from data migrations.

(The migration loader skips modules whose names start with "_", so this is no migration.)
"""

from django.contrib.auth.management import create_permissions


def change_group_permissions(apps, grants, *, remove=False):
    """``grants`` is ``{group name: [codename, ...]}`` for the records app."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="records", codename__in=codenames
        )
        if remove:
            group.permissions.remove(*permissions)
        else:
            group.permissions.add(*permissions)


def grant_operation(grants):
    """A RunPython operation that gives ``grants`` to the groups (and takes them back when
    the migration is reversed)."""
    from django.db import migrations

    def grant(apps, schema_editor):
        change_group_permissions(apps, grants)

    def revoke(apps, schema_editor):
        change_group_permissions(apps, grants, remove=True)

    return migrations.RunPython(grant, revoke)
