"""Search: match, count, rank, facet and highlight, over a bound ``RecordFilter``.

The filterset does the matching and filtering in the database (``q`` plus every other
filter, on published records only). Then one bounded query reads up to ``SAMPLE_SIZE``
matches, in a fixed random order (``backends.shuffled``, indexed, so for a common word the
database stops as soon as it has them): their id, kind, language and date.

- **Up to ``SAMPLE_SIZE`` matches**: that is all of them, so the count, both date orders
  and every facet are exact, and relevance ranks every match.
- **More**: the count is PostgreSQL's estimate from its word statistics, and the facets
  are the sample's (a fair one, thanks to the random order), scaled up; both are labelled
  "about". Relevance ranks the matches in titles, actors and tags (``HEAD_CANDIDATES``)
  together with the first ``RANK_CANDIDATES`` of the sample, and the page says so
  (``ranked_among``). Date order reads the requested page from the date index and covers
  every match.

Relevance is scored in Python (``scoring``) from the stored tokens, so both databases rank
alike. Measured at 1,000,000 records in ``bench/RESULTS.md``.
"""

import math
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from archive import metrics
from archive.db_router import read_connection
from records.core import placeholders
from records.core.markdown import markdown_to_text
from records.core.postgres import without_parallel_workers
from records.core.transliteration import in_reader_script
from records.foi.scrubbing import scrubber
from records.models import Actor, Attachment, FOIMessage, Kind, Language, Record, Tag
from records.records.selectors import for_listing
from records.search import backends
from records.search.highlight import highlight, snippet
from records.search.scoring import rank

SAMPLE_SIZE = 400
RANK_CANDIDATES = 200
HEAD_CANDIDATES = 100
# ... found among the first this many records whose head matches (every filter then
# tested on those): reading a kind's or a date range's index for them cost 25 ms.
HEAD_SCAN = 2_000
# Matches at least this dense (a share of the published records) are sampled by walking
# the random order's index: the walk meets its 400 matches within a few thousand rows.
WALK_DENSITY = 0.1
# How long that walk may take before the hash range is used instead.
WALK_TIMEOUT_MS = 40
# The hash range is sized for this many times the sample, by the planner's estimate;
# it is widened at most ``RANGE_TRIES - 1`` times, from what the last range held. Past
# ``MAX_RANGE`` of the whole range, reading every match through the indexes (which then
# narrow by the kind, the date and the language too) costs less.
RANGE_MARGIN = 2.0
RANGE_TRIES = 3
MAX_RANGE = 0.25
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
class MessageHit:
    """Which message of an FOI request's correspondence the words were found in."""

    subject: str
    sent_at: object
    url: str


@dataclass
class Hit:
    record: Record
    title_html: str
    snippet_html: str
    in_file: FileHit | None = None
    in_message: MessageHit | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    lang: str = ""  # set when the label is in another language than the page's


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
    def reachable(self):
        """How many results the pages can show: all, or those the relevance order covers."""
        return self.count if self.ranked_among is None else self.ranked_among

    @property
    def has_next(self):
        return self.page * self.per_page < self.reachable

    @property
    def first_number(self):
        """The position of this page's first result in the whole list (1-based)."""
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def num_pages(self):
        return max(1, math.ceil(self.reachable / self.per_page))


@metrics.SEARCH.time()
def search(filterset, *, page=1, per_page=20, facets=True, reader=None):
    """Run the bound, valid ``filterset``'s search and return one page of it.

    ``reader`` is the page's language (``get_language()``): the titles and snippets of
    Serbian records are then in the reader's script, highlighted there. Without it (the
    API) they stay as stored."""
    query = filterset.search_query
    matched = filterset.qs
    sort = filterset.form.cleaned_data.get("sort") or ("relevance" if query else "-date")
    if sort == "relevance" and not query:
        sort = "-date"
    offset = (page - 1) * per_page
    estimate = backends.estimated_matches(matched, query)
    rows = _sample(filterset, query, estimate)
    complete = len(rows) <= SAMPLE_SIZE
    rows = rows[:SAMPLE_SIZE]
    results = SearchResults(hits=[], count=len(rows))
    if not complete:
        results.count, results.count_is_estimate = _estimate_count(matched, estimate)
    if sort == "relevance":
        candidates = [row[0] for row in rows] if complete else _candidates(filterset, query, rows)
        if not complete:
            results.ranked_among = len(candidates)
        results.page_ids = _rank_page(query, candidates, offset, per_page)
    elif sort in ("-date", "date") and complete:
        ordered = sorted(rows, key=_newest_key if sort == "-date" else _oldest_key)
        results.page_ids = [row[0] for row in ordered[offset : offset + per_page]]
    else:
        results.page_ids = list(matched.values_list("pk", flat=True)[offset : offset + per_page])
    if facets and rows:
        scale = 1.0 if complete else results.count / len(rows)
        results.facets = _facets(rows, scale)
        results.facets_are_estimates = not complete
    records = {
        r.pk: r
        for r in for_listing(
            Record.objects.filter(pk__in=results.page_ids).defer("search_head", "search_text")
        )
    }
    # Only the records with files can have a snippet from one: one query finds them.
    with_files = (
        set(
            Attachment.objects.public()
            .filter(record__in=results.page_ids)
            .values_list("record", flat=True)
        )
        if query and results.page_ids
        else set()
    )
    results.hits = [
        _hit(records[pk], query, has_files=pk in with_files, reader=reader)
        for pk in results.page_ids
        if pk in records
    ]
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


def _sample(filterset, query, estimate):
    """Up to ``SAMPLE_SIZE + 1`` matches (``_ROW``s): the first in the random order of
    ``backends.shuffled``. However they are found, they are the same rows.

    - Few matches (or SQLite): all of them, through the text index, sorted.
    - Dense matches (a common word, ``WALK_DENSITY``): walk the order's index until the
      sample is full, within ``WALK_TIMEOUT_MS`` (the planner's estimate takes words and
      filters as independent; a Serbian word under ``language=en`` has no match at all).
    - Otherwise: the matches whose hash lies in the lowest part of its range, sized from
      the estimate for about twice the sample (``backends.sample_range``). The database
      then reads about that many rows, not every match: the first 400 of 40,000 matches of
      two common words cost 20 ms instead of 300 (bench/RESULTS.md). If the range holds
      too few, it widens from what it found; past ``RANGE_TRIES`` tries, or past
      ``MAX_RANGE`` of the order, every match is read."""
    matched = filterset.qs
    limit = SAMPLE_SIZE + 1
    if estimate is not None and estimate > SAMPLE_SIZE:
        published = backends.estimated_count(Record.objects.published()) or 1
        if estimate >= WALK_DENSITY * published:
            walked = backends.with_timeout(
                WALK_TIMEOUT_MS,
                lambda: list(
                    matched.order_by(*backends.shuffled(by_index=True)).values_list(*_ROW)[:limit]
                ),
            )
            if walked is not None:
                return walked
        unmatched = _filtered_without_words(filterset)
        language = filterset.form.cleaned_data.get("language") or None
        fraction = RANGE_MARGIN * limit / estimate
        for _try in range(RANGE_TRIES):
            if fraction > MAX_RANGE:
                break
            with backends.bitmap_work_mem():
                rows = list(
                    unmatched.filter(backends.sample_range(query, fraction, language=language))
                    .order_by(*backends.shuffled(by_index=False))
                    .values_list(*_ROW)[:limit]
                )
            if len(rows) == limit:
                return rows
            # The range held len(rows) of the matches: size the next from that density.
            fraction = RANGE_MARGIN * limit * fraction / len(rows) if rows else 1.0
    with backends.bitmap_work_mem():
        return list(matched.order_by(*backends.shuffled(by_index=False)).values_list(*_ROW)[:limit])


def _estimate_count(matched, estimate):
    """More than ``SAMPLE_SIZE`` matches: PostgreSQL's planner estimate (from the word
    statistics), never below what was seen. SQLite has none and counts them all."""
    if estimate is None:
        return matched.order_by().count(), False
    return max(estimate, SAMPLE_SIZE + 1), True


def _candidates(filterset, query, rows):
    """Matches in titles, actors and tags first, then the start of the sample."""
    in_head = backends.head_matches(_filtered_without_words(filterset), query, scan=HEAD_SCAN)
    head_ids = list(in_head.values_list("pk", flat=True)[:HEAD_CANDIDATES])
    return list(dict.fromkeys(head_ids + [row[0] for row in rows[:RANK_CANDIDATES]]))


def _filtered_without_words(filterset):
    """The filterset's records with every filter but the search words (and no order)."""
    queryset = filterset.queryset
    for name, value in filterset.form.cleaned_data.items():
        if name not in ("q", "sort"):
            queryset = filterset.filters[name].filter(queryset, value)
    return queryset.order_by()


def _rank_page(query, candidate_ids, offset, per_page):
    rows = list(
        Record.objects.filter(backends.pk_in(candidate_ids)).values_list(
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


def _hit(record, query, *, has_files=True, reader=None):
    """The record's title and snippet, marked. Highlighting is script-blind (a word is
    normalised to Latin before it is compared), so the text is put in the reader's
    script first and marked there: ``kamere`` marks "камере" shown in Cyrillic and
    "kamere" shown in Latin alike."""
    forms = query.highlight_forms if query else frozenset()
    language = record.language

    def shown(text):
        return in_reader_script(text, language, reader) if reader else text

    title_html = highlight(shown(record.title), forms, language)
    # An FOI request's letter and files are shown without its requester's identity, what
    # was taken out in the reader's language.
    scrubbed = scrubber(record)

    def clean(text):
        return placeholders.render(scrubbed(text))

    if forms:
        for source in (record.summary, markdown_to_text(record.body)):
            text = snippet(shown(clean(source)), forms, language) if source else None
            if text:
                return Hit(record=record, title_html=title_html, snippet_html=text)
        found = (
            _message_snippet(record, forms, lambda text: shown(clean(text)))
            if record.kind == Kind.FOI_REQUEST
            else None
        )
        if found:
            return Hit(
                record=record, title_html=title_html, snippet_html=found[0], in_message=found[1]
            )
        found = _file_snippet(record, forms, clean) if has_files else None
        if found:
            return Hit(
                record=record, title_html=title_html, snippet_html=found[0], in_file=found[1]
            )
    text = highlight(
        _shorten(shown(clean(record.summary or markdown_to_text(record.body)))), forms, language
    )
    return Hit(record=record, title_html=title_html, snippet_html=text)


# Pages of attached files searched for a snippet, per result.
MAX_SNIPPET_PAGES = 300


def _file_snippet(record, forms, clean):
    """The first page of a public attached file holding a matching word, as a snippet
    (a file held for review is searched by nobody)."""
    pages = (
        Attachment.objects.public()
        .filter(record=record, file__page_texts__isnull=False)
        .order_by("position", "pk", "file__page_texts__number")
        .values_list("pk", "name", "file__page_texts__number", "file__page_texts__text")
    )
    for attachment_pk, name, number, text in pages[:MAX_SNIPPET_PAGES].iterator():
        found = snippet(clean(text), forms, record.language) if text else None
        if found:
            url = reverse(
                "records:file-text", kwargs={"public_id": record.public_id, "pk": attachment_pk}
            )
            return found, FileHit(
                name=placeholders.render(name), page=number, url=f"{url}#page-{number}"
            )
    return None


def _message_snippet(record, forms, shown):
    """The first message of a request's correspondence holding a matching word, as the
    public reads it (the same text the index was built from)."""
    messages = (
        FOIMessage.objects.filter(request_id=record.pk)
        .select_related("request")
        .order_by("sent_at", "pk")
    )
    for message in messages:
        text = shown(message.public_text or "")
        found = snippet(text, forms, record.language) if text else None
        if not found and message.subject:
            found = snippet(shown(message.public_subject), forms, record.language)
        if found:
            return found, MessageHit(
                subject=message.subject_for_reader(),
                sent_at=message.sent_at,
                url=f"{record.get_absolute_url()}#message-{message.pk}",
            )
    return None


def _shorten(text, words=40):
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


# -- facets -------------------------------------------------------------------------


def _facets(rows, scale):
    """Facet counts over ``rows`` (the matches, or a sample of them scaled by ``scale``)."""
    counts = {name: {} for name, _label in FACETS}
    for _pk, kind, language, date, *_rest in rows:
        counts["kind"][kind] = counts["kind"].get(kind, 0) + 1
        counts["language"][language] = counts["language"].get(language, 0) + 1
        if date:
            year = str(date.year)
            counts["year"][year] = counts["year"].get(year, 0) + 1
    in_ids, params = backends.id_list(sorted(row[0] for row in rows))
    sql = f"""
        SELECT 'actor', actor_id, COUNT(DISTINCT record_id) FROM records_recordactor
            WHERE record_id {in_ids} GROUP BY actor_id
        UNION ALL
        SELECT 'tag', tag_id, COUNT(*) FROM records_record_tags
            WHERE record_id {in_ids} GROUP BY tag_id
    """  # noqa: S608 -- in_ids is a fixed fragment; the ids travel as parameters
    with without_parallel_workers(), read_connection().cursor() as cursor:
        cursor.execute(sql, params * 2)
        for name, value, n in cursor.fetchall():
            counts[name][str(value)] = n
    if scale != 1.0:
        counts = {
            name: {value: round(n * scale) for value, n in values.items()}
            for name, values in counts.items()
        }
    return _facet_list(counts)


def _contenders(values, limit=FACET_LIMIT):
    """The values that can be among the ``limit`` largest counts (ties at the edge kept,
    since labels break them): only these need a label from the database. A common word's
    sample meets thousands of actors and tags; the page shows ten of each."""
    if len(values) <= limit:
        return values
    ranked = sorted(values.items(), key=lambda item: -item[1])
    edge = ranked[limit - 1][1]
    return {value: n for value, n in ranked if n >= edge}


def _facet_list(counts):
    counts = {
        name: _contenders(values) if name in ("actor", "tag") else values
        for name, values in counts.items()
    }
    labels = _facet_labels(counts)
    facets = []
    for name, label in FACETS:
        values = [
            FacetValue(
                value=labels[name][value][0],
                label=labels[name][value][1],
                count=n,
                lang=labels[name][value][2] if len(labels[name][value]) > 2 else "",
            )
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


def _label(named, reader):
    """(name as this reader reads it, its ``lang`` if it is not the page's language)."""
    name, language = named.name_in(reader)
    return name, "en" if language == "en" and not reader.startswith("en") else ""


def _facet_labels(counts):
    """``{facet: {raw value: (value for the filter, label)}}`` for the values counted."""
    actor_ids = [int(v) for v in counts["actor"]]
    tag_ids = [int(v) for v in counts["tag"]]
    reader = get_language() or "en"
    names = ("slug", "name")
    actors = Actor.objects.filter(pk__in=actor_ids).only(*names, *Actor.SEARCHED_NAMES)
    tags = Tag.objects.filter(pk__in=tag_ids).only(*names, *Tag.SEARCHED_NAMES)
    return {
        "kind": {k: (k, str(label)) for k, label in Kind.choices},
        "language": {k: (k, str(label)) for k, label in Language.choices},
        "year": {v: (v, v) for v in counts["year"] if v},
        "actor": {str(a.pk): (a.slug, *_label(a, reader)) for a in actors},
        "tag": {str(t.pk): (t.slug, *_label(t, reader)) for t in tags},
    }


__all__ = ["Facet", "FacetValue", "Hit", "SearchResults", "search"]
