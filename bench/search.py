"""Search benchmark: load a synthetic corpus into PostgreSQL, then time the search.

    uv run python bench/search.py load --records 1000000 [--seed 1]
    uv run python bench/search.py run [--json results.json]
    uv run python bench/search.py explain 'kamere' [--param kind=document]

Everything happens in its own database, ``nadzor_bench`` (``--database-url`` or
``BENCH_DATABASE_URL`` to change it), which ``load`` creates and migrates.

``load`` writes records, their kind's row, actors, tags and their links with COPY. The
search columns are computed by the real indexing code (``records.search.fields.
index_columns``) in two worker processes; PostgreSQL derives the generated ``tsvector``
columns itself. The search indexes are dropped for the load and then built again from
``records.search.backends.POSTGRES_INSTALL``. It also adds the plain-FTS baseline column
(``baseline_vector``, ``serbian`` configuration) with its GIN index, in this database only.

``run`` times a fixed, seeded mix of queries, class by class, through the JSON API
(``GET /api/records/?q=...`` with Django's test client: filters, relevance order,
snippets and facets included), and the same classes with two baselines on the same
data: the naive ``icontains`` over title and body, and plain PostgreSQL full-text search
with the ``serbian`` configuration ranking every match with ``ts_rank``.
"""

import argparse
import collections
import datetime
import json
import multiprocessing
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import ensure_database, log, setup_django  # noqa: E402
from bench.corpus import DOMAIN, Corpus  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadzor_bench"
TARGET_P95_MS = 150.0
TARGET_RSS_MB = 500.0
TARGET_SPEEDUP = 5.0

RECORD_COLUMNS = [
    "id",
    "public_id",
    "kind",
    "title",
    "summary",
    "body",
    "date",
    "date_precision",
    "language",
    "source_url",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "search_head",
    "search_text",
]
SEARCH_INDEXES = (
    "record_search_vector",
    "record_search_head_vector",
    "record_published_newest",
    "record_published_oldest",
    "record_search_pairs",
    # Per language (migrations 0013 and 0019): kept up during the load, they slowed it.
    "record_search_vector_en",
    "record_search_vector_sr",
    "record_search_pairs_en",
    "record_search_pairs_sr",
)
BASELINE_COLUMN = """ALTER TABLE records_record ADD COLUMN IF NOT EXISTS baseline_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('serbian'::regconfig,
        title || ' ' || summary || ' ' || body)) STORED"""
BASELINE_INDEX = "CREATE INDEX record_baseline_vector ON records_record USING gin (baseline_vector)"
LOADED_TABLES = (
    "records_record_tags",
    "records_recordactor",
    "records_document",
    "records_foirequest",
    "records_statement",
    "records_response",
    "records_link",
    "records_revision",
    "records_record",
    "records_actor",
    "records_tag",
)
CREATED_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def database_url(args):
    return args.database_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL


# -- load -----------------------------------------------------------------------------


def _copy_text(value):
    if value is None:
        return "\\N"
    return (
        str(value)
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _line(values):
    return "\t".join(_copy_text(v) for v in values) + "\n"


_WORKER = {}


def _worker_init(seed, actor_ids, tag_ids, cache_words):
    setup_django(os.environ["DATABASE_URL"])
    if cache_words:
        # The same normaliser with a cache that holds the whole vocabulary (some million
        # word forms) instead of 200,000: a bulk load meets every form again and again,
        # and the pure-Python Serbian stemmer costs ~0.2 ms a word. Same output.
        import functools

        from records.search import normalise

        normalise.normalise_word = functools.lru_cache(maxsize=None)(
            normalise.normalise_word.__wrapped__
        )
    _WORKER["corpus"] = Corpus(seed)
    _WORKER["actors"] = actor_ids
    _WORKER["tags"] = tag_ids


def _partial_date(text):
    if not text:
        return None, None
    parts = [int(p) for p in text.split("-")]
    precision = len(parts)
    while len(parts) < 3:
        parts.append(1)
    return datetime.date(*parts), precision


def build_chunk(start, stop):
    """COPY text for records ``start`` to ``stop - 1``, one string per table."""
    from records.search.fields import index_columns

    corpus, actor_ids, tag_ids = _WORKER["corpus"], _WORKER["actors"], _WORKER["tags"]
    out = collections.defaultdict(list)
    for number in range(start, stop):
        data = corpus.record(number)
        actor_names = [a["name"] for a in data["actors"]]
        head, text = index_columns(
            title=data["title"],
            actors=actor_names,
            tags=data["tags"],
            summary=data["summary"],
            body=data["body"],
            files="",
            language=data["language"],
        )
        date, precision = _partial_date(data["date"])
        created = CREATED_EPOCH + datetime.timedelta(seconds=75 * number)
        published = created + datetime.timedelta(hours=1)
        out["records_record"].append(
            _line(
                (
                    number,
                    data["id"],
                    data["kind"],
                    data["title"],
                    data["summary"],
                    data["body"],
                    date,
                    precision,
                    data["language"],
                    data["source_url"] or "",
                    data["status"],
                    published.isoformat(),
                    created.isoformat(),
                    published.isoformat(),
                    head,
                    text,
                )
            )
        )
        kind = data["kind"]
        if kind == "document":
            out["records_document"].append(_line((number, data["document"]["document_type"])))
        elif kind == "foi_request":
            # The FOI workflow's own fields: an archived request, no reply expected.
            token = f"{number:024x}"
            out["records_foirequest"].append(_line((number, "successful", token, "", False)))
        elif kind == "statement":
            statement = data["statement"]
            out["records_statement"].append(_line((number, statement["venue"], statement["quote"])))
        else:
            out["records_response"].append(_line((number, data["response"]["response_type"])))
        for actor in data["actors"]:
            out["records_recordactor"].append(
                _line((actor["role"], actor_ids[(actor["name"], actor["kind"])], number))
            )
        for tag in data["tags"]:
            out["records_record_tags"].append(_line((number, tag_ids[tag])))
    return stop - start, {table: "".join(lines) for table, lines in out.items()}


COPY_COLUMNS = {
    "records_record": RECORD_COLUMNS,
    "records_document": ["record_ptr_id", "document_type"],
    "records_foirequest": ["record_ptr_id", "foi_status", "reply_token", "sent_via", "urgent"],
    "records_statement": ["record_ptr_id", "venue", "quote"],
    "records_response": ["record_ptr_id", "response_type"],
    "records_recordactor": ["role", "actor_id", "record_id"],
    "records_record_tags": ["record_id", "tag_id"],
}


def _copy(cursor, table, text):
    if not text:
        return
    columns = ", ".join(COPY_COLUMNS[table])
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        copy.write(text)


def _unique_slug(text, seen, max_length):
    from django.utils.text import slugify

    base = slugify(text, allow_unicode=True)[: max_length - 6].strip("-") or "x"
    slug, n = base, 1
    while slug in seen:
        n += 1
        slug = f"{base}-{n}"
    seen.add(slug)
    return slug


def load(args):
    url = database_url(args)
    ensure_database(url)
    setup_django(url)
    import psycopg
    from django.core.management import call_command

    from records.search import backends
    from records.search.normalise import search_name

    started = time.monotonic()
    phases = {}
    call_command("migrate", verbosity=0)
    corpus = Corpus(args.seed)
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        # CASCADE: tables added since (FOI events...) refer to the loaded ones; empty here.
        cur.execute("TRUNCATE " + ", ".join(LOADED_TABLES) + " RESTART IDENTITY CASCADE")
        cur.execute(BASELINE_COLUMN)
        for name in (*SEARCH_INDEXES, "record_baseline_vector"):
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        # Foreign keys into the loaded tables are checked once at the end instead of once
        # a row: remember them, drop them, add them back after the load.
        cur.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
               FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
            [list(LOADED_TABLES)],
        )
        foreign_keys = cur.fetchall()
        for table, name, _definition in foreign_keys:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')

        # Actors and tags first: records refer to them by id.
        actor_ids, slugs, lines = {}, set(), []
        for index, actor in enumerate(corpus.actors, start=1):
            actor_ids[(actor["name"], actor["kind"])] = index
            slug = _unique_slug(actor["name"], slugs, 120)
            lines.append(
                _line(
                    (
                        index,
                        actor["name"],
                        actor["kind"],
                        slug,
                        "",
                        "",
                        search_name(actor["name"]),
                        False,
                        "",
                        "",
                    )
                )
            )
        with cur.copy(
            "COPY records_actor (id, name, kind, slug, description, website, search_name, "
            "appeals_to_commissioner, foi_email, postal_address) FROM STDIN"
        ) as copy:
            copy.write("".join(lines))
        tag_ids, slugs, lines = {}, set(), []
        for index, tag in enumerate(corpus.tags, start=1):
            tag_ids[tag] = index
            lines.append(_line((index, tag, _unique_slug(tag, slugs, 100))))
        with cur.copy("COPY records_tag (id, name, slug) FROM STDIN") as copy:
            copy.write("".join(lines))

        from django.db import connections

        connections.close_all()  # the workers are forked: they must not share it
        log(f"loading {args.records:,} records with {args.workers} workers")
        chunks = [
            (start, min(start + args.chunk, args.records + 1))
            for start in range(1, args.records + 1, args.chunk)
        ]
        t0 = time.monotonic()
        done = 0
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(
            args.workers,
            initializer=_worker_init,
            initargs=(args.seed, actor_ids, tag_ids, not args.stock_cache),
        ) as pool:
            pending = collections.deque()
            queue = iter(chunks)
            for chunk in queue:
                pending.append(pool.apply_async(build_chunk, chunk))
                if len(pending) >= 2 * args.workers:
                    break
            while pending:
                n, tables = pending.popleft().get()
                for chunk in queue:
                    pending.append(pool.apply_async(build_chunk, chunk))
                    break
                with conn.transaction():
                    for table in COPY_COLUMNS:
                        _copy(cur, table, tables.get(table, ""))
                done += n
                if done % (args.chunk * 25) == 0 or done == args.records:
                    rate = done / (time.monotonic() - t0)
                    eta = (args.records - done) / rate
                    log(f"  {done:,} records, {rate:,.0f}/s, {eta / 60:.1f} min to go")
        phases["copy"] = time.monotonic() - t0

        t0 = time.monotonic()
        for table in ("records_record", "records_actor", "records_tag", "records_recordactor",
                      "records_record_tags"):  # fmt: skip
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
            )
        for table, name, definition in foreign_keys:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        phases["foreign keys"] = time.monotonic() - t0
        log(f"foreign keys checked in {phases['foreign keys']:.0f} s")

        t0 = time.monotonic()
        cur.execute("SET maintenance_work_mem = '2GB'")
        statements = [
            s
            for s in (
                *backends.POSTGRES_INSTALL,
                *backends.PAIRS_INSTALL,
                *backends.LANGUAGE_INSTALL,
                *backends.LANGUAGE_PAIRS_INSTALL,
            )
            if s.lstrip().startswith("CREATE INDEX")
        ]
        for statement in [*statements, BASELINE_INDEX]:
            t1 = time.monotonic()
            cur.execute(statement)
            log(f"  {' '.join(statement.split()[:3])}: {time.monotonic() - t1:.0f} s")
        phases["indexes"] = time.monotonic() - t0

        t0 = time.monotonic()
        cur.execute("VACUUM (ANALYZE)")
        phases["vacuum analyze"] = time.monotonic() - t0
        log(f"vacuum analyze: {phases['vacuum analyze']:.0f} s")

        total = time.monotonic() - started
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb)")
        meta = {
            "records": args.records,
            "seed": args.seed,
            "workers": args.workers,
            "seconds": round(total, 1),
            "phases": {k: round(v, 1) for k, v in phases.items()},
            "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        cur.execute(
            "INSERT INTO bench_meta VALUES ('load', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(meta)],
        )
    log(f"loaded {args.records:,} records in {total / 60:.1f} min: {meta['phases']}")


# -- queries ----------------------------------------------------------------------------

CLASSES = ("rare", "one_percent", "common", "two_words", "phrase")
CLASS_LABELS = {
    "rare": "rare word (<0.01%)",
    "one_percent": "word in ~1%",
    "common": "word in 20%+",
    "two_words": "two words (AND)",
    "phrase": '"phrase"',
}


def _domain(key):
    return next(t for t in DOMAIN if t.key == key)


def _script(rng, word, cyrillic_share=0.25, ascii_share=0.15):
    """A word as a person might type it: sometimes in Cyrillic, sometimes without
    diacritics."""
    from records.core.transliteration import latin_to_cyrillic
    from records.search.normalise import fold

    roll = rng.random()
    if roll < cyrillic_share:
        return latin_to_cyrillic(word)
    if roll < cyrillic_share + ascii_share:
        return fold(word)
    return word


def build_queries(seed=1, per_class=24):
    """``{class: [query text, ...]}``: a fixed mix for ``seed``."""
    corpus = Corpus(seed)
    rng = random.Random(f"nadzor-bench-queries-{seed}")

    def lemmas(low, high, n_sr, n_en):
        """Words whose expected df is in [low, high]: Serbian ones typed in either script
        (or without diacritics), then English ones."""
        sr = corpus.query_terms(rng, low, high, n_sr, language="sr")
        en = corpus.query_terms(rng, low, high, n_en, language="en")
        return [_script(rng, corpus.word_form(rng, "sr", i)) for i in sr], [
            corpus.word_form(rng, "en", i) for i in en
        ]

    def domain_forms(keys):
        """One single-word Serbian form of each domain term, typed in either script."""
        out = []
        for key in keys:
            forms = [f for f in _domain(key).sr if " " not in f]
            out.append(_script(rng, rng.choice(forms)))
        return out

    queries = {}
    sr, en = lemmas(0.000005, 0.00009, per_class - 8, 3)
    queries["rare"] = domain_forms(["pegasus", "cellebrite", "palantir", "dahua", "clearview"])
    queries["rare"] += sr + en
    one_sr, en = lemmas(0.007, 0.014, per_class - 10, 4)
    # The ASCII spellings people type: "sabic", "djordjevic".
    one = ["sabic", "djordjevic", *domain_forms(["biometrija", "hikvision", "dpia", "zzpl"])]
    queries["one_percent"] = one + one_sr + en
    common_sr, en = lemmas(0.20, 0.70, per_class - 7 - 3, 3)
    common = domain_forms(["nadzor", "kamera", "mup", "beograd", "podaci", "policija", "zahtev"])
    common[1] = "kamere"
    queries["common"] = common + common_sr + en
    sr_common = common + common_sr
    sr_one = one + one_sr

    # Two words, both required: common + common, common + 1 %, 1 % + 1 %, common + rare.
    o, r = sr_one, queries["rare"][:-3]
    pairs = [
        "kamere beograd",
        "Huawei kamere",
        "zahtev MUP",
        "nadzor policija",
        "podaci zahtev",
        "sabic zahtev",
        "biometrija kamere",
        "Hikvision Beograd",
    ]
    while len(pairs) < per_class:
        kind = rng.random()
        if kind < 0.4:
            a, b = rng.sample(sr_common, 2)
        elif kind < 0.75:
            a, b = rng.choice(sr_common), rng.choice(o)
        elif kind < 0.9:
            a, b = rng.sample(o, 2)
        else:
            a, b = rng.choice(sr_common), rng.choice(r)
        pair = f"{a} {b}"
        if pair not in pairs:
            pairs.append(pair)
    queries["two_words"] = pairs

    phrases = [
        '"prepoznavanje lica"',
        '"препознавање лица"',
        '"Safe City"',
        '"facial recognition"',
        '"zastita podataka"',
        '"data protection"',
        '"video nadzor"',
        '"video surveillance"',
        '"Ministarstvo unutrašnjih poslova"',
        '"Министарство унутрашњих послова"',
        '"procena uticaja"',
        '"impact assessment"',
        '"javni prostor"',
        '"public space"',
        '"SHARE Fondacija"',
        '"slobodan pristup informacijama"',
        '"freedom of information"',
        '"Ministry of Interior"',
    ]
    # Two common words that are rarely next to each other: the hard case for a phrase.
    while len(phrases) < per_class:
        a, b = rng.sample(sr_common, 2)
        phrase = f'"{a} {b}"'
        if phrase not in phrases:
            phrases.append(phrase)
    queries["phrase"] = phrases
    return {name: values[:per_class] for name, values in queries.items()}


def filter_params():
    """The filters the "filtered" variant cycles through (one or two at a time)."""
    from records.models import Actor

    mup = Actor.objects.get(name="Ministarstvo unutrašnjih poslova", kind="public_body").slug
    return [
        {"kind": "document"},
        {"language": "sr-Cyrl"},
        {"date_from": "2018", "date_to": "2020"},
        {"kind": "foi_request", "date_from": "2022-03"},
        {"tag": "nadzor"},
        {"actor": mup},
        {"language": "en", "date_from": "2024"},
        {"kind": "statement"},
    ]


def _with_filter(queries, filters):
    return [(q, filters[i % len(filters)]) for i, q in enumerate(queries)]


# -- timing ---------------------------------------------------------------------------


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summarise(ms):
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 0.5), 1),
        "p95": round(percentile(ms, 0.95), 1),
        "max": round(max(ms), 1) if ms else None,
    }


class Ours:
    """The JSON API, through Django's test client: the code path a client hits."""

    name = "ours (API)"

    def __init__(self):
        from django.test import Client

        self.client = Client()

    def __call__(self, q, params):
        response = self.client.get("/api/records/", {"q": q, **params})
        if response.status_code != 200:
            raise RuntimeError(f"{q!r} {params}: {response.status_code} {response.content[:300]}")
        data = response.json()
        return {
            "count": data["count"],
            "estimate": data["count_is_estimate"],
            "ranked_among": data["ranked_among"],
            "facets": bool(data["facets"]),
            "facets_estimate": data["facets_are_estimates"],
            "results": len(data["results"]),
        }


def _filtered(params):
    """The published records narrowed by the non-search filters, newest first."""
    from records.models import Record
    from records.records.filters import RecordFilter

    filterset = RecordFilter(params, queryset=Record.objects.published())
    if not filterset.is_valid():
        raise RuntimeError(filterset.errors)
    return filterset.qs


def _plain_words(q):
    """The words of a web-search query for the naive baseline: a phrase is one string."""
    parts, rest = [], q
    while '"' in rest:
        before, _, after = rest.partition('"')
        phrase, _, rest = after.partition('"')
        parts.extend(before.split())
        parts.append(phrase)
    parts.extend(rest.split())
    return [p for p in parts if p]


class Naive:
    """``icontains`` over title and body (every word), its count and the newest 20."""

    name = "naive icontains"

    def __call__(self, q, params):
        from django.db.models import Q

        qs = _filtered(params)
        for word in _plain_words(q):
            qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
        count = qs.count()
        first = list(qs[:20])
        return {"count": count, "results": len(first)}


class PlainFTS:
    """The stored ``serbian`` tsvector: count every match, rank every match with ts_rank."""

    name = "plain FTS (serbian, ts_rank)"

    def __call__(self, q, params):
        from django.db.models import FloatField
        from django.db.models.expressions import RawSQL

        qs = _filtered(params).extra(
            where=["baseline_vector @@ websearch_to_tsquery('serbian', %s)"], params=[q]
        )
        count = qs.order_by().count()
        rank = RawSQL(
            "ts_rank(baseline_vector, websearch_to_tsquery('serbian', %s))",
            [q],
            output_field=FloatField(),
        )
        first = list(qs.annotate(rank=rank).order_by("-rank").values_list("pk", "title")[:20])
        return {"count": count, "results": len(first)}


def time_class(engine, items, *, repeat, warmup):
    timings, info = [], []
    for q, params in items:
        try:
            for _ in range(warmup):
                engine(q, params)
            mine = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                result = engine(q, params)
                mine.append((time.perf_counter() - t0) * 1000)
        except Exception as error:
            log(f"ERROR {engine.name} q={q!r} {params}: {type(error).__name__}: {error}")
            info.append({"q": q, "params": params, "count": 0, "error": repr(error)})
            continue
        timings.extend(mine)
        info.append({"q": q, "params": params, **result, "ms": [round(t, 1) for t in mine]})
    return timings, info


def machine():
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout  # noqa: S603
        except OSError:
            return ""

    lscpu = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in run(["lscpu"]).splitlines())
    )
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0]
        settings = {}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit",
                     "max_parallel_workers_per_gather", "random_page_cost"):  # fmt: skip
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT pg_size_pretty(pg_total_relation_size('records_record')), "
            "pg_size_pretty(pg_relation_size('records_record')), "
            "pg_size_pretty(pg_relation_size('record_search_vector')), "
            "pg_size_pretty(pg_relation_size('record_search_head_vector')), "
            "pg_size_pretty(pg_relation_size('record_baseline_vector')), "
            "pg_size_pretty(pg_database_size(current_database()))"
        )
        sizes = dict(
            zip(
                ("records_record total", "records_record heap", "record_search_vector",
                 "record_search_head_vector", "record_baseline_vector", "database"),
                cursor.fetchone(),
                strict=True,
            )
        )  # fmt: skip
        cursor.execute("SELECT count(*) FROM records_record WHERE status = 'published'")
        records = cursor.fetchone()[0]
        cursor.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        load_meta = None
        if cursor.fetchone()[0]:
            cursor.execute("SELECT value FROM bench_meta WHERE key = 'load'")
            row = cursor.fetchone()
            load_meta = row and (json.loads(row[0]) if isinstance(row[0], str) else row[0])
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "records", "archive"])
    return {
        "code": commit + (" + uncommitted changes in records/ or archive/" if dirty else ""),
        "cpu": lscpu.get("Model name", platform.processor()),
        "cpus": os.cpu_count(),
        "memory_gib": round(int(meminfo[1]) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": version,
        "postgresql_settings": settings,
        "sizes": sizes,
        "records": records,
        "load": load_meta,
    }


def rss_mb():
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines()
        if ":" in line
    )  # fmt: skip
    return {
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "VmRSS_mb": round(int(status["VmRSS"].split()[0]) / 1024, 1),
        "VmHWM_mb": round(int(status["VmHWM"].split()[0]) / 1024, 1),
    }


def _fmt(s):
    if not s or not s["n"]:
        return "-"
    return f"{s['p50']:>8.1f} {s['p95']:>8.1f} {s['max']:>8.1f}"


def run(args):
    setup_django(database_url(args))
    from django.conf import settings

    settings.DEBUG = False  # no query log while timing
    info = machine()
    print(f"machine: {info['cpu']}, {info['cpus']} CPUs, {info['memory_gib']} GiB RAM")
    print(f"PostgreSQL: {info['postgresql']}")
    print(f"PostgreSQL settings: {info['postgresql_settings']}")
    print(f"records: {info['records']:,}; sizes: {info['sizes']}")
    print(f"code measured: {info['code']}")
    print(f"load: {info['load']}")

    # The corpus model behind the query mix weighs ~100 MB: build the mix in a child
    # process, so this process's memory is the search's alone.
    from django.db import connections

    connections.close_all()
    with multiprocessing.get_context("fork").Pool(1) as pool:
        queries = pool.apply(build_queries, (args.seed, args.per_class))
    filters = filter_params()
    rows = []
    for name in args.classes:
        rows.append((name, "no filter", [(q, {}) for q in queries[name]]))
        rows.append((name, "filtered", _with_filter(queries[name], filters)))

    engines = [Ours()]
    if not args.skip_baselines:
        engines += [PlainFTS(), Naive()]
    results = {"machine": info, "queries": queries, "rows": []}
    for name, variant, items in rows:
        row = {"class": name, "variant": variant}
        for engine in engines:
            if isinstance(engine, Ours):
                chosen, repeat, warmup = items, args.repeat, 1
            elif isinstance(engine, Naive) and name not in args.naive_classes:
                continue
            else:
                limit = args.naive_queries if isinstance(engine, Naive) else args.fts_queries
                chosen, repeat, warmup = items[:limit], 1, 0
            t0 = time.monotonic()
            timings, detail = time_class(engine, chosen, repeat=repeat, warmup=warmup)
            row[engine.name] = {**summarise(timings), "detail": detail}
            counts = [d["count"] for d in detail]
            log(
                f"{CLASS_LABELS[name]:<22} {variant:<9} {engine.name:<30} "
                f"{_fmt(row[engine.name])}  median count {statistics.median(counts):,.0f}"
                f"  ({time.monotonic() - t0:.0f} s)"
            )
        results["rows"].append(row)
        if args.json:  # after every row, so a crash keeps what was measured
            Path(args.json).write_text(json.dumps(results, ensure_ascii=False, default=str))
    results["rss"] = rss_mb()
    print_table(results, [e.name for e in engines])
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        print(f"wrote {args.json}")


def print_table(results, engine_names):
    print()
    print(f"{'class':<22} {'filter':<9} " + " | ".join(f"{n[:26]:^26}" for n in engine_names)
          + " | count (ours, median)")  # fmt: skip
    print(f"{'':<22} {'':<9} " + " | ".join(f"{'p50':>8} {'p95':>8} {'max':>8}"
                                            for _ in engine_names))  # fmt: skip
    ours_name = engine_names[0]
    misses = []
    for row in results["rows"]:
        ours = row[ours_name]
        counts = [d["count"] for d in ours["detail"]]
        estimates = sum(1 for d in ours["detail"] if d.get("estimate"))
        print(
            f"{CLASS_LABELS[row['class']]:<22} {row['variant']:<9} "
            + " | ".join(_fmt(row.get(n)) for n in engine_names)
            + f" | {statistics.median(counts):,.0f}"
            + (f" ({estimates} estimated)" if estimates else "")
        )
        if ours["p95"] > TARGET_P95_MS:
            misses.append(f"{row['class']}/{row['variant']}")
    print()
    for row in results["rows"]:
        ours = row[ours_name]["p95"]
        ratios = [
            f"{n}: {row[n]['p95'] / ours:.1f}x" for n in engine_names[1:] if row.get(n) and ours
        ]
        if ratios:
            print(f"p95 ratio baseline/ours, {row['class']}/{row['variant']}: " + ", ".join(ratios))
    rss = results["rss"]
    print(f"\nRSS of this process: {rss}")
    print(f"p95 <= {TARGET_P95_MS:.0f} ms in every class: {'yes' if not misses else 'NO'}"
          + (f" (misses: {', '.join(misses)})" if misses else ""))  # fmt: skip
    fts = engine_names[1] if len(engine_names) > 1 else None
    if fts:
        common = [r for r in results["rows"] if r["class"] == "common"]
        speedups = [r[fts]["p95"] / r[ours_name]["p95"] for r in common]
        ok = all(s >= TARGET_SPEEDUP for s in speedups)
        print(f">= {TARGET_SPEEDUP:.0f}x faster than plain FTS at p95, common words: "
              f"{'yes' if ok else 'NO'} ({', '.join(f'{s:.1f}x' for s in speedups)})")  # fmt: skip
    print(f"RSS < {TARGET_RSS_MB:.0f} MB: {'yes' if rss['VmHWM_mb'] < TARGET_RSS_MB else 'NO'}")


def _cell(s, *, bold=False):
    if not s:
        return "-"
    p95 = f"**{s['p95']:.0f}**" if bold else f"{s['p95']:.0f}"
    return f"{s['p50']:.0f} / {p95} / {s['max']:.0f} ({s['n']})"


def report(args):
    """The Markdown table of a ``run --json`` file, for RESULTS.md."""
    results = json.loads(Path(args.json).read_text())
    names = [
        n for n in ("ours (API)", PlainFTS.name, Naive.name) if any(n in r for r in results["rows"])
    ]
    short = {"ours (API)": "ours", PlainFTS.name: "plain FTS", Naive.name: "naive"}
    head = "| class | filter | " + " | ".join(f"{short[n]} p50 / p95 / max (n)" for n in names)
    print(head + " | FTS p95 ÷ ours p95 | naive p95 ÷ ours p95 | count (median, ours) |")
    print("|" + "---|" * (len(names) + 5))
    for row in results["rows"]:
        ours = row["ours (API)"]
        cells = [_cell(row.get(n), bold=n == "ours (API)") for n in names]
        ratios = [
            f"{row[n]['p95'] / ours['p95']:.1f}×" if n in row else "-"
            for n in (PlainFTS.name, Naive.name)
        ]
        counts = [d["count"] for d in ours["detail"]]
        estimated = sum(1 for d in ours["detail"] if d.get("estimate"))
        count = f"{statistics.median(counts):,.0f}" + (
            f" ({estimated}/{len(counts)} estimated)" if estimated else ""
        )
        print(
            f"| {CLASS_LABELS[row['class']]} | {row['variant']} | "
            + " | ".join(cells)
            + f" | {ratios[0]} | {ratios[1]} | {count} |"
        )
    print(f"\nRSS: {results.get('rss')}")


# -- explain ----------------------------------------------------------------------------


def explain(args):
    """Run one API search with the query log on, then EXPLAIN (ANALYZE, BUFFERS) every
    statement slower than ``--min-ms``."""
    setup_django(database_url(args))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    params = dict(p.split("=", 1) for p in args.param)
    ours = Ours()
    ours(args.q, params)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        t0 = time.perf_counter()
        result = ours(args.q, params)
        total = (time.perf_counter() - t0) * 1000
    print(f"q={args.q!r} {params}: {total:.1f} ms, {result}")
    sql_ms = 0.0
    for query in captured.captured_queries:
        ms = float(query["time"]) * 1000
        sql_ms += ms
        print(f"  {ms:8.1f} ms  {query['sql'][:160]}")
    print(f"  SQL total {sql_ms:.1f} ms; Python and the rest {total - sql_ms:.1f} ms")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if float(query["time"]) * 1000 < args.min_ms:
                continue
            print("\n" + "-" * 100)
            print(query["sql"])
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            print("\n".join(row[0] for row in cursor.fetchall()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help=f"default: {DEFAULT_DATABASE_URL}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="generate the corpus and load it")
    p.add_argument("--records", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--chunk", type=int, default=2000)
    p.add_argument(
        "--stock-cache",
        action="store_true",
        help="keep the normaliser's own 200,000-word cache (slower load, same index)",
    )
    p.set_defaults(func=load)
    p = sub.add_parser("run", help="time the query mix and the baselines")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--per-class", type=int, default=24)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--fts-queries", type=int, default=8, help="queries per class for plain FTS")
    p.add_argument("--naive-queries", type=int, default=4, help="queries per class for naive")
    p.add_argument("--skip-baselines", action="store_true")
    p.add_argument("--classes", nargs="+", default=list(CLASSES), choices=CLASSES)
    p.add_argument(
        "--naive-classes",
        nargs="+",
        default=list(CLASSES),
        choices=CLASSES,
        help="classes to run the (slow) naive baseline on",
    )
    p.add_argument("--json", help="also write every timing to this file")
    p.set_defaults(func=run)
    p = sub.add_parser("explain", help="EXPLAIN ANALYZE the slow statements of one search")
    p.add_argument("q")
    p.add_argument("--param", action="append", default=[], help="a filter, e.g. kind=document")
    p.add_argument("--min-ms", type=float, default=10.0)
    p.set_defaults(func=explain)
    p = sub.add_parser("report", help="a run's --json file as a Markdown table")
    p.add_argument("json")
    p.set_defaults(func=report)
    p = sub.add_parser("queries", help="print the query mix")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--per-class", type=int, default=24)
    p.set_defaults(func=lambda a: print(json.dumps(build_queries(a.seed, a.per_class),
                                                   ensure_ascii=False, indent=1)))  # fmt: skip
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
