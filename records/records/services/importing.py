import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from records.files.storage import RejectedFile, store
from records.foi.thread import THREAD_KEYS, InvalidThread, restore_thread
from records.models import Action, FOIRequest, Record
from records.records.interchange import (
    ACTOR_NAME_KEYS,
    InvalidRecord,
    dumps,
    file_identity,
    for_export,
    normalise,
    record_to_dict,
)
from records.records.services.history import record_revision, snapshot
from records.records.services.saving import save_record_data, set_outgoing_links
from records.search.indexing import bulk_indexing


class ImportFailed(Exception):
    """The file was not imported; nothing changed. ``line`` is 1-based."""

    def __init__(self, line, reason):
        self.line, self.reason = line, reason
        super().__init__(f"line {line}: {reason}" if line else reason)


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


def import_jsonl(lines, *, user=None, base_dir=None):
    """Import an iterable of JSON Lines, all or nothing.

    A bad line raises ``ImportFailed`` with its number and the reason, and the database
    is left exactly as it was. A record whose id exists is updated; a line identical to
    what is stored changes nothing (so importing a file twice loads nothing twice).

    A record's ``files`` may name files by ``path``, relative to ``base_dir`` (the import
    file's folder, which they may not leave); their bytes are stored and their text is
    read after the import commits.
    """
    entries = _parse(lines)
    _check_link_targets(entries)
    result = ImportResult()
    with transaction.atomic(), bulk_indexing():
        saved = []
        threads = []
        for number, data in entries:
            data["files"] = _store_files(number, data["files"], base_dir)
            # The thread is restored once the record is stored; it is no part of the history.
            thread = {
                key: data["foi"].pop(key) for key in THREAD_KEYS if key in data.get("foi", {})
            }
            existing = Record.objects.filter(public_id=data["id"]).first() if data["id"] else None
            before = snapshot(existing) if existing else None
            if _unchanged(data, before):
                threads.append((number, existing.pk, thread, result.unchanged))
                result.unchanged.append(existing.public_id)
                continue
            try:
                # No savepoint per line: any failure aborts the whole file anyway.
                record = save_record_data(data=data)
            except InvalidRecord as error:
                raise ImportFailed(number, str(error)) from None
            except DatabaseError as error:
                raise ImportFailed(number, f"the database refused it: {error}") from None
            saved.append((number, data, record, before))
            threads.append((number, record.pk, thread, None))
        records_by_id = {
            r.public_id: r
            for r in Record.objects.filter(public_id__in=_link_targets(d for _n, d in entries))
        }
        for _number, data, record, _before in saved:
            set_outgoing_links(record=record, links=data["links"], records_by_id=records_by_id)
        for _number, _data, record, before in saved:
            revision = record_revision(
                record=record, before=before, user=user, action=Action.IMPORTED
            )
            target = result.created if before is None else result.updated
            if before is not None and revision is None:
                target = result.unchanged
            target.append(record.public_id)
        _restore_threads(threads, result)
    return result


def _restore_threads(threads, result):
    """Restore each FOI request's thread; a record otherwise unchanged whose thread
    changed counts as updated."""
    for number, pk, thread, listed_in in threads:
        if not thread:
            continue
        foi = FOIRequest.objects.select_related("requester").get(pk=pk)
        try:
            changed = restore_thread(foi, thread)
        except InvalidThread as error:
            raise ImportFailed(number, str(error)) from None
        if changed and listed_in is result.unchanged:
            result.unchanged.remove(foi.public_id)
            result.updated.append(foi.public_id)


def _unchanged(data, before):
    """Whether saving ``data`` would leave the record as ``before`` (a snapshot) shows it."""
    if before is None:
        return False
    stored = {key: value for key, value in before.items() if key not in ("linked_from", "files")}
    incoming = {key: value for key, value in data.items() if key != "files"}
    incoming["actors"] = _with_stored_names(incoming["actors"], stored["actors"])
    incoming["tags"] = _with_stored_labels(incoming["tags"], stored["tags"])
    stored_notes = {(link["relation"], link["target"]): link for link in stored["links"]}
    incoming["links"] = [
        {"note_sr": stored_notes.get((link["relation"], link["target"]), {}).get("note_sr", "")}
        | link
        for link in incoming["links"]
    ]
    return stored == incoming and file_identity(before["files"]) == file_identity(data["files"])


def _with_stored_names(actors, stored):
    """``actors`` with the names a line leaves out (it then keeps them) as they are stored."""
    known = {(a["name"], a["kind"]): a for a in stored}
    completed = []
    for actor in actors:
        same = known.get((actor["name"], actor["kind"]), {})
        completed.append({**{k: same.get(k, "") for k in ACTOR_NAME_KEYS}, **actor})
    return completed


def _with_stored_labels(tags, stored):
    """``tags`` with the labels a line leaves out (a tag given by name only keeps them)."""
    known = {tag["name"]: tag for tag in stored if isinstance(tag, dict)}
    return [known.get(tag, tag) if isinstance(tag, str) else tag for tag in tags]


def _store_files(number, files, base_dir):
    """Store the files given by path and refer to every file by its SHA-256."""
    resolved = []
    for item in files:
        if "path" not in item:
            resolved.append(item)
            continue
        if base_dir is None:
            raise ImportFailed(number, "file paths can only be imported from a file")
        root = Path(base_dir).resolve()
        path = (root / item["path"]).resolve()
        if not path.is_relative_to(root):
            raise ImportFailed(number, f"file {item['path']!r} is outside the import folder")
        try:
            with path.open("rb") as handle:
                stored = store(handle)
        except OSError as error:
            raise ImportFailed(
                number, f"cannot read file {item['path']!r}: {error.strerror}"
            ) from None
        except RejectedFile as error:
            raise ImportFailed(number, f"file {item['path']!r}: {error}") from None
        resolved.append({"name": item["name"], "sha256": stored.sha256})
    return resolved


def _parse(lines):
    entries, seen_ids = [], {}
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError:
                raise ImportFailed(number, "not valid UTF-8") from None
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFailed(
                number, f"invalid JSON ({error.msg}, column {error.colno})"
            ) from None
        if _holds_nul(raw):
            raise ImportFailed(number, "a value contains a NUL character (\\u0000)")
        try:
            data = normalise(raw)
        except InvalidRecord as error:
            raise ImportFailed(number, str(error)) from None
        if data["id"]:
            if data["id"] in seen_ids:
                raise ImportFailed(
                    number, f"id {data['id']!r} is already used on line {seen_ids[data['id']]}"
                )
            seen_ids[data["id"]] = number
        entries.append((number, data))
    if not entries:
        raise ImportFailed(0, "the file holds no records")
    return entries


def _holds_nul(value):
    """Whether any string in a parsed JSON value holds NUL, which PostgreSQL cannot store."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _link_targets(datas):
    return {link["target"] for data in datas for link in data["links"]}


def _check_link_targets(entries):
    in_file = {data["id"] for _n, data in entries if data["id"]}
    wanted = _link_targets(data for _n, data in entries) - in_file
    in_db = set(Record.objects.filter(public_id__in=wanted).values_list("public_id", flat=True))
    for number, data in entries:
        for link in data["links"]:
            if link["target"] not in in_file and link["target"] not in in_db:
                reason = (
                    f"link target {link['target']!r} exists neither in the archive nor in this file"
                )
                raise ImportFailed(number, reason)


def export_jsonl(queryset, *, public=False):
    """Yield one JSON line per record of ``queryset``, in a stable order (see ``for_export``)."""
    records = for_export(queryset.order_by("public_id"), public=public, thread=True)
    for record in records.iterator(chunk_size=500):
        thread = "public" if public else "full"
        yield dumps(record_to_dict(record, computed=True, thread=thread)) + "\n"
