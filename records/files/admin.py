from django.contrib import admin, messages
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.core import permissions
from records.files.tasks import capture_web_page, queue_extraction, request_capture
from records.models import Record, StoredFile, WebCapture


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Every stored file once, with the state of its text; failed ones can be retried."""

    list_display = [
        "sha256_short",
        "content_type",
        "human_size",
        "pages",
        "status",
        "created_at",
        "verified_at",
    ]
    list_filter = ["state", "content_type", "encrypted"]
    search_fields = ["sha256", "attachments__name"]
    actions = ["retry_extraction"]
    fields = [
        "sha256", "content_type", "human_size", "pages", "status", "encrypted",
        "created_at", "extracted_at", "verified_at", "attached_to",
    ]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        # A file held for review, or on a record the user may not open, is not listed.
        return permissions.visible_stored_files(super().get_queryset(request), request.user)

    def has_add_permission(self, request):
        return False  # files arrive attached to a record

    def has_delete_permission(self, request, obj=None):
        return False  # evidence is kept; detach it from the record instead

    @admin.display(description="SHA-256", ordering="sha256")
    def sha256_short(self, stored):
        return stored.sha256[:16] + "…"

    @admin.display(description=_("size"), ordering="size")
    def human_size(self, stored):
        return filesizeformat(stored.size)

    @admin.display(description=_("text"), ordering="state")
    def status(self, stored):
        return stored.status_text

    @admin.display(description=_("attached to"))
    def attached_to(self, stored):
        return ", ".join(f"{a.record.public_id} ({a.name})" for a in stored.attachments.all())

    @admin.action(
        description=_("Read the text of the selected files again"), permissions=["change"]
    )
    def retry_extraction(self, request, queryset):
        count = 0
        for stored in queryset:
            queue_extraction(stored)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Queued %(count)d file for text extraction.",
                "Queued %(count)d files for text extraction.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


__all__ = ["StoredFileAdmin"]


@admin.register(WebCapture)
class WebCaptureAdmin(admin.ModelAdmin):
    """Paste an address to capture it now; capture an address again from the list."""

    list_display = ["url", "record", "state", "captured_at", "status_code", "changes"]
    list_filter = ["state"]
    search_fields = ["url", "record__title", "record__public_id"]
    autocomplete_fields = ["record"]
    actions = ["capture_again"]
    readonly = [
        "state", "problem", "requested_at", "captured_at", "final_url", "redirects",
        "status_code", "content_type", "warc_sha256", "payload_sha256", "size", "changes",
    ]  # fmt: skip

    def get_queryset(self, request):
        return permissions.visible_captures(super().get_queryset(request), request.user)

    def get_fields(self, request, obj=None):
        return ["url", "record"] if obj is None else ["url", "record", *self.readonly]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["url", *self.readonly]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            transaction.on_commit(lambda: capture_web_page.enqueue(obj.pk))
            self.message_user(request, _("The page is being captured."), messages.INFO)

    @admin.action(description=_("Capture the selected addresses again"), permissions=["add"])
    def capture_again(self, request, queryset):
        addresses = {(c.url, c.record_id) for c in queryset}
        for url, record_id in addresses:
            request_capture(url, record=Record(pk=record_id) if record_id else None)
        self.message_user(
            request,
            ngettext(
                "Queued %(count)d new capture.", "Queued %(count)d new captures.", len(addresses)
            )
            % {"count": len(addresses)},
            messages.SUCCESS,
        )
