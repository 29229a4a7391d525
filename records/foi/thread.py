"""An FOI request's thread (its messages, timeline and reply address) in JSON form: one
form for the API, the editors' full export and the public export, and the importer that
restores it, so that export → import → export gives identical output.

The public form (``public=True``) holds only what the request's page shows anyone: the
messages' text with the editors' redaction rules applied, only published files, and never
the reply address. The full form holds the stored (scrubbed) text, every file of the
thread with whether it is public, and the reply address.
"""

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Prefetch

from records.foi.mail import parse_reply_address
from records.models import (
    Attachment,
    Direction,
    EventKind,
    FOIEvent,
    FOIMessage,
    FOIRequest,
    FOIStatus,
    MessageKind,
    SentVia,
    StoredFile,
)

THREAD_KEYS = {"reply_address", "messages", "events"}
MESSAGE_KEYS = {
    "direction",
    "via",
    "sent_at",
    "sender",
    "kind",
    "subject",
    "text",
    "classified_as",
    "files",
    "skipped_files",
}
EVENT_KEYS = {"at", "kind", "by", "status_before", "status_after", "note", "message"}
THREAD_FILE_KEYS = {"name", "names", "sha256", "public", "size", "content_type", "url"}
SENDERS = {Direction.OUTGOING: "requester", Direction.INCOMING: "body"}
EVENT_ACTORS = ["requester", "editor", "body", "site"]


class InvalidThread(ValueError):
    """A thread in JSON form that cannot be stored; the message says why."""


def thread_prefetch(*, public, files=None):
    """What ``thread_to_dict`` reads, for ``prefetch_related`` on FOI requests: with
    ``public``, only published files, or the ``files`` given (a user's visible ones)."""
    if files is None:
        files = Attachment.objects.public() if public else Attachment.objects.all()
    files = files.select_related("file").order_by("position", "pk")
    return [
        Prefetch(
            "messages",
            queryset=FOIMessage.objects.order_by("sent_at", "pk").prefetch_related(
                Prefetch("attachments", queryset=files)
            ),
        ),
        Prefetch("events", queryset=FOIEvent.objects.select_related("message")),
    ]


def thread_to_dict(foi, *, public, file_url=None):
    """``{"messages", "events"}`` of ``foi`` (prefetched with ``thread_prefetch``), plus
    ``"reply_address"`` unless ``public``. ``file_url(attachment)`` adds each file's
    address (the API)."""
    messages = list(foi.messages.all())
    position = {message.pk: n for n, message in enumerate(messages)}
    data = {} if public else {"reply_address": foi.reply_address}
    data["messages"] = [_message(m, public=public, file_url=file_url) for m in messages]
    data["events"] = [
        {
            "at": _instant(event.at),
            "kind": event.kind,
            "by": event_actor(event),
            "status_before": event.status_before or None,
            "status_after": event.status_after or None,
            "note": event.note,
            "message": position.get(event.message_id),
        }
        for event in foi.events.all()
    ]
    return data


def event_actor(event):
    """Who did it, as the public timeline says: never a person's name."""
    if event.by_editor:
        return "editor"
    if event.kind == EventKind.EMBARGO_LIFTED:
        return "site"
    if event.message_id and event.message.direction == Direction.INCOMING:
        return "body"
    return "requester"


def _message(message, *, public, file_url):
    files = []
    for attachment in message.attachments.all():
        entry = {
            "name": attachment.name,
            # The names this message gave the file (the same bytes may have come under
            # another name in another message, or twice in this one).
            "names": message.names_of(attachment),
            "sha256": attachment.file.sha256,
            "size": attachment.file.size,
            "content_type": attachment.file.content_type,
        }
        if not public:
            entry["public"] = attachment.public
        if file_url:
            entry["url"] = file_url(attachment)
        files.append(entry)
    return {
        "direction": message.direction,
        "via": message.via,
        "sent_at": _instant(message.sent_at),
        "sender": SENDERS[message.direction],
        # A letter ("answer"), a bounce of one of ours, or an automatic reply.
        "kind": message.kind,
        # The public reads the subject, like the text, scrubbed again with all that is known
        # of the requester now and with the redaction rules applied.
        "subject": message.public_subject if public else message.subject,
        "text": message.public_text if public else message.body,
        "classified_as": message.classified_as or None,
        "files": files,
        "skipped_files": message.skipped_attachments,
    }


def _instant(moment):
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Importing


def normalise_thread(value):
    """Check the thread keys of an import's ``foi`` object; return them in canonical form
    (only the keys given: a line without a thread leaves the stored one as it is)."""
    result = {}
    if "reply_address" in value:
        address = value["reply_address"]
        if address is not None and (
            not isinstance(address, str) or parse_reply_address(address) is None
        ):
            raise InvalidThread(
                f"'foi.reply_address' {str(address)[:80]!r} is not a request's reply address "
                "(request-<number>-<token>@domain)"
            )
        result["reply_address"] = address
    if "messages" in value or "events" in value:
        messages = _list(value.get("messages", []), "foi.messages")
        result["messages"] = [_normal_message(n, m) for n, m in enumerate(messages)]
        events = _list(value.get("events", []), "foi.events")
        result["events"] = [_normal_event(n, e, len(messages)) for n, e in enumerate(events)]
    return result


def _list(value, name):
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise InvalidThread(f"{name!r} must be a list of objects")
    return value


def _unknown(item, allowed, where):
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise InvalidThread(f"unknown key(s) in {where}: {', '.join(unknown)}")


def _choice(item, name, allowed, where, *, required=True):
    value = item.get(name)
    if value in (None, "") and not required:
        return None
    if value not in allowed:
        raise InvalidThread(
            f"{where}: {name} {value!r} is not one of {', '.join(str(a) for a in allowed)}"
        )
    return value


def _text(item, name, where, limit=None):
    value = item.get(name) or ""
    if not isinstance(value, str):
        raise InvalidThread(f"{where}: {name} must be a string")
    if limit and len(value) > limit:
        raise InvalidThread(f"{where}: {name} is longer than {limit} characters")
    return value


def _moment(item, name, where):
    value = item.get(name)
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidThread(
            f"{where}: {name} must be a date and time with its zone, e.g. "
            f"2024-03-01T09:30:00Z, not {value!r}"
        )
    return _instant(moment)


def _normal_message(number, item):
    where = f"message {number + 1}"
    _unknown(item, MESSAGE_KEYS, where)
    files = []
    for file in _list(item.get("files", []), f"{where}'s files"):
        _unknown(file, THREAD_FILE_KEYS, f"{where}'s files")
        sha256 = file.get("sha256")
        if not isinstance(sha256, str) or len(sha256) != 64:
            raise InvalidThread(f"{where}: a file needs the 'sha256' of bytes in the archive")
        public = file.get("public", True)
        if not isinstance(public, bool):
            raise InvalidThread(f"{where}: a file's 'public' must be true or false")
        name = _text(file, "name", where, 255).strip()
        if not name:
            raise InvalidThread(f"{where}: a file needs a 'name'")
        names = file.get("names", [name])
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() and len(n) <= 255 for n in names)
        ):
            raise InvalidThread(f"{where}: a file's 'names' must be a list of names")
        files.append({"name": name, "names": names, "sha256": sha256, "public": public})
    skipped = item.get("skipped_files", [])
    if not isinstance(skipped, list):
        raise InvalidThread(f"{where}: skipped_files must be a list")
    return {
        "direction": _choice(item, "direction", Direction.values, where),
        "via": _choice(item, "via", SentVia.values, where),
        "sent_at": _moment(item, "sent_at", where),
        "kind": _choice(item, "kind", MessageKind.values, where, required=False)
        or MessageKind.ANSWER,
        "subject": _text(item, "subject", where, 500),
        "text": _text(item, "text", where, 1_000_000),
        "classified_as": _choice(item, "classified_as", FOIStatus.values, where, required=False),
        "files": files,
        "skipped_files": skipped,
    }


def _normal_event(number, item, message_count):
    where = f"event {number + 1}"
    _unknown(item, EVENT_KEYS, where)
    message = item.get("message")
    if message is not None and (
        isinstance(message, bool)
        or not isinstance(message, int)
        or not 0 <= message < message_count
    ):
        raise InvalidThread(f"{where}: message must be the position of one of the messages")
    return {
        "at": _moment(item, "at", where),
        "kind": _choice(item, "kind", EventKind.values, where),
        "by": _choice(item, "by", EVENT_ACTORS, where),
        "status_before": _choice(item, "status_before", FOIStatus.values, where, required=False),
        "status_after": _choice(item, "status_after", FOIStatus.values, where, required=False),
        "note": _text(item, "note", where, 500),
        "message": message,
    }


def _comparable(thread):
    """A thread as ``thread_to_dict`` gives it, less what an import does not set."""
    messages = [
        {
            **{k: v for k, v in m.items() if k not in ("sender", "files")},
            "files": [
                {key: f[key] for key in ("name", "names", "sha256", "public")} for f in m["files"]
            ],
        }
        for m in thread.get("messages", [])
    ]
    return {**thread, "messages": messages}


@transaction.atomic
def restore_thread(foi, thread):
    """Make ``foi``'s stored thread the ``thread`` of an import (``normalise_thread``'s
    form). Changes nothing when they agree; returns whether anything changed."""
    if not thread:
        return False
    changed = False
    if thread.get("reply_address"):
        number, token = parse_reply_address(thread["reply_address"])
        reply_number = None if number == foi.pk else number
        if (foi.reply_token, foi.reply_number) != (token, reply_number):
            foi.reply_token, foi.reply_number = token, reply_number
            FOIRequest.objects.filter(pk=foi.pk).update(
                reply_token=token, reply_number=reply_number
            )
            changed = True
    if "messages" not in thread:
        return changed
    stored = FOIRequest.objects.prefetch_related(*thread_prefetch(public=False)).get(pk=foi.pk)
    current = _comparable(thread_to_dict(stored, public=False))
    wanted = {"messages": thread["messages"], "events": thread["events"]}
    if {k: current[k] for k in wanted} == wanted:
        return changed
    hashes = {f["sha256"] for m in thread["messages"] for f in m["files"]}
    files = {f.sha256: f for f in StoredFile.objects.filter(sha256__in=hashes)}
    if missing := hashes - files.keys():
        raise InvalidThread(
            f"the thread names file(s) not in the archive: {', '.join(sorted(missing))[:200]}"
        )
    foi.events.all().delete()
    foi.messages.all().delete()
    created = []
    for item in thread["messages"]:
        message = FOIMessage.objects.create(
            request=foi,
            direction=item["direction"],
            via=item["via"],
            sent_at=datetime.fromisoformat(item["sent_at"]),
            kind=item["kind"],
            subject=item["subject"],
            body=item["text"],
            classified_as=item["classified_as"] or "",
            skipped_attachments=item["skipped_files"],
        )
        for file in item["files"]:
            attachment, _created = Attachment.objects.get_or_create(
                record=foi,
                file=files[file["sha256"]],
                defaults={"name": file["name"], "public": file["public"]},
            )
            if (attachment.name, attachment.public) != (file["name"], file["public"]):
                attachment.name, attachment.public = file["name"], file["public"]
                attachment.save(update_fields=["name", "public"])
            message.attachments.add(attachment)
            message.attachment_names[str(attachment.pk)] = file["names"]
        if message.attachment_names:
            message.save(update_fields=["attachment_names"])
        created.append(message)
    FOIEvent.objects.bulk_create(
        FOIEvent(
            request=foi,
            at=datetime.fromisoformat(item["at"]),
            kind=item["kind"],
            by_editor=item["by"] == "editor",
            user=foi.requester if item["by"] == "requester" else None,
            status_before=item["status_before"] or "",
            status_after=item["status_after"] or "",
            note=item["note"],
            message=created[item["message"]] if item["message"] is not None else None,
        )
        for item in thread["events"]
    )
    return True
