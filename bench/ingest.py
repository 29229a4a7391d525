"""Ingest benchmark: store and read a 500-page PDF through the real code, in a fresh process.

    uv run python bench/ingest.py run [--pages 500] [--scanned-every 25] [--repeat 3]
                                      [--text-only] [--database-url URL]
                                      [--json results.json] [--write]
    uv run python bench/ingest.py report results.json [--write]   # the table again

``--write`` puts the table into ``bench/RESULTS.md``, between its ingest markers (what
follows them, the notes written by hand, is kept).

Two PDFs are generated with reportlab (seeded, so every run reads the same bytes):

- ``text``: every page has a text layer (about 45 lines of Serbian and English);
- ``scanned``: the same, except every ``--scanned-every``-th page is an image of text only (a
  200 dpi greyscale scan), read by Tesseract. Skipped, and said so, without Tesseract.

Each run is a new Python process, like a worker just started: it sets Django up on a
throwaway SQLite database (migrated once, copied for each run) or on ``--database-url``
(PostgreSQL), then stores the file with ``records.files.storage.store`` and runs the task a
worker runs, ``records.tasks.extract_file_text`` (claim, read every page, OCR, re-index the
record it is attached to). It reports the wall time of each step, its own peak RSS
(``VmHWM``, the same as ``ru_maxrss``: the worker's memory, tesseract not included), the
peak RSS of the tesseract processes it ran (sampled from ``/proc``), and the time spent in
OCR.
"""

import argparse
import datetime
import io
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RSS_MB = 300
WORDS = (  # noqa: SIM905 -- a paragraph of words reads better than a list
    "kamere nadzor Beograd ministarstvo unutrašnjih poslova Huawei prepoznavanje lica "
    "bezbedan grad ugovor javna nabavka poverenik zaštita podataka procena uticaja "
    "Šabić Đorđević camera surveillance contract facial recognition data protection "
    "impact assessment commissioner public procurement police street"
).split()
RESULTS = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- ingest:start -->", "<!-- ingest:end -->"


# -- the files ---------------------------------------------------------------------------


def _line(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(7, 11)))


def make_pdf(path, *, pages, scanned_every=0, seed=1):
    """Write a ``pages``-page PDF; every ``scanned_every``-th page is an image only."""
    import reportlab
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    vera = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", vera))
    font = ImageFont.truetype(vera, 34)
    rng = random.Random(seed)
    pdf = canvas.Canvas(str(path), pagesize=A4)
    scanned = 0
    for number in range(1, pages + 1):
        lines = [f"Strana {number}. " + _line(rng)] + [_line(rng) for _ in range(44)]
        if scanned_every and number % scanned_every == 0:
            image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
            draw = ImageDraw.Draw(image)
            for n, line in enumerate(lines[:40]):
                draw.text((120, 120 + n * 52), line, font=font, fill=0)
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            pdf.drawImage(ImageReader(buffer), 0, 0, *A4)
            scanned += 1
        else:
            pdf.setFont("Vera", 10)
            for n, line in enumerate(lines):
                pdf.drawString(50, 800 - n * 17, line)
        pdf.showPage()
    pdf.save()
    return scanned


# -- one run, in its own process -----------------------------------------------------------


def _status_kb(name, pid="self"):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1])
    except OSError:  # the process has ended
        pass
    return 0


class ChildMemory(threading.Thread):
    """The largest peak RSS of this process's children (tesseract), sampled every 20 ms.

    ``RUSAGE_CHILDREN`` cannot tell: a child's ``ru_maxrss`` counts the Python process it was
    forked from, before ``exec``. ``VmHWM`` in ``/proc/<pid>/status`` starts afresh at
    ``exec`` and only grows, so its last sample is the child's own peak (or just under it).
    """

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_kb, self.stopping = 0, threading.Event()

    def run(self):
        while not self.stopping.wait(0.02):
            for children in Path("/proc/self/task").glob("*/children"):
                for pid in children.read_text().split():
                    self.peak_kb = max(self.peak_kb, _status_kb("VmHWM", pid))


def child(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    import django

    django.setup()
    from django.core.files import File
    from django.db import connection

    import records.files.extraction as extraction
    from records.files.storage import store
    from records.files.tasks import extract_file_text
    from records.models import Attachment, Document, FileState, StoredFile

    ocr = {"pages": 0, "seconds": 0.0}
    real_ocr = extraction.ocr_image

    def timed_ocr(image):
        started = time.perf_counter()
        try:
            return real_ocr(image)
        finally:
            ocr["seconds"] += time.perf_counter() - started
            ocr["pages"] += 1

    extraction.ocr_image = timed_ocr
    # A database shared between runs (PostgreSQL): forget this file from the run before.
    for stored in StoredFile.objects.filter(sha256=args.sha256):
        stored.attachments.all().delete()
        stored.delete()
    Document.objects.filter(title="Ingest benchmark").delete()
    record = Document.objects.create(title="Ingest benchmark", language="sr-Latn", status="draft")
    baseline_kb = _status_kb("VmRSS")
    children = ChildMemory()
    children.start()

    started = time.perf_counter()
    with open(args.pdf, "rb") as handle:
        stored = store(File(handle))
    stored_at = time.perf_counter()
    Attachment.objects.create(record=record, file=stored, name=Path(args.pdf).name)
    extract_file_text.call(stored.pk)
    finished = time.perf_counter()
    children.stopping.set()
    children.join()

    stored.refresh_from_db()
    text_chars = sum(len(t) for t in stored.page_texts.values_list("text", flat=True))
    result = {
        "database": connection.vendor,
        "state": stored.state,
        "problem": stored.problem,
        "pages": stored.pages,
        "ocr_pages": ocr["pages"],
        "text_chars": text_chars,
        "store_s": round(stored_at - started, 3),
        "extract_s": round(finished - stored_at, 3),
        "ocr_s": round(ocr["seconds"], 3),
        "baseline_rss_mb": round(baseline_kb / 1024, 1),
        "peak_rss_mb": round(_status_kb("VmHWM") / 1024, 1),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "tesseract_peak_rss_mb": round(children.peak_kb / 1024, 1),
    }
    assert stored.state == FileState.DONE, result
    print(json.dumps(result))


# -- the runs ------------------------------------------------------------------------------


def _environment(database_url, media_root):
    environ = dict(os.environ)
    environ.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        DEBUG="0",  # as a production worker: no query log growing with every page
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnop",  # noqa: S106 -- throwaway
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        FILE_STORAGE="local",
        TASKS_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        LOG_LEVEL="ERROR",
    )
    return environ


def _migrate(environ):
    subprocess.run(  # noqa: S603 -- this interpreter, manage.py
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"],
        cwd=ROOT, env=environ, check=True,
    )  # fmt: skip


def _one_run(pdf, sha256, environ):
    started = time.perf_counter()
    process = subprocess.run(  # noqa: S603 -- this interpreter, this script
        [sys.executable, __file__, "child", "--pdf", str(pdf), "--sha256", sha256],
        cwd=ROOT, env=environ, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if process.returncode != 0:
        raise SystemExit(f"run failed:\n{process.stdout}\n{process.stderr}")
    result = json.loads(process.stdout.strip().splitlines()[-1])
    result["process_s"] = round(time.perf_counter() - started, 3)
    return result


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
    memory_kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
    commit = run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"]).strip()
    dirty = run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "records", "archive"])
    tesseract = run(["tesseract", "--version"]).splitlines()
    import pypdf
    import pypdfium2

    return {
        "code": commit + (" + uncommitted changes in records/ or archive/" if dirty else ""),
        "cpu": lscpu.get("Model name", platform.processor()),
        "cpus": os.cpu_count(),
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "pypdf": pypdf.__version__,
        "pypdfium2": str(pypdfium2.PYPDFIUM_INFO),
        "tesseract": tesseract[0] if tesseract else None,
        "load_average": os.getloadavg(),
    }


def run(args):
    import hashlib

    workdir = Path(tempfile.mkdtemp(prefix="nadzor-ingest-"))
    try:
        variants = [("text", 0)]
        if args.text_only:
            pass
        elif shutil.which("tesseract"):
            variants.append(("scanned", args.scanned_every))
        else:
            print("Tesseract is not installed: the scanned variant is skipped.", file=sys.stderr)
        files = {}
        for name, every in variants:
            path = workdir / f"{name}-{args.pages}.pdf"
            scanned = make_pdf(path, pages=args.pages, scanned_every=every)
            data = path.read_bytes()
            files[name] = (path, hashlib.sha256(data).hexdigest(), len(data), scanned)
            print(f"{name}: {args.pages} pages ({scanned} scanned), {len(data) / 2**20:.1f} MiB",
                  file=sys.stderr)  # fmt: skip
        template = workdir / "template.sqlite3"
        if args.database_url:
            _migrate(_environment(args.database_url, workdir / "media"))
        else:
            _migrate(_environment(f"sqlite:///{template}", workdir / "media"))
        runs = {name: [] for name in files}
        for repeat in range(args.repeat):
            for name, (path, sha256, _size, _scanned) in files.items():
                media = workdir / f"media-{name}-{repeat}"
                if args.database_url:
                    url = args.database_url
                else:
                    database = workdir / f"run-{name}-{repeat}.sqlite3"
                    shutil.copy(template, database)
                    url = f"sqlite:///{database}"
                result = _one_run(path, sha256, _environment(url, media))
                shutil.rmtree(media, ignore_errors=True)
                runs[name].append(result)
                print(f"{name} #{repeat + 1}: {json.dumps(result)}", file=sys.stderr)
        output = {
            "command": " ".join(["uv run python bench/ingest.py", *sys.argv[1:]]),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "pages": args.pages,
            "scanned_every": args.scanned_every,
            "files": {n: {"bytes": f[2], "scanned_pages": f[3]} for n, f in files.items()},
            "runs": runs,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(output, indent=1) + "\n")
    markdown = report_markdown(output)
    print(markdown)
    if args.write:
        write_results(markdown)


def report_markdown(output):
    m = output["machine"]
    lines = [
        START,
        "",
        f"## Ingest: a {output['pages']}-page PDF, stored and read (issue 5)",
        "",
        f"`{output['command']}` on {output['date']}, code `{m['code']}`.",
        f"Machine: {m['cpu']}, {m['cpus']} cores, {m['memory_gib']} GiB RAM, shared with another",
        "engineer's work at the same time (noisy: load average "
        f"{', '.join(f'{x:.1f}' for x in m['load_average'])} at the end). Python {m['python']}, "
        f"pypdf {m['pypdf']}, pypdfium2 {m['pypdfium2']}, {m['tesseract'] or 'no Tesseract'}.",
        "",
        "Each run is a fresh process: Django set up on a throwaway "
        f"{output['runs'][next(iter(output['runs']))][0]['database']} database, then "
        "`records.files.storage.store` and the worker's task `records.tasks.extract_file_text` "
        "(read every page, OCR, re-index the record). Times: median of "
        f"{len(next(iter(output['runs'].values())))} runs (best in brackets); peak RSS: the "
        "worst run (in brackets, the worker's RSS before storing the file: Django, pypdf, "
        "pdfium loaded).",
        "",
        "| PDF | size | store | read + index | text pages/s | OCR s/page | worker peak RSS "
        "| tesseract peak RSS | target |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in output["runs"].items():
        info = output["files"][name]
        ocr_pages = runs[0]["ocr_pages"]
        text_pages = runs[0]["pages"] - ocr_pages

        def cell(values, digits, unit="", *, best=min):
            values = list(values)
            median = statistics.median(values)
            return f"{median:.{digits}f}{unit} ({best(values):.{digits}f}{unit})"

        text_rates = [text_pages / (r["extract_s"] - r["ocr_s"]) for r in runs]
        peak = max(r["peak_rss_mb"] for r in runs)
        baseline = statistics.median(r["baseline_rss_mb"] for r in runs)
        tesseract = max(r["tesseract_peak_rss_mb"] for r in runs) if ocr_pages else None
        lines.append(
            f"| {name}: {runs[0]['pages']} pages, {ocr_pages} scanned | "
            f"{info['bytes'] / 2**20:.1f} MiB | {cell((r['store_s'] for r in runs), 2, ' s')} | "
            f"{cell((r['extract_s'] for r in runs), 1, ' s')} | "
            f"{cell(text_rates, 0, best=max)} | "
            f"{cell((r['ocr_s'] / ocr_pages for r in runs), 1) if ocr_pages else '–'} | "
            f"{peak:.0f} MB ({baseline:.0f} MB) | "
            f"{f'{tesseract:.0f} MB' if tesseract else '–'} | "
            f"{'met' if peak < TARGET_RSS_MB else '**NOT met**'} (< {TARGET_RSS_MB} MB) |"
        )
    lines += ["", END, ""]
    return "\n".join(lines)


def write_results(markdown):
    text = RESULTS.read_text()
    if START in text:
        before, rest = text.split(START, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        text = before + markdown + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + markdown
    RESULTS.write_text(text)
    print(f"Wrote {RESULTS}", file=sys.stderr)


def report(args):
    markdown = report_markdown(json.loads(Path(args.json).read_text()))
    print(markdown)
    if args.write:
        write_results(markdown)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    go = commands.add_parser("run", help="generate the PDFs and time them")
    go.add_argument("--pages", type=int, default=500)
    go.add_argument("--scanned-every", type=int, default=25)
    go.add_argument("--repeat", type=int, default=3)
    go.add_argument("--text-only", action="store_true", help="no scanned variant")
    go.add_argument("--database-url", help="PostgreSQL instead of throwaway SQLite files")
    go.add_argument("--json", help="also write the raw results here")
    go.add_argument("--write", action="store_true", help="put the table into bench/RESULTS.md")
    go.set_defaults(handler=run)
    show = commands.add_parser("report", help="the table from a --json file")
    show.add_argument("json")
    show.add_argument("--write", action="store_true", help="put the table into bench/RESULTS.md")
    show.set_defaults(handler=report)
    one = commands.add_parser("child", help=argparse.SUPPRESS)
    one.add_argument("--pdf", required=True)
    one.add_argument("--sha256", required=True)
    one.set_defaults(handler=child)
    args = parser.parse_args()
    args.handler(args)


if __name__ == "__main__":
    main()
