from django.db import transaction

from records.models import Action, Record, Status
from records.records.services.history import record_revision


@transaction.atomic
def publish_records(*, records, user):
    """Publish every record of ``records`` that is not yet public; return how many."""
    return _set_status(records, status=Status.PUBLISHED, user=user, action=Action.PUBLISHED)


@transaction.atomic
def unpublish_records(*, records, user):
    """Take published records back to draft; return how many."""
    return _set_status(records, status=Status.DRAFT, user=user, action=Action.UNPUBLISHED)


def _set_status(records, *, status, user, action):
    changed = 0
    pks = [record.pk for record in records]
    for record in Record.objects.select_for_update().filter(pk__in=pks).order_by("pk"):
        if (record.status == Status.PUBLISHED) == (status == Status.PUBLISHED):
            continue
        before_status = record.status
        if status == Status.PUBLISHED:
            fields = record.mark_published()
        else:
            record.status = status
            fields = ["status"]
        record.save(update_fields=[*fields, "updated_at"])
        record_revision(
            record=record,
            before={"status": before_status},
            after={"status": status},
            user=user,
            action=action,
        )
        changed += 1
    return changed
