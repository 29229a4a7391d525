"""An editor's note on a question's record is written in Serbian, English or both, like
the question itself: each reader sees their own. The notes so far were one text: those in
Cyrillic or with a Serbian letter (č, ć, đ, š, ž) become the Serbian note, the rest the
English one. Reversing keeps the English note where there is one, else the Serbian."""

from django.db import migrations, models

SERBIAN_LETTERS = set("čćđšžČĆĐŠŽ") | {chr(code) for code in range(0x0400, 0x0530)}


def split_notes(apps, schema_editor):
    QuestionLink = apps.get_model("records", "QuestionLink")
    for link in QuestionLink.objects.exclude(note_en=""):
        if SERBIAN_LETTERS.intersection(link.note_en):
            link.note_sr, link.note_en = link.note_en, ""
            link.save(update_fields=["note_sr", "note_en"])


def join_notes(apps, schema_editor):
    QuestionLink = apps.get_model("records", "QuestionLink")
    for link in QuestionLink.objects.filter(note_en="").exclude(note_sr=""):
        link.note_en = link.note_sr
        link.save(update_fields=["note_en"])


class Migration(migrations.Migration):
    dependencies = [("records", "0020_recordactor_actor_record_index")]

    operations = [
        migrations.RenameField("questionlink", "note", "note_en"),
        migrations.AlterField(
            model_name="questionlink",
            name="note_en",
            field=models.CharField(blank=True, max_length=1000, verbose_name="note (English)"),
        ),
        migrations.AddField(
            model_name="questionlink",
            name="note_sr",
            field=models.CharField(
                blank=True,
                help_text="What the record says about the question, or what it leaves out.",
                max_length=1000,
                verbose_name="note (Serbian)",
            ),
        ),
        migrations.RunPython(split_notes, join_notes),
    ]
