"""The JSON form of a record: one line of the JSON Lines import/export format.

The same canonical form serves the export, the importer (which normalises each line
into it), the change history (a revision is the difference of two such forms) and the
API's detail view. Because import and export agree on one form, export → import →
export gives identical output.
"""

import json
import re
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

from records.core.dates import PartialDate
from records.foi.thread import (
    THREAD_KEYS,
    InvalidThread,
    normalise_thread,
    thread_prefetch,
    thread_to_dict,
)
from records.models import (
    KIND_MODELS,
    ActorKind,
    Attachment,
    FOIStatus,
    Kind,
    Link,
    Record,
    RecordActor,
    Relation,
    Role,
)

# Kind-specific fields travel in an object named after the kind.
EXTRA_FIELDS = {
    Kind.DOCUMENT: ("document", ["document_type"]),
    Kind.STATEMENT: ("statement", ["venue", "quote"]),
    Kind.RESPONSE: ("response", ["response_type"]),
    Kind.DEPLOYMENT: (
        "deployment",
        ["technology", "place", "latitude", "longitude", "device_count", "count_basis"],
    ),
}
NUMBER_FIELDS = (models.DecimalField, models.IntegerField)
TOP_LEVEL_KEYS = {
    "id",
    "kind",
    "title",
    "summary",
    "body",
    "date",
    "language",
    "status",
    "tags",
    "source_url",
    "actors",
    "links",
    "files",
    *(key for key, _fields in EXTRA_FIELDS.values()),
    "foi",
}
# The dates of an FOI request's progress that the importer takes as they are.
FOI_DATES = ("sent_on", "decision_on", "answered_on", "appealed_on", "embargo_until")
# An FOI request's progress: what the importer reads, and what the export adds (the
# deadline and whether it has passed, computed as of the day of the export).
FOI_KEYS = {"public_body", "received_on", "urgent", "extended_to", "status", *FOI_DATES, "in_story"}
FOI_COMPUTED_KEYS = {"due_on", "overdue"}
# What a file entry may hold: a ``path`` to import, or the ``sha256`` of bytes already in the
# archive (as the export writes it, with the rest for the reader's information).
FILE_KEYS = {"path", "name", "sha256", "size", "pages", "content_type"}
# An actor's names in each language (optional on import: left as they are when absent) and
# a tag's labels. ``name`` is the one the archive keys an actor by: the Serbian name, else
# the English one.
ACTOR_NAME_KEYS = ("name_sr", "name_en", "short_name")
ACTOR_NAME_LENGTHS = {"name_sr": 300, "name_en": 300, "short_name": 50}
TAG_LABEL_KEYS = ("label_sr", "label_en")


class InvalidRecord(ValueError):
    """A record in JSON form that cannot be stored; the message says why."""


def for_export(queryset, *, public=False, thread=False):
    """``queryset`` with everything ``record_to_dict`` reads fetched in a fixed number of queries.

    With ``public``, links to records that are not published are left out, so a public
    export never reveals that an unpublished record exists. Files are always the public
    ones only: a file held for review stays out of every export.
    """
    links = Link.objects.select_related("target").only(
        "source_id", "relation", "note", "note_sr", "target__public_id"
    )
    if public:
        links = links.filter(target__in=Record.objects.published())
    queryset = queryset.select_related(
        "document", "statement", "response", "foirequest__public_body"
    )
    if thread:
        queryset = queryset.prefetch_related(
            *(
                Prefetch(f"foirequest__{lookup.prefetch_through}", queryset=lookup.queryset)
                for lookup in thread_prefetch(public=public)
            )
        )
    return queryset.prefetch_related(
        "tags",
        # Files held for review are no part of a record's JSON form: neither the export nor
        # the API nor the change history shows them (see ``Attachment.public``).
        Prefetch("attachments", queryset=Attachment.objects.public().select_related("file")),
        Prefetch("actor_roles", queryset=RecordActor.objects.select_related("actor")),
        Prefetch("outgoing_links", queryset=links),
    )


def record_to_dict(record, *, computed=False, thread=None):
    """The canonical JSON form of ``record`` (outgoing links only).

    With ``computed``, an FOI request also carries its deadline and whether it is overdue
    today (the export does; the change history does not, since "today" moves). With
    ``thread`` ("full" or "public"), it carries its correspondence and timeline too
    (``records.foi.thread``; the exports do, the change history does not).
    """
    data = {
        "id": record.public_id,
        "kind": record.kind,
        "title": record.title,
        "summary": record.summary,
        "body": record.body,
        "date": str(record.partial_date) if record.partial_date else None,
        "language": record.language,
        "status": record.status,
        "tags": _sorted_tags(_tag_to_json(tag) for tag in record.tags.all()),
        "source_url": record.source_url or None,
        "actors": _sorted_actors(
            {
                "name": ra.actor.name,
                "kind": ra.actor.kind,
                "role": ra.role,
                **{field: getattr(ra.actor, field) for field in ACTOR_NAME_KEYS},
            }
            for ra in record.actor_roles.all()
        ),
        "links": _sorted_links(
            {
                "relation": link.relation,
                "target": link.target.public_id,
                "note": link.note,
                "note_sr": link.note_sr,
            }
            for link in record.outgoing_links.all()
        ),
        "files": [
            {
                "name": attachment.name,
                "sha256": attachment.file.sha256,
                "size": attachment.file.size,
                "pages": attachment.file.pages,
                "content_type": attachment.file.content_type,
            }
            for attachment in record.attachments.all()
        ],
    }
    if record.kind in EXTRA_FIELDS:
        key, fields = EXTRA_FIELDS[record.kind]
        specific = record.specific
        data[key] = {field: _json_value(getattr(specific, field)) for field in fields}
    if record.kind == Kind.FOI_REQUEST:
        data["foi"] = _foi_to_dict(record.specific, computed=computed)
        if thread:
            data["foi"].update(thread_to_dict(record.specific, public=thread == "public"))
    return data


def _tag_to_json(tag):
    """A tag as its name, or with its labels where it has any."""
    if not tag.label_sr and not tag.label_en:
        return tag.name
    return {"name": tag.name, "label_sr": tag.label_sr, "label_en": tag.label_en}


def _sorted_tags(tags):
    return sorted(tags, key=lambda tag: tag if isinstance(tag, str) else tag["name"])


def _iso(day):
    return day.isoformat() if day else None


def _foi_to_dict(foi, *, computed):
    data = {
        "public_body": foi.public_body.name if foi.public_body_id else None,
        "received_on": _iso(foi.received_on),
        "urgent": foi.urgent,
        "extended_to": _iso(foi.extended_to),
        "status": foi.foi_status,
        **{name: _iso(getattr(foi, name)) for name in FOI_DATES},
        "in_story": foi.in_story,
    }
    if computed:
        data["due_on"] = _iso(foi.due_on)
        data["overdue"] = foi.is_overdue()
    return data


def dumps(data):
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


def _sorted_actors(actors):
    return sorted(actors, key=lambda a: (a["role"], a["name"], a["kind"]))


def _sorted_links(links):
    return sorted(links, key=lambda link: (link["relation"], link["target"], link["note"]))


def normalise(data):
    """Validate one record in JSON form and return it in canonical form.

    Raises ``InvalidRecord`` with a reader-facing reason. Link targets are checked for
    shape only; whether they exist is the importer's business (they may be later in the
    same file).
    """
    if not isinstance(data, dict):
        raise InvalidRecord("a record must be a JSON object")
    unknown = sorted(set(data) - TOP_LEVEL_KEYS)
    if unknown:
        raise InvalidRecord(f"unknown key(s): {', '.join(unknown)}")
    kind = _choice(data, "kind", Kind.values, required=True)
    result = {"id": _public_id(data.get("id"))}
    result["kind"] = kind
    for name in ("title", "summary", "body"):
        result[name] = _field_value(name, data.get(name, ""), required=name == "title")
    result["date"] = _date(data.get("date"))
    result["language"] = _choice(data, "language", _field_choices("language"), required=True)
    result["status"] = _choice(data, "status", _field_choices("status")) or "draft"
    result["tags"] = _tags(data.get("tags", []))
    result["source_url"] = _url(data.get("source_url"))
    result["actors"] = _actors(data.get("actors", []))
    result["links"] = _links(data.get("links", []), own_id=result["id"])
    result["files"] = _files(data.get("files", []))
    for other_kind, (key, _fields) in EXTRA_FIELDS.items():
        if key in data and other_kind != kind:
            raise InvalidRecord(f"{key!r} belongs to records of kind {other_kind}, not {kind}")
    if kind in EXTRA_FIELDS:
        key, fields = EXTRA_FIELDS[kind]
        result[key] = _extra(key, data.get(key) or {}, KIND_MODELS[kind], fields)
    if "foi" in data and kind != Kind.FOI_REQUEST:
        raise InvalidRecord(f"'foi' belongs to records of kind foi_request, not {kind}")
    if kind == Kind.FOI_REQUEST:
        result["foi"] = _foi(data.get("foi") or {})
    return result


def _foi(value):
    if not isinstance(value, dict):
        raise InvalidRecord("'foi' must be an object")
    unknown = sorted(set(value) - FOI_KEYS - FOI_COMPUTED_KEYS - THREAD_KEYS)
    if unknown:
        raise InvalidRecord(f"unknown key(s) in 'foi': {', '.join(unknown)}")
    body = value.get("public_body")
    if body is not None and (not isinstance(body, str) or not body.strip() or len(body) > 300):
        raise InvalidRecord("'foi.public_body' must be a body's name (at most 300 characters)")
    urgent = value.get("urgent", False)
    if not isinstance(urgent, bool):
        raise InvalidRecord("'foi.urgent' must be true or false")
    status = _choice(value, "status", FOIStatus.values) or FOIStatus.AWAITING_RESPONSE
    received_on = _iso_date(value, "received_on")
    extended_to = _iso_date(value, "extended_to")
    if received_on and received_on > timezone.localdate():
        # As the forms say: a request is received in the past. (A date near the year 9999
        # also left no room for its deadline: the record's page was a server error.)
        raise InvalidRecord(f"'foi.received_on' {received_on.isoformat()} is in the future")
    if extended_to and not received_on:
        raise InvalidRecord("'foi.extended_to' needs 'foi.received_on'")
    if extended_to and extended_to <= received_on:
        raise InvalidRecord("'foi.extended_to' must be after 'foi.received_on'")
    in_story = value.get("in_story", True)
    if not isinstance(in_story, bool):
        raise InvalidRecord("'foi.in_story' must be true or false")
    dates = {name: _iso_date(value, name) for name in FOI_DATES}
    try:
        thread = normalise_thread(value)
    except InvalidThread as error:
        raise InvalidRecord(str(error)) from None
    return {
        "public_body": " ".join(body.split()) if body else None,
        "received_on": received_on.isoformat() if received_on else None,
        "urgent": urgent,
        "extended_to": extended_to.isoformat() if extended_to else None,
        "status": status,
        **{name: day.isoformat() if day else None for name, day in dates.items()},
        "in_story": in_story,
        **thread,
    }


def _iso_date(value, name):
    text = value.get(name)
    if text is None or text == "":
        return None
    if isinstance(text, str) and len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise InvalidRecord(f"'foi.{name}' must be a date written YYYY-MM-DD, not {text!r}")


def _json_value(value):
    """Coordinates travel as JSON numbers, as in GeoJSON."""
    return float(value) if isinstance(value, Decimal) else value


def _field_value(name, value, *, required=False, model=Record):
    field = model._meta.get_field(name)
    if isinstance(field, NUMBER_FIELDS):
        return _number_value(name, value, field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{name!r} must be a string")
    if required and not value.strip():
        raise InvalidRecord(f"{name!r} must not be empty")
    try:
        return field.clean(value, None)
    except ValidationError as error:
        raise InvalidRecord(f"{name!r}: {' '.join(error.messages)}") from None


def _number_value(name, value, field):
    """A number field takes a JSON number (or its text); empty means unknown.

    The value comes back in its JSON form (as ``record_to_dict`` gives it), so that an
    unchanged line compares equal to what is stored: Decimal("20.4612") != 20.4612.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidRecord(f"{name!r} must be a number")
    try:
        return _json_value(field.clean(str(value), None))
    except ValidationError as error:
        raise InvalidRecord(f"{name!r}: {' '.join(error.messages)}") from None


def _field_choices(name):
    return [value for value, _label in Record._meta.get_field(name).choices]


def _choice(data, name, allowed, *, required=False):
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidRecord(f"{name!r} is required (one of: {', '.join(allowed)})")
        return None
    if value not in allowed:
        raise InvalidRecord(f"unknown {name} {value!r} (expected one of: {', '.join(allowed)})")
    return value


def _public_id(value):
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRecord("'id' must be a string")
    return _field_value("public_id", value)


def _date(value):
    if value is None or value == "":
        return None
    try:
        return str(PartialDate.parse(value))
    except ValueError as error:
        raise InvalidRecord(f"'date': {error}") from None


def _tags(value):
    """Tags as names, or as objects with a name and labels (``TAG_LABEL_KEYS``)."""
    if not isinstance(value, list) or not all(isinstance(tag, str | dict) for tag in value):
        raise InvalidRecord("'tags' must be a list of names or of objects with a 'name'")
    tags = {}
    for item in value:
        tag = item if isinstance(item, str) else item.get("name")
        tag = " ".join(tag.split()) if isinstance(tag, str) else ""
        if not tag:
            raise InvalidRecord("a tag must not be empty")
        if len(tag) > 100:
            raise InvalidRecord(f"tag {tag[:30]!r}… is longer than 100 characters")
        if isinstance(item, dict):
            unknown = sorted(set(item) - {"name", *TAG_LABEL_KEYS})
            if unknown:
                raise InvalidRecord(f"tag {tag!r}: unknown key(s): {', '.join(unknown)}")
            labels = {key: _name_text(item, key, 100, f"tag {tag!r}") for key in TAG_LABEL_KEYS}
            tags[tag] = {"name": tag, **labels}
        else:
            tags.setdefault(tag, tag)
    return _sorted_tags(tags.values())


def _name_text(item, key, max_length, what):
    value = item.get(key) or ""
    if not isinstance(value, str):
        raise InvalidRecord(f"{what}: {key!r} must be a string")
    value = " ".join(value.split())
    if len(value) > max_length:
        raise InvalidRecord(f"{what}: {key!r} is longer than {max_length} characters")
    return value


def _url(value):
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRecord("'source_url' must be a string or null")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise InvalidRecord(f"'source_url' {value[:80]!r} is not an http(s) URL") from None
    return _field_value("source_url", value)


def _list_of_objects(value, name):
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidRecord(f"{name!r} must be a list of objects")
    return value


def _actors(value):
    actors = []
    for item in _list_of_objects(value, "actors"):
        names = {
            key: _name_text(item, key, ACTOR_NAME_LENGTHS[key], "an actor")
            for key in ACTOR_NAME_KEYS
            if key in item
        }
        keyed_by = names.get("name_sr") or names.get("name_en")
        name = " ".join(str(item.get("name") or keyed_by or "").split())
        if not name:
            raise InvalidRecord("an actor needs a name")
        if len(name) > 300:
            raise InvalidRecord(f"actor name {name[:30]!r}… is longer than 300 characters")
        if keyed_by and name != keyed_by:
            raise InvalidRecord(
                f"actor {name!r}: 'name' must be its Serbian name, else its English one"
            )
        actor = {
            "name": name,
            "kind": _choice(item, "kind", ActorKind.values, required=True),
            "role": _choice(item, "role", Role.values, required=True),
            **names,
        }
        if any(a["name"] == name and a["role"] == actor["role"] for a in actors):
            raise InvalidRecord(f"actor {name!r} is listed twice with the role {actor['role']}")
        actors.append(actor)
    return _sorted_actors(actors)


def _links(value, *, own_id):
    links, seen = [], set()
    for item in _list_of_objects(value, "links"):
        target = item.get("target")
        if not isinstance(target, str) or not target:
            raise InvalidRecord("a link needs a 'target' id")
        relation = _choice(item, "relation", Relation.values, required=True)
        if own_id and target == own_id:
            raise InvalidRecord(f"a record cannot link to itself ({target!r})")
        if (relation, target) in seen:
            raise InvalidRecord(f"duplicate link: {relation} {target!r}")
        seen.add((relation, target))
        link = {"relation": relation, "target": target}
        # "note_sr" (the note in Serbian) is optional: a line without it keeps the stored one.
        for key in ("note", "note_sr"):
            if key == "note" or key in item:
                note = item.get(key) or ""
                if not isinstance(note, str) or len(note) > 1000:
                    raise InvalidRecord(
                        f"a link's {key!r} must be a string of at most 1000 characters"
                    )
                link[key] = note
        links.append(link)
    return _sorted_links(links)


def file_identity(files):
    """What makes two file lists the same: names and bytes, in order (size and pages are
    facts about the bytes, read from them)."""
    return [(item["name"], item.get("sha256") or item.get("path")) for item in files]


def _files(value):
    files = []
    for item in _list_of_objects(value, "files"):
        unknown = sorted(set(item) - FILE_KEYS)
        if unknown:
            raise InvalidRecord(f"unknown key(s) in a file: {', '.join(unknown)}")
        path, sha256 = item.get("path"), item.get("sha256")
        if bool(path) == bool(sha256):
            raise InvalidRecord("a file needs either a 'path' or a 'sha256'")
        name = item.get("name")
        if path is not None:
            if not isinstance(path, str) or path.startswith(("/", "\\")) or ".." in path.split("/"):
                raise InvalidRecord(f"file path {path!r} must be relative to the import file")
            name = name or path.rsplit("/", 1)[-1]
        elif not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise InvalidRecord(f"{sha256!r} is not a SHA-256 (64 hexadecimal digits)")
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise InvalidRecord("a file needs a 'name' of at most 255 characters")
        entry = {"name": name.strip()}
        entry.update({"path": path} if path is not None else {"sha256": sha256})
        files.append(entry)
    return files


def _extra(key, value, model, fields):
    if not isinstance(value, dict):
        raise InvalidRecord(f"{key!r} must be an object")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise InvalidRecord(f"unknown key(s) in {key!r}: {', '.join(unknown)}")
    result = {field: _field_value(field, value.get(field), model=model) for field in fields}
    if ("latitude" in result) and (result["latitude"] is None) != (result["longitude"] is None):
        raise InvalidRecord(f"{key!r}: give both latitude and longitude, or neither")
    return result
