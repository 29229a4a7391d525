"""Fixity: are the stored bytes still the bytes that were stored?"""

import hashlib
from dataclasses import dataclass, field

from django.utils import timezone

from archive import metrics
from records.models import StoredFile

CHUNK = 1024 * 1024


@dataclass
class FixityReport:
    checked: int = 0
    missing: list = field(default_factory=list)
    altered: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.missing and not self.altered


def verify(stored_file):
    """``"ok"``, ``"missing"`` or ``"altered"``; a good check is recorded on the file."""
    storage = stored_file.blob.storage
    if not storage.exists(stored_file.blob.name):
        return "missing"
    digest = hashlib.sha256()
    with storage.open(stored_file.blob.name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != stored_file.sha256:
        return "altered"
    StoredFile.objects.filter(pk=stored_file.pk).update(verified_at=timezone.now())
    return "ok"


def verify_all(files=None, *, progress=None):
    """Check every stored file (or ``files``); ``progress`` is called once per file."""
    report = FixityReport()
    for stored in files if files is not None else StoredFile.objects.order_by("pk").iterator():
        result = verify(stored)
        report.checked += 1
        if result == "missing":
            report.missing.append(stored)
        elif result == "altered":
            report.altered.append(stored)
        if result != "ok":
            metrics.FIXITY_FAILURES.labels(result).inc()
        if progress:
            progress()
    return report
