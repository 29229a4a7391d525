"""Partial dates: an archive often knows only the year or the month of a record."""

import datetime
import re
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Precision(models.IntegerChoices):
    # Ordered coarse to fine: sorting by (start, precision) puts "2019" before
    # "2019-01" before "2019-01-01", which is how a reader expects a year to come first.
    YEAR = 1, _("year")
    MONTH = 2, _("month")
    DAY = 3, _("day")


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; ``start`` is its first day."""

    start: datetime.date
    precision: Precision

    @classmethod
    def parse(cls, text):
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ValueError with a reason."""
        match = _PATTERN.match(str(text).strip()) if text is not None else None
        if not match:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
        try:
            start = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date: {error}") from None
        if start.year < 1000:
            raise ValueError(f"{text!r} is not a plausible year")
        return cls(start, precision)

    def __str__(self):
        if self.precision == Precision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    def display(self):
        """The date as a reader of the current language writes it."""
        if self.precision == Precision.YEAR:
            return str(self.start.year)
        if self.precision == Precision.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        return date_format(self.start, "DATE_FORMAT")
