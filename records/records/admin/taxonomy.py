from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from records.models import Actor, Revision, Tag


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "record_count"]
    ordering = ["name"]  # the count annotation drops the model's ordering
    list_filter = ["kind", "body_kind", "is_test"]
    search_fields = ["name", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "slug", "description", "website"]}),
        (
            _("Public body: where FOI requests go"),
            {
                "fields": [
                    "name_en",
                    "body_kind",
                    "foi_email",
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
