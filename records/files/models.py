"""Files attached to records.

A ``StoredFile`` is a run of bytes, stored once however many records it is attached to
(its name in storage is its SHA-256). An ``Attachment`` puts a stored file on a record
under the name it was uploaded with. ``FilePage`` holds the text of each page, from the
PDF's text layer or from OCR.

Files that come with a public body's reply to an FOI request are held for review
(``Attachment.public`` is false): a scanned decision is typically addressed to the
requester by name and home address, and no scrubbing of text can take that out of a PDF.
``AttachmentQuerySet.visible_to`` is the one rule of who sees which file; every page,
download, search path and export goes through it (or through ``public()``).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from records.core import permissions

# Staff who may see files held for review and publish or replace them (Editors).
REVIEW_PERMISSION = permissions.REVIEW_FILES


class FileState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    EXTRACTING = "extracting", _("Extracting text")
    OCR = "ocr", _("Reading scanned pages (OCR)")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class StoredFile(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    blob = models.FileField(_("stored file"), max_length=200)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=FileState.choices, default=FileState.QUEUED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    problem = models.TextField(_("problem"), blank=True)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    created_at = models.DateTimeField(_("stored"), auto_now_add=True)
    extracted_at = models.DateTimeField(_("text extracted"), null=True, blank=True)
    # Fixity: when the stored bytes last hashed to ``sha256`` (``verify_files``).
    verified_at = models.DateTimeField(_("last verified"), null=True, blank=True)

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=FileState.values), name="storedfile_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.sha256[:12]} ({self.content_type})"

    @property
    def status_text(self):
        """What an editor sees: "OCR page 3 of 10", "Failed: the file is truncated"."""
        if self.state == FileState.OCR and self.progress_total:
            return _("OCR page %(done)s of %(total)s") % {
                "done": self.progress_done,
                "total": self.progress_total,
            }
        if self.state == FileState.FAILED:
            return _("Failed: %(problem)s") % {"problem": self.problem}
        if self.state == FileState.DONE and self.problem:
            return _("Done: %(problem)s") % {"problem": self.problem}
        return self.get_state_display()

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"

    @property
    def opens_in_browser(self):
        return self.is_pdf or self.content_type in {"image/png", "image/jpeg", "image/gif"}


def may_review(user, record):
    """Whether ``user`` may see ``record``'s held files and publish or replace them
    (``records.core.permissions.can_review_files``)."""
    return permissions.can_review_files(user, record)


class AttachmentQuerySet(models.QuerySet):
    def public(self):
        """The files anyone may see on a record they may see: all but those held for review.

        The public paths that read file text without a user (the search index, search
        snippets, the export) start from here."""
        return permissions.public_files(self)

    def visible_to(self, user):
        """The one rule of who sees which file: ``user`` sees the files of the records they
        may open (``Record.objects.visible_to``); of those held for review, only the files
        of their own requests, or all of them with ``review_attachment`` after two-factor."""
        return permissions.visible_files(self, user)


class Attachment(models.Model):
    record = models.ForeignKey(
        "records.Record", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("attached"), auto_now_add=True)
    public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "Files of a body's reply are held until the requester or an editor publishes "
            "them: they may name the requester or give their address."
        ),
    )
    redaction_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="redacted_copies",
        verbose_name=_("redacted copy of"),
    )

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        constraints = [
            models.UniqueConstraint(fields=["record", "file"], name="attachment_unique_file"),
        ]
        permissions = [
            ("review_attachment", _("Can see files held for review, and publish or replace them")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "records:file",
            kwargs={"public_id": self.record.public_id, "pk": self.pk, "name": self.name},
        )

    def get_text_url(self):
        return reverse(
            "records:file-text", kwargs={"public_id": self.record.public_id, "pk": self.pk}
        )

    @property
    def held(self):
        """Held for review: seen only by the requester and editors until published."""
        return not self.public

    @property
    def has_public_copy(self):
        """A redacted copy of this file is public in its place (read from the prefetched
        ``redacted_copies``: a copy withdrawn from public view does not count)."""
        return any(copy.public for copy in self.redacted_copies.all())


class FilePage(models.Model):
    file = models.ForeignKey(StoredFile, on_delete=models.CASCADE, related_name="page_texts")
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    ocr = models.BooleanField(_("read by OCR"), default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="filepage_unique_number"),
        ]

    def __str__(self):
        return f"{self.file} p. {self.number}"


class CaptureState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    CAPTURING = "capturing", _("Capturing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class WebCapture(models.Model):
    """One fetch of a web page, kept as a WARC file with the text it held.

    Captures of the same URL over time form its history; each says what changed since the
    one before.
    """

    url = models.URLField(_("address"), max_length=2000)
    record = models.ForeignKey(
        "records.Record",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="captures",
        verbose_name=_("record"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=CaptureState.choices, default=CaptureState.QUEUED
    )
    problem = models.TextField(_("problem"), blank=True)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    captured_at = models.DateTimeField(_("captured"), null=True, blank=True)
    final_url = models.URLField(_("final address"), max_length=2000, blank=True)
    redirects = models.JSONField(_("redirects"), default=list, blank=True)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    warc = models.FileField(_("WARC file"), max_length=200, blank=True)
    warc_sha256 = models.CharField(_("WARC SHA-256"), max_length=64, blank=True)
    payload_sha256 = models.CharField(_("content SHA-256"), max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    changes = models.CharField(_("changes since the previous capture"), max_length=300, blank=True)

    class Meta:
        ordering = ["-captured_at", "-requested_at", "-pk"]
        verbose_name = _("web capture")
        verbose_name_plural = _("web captures")
        indexes = [models.Index(fields=["url", "captured_at"], name="capture_url_time")]

    def __str__(self):
        return f"{self.url} ({self.captured_at or self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("records:capture", kwargs={"pk": self.pk})

    def get_warc_url(self):
        return reverse("records:capture-warc", kwargs={"pk": self.pk})
