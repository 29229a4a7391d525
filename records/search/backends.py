"""The little SQL that differs between PostgreSQL and SQLite.

PostgreSQL: two generated ``tsvector`` columns on ``records_record`` (all fields, and
the head fields alone) built from the normalised tokens with the ``simple``
configuration, each with a GIN index. SQLite: an FTS5 table over the same two columns,
kept in step by triggers. Both read the tokens the Python normaliser wrote, so they
match the same records for the same query.
"""

import json

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import BigIntegerField, BooleanField, Q
from django.db.models.expressions import RawSQL
from django.db.utils import OperationalError

from archive.db_router import read_alias, read_connection
from records.core.postgres import session_settings
from records.models import Status

POSTGRES_INSTALL = [
    """ALTER TABLE records_record ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
       (to_tsvector('simple'::regconfig, search_head || ' ' || search_text)) STORED""",
    """ALTER TABLE records_record ADD COLUMN search_head_vector tsvector GENERATED ALWAYS AS
       (to_tsvector('simple'::regconfig, search_head)) STORED""",
    "CREATE INDEX record_search_vector ON records_record USING gin (search_vector)",
    "CREATE INDEX record_search_head_vector ON records_record USING gin (search_head_vector)",
    # Both date orders of published records, so "newest first" over a search that matches
    # half the archive reads the first page from the index and stops. (Not on SQLite,
    # whose indexes cannot say NULLS LAST.)
    """CREATE INDEX record_published_newest ON records_record
       (date DESC NULLS LAST, date_precision DESC, created_at DESC, id DESC)
       WHERE status = 'published'""",
    """CREATE INDEX record_published_oldest ON records_record
       (date ASC NULLS LAST, date_precision, created_at, id) WHERE status = 'published'""",
]
# Added by migration 0009 (so not in the list above, which migration 0003 runs).
SHUFFLE_INSTALL = [
    # A fair sample of a large result set: the first matches in a random order.
    """CREATE INDEX record_published_shuffle ON records_record (hashint8(id), id)
       WHERE status = 'published'""",
    # Estimates for words in about 0.1% of records or more come from the statistics.
    "ALTER TABLE records_record ALTER COLUMN search_vector SET STATISTICS 1000",
]
# Added by migration 0011. Every pair of adjacent tokens as one lexeme, "kamer_beograd", so
# a phrase is first an AND of pairs on a GIN index; word positions are then checked only on
# those candidates (the text index alone cannot check positions: a phrase of two common
# words that are rarely adjacent used to re-check tens of thousands of records). Field
# separators are dropped, as ``to_tsvector`` drops them, so a pair is exactly two adjacent
# positions of ``search_vector``. Only the first 200,000 characters are paired:
# ``search_vector``'s positions stop at 16,383 (so phrases further on never matched there
# either), and the pairs stay well under the 1 MB a tsvector may hold. (A function over
# the split words: a regular expression doing the same took three times as long.)
PAIRS_INSTALL = [
    """CREATE OR REPLACE FUNCTION records_search_pairs(text) RETURNS tsvector
       IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
         SELECT coalesce(array_to_tsvector(array_agg(word || '_' || next)), ''::tsvector)
         FROM (SELECT word, lead(word) OVER (ORDER BY i) AS next
               FROM unnest(string_to_array(left($1, 200000), ' ')) WITH ORDINALITY AS t(word, i)
               WHERE word NOT IN ('', '|')) AS words
         WHERE next IS NOT NULL
       $$""",
    """ALTER TABLE records_record ADD COLUMN search_pairs tsvector GENERATED ALWAYS AS
       (records_search_pairs(search_head || ' ' || search_text)) STORED""",
    "CREATE INDEX record_search_pairs ON records_record USING gin (search_pairs)",
]


def _per_language(index, column):
    """Statements that make (and drop) a GIN index on ``column`` for English records and
    one for Serbian records (both scripts)."""
    where = {"en": "language = 'en'", "sr": "language IN ('sr-Latn', 'sr-Cyrl')"}
    install = [
        f"CREATE INDEX {index}_{code} ON records_record USING gin ({column}) WHERE {condition}"
        for code, condition in where.items()
    ]
    return install, [f"DROP INDEX IF EXISTS {index}_{code}" for code in where]


# Added by migration 0013. The text index again, once for English records and once for
# Serbian ones: a filter on the language then reads only its own records' entries. The
# planner takes words and filters as independent, but they are not: a Serbian word has
# no match among English records, and with one index for all, ``language=en`` made the
# database read every record that has the word (or walk every record) to find none.
LANGUAGE_INSTALL, LANGUAGE_UNINSTALL = _per_language("record_search_vector", "search_vector")
# Added by migration 0019, for the same reason: the pairs index again per language, so a
# phrase under a language filter meets only that language's candidates ("video nadzor"
# under language=en: 145 matches among 45,770 records with the pair, every one of them
# read from the table to learn its language, 300 ms at 1,000,000 records).
LANGUAGE_PAIRS_INSTALL, LANGUAGE_PAIRS_UNINSTALL = _per_language(
    "record_search_pairs", "search_pairs"
)
PAIRS_UNINSTALL = [
    "DROP INDEX IF EXISTS record_search_pairs",
    "ALTER TABLE records_record DROP COLUMN IF EXISTS search_pairs",
    "DROP FUNCTION IF EXISTS records_search_pairs(text)",
]
POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS record_published_shuffle",
    "DROP INDEX IF EXISTS record_published_newest",
    "DROP INDEX IF EXISTS record_published_oldest",
    "ALTER TABLE records_record DROP COLUMN IF EXISTS search_head_vector",
    "ALTER TABLE records_record DROP COLUMN IF EXISTS search_vector",
]

SQLITE_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS records_search USING fts5(
    search_head, search_text, content='records_record', content_rowid='id')"""
# Django rebuilds an SQLite table to alter it, which drops its triggers: they are
# (re)created after every migrate by ``ensure_sqlite_triggers``.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS records_search_insert AFTER INSERT ON records_record BEGIN
         INSERT INTO records_search (rowid, search_head, search_text)
         VALUES (new.id, new.search_head, new.search_text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS records_search_delete AFTER DELETE ON records_record BEGIN
         INSERT INTO records_search (records_search, rowid, search_head, search_text)
         VALUES ('delete', old.id, old.search_head, old.search_text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS records_search_update
       AFTER UPDATE OF search_head, search_text ON records_record BEGIN
         INSERT INTO records_search (records_search, rowid, search_head, search_text)
         VALUES ('delete', old.id, old.search_head, old.search_text);
         INSERT INTO records_search (rowid, search_head, search_text)
         VALUES (new.id, new.search_head, new.search_text);
       END""",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS records_search_insert",
    "DROP TRIGGER IF EXISTS records_search_delete",
    "DROP TRIGGER IF EXISTS records_search_update",
    "DROP TABLE IF EXISTS records_search",
]


def install(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRES_INSTALL:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TABLE)
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)
        schema_editor.execute("INSERT INTO records_search (records_search) VALUES ('rebuild')")


def uninstall(schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES_UNINSTALL, "sqlite": SQLITE_UNINSTALL}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def ensure_sqlite_triggers(using):
    db = connections[using]
    if db.vendor != "sqlite":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'records_search'")
        if cursor.fetchone() is None:
            return
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


def matches(query, *, head_only=False):
    """A condition for ``Record.objects.filter()``: the record matches ``query``."""
    if connection.vendor == "postgresql":
        column = "search_head_vector" if head_only else "search_vector"
        pairs = None if head_only else query.to_pairs_tsquery()
        if pairs is None:
            # The column is one of two fixed names; the query travels as a parameter.
            return RawSQL(  # noqa: S611
                f'"records_record"."{column}" @@ to_tsquery(\'simple\', %s)',
                [query.to_tsquery(positive_only=head_only)],
                output_field=BooleanField(),
            )
        # Phrases: candidates from the pairs index (and the words' index), then the exact
        # check on positions, as a function call so that the planner neither tries to use
        # the text index for it nor multiplies in the words' selectivity a second time.
        # Two-word phrases need no check: their pair is exactly two adjacent positions
        # (and the check, reading each candidate's search_vector, cost 100-200 ms).
        words = query.to_words_tsquery()
        sql = '"records_record"."search_pairs" @@ %s::tsquery'
        params = [pairs]
        if words:
            sql += ' AND "records_record"."search_vector" @@ to_tsquery(\'simple\', %s)'
            params.append(words)
        if query.pairs_need_check:
            sql += ' AND ts_match_vq("records_record"."search_vector", to_tsquery(\'simple\', %s))'
            params.append(query.to_tsquery())
        return RawSQL(f"({sql})", params, output_field=BooleanField())  # noqa: S611
    expression = query.to_fts5(positive_only=head_only)
    if head_only:
        expression = "{search_head} : (" + expression + ")"
    return RawSQL(
        '"records_record"."id" IN (SELECT rowid FROM records_search WHERE records_search MATCH %s)',
        [expression],
        output_field=BooleanField(),
    )


def shuffled(*, by_index=True):
    """An order that is random with respect to everything a record says, the same on every
    request: a hash of the id. A sample of the first matches in this order is a fair sample
    of all of them. ``by_index`` lets PostgreSQL walk its index of that order and stop early,
    which pays when many records match; for fewer, the hash is computed over the matches
    found through the text index and sorted (the planner, left alone, often walks the whole
    order index instead)."""
    if connection.vendor == "postgresql":
        key = (
            'hashint8("records_record"."id")'
            if by_index
            else '(hashint8("records_record"."id") + 0)'
        )
    else:
        key = '(("records_record"."id" * 2654435761) & 4294967295)'
    # A constant expression: nothing from the request reaches it.
    return [RawSQL(key, [], output_field=BigIntegerField()).asc(), "id"]  # noqa: S611


_BY_ADDRESS = (
    '"records_record"."ctid" = ANY(ARRAY('
    'SELECT "records_record"."ctid" FROM "records_record" WHERE {}{}))'
)


def _by_address(conditions, params, *, language=None, limit=None):
    """A condition for ``Record.objects.filter()`` (PostgreSQL): the row is one of the
    published records (of ``language``) that meet ``conditions`` (SQL with ``params``),
    the first ``limit`` of them if given. Those rows are looked up on their own, by row
    address, so that the database answers them from the text indexes alone; the
    queryset's other filters (kind, dates, actor, tag) are then tested on the few rows
    found. Given those filters as well, the planner intersected the text's index with the
    kind's or the date's (a bitmap of 250,000 rows: 25 ms) or read every match of the
    words in the table to test them (60,000 rows, 200 ms, at 1,000,000 records). The
    text indexes exist per language, so the language is looked up with the words."""
    where, values = ['"records_record"."status" = %s'], [Status.PUBLISHED]
    if language:
        where.append('"records_record"."language" = %s')
        values.append(language)
    where += conditions
    values += params
    if limit is not None:
        values.append(limit)
    # Fixed SQL fragments only; every value travels as a parameter.
    sql = _BY_ADDRESS.format(" AND ".join(where), "" if limit is None else " LIMIT %s")
    return RawSQL(sql, values, output_field=BooleanField())  # noqa: S611


def sample_range(query, fraction, *, language=None):
    """A condition for ``Record.objects.filter()`` (PostgreSQL): the record matches
    ``query`` and the hash of its id (the order ``shuffled`` sorts by) lies in the lowest
    ``fraction`` of its range; so the first matches in that order are found among about
    ``fraction`` of all matches, the text's index and ``record_published_shuffle``
    intersected (``_by_address``)."""
    top = -(2**31) + int(fraction * 2**32)  # hashint8 gives a 32-bit integer
    match = matches(query)
    return _by_address(
        ['hashint8("records_record"."id") < %s', match.sql],
        [top, *match.params],
        language=language,
    )


# PostgreSQL's selectivity for a boolean function it knows nothing about, such as the
# position check of a phrase (``matches``): an estimate is divided by it to undo it.
_OPAQUE_SELECTIVITY = 0.3333333


def estimated_matches(matched, query):
    """``estimated_count`` of a search's ``matched`` queryset (``None`` on SQLite)."""
    estimate = estimated_count(matched)
    if estimate and query and query.to_pairs_tsquery() is not None and query.pairs_need_check:
        published = estimated_count(matched.model.objects.published())
        estimate = min(round(estimate / _OPAQUE_SELECTIVITY), published or estimate)
    return estimate


def head_matches(queryset, query, *, scan=None):
    """``queryset``'s records whose head (title, actors, tags) has every clause and whose
    text has none of the excluded words. The head index alone finds them: a match in the
    head is a match in the whole (on PostgreSQL, reading the whole-text index here too
    costs a bitmap of every match). With ``scan``, on PostgreSQL, they are looked for among
    the first ``scan`` published records whose head matches, by row address
    (``_by_address``), so their cost is bounded whatever the other filters. (Not by
    language first: the head's index is one for all languages, and a language test in
    the lookup read 35,000 rows.)"""
    if connection.vendor != "postgresql":
        return queryset.filter(matches(query)).filter(matches(query, head_only=True))
    in_head = matches(query, head_only=True)
    if scan is None:
        queryset = queryset.filter(in_head)
    else:
        queryset = queryset.filter(_by_address([in_head.sql], list(in_head.params), limit=scan))
    if query.excluded:
        # Only checked on the head's matches, so not through the index.
        queryset = queryset.filter(
            RawSQL(
                'ts_match_vq("records_record"."search_vector", to_tsquery(\'simple\', %s))',
                [query.to_tsquery()],
                output_field=BooleanField(),
            )
        )
    return queryset


def with_timeout(milliseconds, run):
    """``run()``, or ``None`` if it takes more than ``milliseconds`` (PostgreSQL; elsewhere
    it simply runs). In a savepoint, so that the cancelled statement leaves the request's
    transaction usable."""
    if connection.vendor != "postgresql":
        return run()
    try:
        with transaction.atomic(using=read_alias()):
            with read_connection().cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('statement_timeout'), "
                    "set_config('statement_timeout', %s, true)",
                    [f"{milliseconds}ms"],
                )
                previous = cursor.fetchone()[0]
            result = run()
            with read_connection().cursor() as cursor:
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return result
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != "57014":  # query_canceled
            raise
        return None


def bitmap_work_mem(megabytes=64):
    """The text index, not a scan of the whole table (which the planner picks for a word
    in a fifth of the records: 1.9 s at 230,000), with enough memory for the bitmap of
    the matches to stay exact (a lossy page re-checks every row's ``tsvector``: 880 ms
    instead of 120 for a common word at 1,000,000 records), and no JIT compilation (the
    planner's large estimates asked for it; compiling took 5-9 ms of a 20 ms query)."""
    return session_settings(work_mem=f"{megabytes}MB", enable_seqscan="off", jit="off")


def estimated_count(queryset):
    """The planner's estimate of how many rows ``queryset`` returns (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return None
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # queryset.none(): nothing to estimate
        return 0
    with read_connection().cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def pk_in(ids):
    """A condition for ``Record.objects.filter()``: the id is one of ``ids``. On PostgreSQL
    one array parameter: a list of 300 placeholders cost Django and psycopg ~5 ms."""
    if connection.vendor == "postgresql":
        return RawSQL('"records_record"."id" = ANY(%s)', [list(ids)], output_field=BooleanField())
    return Q(pk__in=list(ids))


def id_list(ids):
    """A ``record_id <fragment>`` test for a list of ids, and its parameters."""
    if connection.vendor == "postgresql":
        return "= ANY(%s)", [list(ids)]
    return "IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]
