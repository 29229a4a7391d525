from records.models import Action, Link, Record, Revision
from records.records.interchange import for_export, record_to_dict


def snapshot(record):
    """The record's canonical JSON form as stored now, plus the links that point to it.

    Incoming links are part of a record's history because editors edit them on its page.
    """
    data = record_to_dict(for_export(Record.objects.filter(pk=record.pk)).get())
    incoming = Link.objects.filter(target=record).values_list(
        "relation", "source__public_id", "note", "note_sr"
    )
    data["linked_from"] = [
        {"relation": relation, "source": source, "note": note, "note_sr": note_sr}
        for relation, source, note, note_sr in sorted(incoming)
    ]
    return data


def diff(before, after):
    """``{key: [old, new]}`` for every key whose value differs between two snapshots."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in dict.fromkeys([*before, *after])
        if before.get(key) != after.get(key)
    }


def record_revision(*, record, before, user, action, after=None):
    """Write one history entry for ``record``; a change that changed nothing writes none."""
    if action != Action.DELETED and after is None:
        after = snapshot(record)
    changes = diff(before, after)
    if not changes and action in (Action.CHANGED, Action.IMPORTED):
        return None
    return Revision.objects.create(
        record=None if action == Action.DELETED else record,
        record_public_id=record.public_id,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        changes=changes,
    )
