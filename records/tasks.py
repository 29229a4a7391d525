"""Background work (Django's tasks framework): immediate in the quick start, a database
queue served by ``manage.py db_worker`` in production."""

from django.tasks import task

from records.files.extraction import extract
from records.models import FileState, StoredFile
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
    from records.files.fixity import verify_all

    report = verify_all()
    return {
        "checked": report.checked,
        "missing": [f.sha256 for f in report.missing],
        "altered": [f.sha256 for f in report.altered],
    }


@task
def capture_web_page(capture_id):
    """Fetch one queued web capture; claimed first, like the text extraction."""
    from records.files.capture import capture
    from records.models import CaptureState, WebCapture

    claimed = WebCapture.objects.filter(pk=capture_id, state=CaptureState.QUEUED).update(
        state=CaptureState.CAPTURING
    )
    if claimed:
        capture(WebCapture.objects.get(pk=capture_id))


def request_capture(url, *, record=None):
    """Queue a capture of ``url`` (after the current transaction commits) and return it."""
    from django.db import transaction

    from records.models import WebCapture

    web_capture = WebCapture.objects.create(url=url, record=record)
    transaction.on_commit(lambda: capture_web_page.enqueue(web_capture.pk))
    return web_capture


@task
def foi_daily():
    """Lift ended embargoes and e-mail FOI deadline reminders (also `manage.py foi_daily`)."""
    from records.foi.reminders import run_daily

    return run_daily()
