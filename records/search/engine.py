"""Search: match, count, rank, facet and highlight, over a bound ``RecordFilter``.

The filterset does the matching and filtering in the database (``q`` plus every other
filter, on published records only). From there, two paths:

- **Up to ``EXACT_COUNT_LIMIT`` matches** (tried unless PostgreSQL's planner expects more
  than ``LARGE_ESTIMATE``): one query fetches every match's id, kind, language and date.
  That gives the exact count, both date orders, and the kind, language and year facets;
  one more query counts actors and tags over those ids.
- **More matches**: the count is the planner's estimate and the facets are counted over
  a random sample of the table's pages (``TABLESAMPLE``) and scaled up; both are labelled
  "about". Date order reads the first page straight from the date index.

**Relevance** is scored in Python (``scoring``) from the stored tokens, so both databases
rank alike. With more than ``RANK_CANDIDATES`` matches, the candidates are the newest
matches plus the newest matches in titles, actors and tags (``HEAD_CANDIDATES``); the
page says the order covers those (``ranked_among``). Date order always covers every match.
"""

import math
from dataclasses import dataclass, field

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from records.markdown import markdown_to_text
from records.models import Actor, FilePage, Kind, Language, Record, Tag
from records.search import backends
from records.search.highlight import highlight, snippet
from records.search.scoring import rank
from records.selectors import for_listing

EXACT_COUNT_LIMIT = 10_000
# Above this planner estimate, the one-pass count is not even tried.
LARGE_ESTIMATE = 50_000
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
class FileHit:
    """Where in an attached file the words were found."""

    name: str
    page: int
    url: str


@dataclass
class Hit:
    record: Record
    title_html: str
    snippet_html: str
    in_file: FileHit | None = None


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
    page_ids: list[int] = field(default_factory=list)
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
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "-date")
    if sort == "relevance" and not query:
        sort = "-date"
    offset = (page - 1) * per_page
    estimate = backends.estimated_count(matched)
    rows = None
    if estimate is None or estimate <= LARGE_ESTIMATE:
        # One pass over the matches gives the exact count, the date order and the facets.
        rows = list(matched.order_by().values_list(*_ROW)[: EXACT_COUNT_LIMIT + 1])
        if len(rows) > EXACT_COUNT_LIMIT:
            rows = None
    if rows is not None:
        results = _search_all(matched, query, rows, sort, offset, per_page, facets)
    else:
        results = _search_sampled(matched, query, estimate, sort, offset, per_page, facets)
    records = {r.pk: r for r in for_listing(Record.objects.filter(pk__in=results.page_ids))}
    results.hits = [_hit(records[pk], query) for pk in results.page_ids if pk in records]
    results.page, results.per_page = page, per_page
    return results


_ROW = ("pk", "kind", "language", "date", "date_precision", "created_at")


def _newest_key(row):
    """``in_date_order(newest_first=True)`` for a ``_ROW``: undated last."""
    pk, _kind, _language, date, precision, created_at = row[:6]
    return (date is None, -(date.toordinal() if date else 0), -(precision or 0),
            -created_at.timestamp(), -pk)  # fmt: skip


def _oldest_key(row):
    pk, _kind, _language, date, precision, created_at = row[:6]
    return (date is None, date.toordinal() if date else 0, precision or 0,
            created_at.timestamp(), pk)  # fmt: skip


def _search_all(matched, query, rows, sort, offset, per_page, with_facets):
    """At most ``EXACT_COUNT_LIMIT`` matches, all in hand: everything is exact."""
    results = SearchResults(hits=[], count=len(rows))
    newest = sorted(rows, key=_newest_key)
    if sort == "relevance":
        candidates = [row[0] for row in newest[:RANK_CANDIDATES]]
        if len(rows) > RANK_CANDIDATES:
            in_head = matched.filter(backends.matches(query, head_only=True))
            candidates = list(
                dict.fromkeys(
                    candidates + list(in_head.values_list("pk", flat=True)[:HEAD_CANDIDATES])
                )
            )
            results.ranked_among = len(candidates)
        results.page_ids = _rank_page(query, candidates, offset, per_page)
    elif sort in ("-date", "date"):
        ordered = newest if sort == "-date" else sorted(rows, key=_oldest_key)
        results.page_ids = [row[0] for row in ordered[offset : offset + per_page]]
    else:
        results.page_ids = list(matched.values_list("pk", flat=True)[offset : offset + per_page])
    if with_facets and rows:
        results.facets = _exact_facets(rows)
    return results


def _search_sampled(matched, query, estimate, sort, offset, per_page, with_facets):
    """More matches than can be counted quickly: an estimated count, relevance over the
    newest matches and the newest head matches, facets over a sample."""
    # SQLite has no estimate: there, count them all.
    exact = estimate is None
    count = matched.order_by().count() if exact else max(estimate, EXACT_COUNT_LIMIT + 1)
    results = SearchResults(hits=[], count=count, count_is_estimate=estimate is not None)
    if sort == "relevance":
        newest = list(matched.values_list("pk", flat=True)[:RANK_CANDIDATES])
        in_head = matched.filter(backends.matches(query, head_only=True))
        candidates = list(
            dict.fromkeys(newest + list(in_head.values_list("pk", flat=True)[:HEAD_CANDIDATES]))
        )
        results.ranked_among = len(candidates)
        results.page_ids = _rank_page(query, candidates, offset, per_page)
    else:
        results.page_ids = list(matched.values_list("pk", flat=True)[offset : offset + per_page])
    if with_facets and count:
        results.facets, results.facets_are_estimates = _facets(matched, count, estimate is not None)
    return results


def _rank_page(query, candidate_ids, offset, per_page):
    rows = list(
        Record.objects.filter(pk__in=candidate_ids).values_list(
            "pk",
            "search_head",
            "search_text",
            "kind",
            "language",
            "date",
            "date_precision",
            "created_at",
        )
    )
    ranked = rank(
        query,
        rows,
        top=offset + per_page,
        tiebreak=lambda row: _newest_key((row[0], *row[3:])),
    )
    return [row[0] for row in ranked[offset : offset + per_page]]


def _hit(record, query):
    forms = query.highlight_forms if query else frozenset()
    language = record.language
    title_html = highlight(record.title, forms, language)
    if forms:
        for source in (record.summary, markdown_to_text(record.body)):
            text = snippet(source, forms, language) if source else None
            if text:
                return Hit(record=record, title_html=title_html, snippet_html=text)
        found = _file_snippet(record, forms)
        if found:
            return Hit(
                record=record, title_html=title_html, snippet_html=found[0], in_file=found[1]
            )
    text = highlight(_shorten(record.summary or markdown_to_text(record.body)), forms, language)
    return Hit(record=record, title_html=title_html, snippet_html=text)


# Pages of attached files searched for a snippet, per result.
MAX_SNIPPET_PAGES = 300


def _file_snippet(record, forms):
    """The first page of an attached file holding a matching word, as a snippet."""
    pages = (
        FilePage.objects.filter(file__attachments__record=record)
        .order_by("file__attachments__position", "file__attachments__pk", "number")
        .values_list("file__attachments__pk", "file__attachments__name", "number", "text")
    )
    for attachment_pk, name, number, text in pages[:MAX_SNIPPET_PAGES].iterator():
        found = snippet(text, forms, record.language) if text else None
        if found:
            url = reverse(
                "records:file-text", kwargs={"public_id": record.public_id, "pk": attachment_pk}
            )
            return found, FileHit(name=name, page=number, url=f"{url}#page-{number}")
    return None


def _shorten(text, words=40):
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# -- facets -------------------------------------------------------------------------


def _facets(matched, count, estimated):
    """Facets over every match, or, when ``estimated``, over a sample scaled up."""
    if not estimated:
        return _facet_list(_facet_counts(*_ids_sql(matched))), False
    counts, sampled = {}, 0
    sample = _sampled_ids_sql(matched, count)
    if sample is not None:
        counts = _facet_counts(*sample)
        sampled = sum(counts["kind"].values())
    if sampled < max(1, FACET_SAMPLE_TARGET // 10):
        # Too few matches fell in the sampled pages: take the first matches found instead.
        counts = _facet_counts(*_ids_sql(matched[:FACET_SAMPLE_TARGET]))
        sampled = sum(counts["kind"].values())
    scale = count / max(sampled, 1)
    scaled = {
        name: {v: round(n * scale) for v, n in values.items()} for name, values in counts.items()
    }
    return _facet_list(scaled), True


def _ids_sql(matched):
    return matched.order_by().values("pk").query.sql_with_params()


def _facet_counts(ids_sql, params):
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
            counts[name][value] = n
    return counts


def _exact_facets(rows):
    counts = {name: {} for name, _label in FACETS}
    for _pk, kind, language, date, _precision, _created in rows:
        counts["kind"][kind] = counts["kind"].get(kind, 0) + 1
        counts["language"][language] = counts["language"].get(language, 0) + 1
        if date:
            year = str(date.year)
            counts["year"][year] = counts["year"].get(year, 0) + 1
    in_ids, params = backends.id_list([row[0] for row in rows])
    sql = f"""
        SELECT 'actor', actor_id, COUNT(DISTINCT record_id) FROM records_recordactor
            WHERE record_id {in_ids} GROUP BY actor_id
        UNION ALL
        SELECT 'tag', tag_id, COUNT(*) FROM records_record_tags
            WHERE record_id {in_ids} GROUP BY tag_id
    """  # noqa: S608 -- in_ids is a fixed fragment; the ids travel as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params * 2)
        for name, value, n in cursor.fetchall():
            counts[name][str(value)] = n
    return _facet_list(counts)


def _sampled_ids_sql(matched, count):
    """The matches within a random sample of the record table's pages (PostgreSQL's
    ``TABLESAMPLE``), sized to hold about ``FACET_SAMPLE_TARGET`` of them."""
    percent = min(100.0, max(0.01, 100.0 * FACET_SAMPLE_TARGET / max(count, 1)))
    clause = backends.sample_clause(percent)
    if clause is None:
        return None
    sql, params = _ids_sql(matched)
    table = '"records_record"'
    position = sql.index(f"FROM {table}") + len(f"FROM {table}")
    return sql[:position] + " " + clause + sql[position:], params


def _facet_list(counts):
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
    return facets


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
