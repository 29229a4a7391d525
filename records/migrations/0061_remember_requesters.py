"""Keep on each existing request what scrubbing needs to know of its requester (while the
accounts still exist), take the requester out of the names of its files and of the file
names in its timeline (message texts and subjects are scrubbed again whenever shown), and
re-index those requests so search loses their names."""

from django.db import migrations


def remember(apps, schema_editor):
    from records.foi import identity
    from records.foi.scrubbing import scrub_with
    from records.search.indexing import index_records

    FOIRequest = apps.get_model("records", "FOIRequest")
    Profile = apps.get_model("records", "Profile")
    Attachment = apps.get_model("records", "Attachment")
    FOIEvent = apps.get_model("records", "FOIEvent")
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
        known = identity.Identity(stored)
        for attachment in Attachment.objects.filter(record_id=request.pk):
            name = scrub_with(attachment.name, known)[:255]
            if name != attachment.name:
                Attachment.objects.filter(pk=attachment.pk).update(name=name)
        for event in FOIEvent.objects.filter(request_id=request.pk).exclude(note=""):
            note = scrub_with(event.note, known)[:500]
            if note != event.note:
                FOIEvent.objects.filter(pk=event.pk).update(note=note)
    index_records(changed, apps=apps)


class Migration(migrations.Migration):
    lint_ok = "The RunPython reads only requests filed by users (few rows) and updates their files' names, timeline notes and search rows; no schema change."
    dependencies = [("records", "0060_requester_identity_and_rule_failures")]

    operations = [migrations.RunPython(remember, migrations.RunPython.noop, elidable=True)]
