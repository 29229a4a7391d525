from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from records.core import permissions
from records.core.dates import PartialDate
from records.files.forms import MultipleFileField
from records.files.storage import RejectedFile, attach, check
from records.files.tasks import request_capture
from records.foi.services import FOIError, check_redacted_copy, publish_file, redact_file
from records.models import (
    KIND_MODELS,
    Action,
    Attachment,
    Deployment,
    Document,
    FOIRequest,
    Kind,
    Link,
    Record,
    RecordActor,
    Response,
    Revision,
    Statement,
    Status,
)
from records.records.services import publish_records, record_revision, snapshot, unpublish_records


def public_page_link(obj):
    """A link to ``obj``'s public page (a preview while it is not published)."""
    if not obj.pk:
        return "—"
    label = _("Open the public page") if obj.is_published else _("Preview (not public)")
    return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


class RecordForm(forms.ModelForm):
    """Editors type a partial date ("2019", "2019-03", "2019-03-21") into one box."""

    capture_source = forms.BooleanField(
        label=_("Capture the source URL now"),
        required=False,
        help_text=_("Keep an archived copy of the page as it is today (a WARC file and its text)."),
    )

    new_files = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_(
            "Choose or drop several files at once: PDF, images, text, office documents, "
            "e-mail. Their text is read in the background."
        ),
    )

    when = forms.CharField(
        label=_("Date"),
        required=False,
        max_length=10,
        help_text=_("YYYY, YYYY-MM or YYYY-MM-DD — as precise as the source allows."),
    )

    class Meta:
        model = Record
        exclude = ["date", "date_precision"]  # noqa: DJ006 -- replaced by "when"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.partial_date:
            self.initial["when"] = str(self.instance.partial_date)

    def clean_when(self):
        value = self.cleaned_data["when"].strip()
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid"
            ) from None

    def save(self, commit=True):
        self.instance.partial_date = self.cleaned_data.get("when")
        return super().save(commit=commit)


class AttachmentReviewForm(forms.ModelForm):
    """For editors who review files (``review_attachment``): publish a file held for review
    as it is, or publish a redacted copy in its place (the original stays held)."""

    publish = forms.BooleanField(
        label=_("publish as it is"),
        required=False,
        help_text=_("Everything in the file becomes public."),
    )
    redacted_copy = forms.FileField(
        label=_("or publish a redacted copy"),
        required=False,
        help_text=_("The copy becomes public; the original stays held."),
    )

    class Meta:
        model = Attachment
        fields = ["name", "position"]

    def clean(self):
        data = super().clean()
        publish, copy = data.get("publish"), data.get("redacted_copy")
        if not (publish or copy):
            return data
        if not (self.instance.pk and self.instance.held):
            raise forms.ValidationError(_("Only a file held for review can be published here."))
        if publish and copy:
            raise forms.ValidationError(_("Publish the file or a redacted copy of it, not both."))
        if copy:
            try:
                sha256 = check(copy)
            except RejectedFile as error:
                self.add_error("redacted_copy", str(error))
                return data
            try:
                check_redacted_copy(self.instance, sha256)
            except FOIError as error:
                self.add_error("redacted_copy", error)
        return data


class AttachmentInline(admin.TabularInline):
    """The record's files. A reply's file arrives held for review ("public" unticked);
    editors with ``review_attachment`` publish it, or a redacted copy, from here."""

    model = Attachment
    fields = ["name", "position", "public", "size", "pages", "text_state", "sha256"]
    readonly_fields = ["public", "size", "pages", "text_state", "sha256"]
    extra = 0
    verbose_name = _("file")
    verbose_name_plural = _("files")

    def get_fields(self, request, obj=None):
        if obj is not None and permissions.can_review_files(request.user, obj):
            return [*self.fields, "publish", "redacted_copy"]
        return self.fields

    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None and permissions.can_review_files(request.user, obj):
            kwargs["form"] = AttachmentReviewForm
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("file")

    def has_add_permission(self, request, obj=None):
        return False  # files are added with "Add files" above, several at once

    @admin.display(description=_("size"))
    def size(self, attachment):
        return filesizeformat(attachment.file.size)

    @admin.display(description=_("pages"))
    def pages(self, attachment):
        return attachment.file.pages or "—"

    @admin.display(description=_("text"))
    def text_state(self, attachment):
        return attachment.file.status_text

    @admin.display(description="SHA-256")
    def sha256(self, attachment):
        return attachment.file.sha256


class RecordActorInline(admin.TabularInline):
    model = RecordActor
    autocomplete_fields = ["actor"]
    extra = 0
    verbose_name = _("actor")
    verbose_name_plural = _("actors and their roles")


class OutgoingLinkInline(admin.TabularInline):
    model = Link
    fk_name = "source"
    fields = ["relation", "target", "note", "note_sr"]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = _("link from this record")
    verbose_name_plural = _("links from this record (this record … the other)")


class IncomingLinkInline(admin.TabularInline):
    model = Link
    fk_name = "target"
    fields = ["source", "relation", "note", "note_sr"]
    autocomplete_fields = ["source"]
    extra = 0
    verbose_name = _("link to this record")
    verbose_name_plural = _("links to this record (the other … this record)")


class YearListFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value.isascii() and value.isdigit() and 1 <= int(value) <= 9999:
            return queryset.filter(date__year=int(value))
        return queryset


class RecordAdminBase(admin.ModelAdmin):
    """What every record admin shares: the list, its filters, search and bulk actions."""

    list_display = ["title", "kind", "status", "date_display", "language", "updated_at"]
    list_filter = [
        "kind",
        "status",
        "language",
        ("tags", admin.RelatedOnlyFieldListFilter),
        ("actors", admin.RelatedOnlyFieldListFilter),
        YearListFilter,
    ]
    search_fields = ["title", "summary", "public_id", "actors__name", "tags__name"]
    list_per_page = 50
    actions = ["publish", "unpublish"]
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        # Lists, change forms and every autocomplete that points at records start here.
        return permissions.readable_records(super().get_queryset(request), request.user)

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, record):
        return str(record.partial_date) if record.partial_date else "—"

    def has_publish_permission(self, request):
        return request.user.has_perm("records.publish_record")

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish(self, request, queryset):
        records = [record for record in queryset if not record.is_published]
        count = publish_records(records=records, user=request.user)
        self._log_action(request, records, _("Published"))
        self.message_user(
            request,
            ngettext("%d record published.", "%d records published.", count) % count,
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Unpublish the selected records (back to draft)"), permissions=["publish"]
    )
    def unpublish(self, request, queryset):
        records = [record for record in queryset if record.is_published]
        count = unpublish_records(records=records, user=request.user)
        self._log_action(request, records, _("Unpublished"))
        self.message_user(
            request,
            ngettext("%d record unpublished.", "%d records unpublished.", count) % count,
            messages.SUCCESS,
        )

    def _log_action(self, request, records, message):
        for record in records:
            self.log_change(request, record, str(message))

    def delete_model(self, request, obj):
        self._delete_with_history(request, [obj])

    def delete_queryset(self, request, queryset):
        self._delete_with_history(request, list(queryset))

    @transaction.atomic
    def _delete_with_history(self, request, records):
        for record in records:
            before = snapshot(record)
            record_revision(
                record=record, before=before, after={}, user=request.user, action=Action.DELETED
            )
            record.delete()


@admin.register(Record)
class RecordAdmin(RecordAdminBase):
    """All records, whatever their kind. Adding and editing happen in the kind's own form."""

    def add_view(self, request, form_url="", extra_context=None):
        kinds = [
            (label, reverse(f"admin:records_{KIND_MODELS[kind]._meta.model_name}_add"))
            for kind, label in Kind.choices
        ]
        context = {**self.admin_site.each_context(request), "kinds": kinds, "opts": self.opts}
        context["title"] = _("Which kind of record?")
        return render(request, "admin/records/choose_kind.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        if record is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        model = KIND_MODELS[record.kind]
        return HttpResponseRedirect(
            reverse(f"admin:records_{model._meta.model_name}_change", args=[record.pk])
        )


class KindAdmin(RecordAdminBase):
    """The edit form of one kind of record, with actors and links in both directions."""

    form = RecordForm
    list_filter = [f for f in RecordAdminBase.list_filter if f != "kind"]
    list_display = [f for f in RecordAdminBase.list_display if f != "kind"]
    autocomplete_fields = ["tags"]
    inlines = [RecordActorInline, AttachmentInline, OutgoingLinkInline, IncomingLinkInline]
    readonly_fields = ["public_page", "published_at", "created_at", "updated_at"]
    object_history_template = "admin/records/object_history.html"
    kind_fields = []

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["title", "summary", "body", *self.kind_fields]}),
            (
                _("Date, language and source"),
                {"fields": ["when", "language", "source_url", "capture_source", "tags"]},
            ),
            (_("Files"), {"fields": ["new_files"]}),
            (_("Publication"), {"fields": ["status", "public_id", "public_page"]}),
            (_("Timestamps"), {"fields": ["published_at", "created_at", "updated_at"]}),
        ]
        return fieldsets

    @admin.display(description=_("public page"))
    def public_page(self, record):
        return public_page_link(record)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status not in self._settable_statuses(request):
            # A status the user may not set is shown, never offered: a select without it
            # would quietly send its first choice ("draft") on an unchanged save.
            readonly.append("status")
        return readonly

    def _settable_statuses(self, request):
        hidden = set()
        if self.model is not FOIRequest:
            hidden.add(Status.EMBARGOED)
        if not self.has_publish_permission(request):
            hidden |= {Status.PUBLISHED, Status.EMBARGOED}
        return [value for value in Status.values if value not in hidden]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "status" in form.base_fields:
            hidden = set()
            if self.model is not FOIRequest:
                hidden.add(Status.EMBARGOED)  # only FOI requests are embargoed
            if not self.has_publish_permission(request):
                # Contributors write drafts and send them for review; only editors publish
                # (an embargo ends in publication, so it is theirs too).
                hidden |= {Status.PUBLISHED, Status.EMBARGOED}
            form.base_fields["status"].choices = [
                (value, label) for value, label in Status.choices if value not in hidden
            ]
        return form

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_change_permission(request, obj)

    def get_object(self, request, object_id, from_field=None):
        record = super().get_object(request, object_id, from_field)
        if record is not None and request.method == "POST":
            record._history_before = snapshot(record)
        return record

    def save_model(self, request, obj, form, change):
        if obj.is_published:
            obj.mark_published()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Attachment and permissions.can_review_files(
            request.user, form.instance
        ):
            self._review_files(request, form.instance, formset)

    def _review_files(self, request, record, formset):
        for file_form in formset.forms:
            data = getattr(file_form, "cleaned_data", None) or {}
            attachment = file_form.instance
            if not attachment.pk or data.get("DELETE"):
                continue
            try:
                if data.get("publish"):
                    publish_file(record, attachment, user=request.user)
                    messages.success(
                        request, _("“%(name)s” is public now.") % {"name": attachment.name}
                    )
                elif data.get("redacted_copy"):
                    copy = redact_file(record, attachment, data["redacted_copy"], user=request.user)
                    messages.success(
                        request,
                        _("The redacted copy “%(copy)s” is public; “%(name)s” stays held.")
                        % {"copy": copy.name, "name": attachment.name},
                    )
            except FOIError as error:
                messages.error(request, " ".join(error.messages))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        record = form.instance
        for upload in form.cleaned_data.get("new_files") or []:
            attach(record, upload, name=upload.name)
        if form.cleaned_data.get("capture_source") and record.source_url:
            request_capture(record.source_url, record=record)
        record_revision(
            record=record,
            before=getattr(record, "_history_before", None) if change else None,
            user=request.user,
            action=Action.CHANGED if change else Action.CREATED,
        )

    def history_view(self, request, object_id, extra_context=None):
        revisions = Revision.objects.filter(record_id=object_id).select_related("user")
        return super().history_view(
            request, object_id, extra_context={"revisions": revisions, **(extra_context or {})}
        )


@admin.register(Document)
class DocumentAdmin(KindAdmin):
    kind_fields = ["document_type"]
    list_filter = [*KindAdmin.list_filter, "document_type"]


@admin.register(FOIRequest)
class FOIRequestAdmin(KindAdmin):
    """Editors can correct any part of a request's progress; the computed deadlines are
    shown, not edited. Requesters act on the public request page."""

    list_display = [*KindAdmin.list_display, "public_body", "foi_status", "due_on"]
    list_filter = [*KindAdmin.list_filter, "foi_status", "in_story"]
    autocomplete_fields = [*KindAdmin.autocomplete_fields, "public_body"]
    foi_readonly = ["requester_link", "due_on", "final_due_on"]
    readonly_fields = [*KindAdmin.readonly_fields, *foi_readonly]
    # A request's progress: editors' to correct (``manage_foirequest``), shown to others.
    progress_fields = [
        "foi_status",
        "urgent",
        "sent_via",
        "sent_on",
        "received_on",
        "extended_to",
        "decision_on",
        "answered_on",
        "appealed_on",
        "embargo_until",
        "in_story",
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        foi_fields = ["public_body", *self.progress_fields, *self.foi_readonly]
        if not permissions.is_foi_editor(request.user):
            foi_fields.remove("requester_link")  # the requester's e-mail is editors' only
        return [fieldsets[0], (_("FOI request"), {"fields": foi_fields}), *fieldsets[1:]]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if permissions.is_foi_editor(request.user):
            return readonly
        return [*readonly, *self.progress_fields]

    @admin.display(description=_("requester"))
    def requester_link(self, foi):
        if foi.requester_id is None:
            return foi.requester_name or "—"
        return format_html("{} &lt;{}&gt;", foi.requester_name, foi.requester.email)


@admin.register(Statement)
class StatementAdmin(KindAdmin):
    kind_fields = ["quote", "venue"]


@admin.register(Response)
class ResponseAdmin(KindAdmin):
    kind_fields = ["response_type"]
    list_filter = [*KindAdmin.list_filter, "response_type"]


@admin.register(Deployment)
class DeploymentAdmin(KindAdmin):
    """The operating body and the vendor go in "actors", with the roles operator and vendor."""

    kind_fields = ["technology", "place", "latitude", "longitude", "device_count", "count_basis"]
    list_display = [*KindAdmin.list_display, "technology", "device_count", "count_basis"]
    list_filter = [*KindAdmin.list_filter, "technology", "count_basis"]
