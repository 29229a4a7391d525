"""The holding queue of incoming e-mail: editors deliver a held message to its request,
or discard it. Nothing is deleted from here; the raw bytes stay in storage. And the queue
of users' suggestions for the directory of public bodies: nothing changes in the
directory until an editor accepts one."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.foi.directory import accept_suggestion, reject_suggestion
from records.foi.receiving import deliver
from records.models import (
    BodySuggestion,
    InboundMail,
    InboundState,
    RedactionRule,
    SuggestionState,
)


@admin.register(InboundMail)
class InboundMailAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "state",
        "classified_as",
        "subject",
        "sender",
        "problem",
        "request",
    ]
    list_filter = ["state", "classified_as", "received_at"]
    search_fields = ["subject", "sender", "recipients"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["request"]
    fields = [
        "received_at",
        "state",
        "classified_as",
        "problem",
        "sender",
        "recipients",
        "subject",
        "size",
        "sha256",
        "request",
        "raw_text",
    ]
    readonly_fields = [f for f in fields if f != "request"]
    actions = ["discard"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.state == InboundState.DELIVERED:
            return self.fields
        return self.readonly_fields

    @admin.display(description=_("message as received"))
    def raw_text(self, mail):
        try:
            with default_storage.open(mail.raw.name, "rb") as handle:
                data = handle.read(20_000)
        except OSError:
            return _("The raw message is missing from storage.")
        return data.decode("utf-8", errors="replace")

    def save_model(self, request, obj, form, change):
        if obj.state == InboundState.HELD and obj.request_id:
            deliver(obj, obj.request, user=request.user)
            messages.success(request, _("The message is delivered to its request."))
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Discard the selected held messages (they stay stored)"))
    def discard(self, request, queryset):
        count = queryset.filter(state=InboundState.HELD).update(state=InboundState.DISCARDED)
        messages.success(
            request,
            ngettext("%(count)d message discarded.", "%(count)d messages discarded.", count)
            % {"count": count},
        )


@admin.register(RedactionRule)
class RedactionRuleAdmin(admin.ModelAdmin):
    """Editors' redaction rules. A rule that failed on a message (too slow, not valid)
    withholds the messages it applies to; it is listed first, with why, and a warning
    is shown on every page of this list until an editor fixes and saves it."""

    list_display = [
        "text",
        "is_pattern",
        "replacement",
        "public_body",
        "request",
        "reason",
        "failure",
    ]
    list_filter = ["is_pattern", ("failed_at", admin.EmptyFieldListFilter)]
    search_fields = ["text", "reason"]
    autocomplete_fields = ["public_body", "request"]
    readonly_fields = ["failed_at", "failure"]

    def get_ordering(self, request):
        return [F("failed_at").desc(nulls_last=True), "-created_at"]

    def changelist_view(self, request, extra_context=None):
        failing = RedactionRule.objects.filter(failed_at__isnull=False).count()
        if failing:
            messages.error(
                request,
                ngettext(
                    "%(count)d redaction rule failed; the messages it applies to are "
                    "withheld from the public until it is fixed and saved.",
                    "%(count)d redaction rules failed; the messages they apply to are "
                    "withheld from the public until they are fixed and saved.",
                    failing,
                )
                % {"count": failing},
            )
        return super().changelist_view(request, extra_context)


@admin.register(BodySuggestion)
class BodySuggestionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "body", "name", "foi_email", "user", "state"]
    list_filter = ["state", "kind"]
    list_select_related = ["body", "user"]
    search_fields = ["name", "body__name", "foi_email", "postal_address", "source", "note"]
    date_hierarchy = "created_at"
    fields = [
        "kind",
        "body",
        "user",
        "created_at",
        "current_details",
        "name",
        "body_kind",
        "foi_email",
        "postal_address",
        "website",
        "source",
        "note",
        "state",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields
    actions = ["accept", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("the body's details now"))
    def current_details(self, suggestion):
        body = suggestion.body
        if body is None:
            return "—"
        return " · ".join(
            str(value or "—")
            for value in (body.name, body.foi_email, body.postal_address, body.website)
        )

    @admin.action(
        description=_("Accept the selected suggestions (changes the directory)"),
        permissions=["change"],
    )
    def accept(self, request, queryset):
        self._decide(request, queryset, accept_suggestion, "accepted")

    @admin.action(description=_("Reject the selected suggestions"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, reject_suggestion, "rejected")

    def _decide(self, request, queryset, decide, done):
        count = 0
        for suggestion in queryset.filter(state=SuggestionState.PENDING):
            try:
                decide(suggestion, user=request.user)
            except ValidationError as error:
                messages.error(request, f"{suggestion}: {' '.join(error.messages)}")
            else:
                count += 1
        if count:
            done = {
                "accepted": ngettext(
                    "%(count)d suggestion accepted.", "%(count)d suggestions accepted.", count
                ),
                "rejected": ngettext(
                    "%(count)d suggestion rejected.", "%(count)d suggestions rejected.", count
                ),
            }[done]
            messages.success(request, done % {"count": count})
        skipped = queryset.exclude(state=SuggestionState.PENDING).count()
        if skipped:
            messages.warning(
                request,
                ngettext(
                    "%(count)d suggestion was already decided.",
                    "%(count)d suggestions were already decided.",
                    skipped,
                )
                % {"count": skipped},
            )
