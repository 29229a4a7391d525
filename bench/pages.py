"""Page speed: the public pages under gunicorn on a large database, with their SQL query
counts, their weight and conditional GET.

    uv run python bench/pages.py prepare-small [--records 1000]
    uv run python bench/pages.py run [--requests 100] [--json pages.json]
    uv run python bench/pages.py queries [--database-url URL] [-v]
    uv run python bench/pages.py links [--database-url URL] [--remove]

``run`` measures on ``nadzor_bench`` (``--database-url`` or ``BENCH_DATABASE_URL``), the
1,000,000-record corpus that ``bench/search.py load`` makes, and only reads it. For each
page (the home page, the record list's first, a deep and the last page, a record of each
kind and the one with the most links, the actor with the most records and one with a
single record, the timeline with and without filters):

- **time**: gunicorn (``archive.wsgi``, 2 workers, production settings: ``DEBUG=0``, a
  test secret key, ``ALLOWED_HOSTS=127.0.0.1``; see ``bench.common.Server``), one client on
  loopback asking for the pages in turn, ``--warmup`` times each and then ``--requests``
  times each. p50 / p95 / max on the client (connect to last byte) and on the server
  (gunicorn's own request time, ``%(D)s`` in its access log, matched by a request header);
- **SQL queries**: the page once through Django's test client in this process, under
  ``CaptureQueriesContext``, on the large database and on a small one
  (``nadzor_pages_small``, ``prepare-small``: the same generator, 1,000 records): the
  two counts side by side show whether a page's queries grow with the data;
- **weight**: the HTML and every stylesheet, script, icon, image and font it refers to
  (fonts and images inside the CSS too), fetched once each, raw and as served to a client
  that accepts gzip (whitenoise serves the pre-compressed static files; the app does not
  compress HTML, so its gzip size, level 6, is given as what a compressing proxy sends);
- **conditional GET**: the page again with ``If-None-Match`` (its ``ETag``) and with
  ``If-Modified-Since`` (its ``Last-Modified``, if it has one): 304 expected.

The pages are chosen from the database by fixed rules (``choose_pages``), so a run on
another database measures the same kinds of page. ``links`` adds links between published
records, a few records with many of them (marked, ``--remove`` takes them away again):
the generated corpus has none. ``prepare-small`` runs it on the small database.
"""

import argparse
import gzip
import http.client
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadzor_bench"
SMALL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/nadzor_pages_small"
TARGET_P95_MS = 50.0
TARGET_TRANSFER_KB = 150.0
WORKERS = 2  # as in production
DEEP_PAGE = 20  # half way to the deepest a list is paged to (MAX_PAGED, 1,000 records)
LINK_NOTE = "bench/pages.py"
# Hubs: records given this many links each (half outgoing, half incoming) by ``links``.
HUB_LINKS = (200, 50, 12)


def database_url(arguments):
    return arguments.database_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL


# -- which pages ------------------------------------------------------------------------


def choose_pages(seed=1):
    """``[(name, path)]``: the pages measured, picked from the database (Django set up)."""
    from django.db.models import Count, Q

    from records.models import Actor, Kind, Link, Record, Status
    from records.records.views.records import RecordListView

    published = Record.objects.published()
    # Page DEEP_PAGE of the list, or the middle one of a smaller archive.
    last_page = max(1, math.ceil(published.count() / RecordListView.paginate_by))
    deep = min(DEEP_PAGE, max(1, last_page // 2))
    pages = [
        ("home", "/"),
        ("records, page 1", "/records/"),
        ("records, page 1, Cyrillic", "/sr/records/"),
        (f"records, deep page ({deep})", f"/records/?page={deep}"),
        ("records, last page", "/records/?page=last"),
    ]
    # One record of each kind, drawn from the whole range of ids.
    rng = random.Random(seed)
    last_id = published.order_by("-pk").values_list("pk", flat=True).first() or 0
    for kind in Kind.values:
        found = None
        if not published.filter(kind=kind).exists():  # no deployments in the corpus
            continue
        for _ in range(50):
            found = (
                published.filter(kind=kind, pk__gte=rng.randint(1, max(1, last_id)))
                .order_by("pk")
                .values_list("public_id", flat=True)
                .first()
            )
            if found:
                break
        if found:
            pages.append((f"record ({kind})", f"/r/{found}/"))
    linked = (
        published.annotate(
            n=Count("outgoing_links", distinct=True) + Count("incoming_links", distinct=True)
        )
        .filter(pk__in=Link.objects.values("source").union(Link.objects.values("target")))
        .order_by("-n", "pk")
        .values_list("public_id", "n")
        .first()
        if Link.objects.exists()
        else None
    )
    if linked:
        pages.append((f"record, most links ({linked[1]})", f"/r/{linked[0]}/"))
    # Actors by published records: the one with the most, and one with a single record.
    actors = (
        Actor.objects.annotate(n=Count("records", filter=Q(records__status=Status.PUBLISHED)))
        .filter(n__gt=0)
        .values_list("slug", "n")
    )
    big = actors.order_by("-n", "pk").first()
    small = actors.order_by("n", "pk").first()
    if big:
        pages.append((f"actor, most records ({big[1]})", f"/actors/{big[0]}/"))
        pages.append(("actor, most records, last page", f"/actors/{big[0]}/?page=last"))
    if small:
        pages.append((f"actor, fewest records ({small[1]})", f"/actors/{small[0]}/"))
    pages.append(("timeline", "/timeline/"))
    pages.append(("timeline, kind", "/timeline/?kind=document"))
    pages.append(("timeline, year", "/timeline/?date_from=2020&date_to=2020"))
    if big:
        pages.append(("timeline, actor", f"/timeline/?actor={big[0]}"))
        pages.append(("timeline, actor and kind", f"/timeline/?actor={big[0]}&kind=statement"))
    if small:
        pages.append(("timeline, small actor", f"/timeline/?actor={small[0]}"))
    return pages


def _generic(name):
    """A page's name without the numbers that differ from one database to another."""
    return re.sub(r" \(\d+\)$", "", name)


# -- SQL queries, in this process --------------------------------------------------------


def count_queries(url, seed=1, verbose=False):
    """Each page once through the test client: its queries (and their time in SQL)."""
    common.setup_django(url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from records.models import Record

    client = Client()
    rows = []
    for name, path in choose_pages(seed):
        client.get(path)  # warm-up: lazy caches (content types, translations) filled
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            ms = (time.perf_counter() - started) * 1000
        queries = captured.captured_queries
        row = {
            "name": name,
            "path": path,
            "status": response.status_code,
            "queries": len(queries),
            "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "in_process_ms": round(ms, 1),
        }
        rows.append(row)
        if verbose:
            print(f"{name}  {path}  {response.status_code}  {len(queries)} queries, {ms:.0f} ms")
            for query in queries:
                print(f"   {float(query['time']) * 1000:7.1f} ms  {query['sql'][:220]}")
    return {
        "records": Record.objects.published().count(),
        "unapplied_migrations": unapplied_migrations(),
        "pages": rows,
    }


def unapplied_migrations():
    """The code's migrations that the database lacks (this script never applies them)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _queries_in_subprocess(url, seed):
    """``count_queries`` for ``url`` in a child process (Django is set up once a process)."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--database-url", url, "queries", "--seed", str(seed),
             "--json", out.name],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return json.loads(Path(out.name).read_text())


# -- the client --------------------------------------------------------------------------


def fetch(port, path, headers=None):
    """GET ``path``: (status, headers, body, seconds from connect to the last byte)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    try:
        connection.request("GET", urllib.parse.quote(path, safe="/?=&%+"), headers=headers or {})
        answer = connection.getresponse()
        body = answer.read()
        seconds = time.perf_counter() - started
        return answer.status, answer.headers, body, seconds
    finally:
        connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * fraction
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(ms):
    return {
        "n": len(ms),
        "p50": round(percentile(ms, 0.5), 1),
        "p95": round(percentile(ms, 0.95), 1),
        "max": round(max(ms), 1),
    }


def time_pages(server, access_log, pages, *, requests, warmup):
    """Every page in turn, ``warmup`` + ``requests`` times: client and server times in ms."""
    client = {path: [] for _, path in pages}
    for round_number in range(warmup + requests):
        for _name, path in pages:
            tag = f"{round_number}-{len(client[path])}-{path}"
            status, _headers, _body, seconds = fetch(
                server.port, path, {"X-Bench-Id": urllib.parse.quote(tag)}
            )
            if status != 200:
                raise RuntimeError(f"{path}: answered {status}")
            if round_number >= warmup:
                client[path].append((tag, seconds * 1000))
    # gunicorn writes its access log line after the answer: wait until every line is in.
    expected = (warmup + requests) * len(pages)
    server_ms = {}
    for _ in range(50):
        lines = Path(access_log).read_text().splitlines()
        server_ms = {}
        for line in lines:
            tag, _, micros = line.rpartition(" ")
            server_ms[urllib.parse.unquote(tag)] = int(micros) / 1000
        if len(server_ms) >= expected:
            break
        time.sleep(0.2)
    return {
        path: {
            "client": summary([ms for _, ms in samples]),
            "server": summary([server_ms[tag] for tag, _ in samples if tag in server_ms]),
        }
        for path, samples in client.items()
    }


class Assets(HTMLParser):
    """What a page makes a browser fetch: stylesheets, scripts, icons, images."""

    RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and self.RELS & set((attrs.get("rel") or "").lower().split()):
            self.urls.append(attrs.get("href"))
        elif tag in ("script", "img", "source", "iframe") and attrs.get("src"):
            self.urls.append(attrs["src"])
        elif tag == "object" and attrs.get("data"):
            self.urls.append(attrs["data"])


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _asset_sizes(port, url, seen, sizes):
    """Fetch ``url`` (and, for CSS, what it refers to) once: raw and served sizes."""
    if url in seen or url.startswith("data:"):
        return
    seen.add(url)
    parts = urllib.parse.urlsplit(url)
    if parts.netloc and parts.netloc != f"127.0.0.1:{port}":
        sizes.append({"url": url, "external": True, "raw": 0, "served": 0})
        return
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    status, _, raw, _ = fetch(port, path, {"Accept-Encoding": "identity"})
    _, headers, served, _ = fetch(port, path, {"Accept-Encoding": "gzip, br"})
    sizes.append(
        {
            "url": path,
            "status": status,
            "raw": len(raw),
            "served": len(served),
            "encoding": headers.get("Content-Encoding", ""),
        }
    )
    if path.endswith(".css"):
        for match in CSS_URL.finditer(raw.decode("utf-8", "replace")):
            inner = match.group(1) or match.group(2)
            _asset_sizes(port, urllib.parse.urljoin(path, inner.strip()), seen, sizes)


def weigh(port, path):
    """The page's HTML and everything it refers to, in bytes."""
    _, _, html, _ = fetch(port, path, {"Accept-Encoding": "identity"})
    _, headers, served_html, _ = fetch(port, path, {"Accept-Encoding": "gzip, br"})
    parser = Assets()
    parser.feed(html.decode("utf-8", "replace"))
    sizes = []
    seen = set()
    for url in parser.urls:
        if url:
            _asset_sizes(port, urllib.parse.urljoin(path, url), seen, sizes)
    html_gzip = len(gzip.compress(html, compresslevel=6))
    assets_raw = sum(s["raw"] for s in sizes)
    assets_served = sum(s["served"] for s in sizes)
    return {
        "html_raw": len(html),
        "html_served": len(served_html),
        "html_served_encoding": headers.get("Content-Encoding", ""),
        "html_gzip": html_gzip,
        "assets": sizes,
        "assets_raw": assets_raw,
        "assets_served": assets_served,
        "total_raw": len(html) + assets_raw,
        "total_served": len(served_html) + assets_served,
        "total_compressed": min(html_gzip, len(served_html)) + assets_served,
        "external": [s["url"] for s in sizes if s.get("external")],
    }


def conditional(port, path):
    """The page again with its validators: the status of each conditional request."""
    _, headers, _, _ = fetch(port, path)
    result = {
        "etag": headers.get("ETag"),
        "last_modified": headers.get("Last-Modified"),
        "cache_control": headers.get("Cache-Control"),
    }
    if result["etag"]:
        result["if_none_match"] = fetch(port, path, {"If-None-Match": result["etag"]})[0]
    if result["last_modified"]:
        result["if_modified_since"] = fetch(
            port, path, {"If-Modified-Since": result["last_modified"]}
        )[0]
    return result


# -- the machine --------------------------------------------------------------------------


def machine(url):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        records = connection.execute(
            "SELECT count(*) FILTER (WHERE status = 'published'), count(*) FROM records_record"
        ).fetchone()
        links = connection.execute("SELECT count(*) FROM records_link").fetchone()[0]
        settings = {
            name: connection.execute(f"SHOW {name}").fetchone()[0]
            for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit",
                         "max_parallel_workers_per_gather")
        }  # fmt: skip
    others = subprocess.run(
        ["pgrep", "-af", "bench/|pytest|db_worker|gunicorn"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.splitlines()
    return {
        "nproc": os.cpu_count(),
        "cpu": common.cpu_model(),
        "memory_gib": common.memory_gib(),
        "loadavg": os.getloadavg(),
        "postgresql": version,
        "postgresql_settings": settings,
        "database": common.database_name(url),
        "published_records": records[0],
        "records": records[1],
        "links": links,
        "commit": common.commit(),
        "others": [line for line in others if "pgrep" not in line and str(os.getpid()) not in line],
    }


# -- run -------------------------------------------------------------------------------


def run(arguments):
    url = database_url(arguments)
    before = machine(url)
    common.log(
        f"{before['database']}: {before['published_records']:,} published records; "
        f"load average {before['loadavg']}"
    )
    common.log("counting SQL queries per page (in-process test client)")
    big = _queries_in_subprocess(url, arguments.seed)
    small = (
        _queries_in_subprocess(arguments.small_database_url, arguments.seed)
        if arguments.small_database_url
        else {"records": None, "pages": []}
    )
    pages = [(row["name"], row["path"]) for row in big["pages"]]
    if big["unapplied_migrations"]:
        common.log(
            f"WARNING: {common.database_name(url)} lacks migrations "
            f"{', '.join(big['unapplied_migrations'])}: pages that need them will fail"
        )
    with tempfile.TemporaryDirectory(prefix="nadzor-pages-") as folder:
        access_log = Path(folder) / "access.log"
        gunicorn_args = [
            "--access-logfile", str(access_log),
            "--access-logformat", "%({x-bench-id}i)s %(D)s",
        ]  # fmt: skip
        with common.Server(url, workers=WORKERS, args=gunicorn_args) as server:
            common.log(f"gunicorn: {' '.join(server.command[1:5])} (pid {server.process.pid})")
            during = [os.getloadavg()]
            weights = {path: weigh(server.port, path) for _, path in pages}
            validators = {path: conditional(server.port, path) for _, path in pages}
            access_log.write_text("")
            common.log(
                f"timing {len(pages)} pages, {arguments.warmup} + {arguments.requests} "
                "requests each"
            )
            times = time_pages(
                server, access_log, pages, requests=arguments.requests, warmup=arguments.warmup
            )
            during.append(os.getloadavg())
            rss = server.rss_mb()
    small_by_name = {_generic(row["name"]): row for row in small["pages"]}
    rows = []
    for row in big["pages"]:
        path = row["path"]
        rows.append(
            {
                **row,
                "queries_small": small_by_name.get(_generic(row["name"]), {}).get("queries"),
                **times[path],
                "weight": weights[path],
                "conditional": validators[path],
            }
        )
    report = {
        "command": " ".join(sys.argv),
        "machine": before,
        "loadavg_during": during,
        "machine_after": machine(url),
        "small_records": small["records"],
        "unapplied_migrations": big["unapplied_migrations"],
        "requests": arguments.requests,
        "warmup": arguments.warmup,
        "gunicorn_rss_mb": rss,
        "pages": rows,
    }
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print_report(report)


def _kb(n):
    return f"{n / 1024:.1f}"


def print_report(report):
    m = report["machine"]
    print(
        f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB RAM; "
        f"PostgreSQL {m['postgresql']}; commit {m['commit']}"
    )
    print(
        f"Database {m['database']}: {m['published_records']:,} published records "
        f"({m['records']:,} in all), {m['links']:,} links; small database: "
        f"{report['small_records']} published records"
    )
    print(
        f"Load average before {m['loadavg']}, during {report['loadavg_during']}; "
        f"other processes: {len(m['others'])}"
    )
    print(
        f"{report['requests']} timed requests per page (after {report['warmup']} warm-up), "
        f"one client, gunicorn {WORKERS} workers; RSS {report['gunicorn_rss_mb']}\n"
    )
    print(
        "| page | queries (large / small db) | client p50 / p95 / max ms | server p50 / p95 / "
        "max ms | HTML KB raw / gzip | total KB raw / compressed | 304 (ETag / date) |"
    )
    print("|---|---|---|---|---|---|---|")
    slow, heavy, growing, no_304 = [], [], [], []
    for row in report["pages"]:
        c, s, w, v = row["client"], row["server"], row["weight"], row["conditional"]
        small = row["queries_small"]
        if small is not None and row["queries"] > small:
            growing.append(row["name"])
        if max(c["p95"], s["p95"]) > TARGET_P95_MS:
            slow.append(row["name"])
        if w["total_compressed"] / 1024 > TARGET_TRANSFER_KB:
            heavy.append(row["name"])
        inm, ims = v.get("if_none_match"), v.get("if_modified_since")
        if inm != 304 and ims != 304:
            no_304.append(row["name"])
        small = "-" if small is None else small
        print(
            f"| {row['name']} `{row['path']}` | {row['queries']} / {small} "
            f"| {c['p50']} / **{c['p95']}** / {c['max']} | {s['p50']} / {s['p95']} / {s['max']} "
            f"| {_kb(w['html_raw'])} / {_kb(w['html_gzip'])} "
            f"| {_kb(w['total_raw'])} / **{_kb(w['total_compressed'])}** "
            f"| {inm or '-'} / {ims or '-'} |"
        )  # fmt: skip
    print()
    print(
        f"p95 <= {TARGET_P95_MS:.0f} ms: "
        + ("every page" if not slow else "NO: " + ", ".join(slow))
    )
    print(
        f"transfer < {TARGET_TRANSFER_KB:.0f} KB (compressed): "
        + ("every page" if not heavy else "NO: " + ", ".join(heavy))
    )
    print("queries do not grow: " + ("yes" if not growing else "NO: " + ", ".join(growing)))
    print(
        "304 on a conditional GET: " + ("every page" if not no_304 else "NO: " + ", ".join(no_304))
    )
    external = sorted({u for row in report["pages"] for u in row["weight"]["external"]})
    if external:
        print("assets from another host:", ", ".join(external))


# -- the small database and links ------------------------------------------------------------


def add_links(url, seed=1, remove=False):
    """Give a few published records many links (``HUB_LINKS``), marked with LINK_NOTE."""
    common.setup_django(url)
    from records.models import Link, Record, Relation

    removed, _ = Link.objects.filter(note=LINK_NOTE).delete()
    if remove:
        common.log(f"removed {removed} links")
        return
    rng = random.Random(seed)
    published = Record.objects.published()
    last_id = published.order_by("-pk").values_list("pk", flat=True).first() or 0
    wanted = sum(HUB_LINKS) * 2 + len(HUB_LINKS)
    candidates = list(
        published.filter(pk__in=[rng.randint(1, last_id) for _ in range(wanted * 3)])
        .order_by("?")
        .values_list("pk", flat=True)[:wanted]
    )
    relations = list(Relation.values)
    links = []
    for n in HUB_LINKS:
        hub, others = candidates[0], candidates[1 : n + 1]
        candidates = candidates[n + 1 :]
        for i, other in enumerate(others):
            source, target = (hub, other) if i % 2 == 0 else (other, hub)
            links.append(
                Link(source_id=source, target_id=target, relation=rng.choice(relations),
                     note=LINK_NOTE)
            )  # fmt: skip
    Link.objects.bulk_create(links, ignore_conflicts=True)
    common.log(f"added {len(links)} links to {len(HUB_LINKS)} records ({HUB_LINKS})")


def links(arguments):
    if not arguments.database_url:  # never the benchmark database by default
        sys.exit("links: say which database with --database-url")
    add_links(arguments.database_url, arguments.seed, arguments.remove)


def prepare_small(arguments):
    """The small database: ``bench/search.py load`` with ``--records``, then links."""
    from bench import search

    url = arguments.database_url or SMALL_DATABASE_URL
    search.load(
        argparse.Namespace(
            database_url=url,
            records=arguments.records,
            seed=arguments.seed,
            workers=1,
            chunk=500,
            stock_cache=False,
        )
    )
    add_links(url, arguments.seed)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help=f"default: {DEFAULT_DATABASE_URL}")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("run", help="time, count, weigh and revalidate every page")
    p.add_argument(
        "--small-database-url",
        default=SMALL_DATABASE_URL,
        help="the small database whose query counts are shown too ('' for none)",
    )
    p.add_argument("--requests", type=int, default=100)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json", help="write everything measured to this file")
    p.set_defaults(func=run)
    p = sub.add_parser("queries", help="each page's SQL queries, through the test client")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--json")
    p.add_argument("-v", "--verbose", action="store_true", help="print every query")
    p.set_defaults(
        func=lambda a: _write(count_queries(database_url(a), a.seed, verbose=a.verbose), a.json)
    )
    p = sub.add_parser("prepare-small", help=f"create {common.database_name(SMALL_DATABASE_URL)}")
    p.add_argument("--records", type=int, default=1000)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=prepare_small)
    p = sub.add_parser("links", help="add links to a few records (or --remove them)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--remove", action="store_true")
    p.set_defaults(func=links)
    p = sub.add_parser("report", help="print a run's --json file again")
    p.add_argument("json")
    p.set_defaults(func=lambda a: print_report(json.loads(Path(a.json).read_text())))
    arguments = parser.parse_args(argv)
    arguments.func(arguments)


def _write(result, path):
    if path:
        Path(path).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    for row in result["pages"]:
        queries, ms = row["queries"], row["sql_ms"]
        status = "" if row["status"] == 200 else f"  ANSWERED {row['status']}"
        print(f"{queries:>4} queries {ms:>8.1f} ms SQL  {row['name']}  {row['path']}{status}")


if __name__ == "__main__":
    main()
