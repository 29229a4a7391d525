"""A task worker killed in the middle of a job: the job runs again, once, with no duplicate.

The first test runs the production queue for real: extraction jobs on django_tasks_db's
DatabaseBackend, served by ``manage.py db_worker`` in processes of their own, on
PostgreSQL (the workers must see the test's rows, so the test commits them). The slow job
is a real one: a scanned PDF of several pages, read by Tesseract page by page. The second
pins which jobs ``requeue_stale_tasks`` takes back, on either database.
"""

import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from PIL import Image, ImageDraw, ImageFont

from records.files.storage import attach
from records.models import FilePage, FileState, StoredFile
from tests.factories import DocumentFactory
from tests.samples import VERA

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
PAGES = ["Prva strana kamere", "Druga strana nadzor", "Treca strana Beograd"]

needs_ocr = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs Tesseract (OCR)")


def scanned_pages(lines):
    """An image-only PDF with one line of large text on each page."""
    font = ImageFont.truetype(VERA, 96)
    images = []
    for line in lines:
        image = Image.new("L", (1700, 2200), 255)
        ImageDraw.Draw(image).text((120, 200), line, font=font, fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", resolution=200, save_all=True, append_images=images[1:])
    return buffer.getvalue()


def worker_environment(media_root):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "TASKS_BACKEND": DATABASE_BACKEND,
        "MEDIA_ROOT": str(media_root),
        "OCR_LANGUAGES": "eng",
    }


def start_worker(env, worker_id, *extra):
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603 -- this interpreter, our own command
        [*command, "--interval", "0.2", "--worker-id", worker_id, *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    return worker_environment(settings.MEDIA_ROOT)


@pytest.fixture
def queued_scan(database_queue):
    """A record with a three-page scan attached, its extraction job waiting in the queue."""
    record = DocumentFactory(public_id="scan")
    attachment = attach(record, ContentFile(scanned_pages(PAGES)), name="scan.pdf")
    stored = attachment.file
    job = DBTaskResult.objects.get()
    assert job.task_path == "records.files.tasks.extract_file_text"
    assert job.args_kwargs["args"] == [stored.pk]
    assert job.status == TaskResultStatus.READY
    return stored, job


def kill_mid_ocr(env, stored):
    """Start a worker, let it read the first page by OCR, then SIGKILL it."""
    worker = start_worker(env, "worker-1")
    try:
        wait_for(
            lambda: StoredFile.objects.filter(
                pk=stored.pk, state=FileState.OCR, progress_done__gte=1
            ).exists(),
            timeout=240,
            what="the worker to read page 1 by OCR",
        )
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL
    stored.refresh_from_db()
    assert stored.state == FileState.OCR
    assert 1 <= stored.progress_done < len(PAGES)  # killed in the middle of the job


def run_batch_worker(env, worker_id):
    worker = start_worker(env, worker_id, "--batch")
    output, _ = worker.communicate(timeout=600)
    assert worker.returncode == 0, output
    return output


@pytest.mark.postgres
@needs_ocr
def test_a_job_whose_worker_was_killed_runs_again_once_without_duplicates(
    transactional_db, queued_scan, database_queue
):
    stored, job = queued_scan
    kill_mid_ocr(database_queue, stored)

    # What django_tasks_db leaves behind: the job stays "running" for ever, so a new
    # worker does not take it, and the file stays claimed ("OCR", page 1 of 3).
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING
    assert job.worker_ids == ["worker-1"]
    run_batch_worker(database_queue, "worker-2")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING

    # The worker starts again under its id; its abandoned job goes back to the queue first
    # (as README's "Running in production" does before every start of a worker).
    out = io.StringIO()
    call_command("requeue_stale_tasks", worker_id="worker-1", stdout=out)
    assert "1 job requeued." in out.getvalue()
    job.refresh_from_db()
    stored.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert stored.state == FileState.QUEUED

    run_batch_worker(database_queue, "worker-1")

    job.refresh_from_db()
    stored.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert job.worker_ids == ["worker-1", "worker-1"]  # taken twice, by worker-1 both times
    assert DBTaskResult.objects.count() == 1  # the same job ran again; no new one was added
    assert stored.state == FileState.DONE
    assert stored.pages == len(PAGES)
    pages = list(FilePage.objects.filter(file=stored).order_by("number"))
    assert [page.number for page in pages] == [1, 2, 3]  # one set of pages, no duplicate
    assert all(page.ocr for page in pages)
    for page, line in zip(pages, PAGES, strict=True):
        assert line.split()[-1].lower() in page.text.lower()


def test_only_the_named_workers_jobs_or_old_ones_are_requeued(transactional_db, queued_scan):
    stored, job = queued_scan
    job.claim("worker-a")  # as a worker does when it takes the job
    StoredFile.objects.filter(pk=stored.pk).update(state=FileState.EXTRACTING)

    out = io.StringIO()
    call_command("requeue_stale_tasks", worker_id="worker-b", stdout=out)
    call_command("requeue_stale_tasks", older_than=3600, stdout=out)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING  # another worker's, and recent: left alone
    assert out.getvalue().count("0 jobs requeued.") == 2

    call_command("requeue_stale_tasks", older_than=0, stdout=out)
    job.refresh_from_db()
    stored.refresh_from_db()
    assert job.status == TaskResultStatus.READY
    assert stored.state == FileState.QUEUED


@needs_ocr
@pytest.mark.postgres  # the worker is another process: it needs the test's database by URL
def test_a_job_queued_before_the_tasks_moved_to_their_domains_still_runs(
    transactional_db, queued_scan, database_queue
):
    """Jobs queued before the split name their task ``records.tasks.<task>``: a worker
    still finds it, and ``requeue_stale_tasks`` still releases the file it claimed."""
    stored, job = queued_scan
    DBTaskResult.objects.filter(pk=job.pk).update(task_path="records.tasks.extract_file_text")
    job.refresh_from_db()
    job.claim("worker-gone")
    StoredFile.objects.filter(pk=stored.pk).update(state=FileState.EXTRACTING)

    call_command("requeue_stale_tasks", older_than=0, stdout=io.StringIO())
    job.refresh_from_db()
    stored.refresh_from_db()
    assert job.status == TaskResultStatus.READY and stored.state == FileState.QUEUED

    run_batch_worker(database_queue, "worker-new")
    job.refresh_from_db()
    stored.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert stored.state == FileState.DONE and stored.pages == len(PAGES)
