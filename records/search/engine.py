"""Search: match, count, rank, facet and highlight, over a bound ``RecordFilter``.

The filterset does the matching and filtering in the database (``q`` plus every other
filter, on published records only) and hands back the matches newest first. From there:

- **Count.** Exact up to ``EXACT_COUNT_LIMIT`` matches; above that PostgreSQL's planner
  estimate, labelled "about".
- **Relevance.** Scored in Python (``scoring``) from the stored tokens, so both databases
  rank alike. When there are more than ``RANK_CANDIDATES`` matches, the candidates are
  the newest matches plus the newest matches in titles, actors and tags; the page says
  the order covers those (``ranked_among``). Newest and oldest order cover every match.
- **Facets.** Kind, actor, tag, language and year counted in one query over the
  matches; above ``EXACT_COUNT_LIMIT`` over a random sample of the table's pages
  (``TABLESAMPLE``), scaled up and labelled "about".
"""

import math
from dataclasses import dataclass, field

from django.db import connection
from django.utils.translation import gettext_lazy as _

from records.markdown import markdown_to_text
from records.models import Actor, Kind, Language, Record, Tag
from records.search import backends
from records.search.highlight import highlight, snippet
from records.search.scoring import score
from records.selectors import for_listing

EXACT_COUNT_LIMIT = 10_000
RANK_CANDIDATES = 1_000
HEAD_CANDIDATES = 300
FACET_SAMPLE_TARGET = 3_000
FACET_LIMIT = 10

FACETS = (
    ("kind", _("Kind")),
    ("actor", _("Actor")),
    ("tag", _("Tag")),
    ("language", _("Language")),
    ("year", _("Year")),
)


@dataclass
class Hit:
    record: Record
    title_html: str
    snippet_html: str


@dataclass
class FacetValue:
    value: str
    label: str
    count: int


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclass
class SearchResults:
    hits: list[Hit]
    count: int
    count_is_estimate: bool = False
    ranked_among: int | None = None
    facets: list[Facet] = field(default_factory=list)
    facets_are_estimates: bool = False
    page: int = 1
    per_page: int = 20

    @property
    def has_next(self):
        reachable = self.count if self.ranked_among is None else self.ranked_among
        return self.page * self.per_page < reachable

    @property
    def first_number(self):
        """The position of this page's first result in the whole list (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def num_pages(self):
        reachable = self.count if self.ranked_among is None else self.ranked_among
        return max(1, math.ceil(reachable / self.per_page))


def search(filterset, *, page=1, per_page=20, facets=True):
    """Run the bound, valid ``filterset``'s search and return one page of it."""
    query = filterset.search_query
    matched = filterset.qs
    count, estimated = _count(matched)
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "-date")
    offset = (page - 1) * per_page
    ranked_among = None
    if sort == "relevance" and query and count:
        page_ids, ranked_among = _ranked_page(matched, query, count, offset, per_page)
        if ranked_among == count and not estimated:
            ranked_among = None
    else:
        page_ids = list(matched.values_list("pk", flat=True)[offset : offset + per_page])
    records = {r.pk: r for r in for_listing(Record.objects.filter(pk__in=page_ids))}
    hits = [_hit(records[pk], query) for pk in page_ids if pk in records]
    results = SearchResults(
        hits=hits,
        count=count,
        count_is_estimate=estimated,
        ranked_among=ranked_among,
        page=page,
        per_page=per_page,
    )
    if facets and count:
        results.facets, results.facets_are_estimates = _facets(matched, count, estimated)
    return results


def _count(matched):
    capped = matched.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
    if capped <= EXACT_COUNT_LIMIT:
        return capped, False
    estimate = backends.estimated_count(matched)
    if estimate is None:
        return matched.order_by().count(), False
    return max(estimate, capped), True


def _date_key(date, precision, created_at, pk):
    """Newest first, undated last: the order of ``in_date_order(newest_first=True)``."""
    ordinal = date.toordinal() if date else 0
    return (date is None, -ordinal, -(precision or 0), -created_at.timestamp(), -pk)


def _candidates(matched, query, count):
    fields = ("pk", "search_head", "search_text", "date", "date_precision", "created_at")
    if count <= RANK_CANDIDATES:
        return list(matched.values_list(*fields)), count
    newest = list(matched.values_list(*fields)[:RANK_CANDIDATES])
    seen = {row[0] for row in newest}
    in_head = [
        row
        for row in matched.filter(backends.matches(query, head_only=True)).values_list(*fields)[
            :HEAD_CANDIDATES
        ]
        if row[0] not in seen
    ]
    rows = newest + in_head
    return rows, len(rows)


def _ranked_page(matched, query, count, offset, per_page):
    rows, considered = _candidates(matched, query, count)
    ranked = sorted(
        rows,
        key=lambda row: (-score(query, row[1], row[2]), _date_key(row[3], row[4], row[5], row[0])),
    )
    return [row[0] for row in ranked[offset : offset + per_page]], considered


def _hit(record, query):
    forms = query.highlight_forms if query else frozenset()
    language = record.language
    title_html = highlight(record.title, forms, language)
    text = None
    for source in (record.summary, markdown_to_text(record.body)):
        if source and forms:
            text = snippet(source, forms, language)
            if text:
                break
    if text is None:
        text = highlight(_shorten(record.summary or markdown_to_text(record.body)), forms, language)
    return Hit(record=record, title_html=title_html, snippet_html=text)


def _shorten(text, words=40):
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# -- facets -------------------------------------------------------------------------


def _facets(matched, count, estimated):
    ids_sql, params = matched.order_by().values("pk").query.sql_with_params()
    scale = 1.0
    if estimated:
        sample = _sampled_ids_sql(matched, count)
        if sample is not None:
            (ids_sql, params), scale = sample
    year = backends.year_sql("r.date")
    # ids_sql is Django's own compiled SQL (its values are in params); year is constant.
    sql = f"""
        WITH m (id) AS ({ids_sql})
        SELECT 'kind', r.kind, COUNT(*) FROM m JOIN records_record r ON r.id = m.id
            GROUP BY r.kind
        UNION ALL
        SELECT 'language', r.language, COUNT(*) FROM m JOIN records_record r ON r.id = m.id
            GROUP BY r.language
        UNION ALL
        SELECT 'year', CAST({year} AS text), COUNT(*) FROM m JOIN records_record r
            ON r.id = m.id WHERE r.date IS NOT NULL GROUP BY {year}
        UNION ALL
        SELECT 'actor', CAST(ra.actor_id AS text), COUNT(DISTINCT ra.record_id) FROM m
            JOIN records_recordactor ra ON ra.record_id = m.id GROUP BY ra.actor_id
        UNION ALL
        SELECT 'tag', CAST(rt.tag_id AS text), COUNT(*) FROM m
            JOIN records_record_tags rt ON rt.record_id = m.id GROUP BY rt.tag_id
    """  # noqa: S608
    counts = {name: {} for name, _label in FACETS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for name, value, n in cursor.fetchall():
            counts[name][value] = round(n * scale)
    labels = _facet_labels(counts)
    facets = []
    for name, label in FACETS:
        values = [
            FacetValue(value=labels[name][value][0], label=labels[name][value][1], count=n)
            for value, n in counts[name].items()
            if n and value in labels[name]
        ]
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label.lower()))
        if values:
            facets.append(Facet(name=name, label=label, values=values[:FACET_LIMIT]))
    return facets, scale != 1.0 or estimated


def _sampled_ids_sql(matched, count):
    """The matches within a random sample of the record table's pages, and the factor
    that scales counts over them back up to the whole."""
    total = backends.estimated_count(Record.objects.published()) or count
    percent = min(100.0, max(0.01, 100.0 * FACET_SAMPLE_TARGET / max(count, 1)))
    clause = backends.sample_clause(percent)
    if clause is None or percent >= 100.0 or total <= 0:
        return None
    sql, params = matched.order_by().values("pk").query.sql_with_params()
    table = '"records_record"'
    position = sql.index(f"FROM {table}") + len(f"FROM {table}")
    sampled = sql[:position] + " " + clause + sql[position:]
    return (sampled, params), 100.0 / percent


def _facet_labels(counts):
    """``{facet: {raw value: (value for the filter, label)}}`` for the values counted."""
    actor_ids = [int(v) for v in counts["actor"]]
    tag_ids = [int(v) for v in counts["tag"]]
    actors = Actor.objects.filter(pk__in=actor_ids).values_list("pk", "slug", "name")
    tags = Tag.objects.filter(pk__in=tag_ids).values_list("pk", "slug", "name")
    return {
        "kind": {k: (k, str(label)) for k, label in Kind.choices},
        "language": {k: (k, str(label)) for k, label in Language.choices},
        "year": {v: (v, v) for v in counts["year"] if v},
        "actor": {str(pk): (slug, name) for pk, slug, name in actors},
        "tag": {str(pk): (slug, name) for pk, slug, name in tags},
    }


__all__ = ["Facet", "FacetValue", "Hit", "SearchResults", "search"]
