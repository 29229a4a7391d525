"""Each requester's public name gets its look-alike skeleton, so a new name that passes
for an existing one is refused (``records.core.names``)."""

from django.db import migrations, models

from records.core.names import skeleton


def fill_skeletons(apps, schema_editor):
    Profile = apps.get_model("records", "Profile")
    for profile in Profile.objects.only("pk", "display_name").iterator():
        Profile.objects.filter(pk=profile.pk).update(name_skeleton=skeleton(profile.display_name))


class Migration(migrations.Migration):
    lint_ok = "The RunPython fills the new column of requesters' profiles (a small table)."
    dependencies = [
        ("records", "0070_roles_and_contact_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="profile",
            name="name_skeleton",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_skeletons, migrations.RunPython.noop),
    ]
