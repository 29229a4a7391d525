"""Every write to an FOI request goes through here, in one transaction, and leaves a line
in the request's public timeline."""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from records.core import permissions
from records.core.dates import PartialDate, Precision
from records.files.extraction import words_in
from records.files.flatten import CannotFlatten, safe_copy, text_layer_words
from records.files.sniffing import PDF, sniff
from records.files.storage import RejectedFile, attach, check, queue_after_commit, store
from records.foi import letters
from records.foi.mail import header_text, sender_address
from records.foi.notify import notify_new_message
from records.foi.scrubbing import remember_requester, scrub
from records.models import (
    FOI_ANSWERED,
    FOI_APPEALABLE_DECISIONS,
    Attachment,
    Direction,
    Document,
    DocumentType,
    EventKind,
    FileState,
    FOIEvent,
    FOIMessage,
    FOIRequest,
    FOIStatus,
    Link,
    MessageKind,
    RecordActor,
    Relation,
    Role,
    SentVia,
    Status,
)
from records.search.indexing import index_records

EMBARGO_MAX_DAYS = 366  # "at most 12 months"

SAME_FILE = gettext_lazy(
    "This is the same file as the original. Black out the personal data in a copy, save "
    "it, and upload that copy."
)
ALREADY_ATTACHED = gettext_lazy("This file is already attached to the record.")
TEXT_NOT_REMOVED = gettext_lazy(
    "This copy still holds every word of the original in its text layer: boxes drawn over a "
    "PDF hide the words on screen, but anyone can still select, copy or search them. Use a "
    "redaction tool that removes the text, or print the file to an image, and upload that."
)


class FOIError(ValidationError):
    """A step the request cannot take, with the reason to show."""


# Kept as names of this module for its callers; the rules live in records.core.permissions.
is_editor = permissions.is_foi_editor
can_manage = permissions.can_manage_request


# The rules of filing, sending and classifying, each checked here once: the services
# below call them, and the forms call them too, so a wrong entry is refused with the
# same words before anything is saved. Each FOIError names the form field it is about.


def check_embargo(embargo_until, today=None):
    today = today or timezone.localdate()
    if embargo_until is None:
        return
    if embargo_until <= today:
        raise FOIError({"embargo_until": _("An embargo must end in the future.")})
    if (embargo_until - today).days > EMBARGO_MAX_DAYS:
        raise FOIError({"embargo_until": _("An embargo can last at most 12 months.")})


def check_sending(public_body, via, *, sent_on=None, received_on=None, today=None):
    """By e-mail only to a body with an address for requests; by post or in person with
    the day it went; no day in the future; delivered no earlier than sent."""
    today = today or timezone.localdate()
    errors = {}
    if via == SentVia.EMAIL and public_body is not None and not public_body.foi_email:
        errors["sent_via"] = _(
            "%(body)s has no e-mail address for requests: send it by post or in person."
        ) % {"body": public_body.name}
    for field, day in (("sent_on", sent_on), ("received_on", received_on)):
        if day and day > today:
            errors[field] = _("This date is in the future.")
    if via in (SentVia.POST, SentVia.IN_PERSON) and not sent_on:
        errors["sent_on"] = _("Say when you sent or handed in the request.")
    if sent_on and received_on and received_on < sent_on:
        errors.setdefault("received_on", _("The request cannot arrive before it was sent."))
    if errors:
        raise FOIError(errors)


def check_classification(request, status, *, extended_to=None):
    """A reply is classified as one of ``CLASSIFIABLE``; an extension gives its new
    deadline, which falls after the body received the request."""
    if status not in CLASSIFIABLE:
        raise FOIError(
            {"status": _("A reply cannot be classified as “%(status)s”.") % {"status": status}}
        )
    if status == FOIStatus.EXTENDED:
        if extended_to is None:
            raise FOIError({"extended_to": _("Give the date the body extended the deadline to.")})
        if request.received_on and extended_to <= request.received_on:
            raise FOIError(
                {"extended_to": _("The new deadline must be after the body received the request.")}
            )


def check_redacted_copy(held, sha256):
    """A redacted copy of the held file ``held``, read to ``sha256``: not the original
    itself, and not a file the record already has."""
    if sha256 == held.file.sha256:
        raise FOIError(str(SAME_FILE))
    if Attachment.objects.filter(record_id=held.record_id, file__sha256=sha256).exists():
        raise FOIError(str(ALREADY_ATTACHED))


@transaction.atomic
def create_request(
    *,
    user,
    public_body,
    title,
    letter,
    language,
    urgent=False,
    embargo_until=None,
    submission_key=None,
):
    """A new request, as a draft of ``user``'s. The same ``submission_key`` twice (a form
    sent twice) returns the request the first submission made."""
    if submission_key:
        existing = FOIRequest.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    check_embargo(embargo_until)
    request = FOIRequest.objects.create(
        title=title,
        body=letter,
        language=language,
        public_body=public_body,
        requester=user,
        foi_status=FOIStatus.DRAFT,
        urgent=urgent,
        embargo_until=embargo_until,
        submission_key=submission_key,
        status=Status.DRAFT,
        in_story=False,
    )
    RecordActor.objects.create(record=request, actor=public_body, role=Role.ADDRESSEE)
    FOIEvent.objects.create(request=request, kind=EventKind.FILED, user=user)
    return request


def _signature(request):
    profile = getattr(request.requester, "profile", None)
    return letters.signature(
        real_name=profile.real_name if profile else "",
        postal_address=profile.postal_address if profile else "",
        email_address=request.reply_address,
    )


@transaction.atomic
def send_request(request, *, user, via, sent_on=None, received_on=None):
    """Send a draft by e-mail, or record that it went by post or in person.

    By e-mail it goes from the request's own reply address, signed with the requester's
    name and address (the law asks for them; the site never shows them). If the mail
    server refuses it, the exception rolls everything back: the request stays a draft.
    A request is sent once, however many times this is called.
    """
    today = timezone.localdate()
    claimed = FOIRequest.objects.filter(pk=request.pk, foi_status=FOIStatus.DRAFT).update(
        foi_status=FOIStatus.AWAITING_RESPONSE
    )
    if not claimed:
        return request
    request.refresh_from_db()
    body = request.public_body
    check_sending(body, via, sent_on=sent_on, received_on=received_on, today=today)
    if via == SentVia.EMAIL:
        sent_on = received_on = today
    else:
        received_on = received_on or sent_on
    message_id = ""
    if via == SentVia.EMAIL:
        outgoing = EmailMessage(
            header_text(request.title),
            f"{request.body.rstrip()}\n\n{_signature(request)}\n",
            from_email=sender_address(request),
            to=[body.foi_email],
            reply_to=[request.reply_address],
            headers={"X-Nadzor-Request": request.public_id},
        )
        message_id = outgoing.message()["Message-ID"]
        outgoing.extra_headers["Message-ID"] = message_id
        outgoing.send()
    request.sent_via = via
    request.sent_on = sent_on
    request.received_on = received_on
    request.partial_date = PartialDate(sent_on, Precision.DAY)
    if request.embargo_until and request.embargo_until > today:
        request.status = Status.EMBARGOED
    else:
        request.mark_published()
    request.save()
    FOIMessage.objects.create(
        request=request,
        direction=Direction.OUTGOING,
        via=via,
        sent_at=moment_of(sent_on),
        subject=request.title,
        body=request.body,
        message_id=message_id or "",
    )
    FOIEvent.objects.create(
        request=request,
        at=moment_of(sent_on),
        kind=EventKind.SENT,
        user=user,
        by_editor=user.pk != request.requester_id,
        status_before=FOIStatus.DRAFT,
        status_after=FOIStatus.AWAITING_RESPONSE,
        note=SentVia(via).value,  # shown in each reader's language (FOIEvent.sent_via)
    )
    index_records([request.pk])
    return request


def moment_of(day):
    """A date as a moment: now if it is today, else noon of that day."""
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def record_message(
    request,
    *,
    direction,
    via,
    sent_at,
    subject="",
    text="",
    files=(),
    inbound=None,
    message_id="",
    user=None,
    kind=MessageKind.ANSWER,
    bounce_of=None,
    bounce_reason="",
    not_kept=(),
    contents=None,
):
    """Add one letter to the correspondence, with its files; tell those who follow.

    Each file keeps the name this message gave it (``FOIMessage.attachment_names``), even
    when the same bytes came before under another name and are stored once. ``not_kept``
    lists what the mail held that is not a file here (with the reason); ``contents`` the
    files an attached mail carried, by the attached mail's name. A bounce or an automatic
    reply (``kind``) is kept in the thread but is no answer: nobody is told "the body
    replied" (see ``notify_new_message``).

    Files go through the archive's file store (type sniffed from the bytes, size capped);
    a file it refuses is listed on the message with the reason, and the rest is kept.
    The files of a reply are held for review (``Attachment.public`` false): a body's
    letter is addressed to the requester, by name and often home address, and only the
    requester or an editor may decide to publish it (``publish_file``, ``redact_file``).
    """
    if request.requester_id:
        remember_requester(request)  # the account as it is now, before anything is stored
    message = FOIMessage.objects.create(
        request=request,
        direction=direction,
        via=via,
        sent_at=sent_at,
        subject=scrub(subject, request)[:500],
        body=scrub(text, request),
        inbound=inbound,
        message_id=message_id[:500],
        kind=kind,
        bounce_of=bounce_of,
        bounce_reason=bounce_reason[:500],
    )
    skipped = list(not_kept)
    names, inner = {}, {}
    for name, fileobj in files:
        name = scrub(name, request)  # "Rešenje Petar Petrović.pdf"
        try:
            with transaction.atomic():
                attachment = attach(
                    request, fileobj, name=name, public=direction != Direction.INCOMING
                )
                message.attachments.add(attachment)
        except RejectedFile as error:
            skipped.append({"name": name, "reason": str(error)})
            continue
        known = names.setdefault(str(attachment.pk), [])
        if name[:255] not in known:
            known.append(name[:255])
        if contents and contents.get(name):
            inner[str(attachment.pk)] = contents[name]
    message.skipped_attachments = skipped
    message.attachment_names = names
    message.attachment_contents = inner
    message.save(update_fields=["skipped_attachments", "attachment_names", "attachment_contents"])
    FOIEvent.objects.create(
        request=request,
        kind=EventKind.MESSAGE,
        message=message,
        user=user,
        by_editor=bool(user and user.pk != request.requester_id),
    )
    index_records([request.pk])
    transaction.on_commit(lambda: notify_new_message(message))
    return message


CLASSIFIABLE = [
    FOIStatus.AWAITING_RESPONSE,
    FOIStatus.EXTENDED,
    FOIStatus.CLARIFICATION_REQUESTED,
    FOIStatus.PARTIALLY_SUCCESSFUL,
    FOIStatus.SUCCESSFUL,
    FOIStatus.NOT_HELD,
    FOIStatus.REFUSED,
    FOIStatus.APPEAL_DECIDED,
]


@transaction.atomic
def classify(request, message, *, status, user, extended_to=None):
    """Say what a reply means; the request takes that status."""
    check_classification(request, status, extended_to=extended_to)
    received = timezone.localdate(message.sent_at)
    if status == FOIStatus.EXTENDED:
        request.extended_to = extended_to
    if status in FOI_ANSWERED and request.answered_on is None:
        request.answered_on = received
    if status in FOI_APPEALABLE_DECISIONS:
        request.decision_on = received
    message.classified_as = status
    message.save(update_fields=["classified_as"])
    _set_status(request, status, user=user, message=message)
    if status == FOIStatus.EXTENDED:
        FOIEvent.objects.create(
            request=request,
            kind=EventKind.EXTENDED,
            user=user,
            by_editor=user.pk != request.requester_id,
            note=extended_to.isoformat(),
        )
    return request


def _set_status(request, status, *, user, message=None, note=""):
    before = request.foi_status
    request.foi_status = status
    request.save()
    if before == status and not note:
        return  # e.g. an acknowledgement classified as "awaiting response": nothing changed
    FOIEvent.objects.create(
        request=request,
        kind=EventKind.STATUS,
        user=user,
        by_editor=bool(user and user.pk != request.requester_id),
        status_before=before,
        status_after=status,
        message=message,
        note=note,
    )


MANUAL = [FOIStatus.WITHDRAWN, FOIStatus.APPEALED, FOIStatus.APPEAL_DECIDED]


@transaction.atomic
def change_status(request, *, status, user, on=None):
    """Withdraw, record that an appeal went out, or (editors) set any status."""
    if request.foi_status == FOIStatus.DRAFT:
        raise FOIError(_("Send the request first."))
    if status not in MANUAL and not permissions.can_set_any_status(user):
        raise FOIError(_("Classify a reply to change the status."))
    if status == FOIStatus.APPEALED:
        if not request.can_appeal() and request.foi_status != FOIStatus.APPEALED:
            raise FOIError(_("An appeal is possible once the request is overdue or refused."))
        request.appealed_on = on or timezone.localdate()
        FOIEvent.objects.create(
            request=request,
            kind=EventKind.APPEALED,
            user=user,
            by_editor=user.pk != request.requester_id,
            note=request.appealed_on.isoformat(),
        )
    _set_status(request, status, user=user)
    return request


@transaction.atomic
def lift_embargoes(today=None):
    """Publish every request whose embargo has ended; return how many."""
    today = today or timezone.localdate()
    lifted = 0
    for request in FOIRequest.objects.select_for_update().embargo_ended(today):
        request.save(update_fields=[*request.mark_published(), "updated_at"])
        FOIEvent.objects.create(request=request, kind=EventKind.EMBARGO_LIFTED)
        lifted += 1
    return lifted


def _held_file(record, attachment):
    """``attachment`` locked, if it is one of ``record``'s files still held for review."""
    return (
        Attachment.objects.select_for_update()
        .filter(pk=attachment.pk, record_id=record.pk, public=False)
        .first()
    )


def _check_reviewer(record, user):
    if not permissions.can_review_files(user, record):
        raise FOIError(_("Only the requester or an editor can publish this file."))


def _file_event(record, kind, *, user, name):
    """A line in the request's public timeline (files held on other records, copied by
    ``reply_to_document``, have no timeline)."""
    if isinstance(record, FOIRequest):
        FOIEvent.objects.create(
            request=record,
            kind=kind,
            user=user,
            by_editor=user.pk != record.requester_id,
            note=name[:500],
        )


@transaction.atomic
def publish_file(record, attachment, *, user):
    """Publish a file held for review as it is, with everything in it; the timeline says
    that a file was published (not by whom, beyond "an editor")."""
    _check_reviewer(record, user)
    held = _held_file(record, attachment)
    if held is None:  # published already (a second click): nothing to do
        return attachment
    held.public = True
    held.save(update_fields=["public"])  # the post_save signal re-indexes the record
    _file_event(record, EventKind.FILE_PUBLISHED, user=user, name=held.name)
    return held


def _text_left_in(copy_words, original):
    """Whether ``copy_words`` (the text layer of a redacted copy) still hold every word
    of ``original``'s text: then nothing was taken out of it, whatever the pages look
    like. Not decided (False) while the original's text is unknown or too short."""
    words = set()
    for text in original.file.page_texts.values_list("text", flat=True):
        words |= words_in(text)
    return len(words) >= 3 and words <= copy_words


def _safe_copy(upload, held):
    """``upload`` checked (not the original, not its every word kept, no word under a
    box) and flattened to page images (``records.files.flatten``): the file to store."""
    try:
        sha256 = check(upload)
    except RejectedFile as error:
        raise FOIError(str(error)) from None
    if sha256 == held.file.sha256:
        raise FOIError(str(SAME_FILE))
    upload.seek(0)
    content_type = sniff(upload.read(8192))
    upload.seek(0)
    try:
        if content_type == PDF and _text_left_in(text_layer_words(upload.read()), held):
            raise FOIError(str(TEXT_NOT_REMOVED))
        return safe_copy(upload, content_type)
    except CannotFlatten as error:
        raise FOIError(str(error)) from None


@transaction.atomic
def redact_file(record, attachment, upload, *, user):
    """Publish ``upload``, a redacted copy of a held file, in its place: the copy is
    public, listed on the same messages; the original stays held (visible to the
    requester and editors only). The upload is checked and flattened to page images
    (``_safe_copy``), and the flat file is stored like any file (type sniffed from its
    bytes, size capped) and read by OCR."""
    _check_reviewer(record, user)
    held = _held_file(record, attachment)
    if held is None:
        raise FOIError(_("This file is already public."))
    flat = _safe_copy(upload, held)
    try:
        stored = store(flat)
    except RejectedFile as error:
        raise FOIError(str(error)) from None
    check_redacted_copy(held, stored.sha256)
    copy = Attachment.objects.create(  # the post_save signal re-indexes the record
        record_id=record.pk,
        file=stored,
        name=(
            scrub(upload.name, record)
            if upload.name and isinstance(record, FOIRequest)
            else upload.name or held.name
        )[:255],
        position=held.position,
        public=True,
        redaction_of=held,
    )
    if stored.state == FileState.QUEUED:
        queue_after_commit(stored)
    for message in held.foi_messages.all():
        message.attachments.add(copy)
    _file_event(record, EventKind.FILE_REDACTED, user=user, name=copy.name)
    return copy


@transaction.atomic
def withdraw_file(record, attachment, *, user):
    """Take a public file of a reply (or a redacted copy) out of public view again, when
    it was published by mistake: it is held for review as it arrived, kept, and can be
    published again. The download, the file text, the search and the export stop showing
    it at once (the post_save signal re-indexes the record); copies someone already
    downloaded cannot be recalled, and the page says so."""
    _check_reviewer(record, user)
    shown = (
        Attachment.objects.select_for_update()
        .filter(pk=attachment.pk, record_id=record.pk, public=True, foi_messages__direction="in")
        .first()
    )
    if shown is None:  # held already (a second click): nothing to do
        return attachment
    shown.public = False
    shown.save(update_fields=["public"])
    _file_event(record, EventKind.FILE_WITHDRAWN, user=user, name=shown.name)
    return shown


@transaction.atomic
def reply_to_document(request, message, *, user):
    """A draft document record made from ``message``: its text, its files, and a link
    saying that it answers the request. Each file keeps whether it is public: one still
    held for review stays held on the document, for an editor to publish in the admin."""
    body = request.public_body
    document = Document.objects.create(
        title=(message.public_subject or request.title)[:300],
        body=message.public_text,
        language=request.language,
        document_type=DocumentType.LETTER,
        status=Status.DRAFT,
        partial_date=PartialDate(timezone.localdate(message.sent_at), Precision.DAY),
    )
    if body:
        RecordActor.objects.create(record=document, actor=body, role=Role.AUTHOR)
    for position, attachment in enumerate(message.attachments.all()):
        Attachment.objects.create(
            record=document,
            file=attachment.file,
            name=attachment.name,
            position=position,
            public=attachment.public,
        )
    Link.objects.create(
        source=document,
        target=request,
        relation=Relation.ANSWERS,
        **_reply_notes(message.sent_at.date()),
    )
    index_records([document.pk])
    return document


def _copy_name(record, upload, held):
    """A redacted copy's public name: the uploaded name, scrubbed of the requester."""
    name = upload.name or held.name
    return scrub(name, record) if isinstance(record, FOIRequest) else name


def _reply_notes(day):
    """A reply's link note in English and in Serbian, whoever files it."""
    notes = {}
    for field, language in (("note", "en"), ("note_sr", "sr-latn")):
        with override(language):
            notes[field] = _("The body's reply of %(date)s.") % {
                "date": date_format(day, "DATE_FORMAT")
            }
    return notes
