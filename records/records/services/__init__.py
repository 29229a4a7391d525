"""Writes: every change that touches several rows goes through a function here.

Each runs in one transaction and leaves a revision in the record's history; views,
admin actions and commands call these and hold no business logic of their own.
"""

from records.records.services.history import diff, record_revision, snapshot
from records.records.services.importing import (
    ImportFailed,
    ImportResult,
    export_jsonl,
    import_jsonl,
)
from records.records.services.publishing import publish_records, unpublish_records
from records.records.services.saving import save_record_data

__all__ = [
    "ImportFailed",
    "ImportResult",
    "diff",
    "export_jsonl",
    "import_jsonl",
    "publish_records",
    "record_revision",
    "save_record_data",
    "snapshot",
    "unpublish_records",
]
