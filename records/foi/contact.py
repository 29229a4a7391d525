"""Proposing and confirming a change of a public body's contact data (see
``records.models.contact``). Each step is one transaction and a line in the admin's log."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from records.core import permissions
from records.models import Actor, ContactChange, ContactChangeState


def _log(user, body, message):
    """A line in the body's admin history (who, when, what)."""
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[body],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )


@transaction.atomic
def propose_contact_change(*, body, foi_email, postal_address, user):
    """Keep a proposed FOI e-mail and postal address for ``body``; nothing changes until
    an editor confirms it. A newer proposal replaces a pending older one."""
    if not permissions.can_change_body_contact(user):
        raise PermissionDenied
    body = Actor.objects.select_for_update().get(pk=body.pk)
    ContactChange.objects.filter(body=body, state=ContactChangeState.PENDING).update(
        state=ContactChangeState.REJECTED, decided_by=user, decided_at=timezone.now()
    )
    change = ContactChange.objects.create(
        body=body,
        foi_email=foi_email,
        postal_address=postal_address,
        previous_foi_email=body.foi_email,
        previous_postal_address=body.postal_address,
        proposed_by=user,
    )
    _log(user, body, f"Proposed contact change #{change.pk}: FOI e-mail {foi_email!r}")
    return change


@transaction.atomic
def confirm_contact_change(*, change, user):
    """Apply a pending change to its body."""
    if not permissions.can_confirm_body_contact(user):
        raise PermissionDenied
    change = ContactChange.objects.select_for_update().get(pk=change.pk)
    if change.state != ContactChangeState.PENDING:
        return False
    body = Actor.objects.select_for_update().get(pk=change.body_id)
    fields = ["foi_email", "postal_address"]
    if body.foi_email != change.foi_email:
        # A new address has not been returned undeliverable (yet): the flag is for the old one.
        body.foi_email_bounced_at, body.foi_email_bounce_reason = None, ""
        fields += ["foi_email_bounced_at", "foi_email_bounce_reason"]
    body.foi_email, body.postal_address = change.foi_email, change.postal_address
    body.save(update_fields=fields)
    change.state, change.decided_by, change.decided_at = (
        ContactChangeState.CONFIRMED,
        user,
        timezone.now(),
    )
    change.save(update_fields=["state", "decided_by", "decided_at"])
    _log(user, body, f"Confirmed contact change #{change.pk}: FOI e-mail {change.foi_email!r}")
    return True


@transaction.atomic
def reject_contact_change(*, change, user):
    if not permissions.can_confirm_body_contact(user):
        raise PermissionDenied
    updated = ContactChange.objects.filter(pk=change.pk, state=ContactChangeState.PENDING).update(
        state=ContactChangeState.REJECTED, decided_by=user, decided_at=timezone.now()
    )
    if updated:
        _log(user, change.body, f"Rejected contact change #{change.pk}")
    return bool(updated)
