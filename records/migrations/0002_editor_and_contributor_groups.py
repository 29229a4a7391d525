"""Create the two editorial groups: Editors (everything) and Contributors (drafts only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORD_MODELS = ["record", "document", "foirequest", "statement", "response"]
SUPPORT_MODELS = ["actor", "tag", "link", "recordactor"]


def _codenames(actions, models):
    return [f"{action}_{model}" for action in actions for model in models]


EDITORS = [
    *_codenames(["add", "change", "delete", "view"], RECORD_MODELS + SUPPORT_MODELS),
    "view_revision",
    "publish_record",
]
# Contributors write and edit drafts (with their actors and links) but never publish
# or delete a record.
CONTRIBUTORS = [
    *_codenames(["add", "change", "view"], RECORD_MODELS + SUPPORT_MODELS),
    *_codenames(["delete"], ["link", "recordactor"]),
    "view_revision",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Contributors", CONTRIBUTORS)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Contributors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
