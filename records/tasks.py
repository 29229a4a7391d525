"""The task paths stored before tasks were split by domain (``records.tasks.<task>``).

Jobs already in the queue name their task by this module's path; importing each task here
keeps them running. New code imports the tasks from their domain:
``records.files.tasks`` and ``records.foi.tasks``.
"""

from records.files.tasks import (
    capture_web_page,
    extract_file_text,
    queue_extraction,
    request_capture,
    requeue_abandoned_jobs,
    verify_stored_files,
)
from records.foi.tasks import foi_daily

__all__ = [
    "capture_web_page",
    "extract_file_text",
    "foi_daily",
    "queue_extraction",
    "request_capture",
    "requeue_abandoned_jobs",
    "verify_stored_files",
]
