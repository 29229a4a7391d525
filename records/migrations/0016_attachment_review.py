"""Files of a public body's reply are held for review before they are published.

A scanned decision is typically addressed to the requester by name and home address;
scrubbing the message text cannot take that out of a PDF. From now on every file that
comes with an incoming reply (by e-mail or added as a postal reply) arrives with
``public`` false: only the requester and editors (``review_attachment``) see it until one
of them publishes it, or publishes a redacted copy (``redaction_of``) in its place.

Existing files of incoming replies are HELD too, not left public: they carry exactly the
personal data this change is about, and were published only because nothing stopped
them. Their requesters (or an editor) publish each with one click on the request's page;
until then they leave the search index, which is recomputed here for their requests.
Records' ordinary files (added by editors or the importer) stay public. Reversing the
migration publishes every file again and re-indexes those requests.
"""

import django.db.models.deletion
from django.db import migrations, models

from records.migrations._permissions import grant_operation
from records.search.indexing import index_records


# Editors review held files; Contributors (who write drafts) do not see them.
GRANTS = {"Editors": ["review_attachment"]}


def _reply_files(apps):
    Attachment = apps.get_model("records", "Attachment")
    return Attachment.objects.filter(foi_messages__direction="in")


def hold_reply_files(apps, schema_editor):
    Attachment = apps.get_model("records", "Attachment")
    held = Attachment.objects.filter(pk__in=_reply_files(apps).values("pk"), public=True)
    record_ids = sorted(set(held.values_list("record_id", flat=True)))
    held.update(public=False)
    index_records(record_ids, apps=apps)


def publish_reply_files(apps, schema_editor):
    Attachment = apps.get_model("records", "Attachment")
    held = Attachment.objects.filter(public=False)
    record_ids = sorted(set(held.values_list("record_id", flat=True)))
    held.update(public=True)
    index_records(record_ids, apps=apps)


class Migration(migrations.Migration):

    dependencies = [
        ('records', '0015_deployment_coordinate_ranges'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='attachment',
            options={'ordering': ['position', 'pk'], 'permissions': [('review_attachment', 'Can see files held for review, and publish or replace them')], 'verbose_name': 'file', 'verbose_name_plural': 'files'},
        ),
        migrations.AddField(
            model_name='attachment',
            name='public',
            field=models.BooleanField(default=True, help_text="Files of a body's reply are held until the requester or an editor publishes them: they may name the requester or give their address.", verbose_name='public'),
        ),
        migrations.AddField(
            model_name='attachment',
            name='redaction_of',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='redacted_copies', to='records.attachment', verbose_name='redacted copy of'),
        ),
        migrations.AlterField(
            model_name='foievent',
            name='kind',
            field=models.CharField(choices=[('filed', 'Request written on Nadzor'), ('sent', 'Request sent'), ('message', 'Message'), ('status', 'Status changed'), ('extended', 'Deadline extended'), ('appealed', 'Appeal sent'), ('embargo_lifted', 'Embargo ended'), ('file_published', 'A file of a reply was published'), ('file_redacted', 'A redacted copy of a file was published')], max_length=20, verbose_name='what'),
        ),
        migrations.RunPython(hold_reply_files, publish_reply_files),
        grant_operation(GRANTS),
    ]
