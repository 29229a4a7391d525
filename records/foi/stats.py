"""Per-body statistics of public, sent requests: how many, answered in time, overdue,
refused, and the median number of days to an answer."""

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from records.foi.selectors import sent_requests
from records.models import FOIStatus, overdue_q


@dataclass
class BodyStats:
    requests: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    overdue: int = 0
    refused: int = 0
    days_to_answer: list = field(default_factory=list)
    # Each request in exactly one segment of the chart.
    segments: Counter = field(default_factory=Counter)

    @property
    def median_days(self):
        return median(self.days_to_answer) if self.days_to_answer else None

    def bars(self):
        """Segments of the small bar chart: (css class, label, count, width %, offset %)."""
        total = self.requests or 1
        labels = {
            "in-time": _("answered in time"),
            "late": _("answered late"),
            "refused": _("refused"),
            "overdue": _("overdue"),
            "other": _("waiting or other"),
        }
        parts = [(css, label, self.segments[css]) for css, label in labels.items()]
        bars, offset = [], 0.0
        for css, label, n in parts:
            if n:
                width = round(100 * n / total, 1)
                bars.append((css, label, n, width, offset))
                offset += width
        return bars


def body_statistics(body_ids=None, *, today=None):
    """``{body id: BodyStats}`` over published requests that were sent."""
    today = today or timezone.localdate()
    requests = sent_requests().filter(public_body__isnull=False)
    if body_ids is not None:
        requests = requests.filter(public_body_id__in=body_ids)
    stats = {}
    rows = requests.annotate(
        overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField())
    ).values_list("public_body_id", "foi_status", "received_on", "due_on", "answered_on", "overdue")
    for body_id, status, received_on, due_on, answered_on, overdue in rows:
        s = stats.setdefault(body_id, BodyStats())
        s.requests += 1
        segment = "other"
        if answered_on and received_on:
            s.days_to_answer.append((answered_on - received_on).days)
            if due_on is None or answered_on <= due_on:
                s.answered_in_time += 1
                segment = "in-time"
            else:
                s.answered_late += 1
                segment = "late"
        elif overdue:
            s.overdue += 1
            segment = "overdue"
        if status == FOIStatus.REFUSED:
            s.refused += 1
            segment = "refused"
        s.segments[segment] += 1
    return stats
