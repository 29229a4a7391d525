"""Keeping the search index current.

The index lives in two columns of each record (``search_head``, ``search_text``); the
databases derive their own structures from them (see ``backends``). Whatever changes
what a record says — its own fields, its actors, its tags, an actor's or tag's name —
re-indexes that record in the same transaction, through the signal handlers in
``records.search.signals``. Publishing and unpublishing change no text: search reads only
published records, so the next search sees the new status at once.

Bulk writers (the importer, ``rebuild_search_index``) wrap their work in
``bulk_indexing()`` to index every touched record once at the end instead of after each
change.
"""

import contextlib
import contextvars
from collections import defaultdict

from django.apps import apps as global_apps

from records.foi.scrubbing import redact, scrubbers
from records.search.fields import index_columns

_pending = contextvars.ContextVar("pending_search_index", default=None)

BATCH_SIZE = 500


def index_records(record_ids, *, apps=global_apps):
    """Recompute the index columns of the records with ``record_ids``; returns how many
    changed. ``apps`` lets a data migration pass its historical models."""
    record_ids = list(record_ids)
    if not record_ids:
        return 0
    pending = _pending.get()
    if pending is not None:
        pending.update(record_ids)
        return 0
    changed = 0
    for start in range(0, len(record_ids), BATCH_SIZE):
        changed += _index_batch(record_ids[start : start + BATCH_SIZE], apps)
    return changed


def _names(apps, model_name, prefix, fields):
    """The lookups of the name fields ``model_name`` has in this schema (a migration runs
    the indexer on older ones)."""
    model = apps.get_model("records", model_name)
    present = [f for f in fields if any(x.name == f for x in model._meta.get_fields())]
    return [prefix + f for f in present or ["name"]]


def _index_batch(record_ids, apps):
    Record = apps.get_model("records", "Record")
    RecordActor = apps.get_model("records", "RecordActor")
    actors, tags = defaultdict(list), defaultdict(list)
    # Every name an actor or tag has is searched (an older schema has only ``name``).
    actor_names = _names(apps, "Actor", "actor__", ("name_sr", "name_en", "short_name"))
    for record_id, *names in (
        RecordActor.objects.filter(record_id__in=record_ids)
        .order_by("pk")
        .values_list("record_id", *actor_names)
    ):
        actors[record_id].append(" ".join(dict.fromkeys(n for n in names if n)))
    tag_names = _names(apps, "Tag", "tag__", ("name", "label_sr", "label_en"))
    for record_id, *names in (
        Record.tags.through.objects.filter(record_id__in=record_ids)
        .order_by("pk")
        .values_list("record_id", *tag_names)
    ):
        tags[record_id].append(" ".join(dict.fromkeys(n for n in names if n)))
    files = defaultdict(list)
    if _has_files(apps):
        for record_id, text in (
            _public_attachments(apps)
            .filter(record_id__in=record_ids, file__page_texts__isnull=False)
            .order_by("position", "pk", "file__page_texts__number")
            .values_list("record_id", "file__page_texts__text")
        ):
            files[record_id].append(text)
    for record_id, text in _message_texts(record_ids, apps):
        files[record_id].append(text)
    scrubbers = _scrubbers(record_ids, apps)
    records = Record.objects.filter(pk__in=record_ids).only(
        "pk", "title", "summary", "body", "language", "search_head", "search_text"
    )
    changed = []
    for record in records:
        head, text = index_columns(
            title=record.title,
            actors=actors[record.pk],
            tags=tags[record.pk],
            summary=record.summary,
            body=scrubbers.get(record.pk, _same)(record.body),
            files=scrubbers.get(record.pk, _same)("\n".join(files[record.pk])),
            language=record.language,
        )
        if (head, text) != (record.search_head, record.search_text):
            record.search_head, record.search_text = head, text
            changed.append(record)
    Record.objects.bulk_update(changed, ["search_head", "search_text"])
    return len(changed)


def _same(text):
    return text


def _scrubbers(record_ids, apps):
    """For each FOI request among ``record_ids``, the function that takes its
    requester's identity out of text: nothing that names them may be found by search.
    A data migration's historical models before the identity was kept have none."""
    FOIRequest = apps.get_model("records", "FOIRequest")
    if "requester_identity" not in {field.name for field in FOIRequest._meta.get_fields()}:
        return {}
    return scrubbers(record_ids, FOIRequest)


def _message_texts(record_ids, apps):
    """``(request id, text)`` of each message in the correspondence of the FOI requests
    among ``record_ids``, as the public reads it (scrubbed of the requester's data when
    received, the editors' redaction rules applied). Search reads published records only,
    so a request's messages are found only once the request is public."""
    if apps is not global_apps:
        return []  # a data migration indexes records as they were; messages come later
    messages = (
        global_apps.get_model("records", "FOIMessage")
        .objects.filter(request_id__in=record_ids)
        .select_related("request")
        .only("pk", "request_id", "subject", "body", "request__public_body_id")
        .order_by("request_id", "sent_at", "pk")
    )
    by_request, requests = defaultdict(list), {}
    for message in messages:
        by_request[message.request_id].append(f"{message.subject}\n{message.body}")
        requests[message.request_id] = message.request
    # One pass of the redaction rules per request, over all its messages at once.
    rules = global_apps.get_model("records", "RedactionRule").objects
    return [
        (request_id, redact("\n\n".join(texts), rules.for_request(requests[request_id])))
        for request_id, texts in by_request.items()
    ]


def _public_attachments(apps):
    """Only public files are indexed: one held for review (see ``Attachment.public``) is
    found by nobody until it is published, which re-indexes its record."""
    Attachment = apps.get_model("records", "Attachment")
    if apps is global_apps:
        return Attachment.objects.public()
    # A data migration's historical model has no custom manager; before 0016 every file
    # was public.
    fields = {field.name for field in Attachment._meta.get_fields()}
    return Attachment.objects.filter(public=True) if "public" in fields else Attachment.objects


def _has_files(apps):
    """Historical models before the files migration have no file text to index."""
    try:
        apps.get_model("records", "FilePage")
    except LookupError:
        return False
    return True


@contextlib.contextmanager
def bulk_indexing():
    """Collect the records to re-index inside the block and index each once at its end."""
    if _pending.get() is not None:
        yield
        return
    pending = set()
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    index_records(sorted(pending))
