"""The charts page: records per year by kind, FOI outcomes per public body, and the median
number of days each body took to answer.

Each chart is measured here and drawn by a template as SVG (``records/charts.html``), with a
table of the same numbers below it. Only published records and public, sent FOI requests
count; the page costs a fixed number of queries whatever the size of the archive.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from records.foi.deadlines import ANSWER_DAYS
from records.foi.selectors import counted_records
from records.foi.stats import body_statistics
from records.models import Actor, Kind

# Every chart is this wide in user units; it scales to its box through its viewBox.
WIDTH = 600
# At most this many public bodies in the body charts (those with the most requests).
MAX_BODIES = 30
NAME_CHARS = 48


def nice_step(largest, ticks=4):
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines."""
    if largest <= 0:
        return 1
    raw = largest / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return max(1, int(multiple * power))
    return int(10 * power)  # pragma: no cover


# Records per year, by kind


@dataclass
class Segment:
    kind: str
    label: str
    count: int
    y: float = 0
    height: float = 0


@dataclass
class YearBar:
    year: int
    segments: list
    total: int
    x: float = 0
    width: float = 0
    label_x: float = 0
    show_label: bool = True
    minor_label: bool = False  # hidden on narrow screens, where labels are larger

    @property
    def counts(self):
        """Counts in ``Kind`` order, zeros included (the table's columns)."""
        by_kind = {s.kind: s.count for s in self.segments}
        return [by_kind.get(kind, 0) for kind, _label in Kind.choices]


@dataclass
class YearChart:
    years: list
    undated: int
    kind_totals: list  # [(kind, label, count)]
    total: int
    ticks: list = field(default_factory=list)  # [(value, y)]
    width: int = WIDTH
    height: int = 300
    plot_top: int = 12
    plot_bottom: int = 268
    axis_label_y: int = 290

    @property
    def dated(self):
        return self.total - self.undated


def records_per_year():
    """Published records counted by year and kind, in one query; undated ones apart. FOI
    requests count as the FOI section counts them (``counted_records``)."""
    rows = (
        counted_records()
        .order_by()
        .values("date__year", "kind")
        .annotate(n=Count("pk"))
        .values_list("date__year", "kind", "n")
    )
    labels = dict(Kind.choices)
    counts, undated = {}, 0
    kind_totals = dict.fromkeys(labels, 0)
    for year, kind, n in rows:
        if kind not in labels:
            continue
        kind_totals[kind] += n
        if year is None:
            undated += n
        else:
            counts.setdefault(year, {})[kind] = n
    years = []
    if counts:
        for year in range(min(counts), max(counts) + 1):
            by_kind = counts.get(year, {})
            segments = [
                Segment(kind, labels[kind], by_kind[kind]) for kind in labels if by_kind.get(kind)
            ]
            years.append(YearBar(year, segments, sum(by_kind.values())))
    chart = YearChart(
        years=years,
        undated=undated,
        kind_totals=[(kind, labels[kind], n) for kind, n in kind_totals.items()],
        total=sum(kind_totals.values()),
    )
    _lay_out_years(chart)
    return chart


def _lay_out_years(chart):
    if not chart.years:
        return
    largest = max(bar.total for bar in chart.years)
    step = nice_step(largest)
    top_value = step * math.ceil(largest / step)
    plot_height = chart.plot_bottom - chart.plot_top

    def y_of(value):
        return chart.plot_bottom - plot_height * value / top_value

    chart.ticks = [(value, round(y_of(value), 1)) for value in range(0, top_value + 1, step)]
    band = chart.width / len(chart.years)
    # Year labels: at most about 14 on a wide screen, half as many on a phone.
    every = max(1, math.ceil(len(chart.years) / 14))
    for i, bar in enumerate(chart.years):
        bar.width = round(band * 0.72, 1)
        bar.x = round(i * band + (band - bar.width) / 2, 1)
        bar.label_x = round(i * band + band / 2, 1)
        bar.show_label = i % every == 0
        bar.minor_label = i % (2 * every) != 0
        base = 0
        for segment in bar.segments:
            segment.y = round(y_of(base + segment.count), 1)
            segment.height = round(y_of(base) - y_of(base + segment.count), 1)
            base += segment.count


# FOI requests per public body


@dataclass
class BodyRow:
    body: object
    stats: object
    y: int = 0
    segments: list = field(default_factory=list)  # [(css, label, count, x, width)]
    bar_end: float = 0
    median_width: float = 0

    @property
    def name(self):
        return Truncator(self.body.shown_name).chars(NAME_CHARS)

    @property
    def name_y(self):
        return self.y + 18

    @property
    def bar_y(self):
        return self.y + 24

    @property
    def value_y(self):
        return self.y + 38

    @property
    def segment_counts(self):
        """Requests in each segment, in the legend's order, zeros included (the table)."""
        return [self.stats.segments[css] for css, _label in SEGMENT_LABELS]


@dataclass
class BodyCharts:
    outcomes: list  # BodyRow, most requests first
    medians: list  # BodyRow, fastest first
    bodies_with_requests: int
    width: int = WIDTH
    row_height: int = 50
    bar_height: int = 18
    deadline_days: int = ANSWER_DAYS
    deadline_x: float = 0

    @property
    def capped(self):
        return self.bodies_with_requests > len(self.outcomes)

    @property
    def outcomes_height(self):
        return self.row_height * len(self.outcomes) + 4

    @property
    def medians_height(self):
        return self.row_height * len(self.medians) + 24

    @property
    def deadline_label_y(self):
        return self.medians_height - 6

    @property
    def legend(self):
        return SEGMENT_LABELS


SEGMENT_LABELS = [
    ("in-time", _("answered in time")),
    ("late", _("answered late")),
    ("refused", _("refused")),
    ("overdue", _("overdue")),
    ("other", _("waiting or other")),
]


def body_charts():
    """FOI outcomes and median days to answer for the bodies with the most public requests:
    one query for the requests (``body_statistics``), one for the bodies' names."""
    stats = body_statistics()
    bodies = {body.pk: body for body in Actor.objects.filter(pk__in=list(stats))}
    rows = sorted(
        (BodyRow(bodies[pk], s) for pk, s in stats.items() if pk in bodies),
        key=lambda row: (-row.stats.requests, row.body.name, row.body.pk),
    )
    charts = BodyCharts(
        outcomes=rows[:MAX_BODIES],
        medians=sorted(
            # Rows of their own: the two charts place them differently.
            (BodyRow(row.body, row.stats) for row in rows[:MAX_BODIES] if row.stats.days_to_answer),
            key=lambda row: (row.stats.median_days, row.body.name, row.body.pk),
        ),
        bodies_with_requests=len(rows),
    )
    _lay_out_bodies(charts)
    return charts


def _lay_out_bodies(charts):
    # Room at the end of each bar for its number.
    plot = charts.width - 64
    most = max((row.stats.requests for row in charts.outcomes), default=0) or 1
    for i, row in enumerate(charts.outcomes):
        row.y = i * charts.row_height
        x = 0.0
        row.segments = []
        for css, label in SEGMENT_LABELS:
            n = row.stats.segments[css]
            if n:
                width = plot * n / most
                row.segments.append((css, label, n, round(x, 1), round(width, 1)))
                x += width
        row.bar_end = round(x, 1)

    longest = max([row.stats.median_days for row in charts.medians] + [ANSWER_DAYS])
    for i, row in enumerate(charts.medians):
        row.y = i * charts.row_height
        row.median_width = round(plot * max(row.stats.median_days, 0) / longest, 1)
    charts.deadline_x = round(plot * ANSWER_DAYS / longest, 1)
