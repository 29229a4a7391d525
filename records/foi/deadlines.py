"""The deadlines of Art. 16 and Art. 22 of the Law on Free Access to Information.

- The body answers within **15 days** of receiving the request.
- With notice to the requester it may extend that to a date it names, but never later
  than **40 days** from receipt.
- Where life or freedom, public health or the environment is at stake: **48 hours**.
- An appeal against a refusal is due within **15 days** of receiving the decision.

Days are calendar days counted from the day after receipt (so day 15 of a request
received on 1 March is 16 March). A deadline whose last day is a Saturday, a Sunday or a
Serbian public holiday ends on the next working day. Serbia's holidays include Orthodox
Christmas and Orthodox Easter (Good Friday to Easter Monday, Julian computus), which the
``holidays`` package's Serbia calendar models; a Western-Easter calendar would be wrong.

The 48-hour deadline is counted in hours, not days, so it does not move: it is the
second day after receipt. Everything here is a pure function of dates.
"""

from datetime import date, timedelta
from functools import cache

import holidays

ANSWER_DAYS = 15
EXTENSION_LIMIT_DAYS = 40
URGENT_DAYS = 2  # 48 hours
APPEAL_DAYS = 15
SOON_DAYS = 2  # reminders go out this many days before a deadline


@cache
def _holidays(year):
    return holidays.Serbia(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: date) -> date:
    """``day`` itself if people work on it, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def days_after(start: date, days: int) -> date:
    """The last day of a deadline of ``days`` days that starts running after ``start``."""
    return next_working_day(start + timedelta(days=days))


def final_limit(received_on: date) -> date:
    """The latest date any lawful extension can reach: 40 days from receipt."""
    return days_after(received_on, EXTENSION_LIMIT_DAYS)


def answer_due(received_on: date, *, urgent=False, extended_to: date | None = None) -> date:
    """The day by which the body must answer a request it received on ``received_on``.

    An extension moves the deadline to the date the body gave (moved off a weekend or
    holiday like any deadline), capped at the 40-day limit; an extension can never bring
    the deadline forward.
    """
    if urgent:
        return received_on + timedelta(days=URGENT_DAYS)
    due = days_after(received_on, ANSWER_DAYS)
    if extended_to is not None:
        # Capped before it is moved off a weekend (the same day, as the limit is a working
        # day), so no day past the limit is computed: not even for an extension to 9999.
        due = max(due, next_working_day(min(extended_to, final_limit(received_on))))
    return due


def appeal_due(decision_received_on: date) -> date:
    """The last day to appeal to the Commissioner against a refusal received that day."""
    return days_after(decision_received_on, APPEAL_DAYS)
