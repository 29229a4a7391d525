from django.contrib import admin, messages
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.core import permissions
from records.foi.contact import (
    confirm_contact_change,
    propose_contact_change,
    reject_contact_change,
)
from records.models import Actor, ContactChange, ContactChangeState, Record, Revision, Tag


class FOIEmailBouncedFilter(admin.SimpleListFilter):
    title = _("FOI e-mail returned")
    parameter_name = "foi_email_returned"

    def lookups(self, request, model_admin):
        return [("yes", _("Returned undeliverable")), ("no", _("No problem known"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(foi_email_bounced_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(foi_email_bounced_at__isnull=True)
        return queryset


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = [
        "name_sr",
        "name_en",
        "short_name",
        "kind",
        "name_unchecked",
        "record_count",
        "foi_email_returned",
    ]
    ordering = ["name"]  # the count annotation drops the model's ordering
    list_filter = ["kind", "body_kind", "is_test", "name_unchecked", FOIEmailBouncedFilter]
    search_fields = ["name_sr", "name_en", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name_sr"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name_sr",
                    "name_en",
                    "short_name",
                    "kind",
                    "slug",
                    "description",
                    "website",
                ],
                "description": _(
                    "Readers see the name in their language where it is given, else the "
                    "other one; the Serbian name in their script."
                ),
            },
        ),
        (
            _("Public body: where FOI requests go"),
            {
                "fields": [
                    "body_kind",
                    "foi_email",
                    "foi_email_bounced_at",
                    "foi_email_bounce_reason",
                    "postal_address",
                    "parent",
                    "appeals_to_commissioner",
                    "contact_source",
                    "contact_checked_on",
                    "is_test",
                ],
                "description": _("Only for actors of the kind “public body”."),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(record_count=Count("records", distinct=True))

    @admin.display(description=_("records"), ordering="record_count")
    def record_count(self, actor):
        return actor.record_count

    @admin.display(description=_("FOI e-mail returned"), ordering="foi_email_bounced_at")
    def foi_email_returned(self, actor):
        """A visible flag: a message to this address came back undeliverable. Editors check
        the address, correct it, and empty the date."""
        if actor.foi_email_bounced_at is None:
            return ""
        return format_html(
            '<strong class="errornote">{}</strong> {}',
            _("Returned undeliverable"),
            date_format(timezone.localtime(actor.foi_email_bounced_at), "SHORT_DATETIME_FORMAT"),
        )

    def get_readonly_fields(self, request, obj=None):
        # Where requests go is not a contributor's to change (README, "Editors").
        if not permissions.can_change_body_contact(request.user):
            return [*super().get_readonly_fields(request, obj), *permissions.CONTACT_FIELDS]
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        """A new FOI e-mail or postal address is kept as a proposal until an editor
        confirms it under "Changes of bodies' contact data"; the rest is saved at once.
        Saving also marks the actor's names as seen by an editor."""
        obj.name_unchecked = False
        proposed = {name: getattr(obj, name) for name in permissions.CONTACT_FIELDS}
        changed = [name for name in permissions.CONTACT_FIELDS if name in form.changed_data]
        if changed:
            before = Actor.objects.filter(pk=obj.pk).first() if change else None
            for name in permissions.CONTACT_FIELDS:
                setattr(obj, name, getattr(before, name) if before else "")
        super().save_model(request, obj, form, change)
        if changed:
            propose_contact_change(body=obj, user=request.user, **proposed)
            messages.warning(
                request,
                _(
                    "The new contact data of “%(body)s” takes effect once an editor "
                    "confirms it under “Changes of bodies' contact data”."
                )
                % {"body": obj},
            )


@admin.register(ContactChange)
class ContactChangeAdmin(admin.ModelAdmin):
    """Proposed changes of where a body's requests go; an editor confirms or rejects each.
    The rows are never edited or deleted: they are the log."""

    list_display = [
        "body",
        "previous_foi_email",
        "foi_email",
        "state",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["state"]
    list_select_related = ["body", "proposed_by", "decided_by"]
    search_fields = ["body__name", "foi_email", "previous_foi_email"]
    date_hierarchy = "proposed_at"
    readonly_fields = [
        "body",
        "previous_foi_email",
        "foi_email",
        "previous_postal_address",
        "postal_address",
        "state",
        "proposed_by",
        "proposed_at",
        "decided_by",
        "decided_at",
    ]
    actions = ["confirm", "reject"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_confirm_permission(self, request):
        return permissions.can_confirm_body_contact(request.user)

    @admin.action(description=_("Confirm the selected changes"), permissions=["confirm"])
    def confirm(self, request, queryset):
        count = sum(
            confirm_contact_change(change=change, user=request.user)
            for change in queryset.filter(state=ContactChangeState.PENDING)
        )
        self.message_user(
            request,
            ngettext("%(count)d change confirmed.", "%(count)d changes confirmed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected changes"), permissions=["confirm"])
    def reject(self, request, queryset):
        count = sum(
            reject_contact_change(change=change, user=request.user)
            for change in queryset.filter(state=ContactChangeState.PENDING)
        )
        self.message_user(
            request,
            ngettext("%(count)d change rejected.", "%(count)d changes rejected.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "label_sr", "label_en", "slug", "record_count"]
    ordering = ["name"]
    search_fields = ["name", "label_sr", "label_en"]
    fields = ["name", "label_sr", "label_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(record_count=Count("records", distinct=True))

    @admin.display(description=_("records"), ordering="record_count")
    def record_count(self, tag):
        return tag.record_count


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The editorial log: every change to every record, newest first. Read only."""

    list_display = ["created_at", "record_public_id", "action", "user", "changed_fields"]
    list_filter = ["action", "created_at"]
    search_fields = ["record_public_id", "user__username"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]
    readonly_fields = ["record", "record_public_id", "user", "action", "changes", "created_at"]

    def get_queryset(self, request):
        # The history of a record is as private as the record.
        readable = permissions.readable_records(Record.objects.all(), request.user)
        queryset = super().get_queryset(request)
        if permissions.is_foi_editor(request.user):
            return queryset
        return queryset.filter(record__in=readable)

    @admin.display(description=_("changed fields"))
    def changed_fields(self, revision):
        return ", ".join(revision.changes)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
