"""Storing uploaded bytes once, under their SHA-256, through Django's storage API."""

import hashlib
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from records.files import sniffing
from records.files.tasks import extract_file_text
from records.models import Attachment, FileState, StoredFile

CHUNK = 1024 * 1024


class RejectedFile(ValueError):
    """A file that is not stored, with the reason to show the person who sent it."""


def storage_name(sha256):
    return f"files/{sha256[:2]}/{sha256}"


def _read(fileobj, spool):
    """Copy ``fileobj`` into ``spool``; return its SHA-256, size and sniffed type.

    Raises ``RejectedFile`` for an empty file, one over ``MAX_FILE_SIZE``, or a type
    outside the allow-list.
    """
    limit = settings.MAX_FILE_SIZE
    digest, size, head = hashlib.sha256(), 0, b""
    fileobj.seek(0)
    while chunk := fileobj.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise RejectedFile(
                _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}
            )
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
        spool.write(chunk)
    if size == 0:
        raise RejectedFile(_("The file is empty."))
    content_type = sniffing.sniff(head)
    if content_type == "application/zip":
        spool.seek(0)
        content_type = sniffing.office_type(spool.read())
    if content_type not in sniffing.ALLOWED:
        raise RejectedFile(
            _("Files of this type (%(type)s) cannot be attached.") % {"type": content_type}
        )
    return digest.hexdigest(), size, content_type


def check(fileobj):
    """Raise ``RejectedFile`` if ``fileobj`` would be refused; store nothing. Returns the
    SHA-256 of its bytes."""
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
        sha256, _size, _type = _read(fileobj, spool)
    fileobj.seek(0)
    return sha256


def store(fileobj):
    """Store the bytes of ``fileobj`` (once) and return their ``StoredFile``.

    Identical bytes are stored once, whatever their names. Raises ``RejectedFile`` (see
    ``_read``); nothing is stored then.
    """
    with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
        sha256, size, content_type = _read(fileobj, spool)
        existing = StoredFile.objects.filter(sha256=sha256).first()
        if existing:
            return existing
        name = storage_name(sha256)
        if not default_storage.exists(name):
            spool.seek(0)
            saved = default_storage.save(name, File(spool))
            if saved != name:  # another process stored the same bytes at the same moment
                default_storage.delete(saved)
    stored, _created = StoredFile.objects.get_or_create(
        sha256=sha256, defaults={"size": size, "content_type": content_type, "blob": name}
    )
    return stored


def attach(record, fileobj, *, name, public=True):
    """Store ``fileobj`` and attach it to ``record``; text extraction is queued.

    ``public=False`` holds a new attachment for review (the files of a body's reply). Bytes
    already attached to ``record`` keep their attachment as it is."""
    stored = store(fileobj)
    position = record.attachments.count()
    attachment, created = Attachment.objects.get_or_create(
        record=record,
        file=stored,
        defaults={
            "name": name[:255],
            "position": position,
            "public": public,
        },
    )
    if created and stored.state == FileState.QUEUED:
        queue_after_commit(stored)
    return attachment


def queue_after_commit(stored):
    """Enqueue the reading of ``stored``'s text once the transaction that stored it commits."""
    transaction.on_commit(lambda: extract_file_text.enqueue(stored.pk))
