"""The life of an FOI request: its correspondence, its public timeline, the raw mail it
came from, who follows it, and which reminders went out."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext, override, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from records.core import placeholders
from records.core.choices import (
    BodyKind,
    FOIStatus,
    SentVia,
    SuggestionKind,
    SuggestionState,
)
from records.core.transliteration import has_cyrillic, in_reader_script
from records.foi.inbound.quoting import fold
from records.foi.redaction_rules import check_pattern
from records.foi.scrubbing import redact, scrub


class Direction(models.TextChoices):
    OUTGOING = "out", _("Sent to the body")
    INCOMING = "in", _("Received from the body")


class MessageKind(models.TextChoices):
    """What a message is, as ``receive_email`` read it: only a letter can be an answer."""

    ANSWER = "answer", _("Letter")
    BOUNCE = "bounce", _("Returned as undeliverable")
    AUTO_REPLY = "auto_reply", _("Automatic reply")


class FOIMessage(models.Model):
    """One letter in a request's correspondence, as the public sees it.

    ``body`` is the text with the requester's personal data taken out (see
    ``records.foi.scrubbing``); the raw e-mail, if any, is kept privately in ``inbound``.
    """

    request = models.ForeignKey(
        "records.FOIRequest", on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    via = models.CharField(_("by"), max_length=12, choices=SentVia.choices)
    sent_at = models.DateTimeField(_("date"), default=timezone.now)
    subject = models.CharField(pgettext_lazy("of a letter", "subject"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True)
    attachments = models.ManyToManyField(
        "records.Attachment", blank=True, related_name="foi_messages", verbose_name=_("files")
    )
    # Attachments that could not be kept (wrong type, too large), with the reason.
    skipped_attachments = models.JSONField(default=list, blank=True)
    # The names each file had in *this* message ({attachment pk: [name, ...]}): the same
    # bytes are stored once, but each message lists them under the names it gave them.
    attachment_names = models.JSONField(default=dict, blank=True)
    # What an attached mail (.eml) itself carried: {attachment pk: [file name, ...]}.
    attachment_contents = models.JSONField(default=dict, blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=MessageKind.choices, default=MessageKind.ANSWER
    )
    # A bounce: the message of ours it returns, and the mail server's reason.
    bounce_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bounces",
        verbose_name=_("returned message"),
    )
    bounce_reason = models.CharField(_("why it was returned"), max_length=500, blank=True)
    inbound = models.OneToOneField(
        "records.InboundMail",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="message",
    )
    message_id = models.CharField(max_length=500, blank=True, editable=False)
    # Set once the requester or an editor said what this reply means.
    classified_as = models.CharField(
        _("classified as"), max_length=30, choices=FOIStatus.choices, blank=True
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return self.subject or f"{self.get_direction_display()} {self.sent_at:%Y-%m-%d}"

    @property
    def public_text(self):
        """The text as the public reads it: scrubbed again with all that is known of the
        requester now, and with the editors' redaction rules applied."""
        return redact(
            scrub(self.body, self.request), RedactionRule.objects.for_request(self.request)
        )

    @property
    def public_subject(self):
        """The subject as the public reads it (scrubbed and redacted like the text)."""
        return redact(
            scrub(self.subject, self.request), RedactionRule.objects.for_request(self.request)
        )

    @cached_property
    def public_parts(self):
        """The public text split for the page: ``shown``, and ``folded`` (the quoted mail
        and the signature, shown on demand). Only a received e-mail is folded."""
        text = self.public_text
        if self.direction != Direction.INCOMING or self.via != SentVia.EMAIL:
            return {"shown": text, "folded": ""}
        shown, folded = fold(text)
        return {"shown": shown, "folded": folded}

    @property
    def needs_classification(self):
        """Only a body's letter asks what it means: a bounce or an automatic reply is no
        answer, and neither starts nor stops a deadline."""
        return (
            self.direction == Direction.INCOMING
            and self.kind == MessageKind.ANSWER
            and not self.classified_as
        )

    @property
    def is_automatic(self):
        return self.kind != MessageKind.ANSWER

    @property
    def is_answer(self):
        return self.kind == MessageKind.ANSWER

    @property
    def is_bounce(self):
        return self.kind == MessageKind.BOUNCE

    @property
    def is_auto_reply(self):
        return self.kind == MessageKind.AUTO_REPLY

    def names_of(self, attachment):
        """The names ``attachment`` had in this message (more than one when the same bytes
        came twice under different names), first as sent first."""
        names = self.attachment_names.get(str(attachment.pk))
        if isinstance(names, str):
            names = [names]
        return names or [attachment.name]

    def name_of(self, attachment):
        return self.names_of(attachment)[0]

    @property
    def is_incoming(self):
        """From the body (a reply), not to it."""
        return self.direction == Direction.INCOMING

    def describe(self):
        """The message as a line of the timeline, its feed and the e-mails about it:
        "Reply received: <subject>" (see ``FOIEvent.describe``)."""
        if self.is_bounce:
            what = gettext("Returned as undeliverable")
        elif self.is_auto_reply:
            what = gettext("Automatic reply received")
        elif self.is_incoming:
            what = gettext("Reply received")
        else:
            what = gettext("Message sent")
        return f"{what}: {self.subject_for_reader() or self.get_via_display()}"

    def subject_for_reader(self):
        """The public subject (``public_subject``) with its placeholders in the reader's
        language, Serbian in the reader's script (a letter is in its request's language,
        or in Cyrillic)."""
        subject = self.public_subject
        language = "sr-Cyrl" if has_cyrillic(subject) else self.request.language
        reader = get_language() or "en"
        return placeholders.render(subject, lambda text: in_reader_script(text, language, reader))


class InboundState(models.TextChoices):
    DELIVERED = "delivered", _("Delivered to its request")
    HELD = "held", _("Held for an editor")
    DISCARDED = "discarded", _("Discarded by an editor")


class InboundMail(models.Model):
    """Every message ``receive_email`` was given, kept byte for byte before anything else.

    A message whose address does not lead to a request (unknown, forged, unreadable) is
    held here for editors; it is never attached to a request by guesswork, and never lost.
    """

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    raw = models.FileField(_("raw message"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    recipients = models.TextField(_("addressed to"), blank=True)
    sender = models.CharField(pgettext_lazy("e-mail sender", "from"), max_length=500, blank=True)
    subject = models.CharField(pgettext_lazy("of a letter", "subject"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=InboundState.choices)
    problem = models.CharField(_("why it is held"), max_length=500, blank=True)
    classified_as = models.CharField(
        _("read as"), max_length=12, choices=MessageKind.choices, blank=True
    )
    request = models.ForeignKey(
        "records.FOIRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_mail",
        verbose_name=_("request"),
        help_text=_("To deliver a held message, choose its request and save."),
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("incoming e-mail")
        verbose_name_plural = _("incoming e-mail")

    def __str__(self):
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.subject or self.sender}"


def choice_value(choices, text):
    """The value of ``choices`` that ``text`` is, or is the label of in any interface
    language (text stored before values were); ``text`` itself when it is neither."""
    if text in choices.values:
        return text
    for language, _name in settings.LANGUAGES:
        with override(language):
            for value, label in choices.choices:
                if str(label) == text:
                    return value
    return text


class EventKind(models.TextChoices):
    FILED = "filed", _("Request written on Nadzor")
    SENT = "sent", _("Request sent")
    MESSAGE = "message", _("Message")
    STATUS = "status", _("Status changed")
    EXTENDED = "extended", _("Deadline extended")
    APPEALED = "appealed", _("Appeal sent")
    EMBARGO_LIFTED = "embargo_lifted", _("Embargo ended")
    FILE_PUBLISHED = "file_published", _("A file of a reply was published")
    FILE_REDACTED = "file_redacted", _("A redacted copy of a file was published")
    FILE_WITHDRAWN = "file_withdrawn", _("A file of a reply was withdrawn from public view")


class FOIEvent(models.Model):
    """One line of a request's public timeline. Who did it is kept for editors only; the
    page says "the requester", "an editor" or "the body"."""

    request = models.ForeignKey(
        "records.FOIRequest", on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    by_editor = models.BooleanField(default=False)
    status_before = models.CharField(max_length=30, choices=FOIStatus.choices, blank=True)
    status_after = models.CharField(max_length=30, choices=FOIStatus.choices, blank=True)
    message = models.ForeignKey(FOIMessage, on_delete=models.CASCADE, null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()}"

    def describe(self):
        """What happened, in one sentence of the reader's language. The one wording of an
        event: the request's timeline, its Atom feed and the e-mails all use it."""
        if self.kind == EventKind.MESSAGE and self.message_id:
            return self.message.describe()
        if self.kind == EventKind.STATUS:
            return gettext("Status: %(before)s → %(after)s") % {
                "before": self.get_status_before_display(),
                "after": self.get_status_after_display(),
            }
        # Each sentence names what the event's note holds: how it was sent, a date, a file.
        sentences = {
            EventKind.SENT: (gettext("Request sent (%(how)s)."), "how"),
            EventKind.EXTENDED: (gettext("The body extended the deadline to %(date)s."), "date"),
            EventKind.FILE_PUBLISHED: (
                gettext("A file of a reply was published: %(name)s"),
                "name",
            ),
            EventKind.FILE_REDACTED: (
                gettext("A file of a reply was published as a redacted copy: %(name)s"),
                "name",
            ),
            EventKind.FILE_WITHDRAWN: (
                gettext("A file of a reply was withdrawn from public view: %(name)s"),
                "name",
            ),
        }
        if self.kind in sentences:
            sentence, placeholder = sentences[self.kind]
            return sentence % {placeholder: self.note_for_reader}
        return self.get_kind_display()

    @property
    def note_for_reader(self):
        """The note in the reader's language: how a request was sent (the note holds the
        ``SentVia`` value; older events hold the label in the sender's language, read
        back to its value), a date in the reader's form, or a file's name as it is, what
        scrubbing took out of it in the reader's language."""
        if self.kind == EventKind.SENT and self.note:
            value = choice_value(SentVia, self.note)
            return SentVia(value).label if value in SentVia.values else value
        try:
            return date_format(date.fromisoformat(self.note), "DATE_FORMAT")
        except ValueError:
            return placeholders.render(self.note)


class Follow(models.Model):
    """A signed-in user follows a request or a public body: each new message is e-mailed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    request = models.ForeignKey(
        "records.FOIRequest", on_delete=models.CASCADE, null=True, blank=True
    )
    body = models.ForeignKey("records.Actor", on_delete=models.CASCADE, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "request"], name="follow_unique_request"),
            models.UniqueConstraint(fields=["user", "body"], name="follow_unique_body"),
            models.CheckConstraint(
                condition=models.Q(request__isnull=False, body__isnull=True)
                | models.Q(request__isnull=True, body__isnull=False),
                name="follow_one_thing",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.request or self.body}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("The answer is due soon")
    OVERDUE = "overdue", _("The answer is overdue")
    APPEAL_SOON = "appeal_soon", _("The appeal is due soon")


class FOIReminder(models.Model):
    """A reminder that was e-mailed, so the daily run sends each one once."""

    request = models.ForeignKey(
        "records.FOIRequest", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    deadline = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "kind", "deadline"], name="reminder_once_per_deadline"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.deadline})"


class RedactionRuleQuerySet(models.QuerySet):
    def for_request(self, request):
        """The rules that apply to ``request``: everywhere, its body's, and its own."""
        return self.filter(
            models.Q(request__isnull=True, public_body__isnull=True)
            | models.Q(request=request)
            | models.Q(request__isnull=True, public_body_id=request.public_body_id)
        )


class RedactionRule(models.Model):
    """An editor's rule for what the public must not read in FOI correspondence (like
    Alaveteli's censor rules): a text or pattern, replaced wherever it appears, in every
    request, one body's requests, or one request. Rules apply when a message is shown, so
    a new rule covers old messages too."""

    text = models.CharField(
        _("text to hide"),
        max_length=500,
        help_text=_("Matched without regard to case. With “pattern”, a regular expression."),
    )
    is_pattern = models.BooleanField(_("pattern"), default=False)
    replacement = models.CharField(_("shown instead"), max_length=100, default="[…]")
    public_body = models.ForeignKey(
        "records.Actor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"kind": "public_body"},
        verbose_name=_("only in requests to"),
    )
    request = models.ForeignKey(
        "records.FOIRequest",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="redaction_rules",
        verbose_name=_("only in the request"),
    )
    reason = models.CharField(_("why (for editors)"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when the rule failed on a message (too slow, not valid): the messages it applies
    # to are withheld until an editor fixes the rule; saving it again clears this.
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True, editable=False)
    failure = models.CharField(_("failure"), max_length=500, blank=True, editable=False)

    objects = RedactionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("redaction rule")
        verbose_name_plural = _("redaction rules")

    def __str__(self):
        return f"{self.text} → {self.replacement}"

    def save(self, *args, **kwargs):
        self.failed_at, self.failure = None, ""
        super().save(*args, **kwargs)

    def clean(self):
        if self.is_pattern:
            problem = check_pattern(self.text)
            if problem:
                raise ValidationError({"text": problem})


class BodySuggestion(models.Model):
    """A signed-in user's suggestion for the directory of public bodies: a body to add, or
    a wrong or missing detail of one. Nothing changes until an editor accepts it
    (``records.foi.directory.accept_suggestion``)."""

    kind = models.CharField(_("suggestion"), max_length=12, choices=SuggestionKind.choices)
    body = models.ForeignKey(
        "records.Actor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestions",
        limit_choices_to={"kind": "public_body"},
        verbose_name=_("public body"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="body_suggestions",
        verbose_name=_("suggested by"),
    )
    created_at = models.DateTimeField(_("suggested on"), default=timezone.now)
    name = models.CharField(_("name"), max_length=300, blank=True)
    body_kind = models.CharField(
        _("kind of public body"), max_length=20, choices=BodyKind.choices, blank=True
    )
    foi_email = models.EmailField(_("FOI e-mail address"), blank=True, max_length=254)
    postal_address = models.TextField(_("postal address"), blank=True, max_length=1000)
    website = models.URLField(_("website"), blank=True, max_length=500)
    source = models.CharField(
        _("where this comes from"),
        max_length=500,
        help_text=_("A web page of the body, or where you found the address."),
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SuggestionState.choices,
        default=SuggestionState.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("suggestion for the directory")
        verbose_name_plural = _("suggestions for the directory")
        constraints = [
            models.CheckConstraint(
                # A new body's suggestion points to the body once accepted.
                condition=models.Q(kind="new_body") | models.Q(body__isnull=False),
                name="bodysuggestion_body_matches_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="new_body", name=""), name="bodysuggestion_new_has_name"
            ),
        ]

    def __str__(self):
        return self.name or str(self.body or "")

    def changes(self):
        """``{field: value}``: what accepting this suggestion would set on the body."""
        fields = ["name", "body_kind", "foi_email", "postal_address", "website"]
        return {field: getattr(self, field) for field in fields if getattr(self, field)}
