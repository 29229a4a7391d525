"""The editors' queue of users' suggestions for the directory of public bodies: nothing
changes in the directory until an editor accepts one."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.foi.directory import accept_suggestion, reject_suggestion
from records.models import BodySuggestion, SuggestionState


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
