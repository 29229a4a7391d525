"""Who may see or act: the one home of every permission rule for records, FOI requests,
files, captures and public bodies.

Views, the API, the admin, feeds and the search guards ask these functions; nothing else
tests a status or a permission of its own. The roles (README, "Editors work in /admin/"):

- **the public** reads published records;
- **a requester** also reads and acts on their own FOI requests (drafts and embargoed
  ones included) and reviews their files;
- **Contributors** (staff) also preview unpublished records, but never an embargoed FOI
  request, a request a requester filed on the site before it is public, a requester's
  identity, or a file held for review; they cannot change a request's progress or a public
  body's contact data;
- **Editors** (staff with ``manage_foirequest``) may do all of that.

Staff powers count only in a session that passed the two-factor check, so a stolen
password alone reveals nothing unpublished.

This module depends on the choices and on Django's ``Q`` only (it reaches related models
through the queryset it is given, so core imports no domain); the models' ``visible_to``
methods delegate here, so that the rule is written once.
"""

from django.db.models import Q

from records.core.choices import Status

# Editors: act on any FOI request as its requester could, change its progress and status,
# open embargoed requests and see who filed them.
MANAGE_FOI = "records.manage_foirequest"
# Editors: see files held for review and publish or replace them.
REVIEW_FILES = "records.review_attachment"
# Editors: a proposed change of a public body's FOI e-mail or postal address takes effect
# once one of them confirms it.
CONFIRM_CONTACT = "records.confirm_contactchange"
# Staff: preview unpublished records.
PREVIEW = "records.view_record"
PUBLISH = "records.publish_record"
# The fields of a public body that decide where requests, and requesters' data, go.
CONTACT_FIELDS = ("foi_email", "postal_address")


def staff_with(user, permission):
    """True for a staff member with ``permission`` whose session passed the two-factor
    check (as the admin requires)."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
        and user.has_perm(permission)
    )


# -- roles -------------------------------------------------------------------------------


def is_foi_editor(user):
    """May act on any FOI request, change its status, and see embargoed requests and
    requesters' private data (name, e-mail, address)."""
    return staff_with(user, MANAGE_FOI)


def can_preview(user):
    """May open unpublished records other than requesters' private FOI requests."""
    return staff_with(user, PREVIEW)


def can_publish(user):
    return user is not None and user.is_authenticated and user.has_perm(PUBLISH)


def can_see_requester(user, request):
    """The requester's identity (e-mail address, real name) is for them and editors."""
    return is_own_request(user, request) or is_foi_editor(user)


def can_change_body_contact(user):
    """May propose a new FOI e-mail or postal address for a public body."""
    return is_foi_editor(user) or staff_with(user, CONFIRM_CONTACT)


def can_confirm_body_contact(user):
    return staff_with(user, CONFIRM_CONTACT)


# -- records and FOI requests ----------------------------------------------------------


def public_files(queryset):
    """Files anyone may see on a published record: all but those held for review. The
    search index and snippets, and the export, read only these."""
    return queryset.filter(public=True)


def _previewable(prefix=""):
    """Unpublished records a contributor may preview: not embargoed ones, nor FOI requests
    filed by a requester on the site (their letter carries the requester's name and
    address)."""
    return ~Q(status__in=[Status.PUBLISHED, Status.EMBARGOED]) & Q(
        **{f"{prefix}requester__isnull": True}
    )


def readable_records_filter(user, *, prefix="foirequest__"):
    """A ``Q`` of the records ``user`` may open, or ``None`` for "all of them".

    ``prefix`` is the path from the queried model to ``FOIRequest``'s fields:
    ``"foirequest__"`` for ``Record``, ``""`` for ``FOIRequest`` itself."""
    if is_foi_editor(user):
        return None
    readable = Q(status=Status.PUBLISHED)
    if user is not None and user.is_authenticated:
        readable |= Q(**{f"{prefix}requester": user})
        if can_preview(user):
            readable |= _previewable(prefix)
    return readable


def readable_records(queryset, user):
    """``queryset`` (of ``Record`` or one of its kinds) narrowed to what ``user`` may open.

    The one queryset function of readable records and requests: pages, the admin's lists
    and autocompletes, files and captures all start from it."""
    model = queryset.model
    if model._meta.model_name == "record":
        condition = readable_records_filter(user)
    elif model._meta.model_name == "foirequest":
        condition = readable_records_filter(user, prefix="")
    else:
        # Other kinds are never FOI requests: only their status counts.
        condition = readable_records_filter(user, prefix="foirequest__")
        if condition is not None:
            record_model = model._meta.get_parent_list()[0]  # the Record table
            condition = Q(pk__in=record_model.objects.filter(condition).values("pk"))
    return queryset if condition is None else queryset.filter(condition)


def is_own_request(user, request):
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(request, "requester_id", None) is not None
        and request.requester_id == user.pk
    )


def _foi_request(record):
    """``record`` as an FOI request, or ``None`` for another kind."""
    if hasattr(record, "requester_id"):
        return record
    if getattr(record, "kind", None) != "foi_request":
        return None
    return record.foirequest  # the kind's own row (multi-table inheritance)


def can_read_record(user, record):
    if record.status == Status.PUBLISHED or is_foi_editor(user):
        return True
    request = _foi_request(record)
    if request is not None and is_own_request(user, request):
        return True
    if not can_preview(user):
        return False
    return request is None or (request.status != Status.EMBARGOED and request.requester_id is None)


def can_read_request(user, request):
    """May ``user`` open FOI request ``request``'s page?"""
    return can_read_record(user, request)


def can_manage_request(user, request):
    """The requester and editors may send, classify, appeal and add postal replies."""
    return is_own_request(user, request) or is_foi_editor(user)


def can_set_any_status(user):
    """Only editors set any status; a requester withdraws or appeals, and classifies."""
    return is_foi_editor(user)


# -- files and captures ------------------------------------------------------------------


def can_review_files(user, record):
    """May ``user`` see ``record``'s files held for review, and publish, replace or
    withdraw them: the requester of an FOI request, or an editor."""
    if staff_with(user, REVIEW_FILES):
        return True
    request = _foi_request(record)
    return request is not None and is_own_request(user, request)


def visible_files(queryset, user):
    """The attachments ``user`` sees: those of records they may open; of those held for
    review, only the files of their own requests, or all of them for reviewers."""
    record_model = queryset.model._meta.get_field("record").related_model
    files = queryset.filter(record__in=readable_records(record_model.objects.all(), user))
    if staff_with(user, REVIEW_FILES):
        return files
    if user is not None and user.is_authenticated:
        return files.filter(Q(public=True) | Q(record__foirequest__requester=user))
    return public_files(files)


def visible_stored_files(queryset, user):
    """Stored files (the admin's list) of which ``user`` may see at least one attachment."""
    attachment_model = queryset.model._meta.get_field("attachments").related_model
    visible = visible_files(attachment_model.objects.all(), user)
    return queryset.filter(pk__in=visible.values("file_id"))


def visible_captures(queryset, user):
    """Captures of records ``user`` may open; staff who capture also see captures made
    without a record."""
    record_model = queryset.model._meta.get_field("record").related_model
    readable = Q(record__in=readable_records(record_model.objects.all(), user))
    if staff_with(user, "records.view_webcapture"):
        readable |= Q(record__isnull=True)
    return queryset.filter(readable)


# -- questions ---------------------------------------------------------------------------


def visible_questions(queryset, user):
    if staff_with(user, "records.view_question"):
        return queryset
    return queryset.published()
