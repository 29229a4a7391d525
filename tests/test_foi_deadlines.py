"""Art. 16 and Art. 22 deadlines, pinned by tables that cross weekends, Serbian holidays
(Orthodox Easter and Christmas, New Year, Statehood Day) and the 40-day cap."""

from datetime import date

import pytest

from records.foi import deadlines


def d(text):
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        ("2026-03-02", "2026-03-17", "Mon + 15 days is a Tuesday: no move"),
        ("2026-03-06", "2026-03-23", "Fri + 15 = Sat 21 Mar: moves to Monday"),
        ("2026-03-07", "2026-03-23", "Sat + 15 = Sun 22 Mar: moves to Monday"),
        (
            "2026-03-27",
            "2026-04-14",
            "+15 = Sat 11 Apr (Orthodox Easter Saturday): "
            "Sun 12 Easter, Mon 13 Easter Monday: Tuesday 14",
        ),
        ("2026-03-26", "2026-04-14", "+15 = Orthodox Good Friday 10 Apr: moves past Easter"),
        (
            "2026-03-21",
            "2026-04-06",
            "+15 = Sun 5 Apr (Western Easter): Monday 6 is a working day in Serbia",
        ),
        (
            "2025-04-05",
            "2025-04-22",
            "+15 = Easter Sunday 20 Apr 2025, Monday 21 is a holiday: Tuesday",
        ),
        (
            "2025-12-17",
            "2026-01-05",
            "+15 = 1 Jan 2026 (New Year, 1–2 Jan), then the weekend 3–4 Jan: Monday 5",
        ),
        ("2025-12-23", "2026-01-08", "+15 = 7 Jan (Orthodox Christmas): Thursday 8"),
        ("2026-01-31", "2026-02-18", "+15 = Mon 16 Feb (Statehood Day, 15–17 Feb): Wed 18"),
        ("2024-02-14", "2024-02-29", "leap year: +15 = Thu 29 Feb"),
    ],
)
def test_answer_is_due_15_days_after_receipt_moved_to_the_next_working_day(received, due, why):
    assert deadlines.answer_due(d(received)) == d(due), why


@pytest.mark.parametrize(
    ("received", "extended_to", "due", "why"),
    [
        ("2026-03-02", "2026-03-31", "2026-03-31", "an extension within 40 days is kept"),
        (
            "2026-03-03",
            "2026-06-01",
            "2026-04-14",
            "40 days = Sun 12 Apr (Orthodox Easter), 13 Easter Monday: capped on Tuesday 14 Apr",
        ),
        ("2026-03-02", "2026-03-14", "2026-03-17", "an extension cannot shorten the 15 days"),
        (
            "2026-03-02",
            "2026-03-28",
            "2026-03-30",
            "the body's date falls on a Saturday: it moves to Monday",
        ),
        (
            "2025-11-25",
            "2026-02-01",
            "2026-01-05",
            "cap at 40 days = 4 Jan 2026 (Sunday after New Year): Monday 5",
        ),
    ],
)
def test_an_extension_is_the_bodys_date_but_never_past_40_days(received, extended_to, due, why):
    assert deadlines.answer_due(d(received), extended_to=d(extended_to)) == d(due), why


@pytest.mark.parametrize(
    ("received", "limit"),
    [
        ("2026-03-02", "2026-04-14"),  # +40 = Sat 11 Apr (Orthodox Easter Sat) → Tue 14
        ("2026-01-05", "2026-02-18"),  # +40 = Sun 15 Feb (Statehood Day 15–17) → Wed 18
        ("2026-06-01", "2026-07-13"),  # +40 = Sat 11 Jul → Mon 13
    ],
)
def test_very_overdue_starts_after_the_40_day_limit(received, limit):
    assert deadlines.final_limit(d(received)) == d(limit)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        ("2026-03-02", "2026-03-04"),  # Monday: 48 hours later is Wednesday
        ("2026-03-06", "2026-03-08"),  # Friday: hours run through the weekend
        ("2026-04-09", "2026-04-11"),  # even over Orthodox Easter
    ],
)
def test_an_urgent_request_is_due_48_hours_after_receipt_whatever_the_day(received, due):
    assert deadlines.answer_due(d(received), urgent=True) == d(due)


@pytest.mark.parametrize(
    ("decision", "due"),
    [
        ("2026-03-02", "2026-03-17"),
        ("2026-03-26", "2026-04-14"),  # into Orthodox Easter: after Easter Monday
        ("2025-12-17", "2026-01-05"),  # over New Year and a weekend
    ],
)
def test_an_appeal_against_a_refusal_is_due_15_days_after_receiving_it(decision, due):
    assert deadlines.appeal_due(d(decision)) == d(due)


def test_orthodox_not_western_easter_is_a_holiday():
    assert not deadlines.is_working_day(d("2026-04-10"))  # Orthodox Good Friday
    assert not deadlines.is_working_day(d("2026-04-13"))  # Orthodox Easter Monday
    assert deadlines.is_working_day(d("2026-04-03"))  # Western Good Friday
    assert deadlines.is_working_day(d("2026-04-06"))  # Western Easter Monday
