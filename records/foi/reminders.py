"""The daily run: lift ended embargoes, and e-mail requesters about their deadlines.

A requester hears when the answer is due in two days, when it has passed, and when the
15 days to appeal against a refusal are nearly over. Each reminder goes out once per
deadline (``FOIReminder``), however often the run is repeated.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from records.foi.deadlines import SOON_DAYS
from records.foi.notify import send_to_user
from records.foi.services import lift_embargoes
from records.models import (
    FOI_APPEALABLE_DECISIONS,
    FOIReminder,
    FOIRequest,
    ReminderKind,
)


def run_daily(today=None):
    """Everything the daily task does; returns what it did, for the log."""
    today = today or timezone.localdate()
    return {"embargoes_lifted": lift_embargoes(today), "reminders_sent": send_reminders(today)}


def send_reminders(today):
    sent = 0
    waiting = (
        FOIRequest.objects.waiting()
        .filter(due_on__isnull=False, requester__is_active=True)
        .select_related("requester__profile", "public_body")
    )
    for request in waiting.filter(due_on__gte=today, due_on__lte=today + timedelta(SOON_DAYS)):
        sent += _remind(request, ReminderKind.DUE_SOON, request.due_on, today)
    for request in waiting.overdue(today):
        sent += _remind(request, ReminderKind.OVERDUE, request.due_on, today)
    decided = FOIRequest.objects.filter(
        foi_status__in=FOI_APPEALABLE_DECISIONS,
        decision_on__isnull=False,
        requester__is_active=True,
    ).select_related("requester__profile", "public_body")
    for request in decided:
        due = request.appeal_due_on
        if today <= due <= today + timedelta(SOON_DAYS):
            sent += _remind(request, ReminderKind.APPEAL_SOON, due, today)
    return sent


def _remind(request, kind, deadline, today):
    """Send one reminder unless it went out before; True if it was sent now."""
    try:
        with transaction.atomic():
            FOIReminder.objects.create(request=request, kind=kind, deadline=deadline)
            send_to_user(
                request.requester,
                f"reminder_{kind}",
                {"request": request, "deadline": deadline, "today": today},
                subject_template="emails/reminder_subject.txt",
            )
    except IntegrityError:
        return False
    return True
