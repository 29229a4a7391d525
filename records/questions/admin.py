from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from records.models import Question, QuestionLink
from records.records.admin.records import public_page_link


class QuestionLinkInline(admin.TabularInline):
    model = QuestionLink
    fields = ["record", "relation", "note_sr", "note_en"]
    autocomplete_fields = ["record"]
    extra = 1
    verbose_name = _("record on this question")
    verbose_name_plural = _(
        "records on this question (only published ones count towards its state)"
    )


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "position", "status", "state"]
    list_editable = ["position"]
    list_filter = ["status"]
    search_fields = ["title_sr", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [QuestionLinkInline]
    readonly_fields = ["state", "public_page"]
    fieldsets = [
        (None, {"fields": ["title_sr", "title_en", "description_sr", "description_en"]}),
        (_("Publication"), {"fields": ["status", "slug", "position", "state", "public_page"]}),
    ]

    @admin.display(description=_("state shown to the public"))
    def state(self, question):
        if not question.pk:
            return "—"
        return question.state.label

    @admin.display(description=_("public page"))
    def public_page(self, question):
        return public_page_link(question)
