from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from records.models import Actor, Revision, Tag


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
    list_display = ["name", "kind", "record_count", "foi_email_returned"]
    ordering = ["name"]  # the count annotation drops the model's ordering
    list_filter = ["kind", FOIEmailBouncedFilter]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "slug", "description", "website"]}),
        (
            _("Public body: where FOI requests go"),
            {
                "fields": [
                    "foi_email",
                    "foi_email_bounced_at",
                    "foi_email_bounce_reason",
                    "postal_address",
                    "parent",
                    "appeals_to_commissioner",
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


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "record_count"]
    ordering = ["name"]
    search_fields = ["name"]
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

    @admin.display(description=_("changed fields"))
    def changed_fields(self, revision):
        return ", ".join(revision.changes)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
