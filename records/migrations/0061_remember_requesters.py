"""Keep on each existing request what scrubbing needs to know of its requester (while the
accounts still exist), then re-index those requests so search loses their names."""

from django.db import migrations


def remember(apps, schema_editor):
    from records.foi import identity
    from records.search.indexing import index_records

    FOIRequest = apps.get_model("records", "FOIRequest")
    Profile = apps.get_model("records", "Profile")
    changed = []
    for request in FOIRequest.objects.filter(requester__isnull=False).select_related("requester"):
        profile = Profile.objects.filter(user_id=request.requester_id).first()
        stored = dict(request.requester_identity or {})
        identity.add_forms(
            stored,
            identity.forms_of(
                real_name=profile.real_name if profile else "",
                postal_address=profile.postal_address if profile else "",
                emails=[request.requester.email],
            ),
        )
        request.requester_identity = stored
        request.save(update_fields=["requester_identity"])
        changed.append(request.pk)
    index_records(changed, apps=apps)


class Migration(migrations.Migration):
    dependencies = [("records", "0060_requester_identity_and_rule_failures")]

    operations = [migrations.RunPython(remember, migrations.RunPython.noop, elidable=True)]
