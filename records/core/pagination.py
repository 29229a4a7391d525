"""Counting and paging through lists that can hold a million records.

Counting every published record, or skipping 500,000 of them to reach a page, costs as
much as there are: 50-100 ms at 1,000,000 records, and more with every record added. Here
the cost is bounded instead. Up to ``MAX_LISTED`` matches everything is exact, as before;
past it, counts are PostgreSQL's estimates (said "about" on the page). A list is paged
through its first ``MAX_PAGED`` records, with a note to narrow it or turn its order round:
reaching a deep page of a filtered list walks the date index past every record before it
(an actor named in 115,000 of 1,000,000 records: 143 ms for the 5,000th, as many search
engines and GitHub, which page through 1,000 results). Measured in ``bench/RESULTS.md``
(``bench/pages.py``).
"""

import json
import math

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

from archive.db_router import read_connection
from records.core.postgres import without_parallel_workers

# Lists are counted exactly up to this many records.
MAX_LISTED = 5_000
# Lists can be paged through this many records (the first, in their order).
MAX_PAGED = 1_000


def bounded_count(queryset, limit=None):
    """How many rows ``queryset`` has, but reading at most ``limit + 1`` of them: a result
    above ``limit`` (default ``MAX_LISTED``) means "more than ``limit``"."""
    limit = MAX_LISTED if limit is None else limit
    return queryset.order_by()[: limit + 1].count()


def counts(querysets, limit=None):
    """``({key: rows}, {key: is_estimate})`` for a dict of querysets, in two queries at
    most: PostgreSQL's estimates of all (``estimated_counts``), then an exact count, in
    one statement, of those estimated at no more than ``limit`` rows (the planner's
    figure for a rare value is a guess: "1" for none at all). A count that finds more
    than ``limit`` keeps the estimate."""
    limit = MAX_LISTED if limit is None else limit
    estimates = estimated_counts(querysets)
    small = [key for key in querysets if estimates is None or estimates[key] <= limit]
    exact = bounded_counts({key: querysets[key] for key in small}, limit)
    result, is_estimate = {}, {}
    for key in querysets:
        if key in exact and (exact[key] <= limit or estimates is None):
            if exact[key] > limit:  # not PostgreSQL: a small archive, counted
                exact[key] = querysets[key].count()
            result[key], is_estimate[key] = exact[key], False
        else:
            result[key] = max(estimates[key], exact.get(key, 0))
            is_estimate[key] = True
    return result, is_estimate


def bounded_counts(querysets, limit=None):
    """``bounded_count`` of each queryset of a dict, all in one statement."""
    limit = MAX_LISTED if limit is None else limit
    parts, params, keys = [], [], []
    for key, queryset in querysets.items():
        try:
            sql, part_params = queryset.order_by().values("pk")[: limit + 1].query.sql_with_params()
        except EmptyResultSet:  # queryset.none()
            continue
        # Django's own SQL for each queryset; every value in it is a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{len(parts)})")  # noqa: S608
        params.extend(part_params)
        keys.append(key)
    result = dict.fromkeys(querysets, 0)
    if parts:
        with read_connection().cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            result.update(zip(keys, cursor.fetchone(), strict=True))
    return result


def estimated_counts(querysets):
    """``{key: rows}`` for a dict of querysets: PostgreSQL's estimate of each, all from one
    ``EXPLAIN`` (of their ``UNION ALL``), so no row is read. ``None`` on other databases."""
    if connection.vendor != "postgresql" or not querysets:
        return None
    parts, keys = [], []
    for key, queryset in querysets.items():
        try:
            parts.append(queryset.order_by().values("pk").query.sql_with_params())
        except EmptyResultSet:  # queryset.none()
            continue
        keys.append(key)
    estimates = dict.fromkeys(querysets, 0)
    if not parts:
        return estimates
    root = _plan(
        " UNION ALL ".join(f"({sql})" for sql, _ in parts),
        [param for _, params in parts for param in params],
    )
    children = root.get("Plans", []) if len(parts) > 1 else [root]
    if len(children) != len(parts):  # the planner merged or dropped a part: one at a time
        children = [_plan(sql, params) for sql, params in parts]
    for key, child in zip(keys, children, strict=True):
        estimates[key] = int(child["Plan Rows"])
    return estimates


def _plan(sql, params):
    with read_connection().cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


class RecordPaginator(Paginator):
    """Django's paginator with a bounded count and deep pages that read an index only.

    - **Count.** Exact up to ``MAX_LISTED`` (a count that stops reading there). Past it
      (or when PostgreSQL estimates more), ``count`` is PostgreSQL's estimate
      (``count_is_estimate``).
    - **Pages** cover the first ``max_paged`` records only (``truncated``): the page
      says so, and how to narrow the list.
    - **A page** reads its records' ids first, then the records: skipping the pages
      before it then walks the order's index (``record_published_newest``, ``..._oldest``)
      without reading the table.
    """

    max_listed = MAX_LISTED
    max_paged = MAX_PAGED

    @cached_property
    def _counted(self):
        """``(count, is_estimate)``. PostgreSQL's estimate first (an EXPLAIN, no row
        read): well above ``max_listed``, it is the count. Counting even the first
        10,001 of an actor's 115,000 records (a filter the date order cannot use) reads
        all of them: 150-500 ms at 1,000,000 records."""
        estimate = (estimated_counts({"all": self.object_list}) or {}).get("all")
        if estimate is not None and estimate > self.max_listed:
            return estimate, True
        counted = bounded_count(self.object_list, self.max_listed)
        if counted <= self.max_listed:
            return counted, False
        if estimate is None:  # not PostgreSQL: a small archive, counted
            return self.object_list.count(), False
        return max(counted, estimate), True

    @property
    def count(self):
        return self._counted[0]

    @property
    def count_is_estimate(self):
        return self._counted[1]

    @property
    def truncated(self):
        """More than ``max_paged``: only the first ``max_paged`` records are listed."""
        return self.count > self.max_paged

    @cached_property
    def num_pages(self):
        listed = self.listed
        if listed == 0 and not self.allow_empty_first_page:
            return 0
        hits = max(1, listed - self.orphans)
        return math.ceil(hits / self.per_page)

    @property
    def listed(self):
        """How many records can be reached page by page."""
        return min(self.count, self.max_paged)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.listed:
            top = self.listed
        # Without parallel workers: starting them cost more than they saved (a deep page of
        # an actor's records: 16 ms in parallel, 12 serial; more on a busy machine).
        with without_parallel_workers():
            ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)
