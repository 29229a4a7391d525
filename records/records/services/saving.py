from datetime import date

from django.db.models import Case, Q, When

from records.core.dates import PartialDate
from records.files.storage import queue_after_commit
from records.models import (
    KIND_MODELS,
    Actor,
    ActorKind,
    Attachment,
    FileState,
    Link,
    Record,
    RecordActor,
    Status,
    StoredFile,
    Tag,
)
from records.records.interchange import (
    ACTOR_NAME_KEYS,
    EXTRA_FIELDS,
    FOI_DATES,
    TAG_LABEL_KEYS,
    InvalidRecord,
)
from records.search.indexing import index_records


def save_record_data(*, data):
    """Create or update one record, its tags and actors, from canonical JSON ``data``.

    Links are set separately (``set_outgoing_links``) because their targets may not
    exist until a whole file is in. Call inside a transaction.
    """
    model = KIND_MODELS[data["kind"]]
    record = None
    if data["id"]:
        existing = Record.objects.filter(public_id=data["id"]).first()
        if existing and existing.kind != data["kind"]:
            raise InvalidRecord(
                f"record {data['id']!r} exists as a {existing.kind}; a record's kind cannot change"
            )
        if existing:
            record = model.objects.get(pk=existing.pk)
    if record is None:
        record = model(public_id=data["id"]) if data["id"] else model()
    for field in ("title", "summary", "body", "language", "status"):
        setattr(record, field, data[field])
    record.source_url = data["source_url"] or ""
    record.partial_date = PartialDate.parse(data["date"]) if data["date"] else None
    if data["kind"] in EXTRA_FIELDS:
        key, fields = EXTRA_FIELDS[data["kind"]]
        for field in fields:
            setattr(record, field, data[key][field])
    if "foi" in data:
        _set_foi(record, data["foi"])
    if record.status == Status.PUBLISHED:
        record.mark_published()
    record.save()
    record.tags.set([_tag(item) for item in data["tags"]])
    _set_actors(record, data["actors"])
    _set_files(record, data["files"])
    # bulk_create sends no signals: index the record with its new actors here.
    index_records([record.pk])
    return record


def _set_foi(record, foi):
    record.public_body = (
        Actor.objects.get_or_create(name=foi["public_body"], kind=ActorKind.PUBLIC_BODY)[0]
        if foi["public_body"]
        else None
    )
    record.received_on = date.fromisoformat(foi["received_on"]) if foi["received_on"] else None
    record.extended_to = date.fromisoformat(foi["extended_to"]) if foi["extended_to"] else None
    record.urgent = foi["urgent"]
    record.foi_status = foi["status"]
    for name in FOI_DATES:
        setattr(record, name, date.fromisoformat(foi[name]) if foi[name] else None)
    record.in_story = foi["in_story"]


def _set_files(record, files):
    """Attach the files listed (by SHA-256, in order) and detach the other public ones.

    The list is the record's public files (as the export writes it): a reply's file held
    for review is neither detached nor published by an import."""
    stored = {
        f.sha256: f for f in StoredFile.objects.filter(sha256__in=[f["sha256"] for f in files])
    }
    wanted = []
    for position, item in enumerate(files):
        if item["sha256"] not in stored:
            raise InvalidRecord(
                f"file {item['name']!r} ({item['sha256'][:12]}…) is not in the archive: "
                "give its 'path' to import it"
            )
        attachment, created = Attachment.objects.update_or_create(
            record=record,
            file=stored[item["sha256"]],
            defaults={"name": item["name"], "position": position},
        )
        wanted.append(attachment.pk)
        if created and attachment.file.state == FileState.QUEUED:
            queue_after_commit(attachment.file)
    record.attachments.public().exclude(pk__in=wanted).delete()


def _tag(item):
    """The tag an import names, its labels set where the import gives them."""
    if isinstance(item, str):
        return Tag.objects.get_or_create(name=item)[0]
    tag = Tag.objects.get_or_create(name=item["name"])[0]
    labels = {key: item[key] for key in TAG_LABEL_KEYS}
    if any(getattr(tag, key) != value for key, value in labels.items()):
        for key, value in labels.items():
            setattr(tag, key, value)
        tag.save()
    return tag


def _actor(item):
    """The actor an import names (by name and kind), its names set where given."""
    names = {key: item[key] for key in ACTOR_NAME_KEYS if key in item}
    # Found by any of its names: an actor given a Serbian name keeps its English key's records.
    known = [item["name"], *(names.get(key) for key in ("name_sr", "name_en") if names.get(key))]
    actor = (
        Actor.objects.filter(kind=item["kind"])
        .filter(Q(name=item["name"]) | Q(name_sr__in=known) | Q(name_en__in=known))
        .order_by(Case(When(name=item["name"], then=0), default=1), "pk")
        .first()
    ) or Actor.objects.create(name=item["name"], kind=item["kind"])
    if names and any(getattr(actor, key) != value for key, value in names.items()):
        for key, value in names.items():
            setattr(actor, key, value)
        actor.name_unchecked = False
        actor.save()
    return actor


def _set_actors(record, actors):
    wanted = {(_actor(a).pk, a["role"]) for a in actors}
    current = {(ra.actor_id, ra.role): ra.pk for ra in record.actor_roles.all()}
    RecordActor.objects.filter(
        pk__in=[pk for key, pk in current.items() if key not in wanted]
    ).delete()
    RecordActor.objects.bulk_create(
        RecordActor(record=record, actor_id=actor_id, role=role)
        for actor_id, role in wanted - current.keys()
    )


def set_outgoing_links(*, record, links, records_by_id):
    """Make ``record``'s outgoing links exactly ``links`` (relation, target id, note)."""
    wanted = {(link["relation"], records_by_id[link["target"]].pk): link for link in links}
    current = {(link.relation, link.target_id): link for link in record.outgoing_links.all()}
    Link.objects.filter(
        pk__in=[link.pk for key, link in current.items() if key not in wanted]
    ).delete()
    for key, link in wanted.items():
        relation, target_pk = key
        notes = {field: link[field] for field in ("note", "note_sr") if field in link}
        if key not in current:
            Link.objects.create(source=record, target_id=target_pk, relation=relation, **notes)
        elif any(getattr(current[key], field) != value for field, value in notes.items()):
            for field, value in notes.items():
                setattr(current[key], field, value)
            current[key].save(update_fields=list(notes))
