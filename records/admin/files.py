from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.models import StoredFile
from records.tasks import queue_extraction


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
