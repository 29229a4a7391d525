"""Background work on files (Django's tasks framework): text extraction, web captures and
the fixity check; immediate in the quick start, a database queue served by
``manage.py db_worker`` in production.

Jobs stored before the tasks were split by domain name ``records.tasks.<task>``; that
module re-exports every task, so they still run (see ``TASK_PATHS``).
"""

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from records.files.capture import capture
from records.files.extraction import extract
from records.files.fixity import verify_all
from records.files.models import CaptureState, FileState, StoredFile, WebCapture
from records.search.indexing import index_records


@task
def extract_file_text(stored_file_id):
    """Extract one stored file's text, then re-index every record it is attached to.

    The job first claims the file by moving it from "queued" to "extracting" in one
    UPDATE: when the same file is queued twice, or two workers get it, it is done once.
    Progress ("OCR page 3 of 10") is written as it goes, so editors see it live.
    """
    claimed = StoredFile.objects.filter(pk=stored_file_id, state=FileState.QUEUED).update(
        state=FileState.EXTRACTING
    )
    if not claimed:
        return
    stored = StoredFile.objects.get(pk=stored_file_id)
    extract(stored)
    index_records(stored.attachments.values_list("record_id", flat=True))


def queue_extraction(stored_file):
    """Put ``stored_file`` back in the queue (a retry) and enqueue the job."""
    StoredFile.objects.filter(pk=stored_file.pk).update(
        state=FileState.QUEUED, problem="", progress_done=0, progress_total=0
    )
    extract_file_text.enqueue(stored_file.pk)


@task
def verify_stored_files():
    """The fixity check as a task, for a scheduler to enqueue (see the README)."""
    report = verify_all()
    return {
        "checked": report.checked,
        "missing": [f.sha256 for f in report.missing],
        "altered": [f.sha256 for f in report.altered],
    }


@task
def capture_web_page(capture_id):
    """Fetch one queued web capture; claimed first, like the text extraction."""
    claimed = WebCapture.objects.filter(pk=capture_id, state=CaptureState.QUEUED).update(
        state=CaptureState.CAPTURING
    )
    if claimed:
        capture(WebCapture.objects.get(pk=capture_id))


def request_capture(url, *, record=None):
    """Queue a capture of ``url`` (after the current transaction commits) and return it."""
    web_capture = WebCapture.objects.create(url=url, record=record)
    transaction.on_commit(lambda: capture_web_page.enqueue(web_capture.pk))
    return web_capture


def requeue_abandoned_jobs(*, worker_id=None, started_before=None):
    """Put jobs left "running" by a worker that died back in the queue; return them.

    django_tasks_db marks a job RUNNING when a worker claims it and never looks at it
    again: if the worker is killed (SIGKILL, out of memory, a lost machine), the job stays
    RUNNING for ever and no worker takes it. Our own jobs also claim their object (a file
    "extracting" or "OCR", a capture "capturing"), so that claim is released too, or the
    job would find nothing to do when it runs again. The job then runs again from the
    start; it writes its results so that a second run replaces the first (a file's pages
    are deleted before they are written), so nothing is duplicated.

    ``worker_id``: the jobs that worker held last. Safe whenever that worker is not
    running, e.g. just before it starts again under the same id. ``started_before``: the
    jobs running since before that time, whatever their worker: only safe with a time
    longer than any job can take.
    """
    if worker_id is None and started_before is None:
        raise ValueError("say which jobs: worker_id, started_before or both")
    jobs = DBTaskResult.objects.running()
    if started_before is not None:
        jobs = jobs.filter(started_at__lt=started_before)
    requeued = []
    with transaction.atomic():
        for job in jobs.select_for_update().order_by("started_at"):
            if worker_id is not None and (job.worker_ids or [None])[-1] != worker_id:
                continue
            _release_claim(job)
            job.status = TaskResultStatus.READY
            job.save(update_fields=["status"])
            requeued.append(job)
    return requeued


def _release_claim(job):
    args = job.args_kwargs.get("args") or []
    if not args:
        return
    if _task_name(job.task_path) == "extract_file_text":
        StoredFile.objects.filter(
            pk=args[0], state__in=[FileState.EXTRACTING, FileState.OCR]
        ).update(state=FileState.QUEUED, progress_done=0, progress_total=0)
    elif _task_name(job.task_path) == "capture_web_page":
        WebCapture.objects.filter(pk=args[0], state=CaptureState.CAPTURING).update(
            state=CaptureState.QUEUED
        )


# Where a stored job may name a task of this module: here, or (jobs queued before the tasks
# were split by domain) ``records.tasks``.
TASK_PATHS = (__name__, "records.tasks")


def _task_name(task_path):
    module, _dot, name = task_path.rpartition(".")
    return name if module in TASK_PATHS else None
