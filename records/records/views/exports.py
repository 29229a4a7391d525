"""Any list or search of records as CSV: the filters of the page, the same columns in
every language, streamed so that a million records export in bounded memory."""

import csv

from django.http import HttpResponse, StreamingHttpResponse

from records.core.spreadsheet import safe_cell
from records.records.filters import RecordFilter
from records.records.selectors import public_records

# Column names and values are the archive's own (kind "statement", language "sr-Cyrl"):
# a file exported from /sr/ reads the same as one from /, so scripts can rely on them.
CSV_COLUMNS = [
    "id",
    "kind",
    "title",
    "date",
    "language",
    "summary",
    "actors",
    "tags",
    "source_url",
    "url",
    "added_to_archive",
    "last_changed",
]
CHUNK = 2000  # records read (and their actors and tags prefetched) per round trip


class _Echo:
    """A file-like object whose ``write`` returns what it is given, for streaming."""

    def write(self, value):
        return value


def records_csv(request):
    """``/records/export.csv?<the list's or the search's filters>``."""
    filterset = RecordFilter(request.GET or None, queryset=public_records())
    if filterset.is_bound and not filterset.is_valid():
        messages = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponse(
            "\n".join(messages) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    site = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        _lines(filterset.qs, site), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="nadzor-records.csv"'
    return response


def _lines(records, site):
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"  # a byte-order mark, so spreadsheets read the file as UTF-8
    yield writer.writerow(CSV_COLUMNS)
    for record in records.iterator(chunk_size=CHUNK):
        yield writer.writerow([safe_cell(value) for value in _row(record, site)])


def _row(record, site):
    return [
        record.public_id,
        record.kind,
        record.title,
        str(record.partial_date) if record.partial_date else "",
        record.language,
        record.summary,
        [f"{ra.actor.name} ({ra.role})" for ra in record.actor_roles.all()],
        [tag.name for tag in record.tags.all()],
        record.source_url,
        f"{site}{record.get_absolute_url()}",
        record.added_to_archive.isoformat(timespec="seconds"),
        record.updated_at.isoformat(timespec="seconds"),
    ]
