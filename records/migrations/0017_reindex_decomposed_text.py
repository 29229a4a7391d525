"""Re-index the records whose text spells letters with combining marks.

Until now a word was a run of letters and digits only, so a combining mark (text pasted
from a PDF or typed on a Mac may write "Š" as "S" + U+030C, NFD) split the word in two:
"Šabić" was indexed as "s" and "abic", and a search for ``sabic`` missed it. Words now
keep their marks and are composed before they are normalised. Only records with such a
mark in their own text, an actor's or tag's name, or a public file's text change; the
search finds them in the database (a regular expression), so the rest are not read.
"""

from django.db import migrations
from django.db.models import Q

from records.search.indexing import index_records

# The combining marks that ``records.search.normalise.WORD`` now keeps in a word.
MARK = "[\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def _records_with_marks(apps):
    Record = apps.get_model("records", "Record")
    Attachment = apps.get_model("records", "Attachment")
    own = Record.objects.filter(
        Q(title__regex=MARK)
        | Q(summary__regex=MARK)
        | Q(body__regex=MARK)
        | Q(actors__name__regex=MARK)
        | Q(tags__name__regex=MARK)
    ).values_list("pk", flat=True)
    in_files = Attachment.objects.filter(file__page_texts__text__regex=MARK).values_list(
        "record_id", flat=True
    )
    return sorted(set(own) | set(in_files))


def reindex(apps, schema_editor):
    index_records(_records_with_marks(apps), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("records", "0016_attachment_review")]

    operations = [migrations.RunPython(reindex, reindex, elidable=True)]
