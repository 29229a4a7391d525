import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from records.core import permissions
from records.core.choices import (
    FOI_APPEALABLE_DECISIONS,
    FOI_WAITING,
    ActorKind,
    CountBasis,
    DocumentType,
    FOIStatus,
    Kind,
    Language,
    Relation,
    ResponseType,
    Role,
    SentVia,
    Status,
    Technology,
)
from records.core.dates import PartialDate, Precision
from records.core.languages import guess_name_language, serbian_script
from records.core.transliteration import has_cyrillic, in_reader_script, shown_language
from records.foi import deadlines
from records.records.models.taxonomy import Actor, Tag

public_id_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,63}$",
    _("Use 1–64 lowercase letters, digits and hyphens, starting with a letter or digit."),
)

# No 0/o, 1/l/i: a public id is read aloud and copied by hand into citations.
_ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def generate_public_id():
    return "nz-" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))


def generate_reply_token():
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(12))


def published_q(through=""):
    """The one rule of public visibility as a condition: the record is published.

    ``through`` a relation ("records__", "record__", "request__") it is the condition on
    the records that relation leads to, for counts and EXISTS over related rows. Nothing
    else filters on a record's status (``tests/test_structure.py`` keeps it so).
    """
    return models.Q(**{f"{through}status": Status.PUBLISHED})


class RecordQuerySet(models.QuerySet):
    def published(self):
        """The one rule of public visibility: only published records are ever shown.

        Every public page, the API, feeds and exports start from this method.
        """
        return self.filter(published_q())

    def visible_to(self, user):
        """What ``user`` may open (``records.core.permissions.readable_records``)."""
        return permissions.readable_records(self, user)

    def in_date_order(self, *, newest_first=False):
        """Sorted by partial date; undated records come last either way."""
        if newest_first:
            return self.order_by(
                models.F("date").desc(nulls_last=True), "-date_precision", "-created_at", "-pk"
            )
        return self.order_by(
            models.F("date").asc(nulls_last=True), "date_precision", "created_at", "pk"
        )


class Record(models.Model):
    """What all four kinds share; each kind adds its own fields in a child table."""

    public_id = models.CharField(
        _("public id"),
        max_length=64,
        unique=True,
        default=generate_public_id,
        validators=[public_id_validator],
        help_text=_("Part of the permanent link. Never change it once published."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, editable=False)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), max_length=2000, blank=True)
    body = models.TextField(
        _("body"), max_length=200_000, blank=True, help_text=_("Markdown. HTML is shown as text.")
    )
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.PositiveSmallIntegerField(
        _("date precision"), choices=Precision.choices, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="records")
    actors = models.ManyToManyField(
        Actor, through="RecordActor", related_name="records", verbose_name=_("actors")
    )
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The search index: normalised tokens written by records.search.indexing (see there).
    search_head = models.TextField(editable=False, blank=True, default="")
    search_text = models.TextField(editable=False, blank=True, default="")

    objects = RecordQuerySet.as_manager()

    # Set by each kind's child model.
    KIND = None

    class Meta:
        ordering = ["-date", "-date_precision", "-pk"]
        verbose_name = _("record")
        verbose_name_plural = _("records")
        permissions = [("publish_record", _("Can publish and unpublish records"))]
        indexes = [
            models.Index(fields=["status", "date"], name="record_status_date"),
            models.Index(fields=["kind", "status"], name="record_kind_status"),
            # Feeds list the newest publications first.
            models.Index(
                models.F("published_at").desc(),
                name="record_published_at",
                condition=published_q(),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="record_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="record_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=Language.values), name="record_language_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(date__isnull=True, date_precision__isnull=True)
                    # "IN" alone lets NULL through: a CHECK passes when it is unknown.
                    | models.Q(
                        date__isnull=False,
                        date_precision__isnull=False,
                        date_precision__in=Precision.values,
                    )
                ),
                name="record_date_has_precision",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.KIND:
            self.kind = self.KIND
        if not self.kind:
            raise ValueError("Create a record through its kind (Document, Statement, ...).")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:record", kwargs={"public_id": self.public_id})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    @property
    def is_embargoed(self):
        return self.status == Status.EMBARGOED

    @property
    def is_deployment(self):
        return self.kind == Kind.DEPLOYMENT

    @property
    def listed_language(self):
        """The language a list names next to the record: any but English, the default."""
        return "" if self.language == Language.EN else self.get_language_display()

    def mark_published(self):
        """Make the record public: status "published" and, the first time only, when
        (``published_at``: feeds order by it, so publishing again does not move a record
        up). Returns the fields it set, for ``save(update_fields=...)``; the caller saves."""
        self.status = Status.PUBLISHED
        if self.published_at is None:
            self.published_at = timezone.now()
        return ["status", "published_at"]

    @property
    def partial_date(self):
        if self.date is None:
            return None
        return PartialDate(self.date, Precision(self.date_precision))

    @partial_date.setter
    def partial_date(self, value):
        self.date = value.start if value else None
        self.date_precision = value.precision if value else None

    @property
    def specific(self):
        """This record as its own kind (a Document, a Statement, ...)."""
        if type(self) is not Record:
            return self
        return getattr(self, KIND_MODELS[self.kind]._meta.model_name)

    @property
    def own_date_label(self):
        """What the record's own date is (when the statement was made, the document
        issued), as opposed to when the archive added it (``added_to_archive``)."""
        return OWN_DATE_LABELS.get(self.kind, _("Date"))

    @property
    def added_to_archive(self):
        """When the public could first read the record here (else when it was created)."""
        return self.published_at or self.created_at


OWN_DATE_LABELS = {
    Kind.DOCUMENT: _("Date of the document"),
    Kind.FOI_REQUEST: _("Date of the request"),
    Kind.STATEMENT: _("Date of the statement"),
    Kind.RESPONSE: _("Date of the response"),
    Kind.DEPLOYMENT: _("Date of the report"),
}


class Document(Record):
    KIND = Kind.DOCUMENT
    document_type = models.CharField(
        _("document type"), max_length=20, choices=DocumentType.choices, blank=True
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")


def overdue_q(today=None):
    """The one rule of "overdue": still waiting for an answer after the day it was due."""
    return models.Q(foi_status__in=FOI_WAITING, due_on__lt=today or timezone.localdate())


class FOIRequestQuerySet(RecordQuerySet):
    def sent(self):
        """Requests that left the site: every request but a draft being written."""
        return self.exclude(foi_status=FOIStatus.DRAFT)

    def public(self):
        """A public request: published (not a draft, not under embargo) and sent."""
        return self.published().sent()

    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def not_overdue(self, today=None):
        return self.exclude(overdue_q(today))

    def waiting(self):
        """Requests still waiting for an answer (sent, or extended by the body)."""
        return self.filter(foi_status__in=FOI_WAITING)

    def embargo_ended(self, today=None):
        """Requests held back by an embargo that ended on or before ``today``."""
        return self.filter(
            status=Status.EMBARGOED, embargo_until__lte=today or timezone.localdate()
        )


class FOIRequest(Record):
    """A request under the Law on Free Access to Information, and where it stands.

    ``status`` (inherited) is editorial visibility; ``foi_status`` is the request's own
    progress. The deadlines ``due_on`` and ``final_due_on`` are derived from the dates
    here on every save (``records.foi.deadlines``); whether a request is overdue is
    computed from them against today, never stored.
    """

    KIND = Kind.FOI_REQUEST
    public_body = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="foi_requests",
        limit_choices_to={"kind": ActorKind.PUBLIC_BODY},
        verbose_name=_("public body"),
    )
    # Never shown publicly: the public sees the requester's display name only.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="foi_requests",
        verbose_name=_("requester"),
    )
    foi_status = models.CharField(
        _("request status"),
        max_length=30,
        choices=FOIStatus.choices,
        default=FOIStatus.AWAITING_RESPONSE,
    )
    urgent = models.BooleanField(
        _("urgent (life or freedom, public health, environment)"),
        default=False,
        help_text=_("The body must answer within 48 hours."),
    )
    sent_via = models.CharField(_("sent by"), max_length=12, choices=SentVia.choices, blank=True)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    received_on = models.DateField(
        _("received by the body on"),
        null=True,
        blank=True,
        help_text=_("The sending date for e-mail; the delivery date for post."),
    )
    extended_to = models.DateField(
        _("extended to"),
        null=True,
        blank=True,
        help_text=_("The date the body gave when it extended the deadline."),
    )
    decision_on = models.DateField(
        _("decision received on"),
        null=True,
        blank=True,
        help_text=_("When the requester received the decision (an appeal is due 15 days later)."),
    )
    answered_on = models.DateField(_("first answered on"), null=True, blank=True)
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    embargo_until = models.DateField(_("embargoed until"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True, editable=False)
    final_due_on = models.DateField(
        _("latest lawful answer date"), null=True, blank=True, editable=False
    )
    # The secret part of the request's reply address (request-<id>-<token>@...).
    reply_token = models.CharField(max_length=24, default=generate_reply_token, editable=False)
    # The number in the reply address when it is not the request's own row number: a
    # request restored by ``import_records`` keeps the address it was sent from.
    reply_number = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A request filed on the site is public in the FOI section at once, but enters the
    # curated story (the home page, the timeline) only when an editor features it.
    in_story = models.BooleanField(
        _("in the story"),
        default=True,
        help_text=_(
            "Shown among the latest records on the home page and in the timeline. Requests "
            "filed on the site start outside it until an editor features them."
        ),
    )
    # Set from the filing form: a second submission of the same form finds this request.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = FOIRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("FOI request")
        verbose_name_plural = _("FOI requests")
        permissions = [
            (
                "manage_foirequest",
                _(
                    "Can act on any FOI request, change its status, and see embargoed "
                    "requests and requesters' data"
                ),
            )
        ]
        indexes = [models.Index(fields=["foi_status", "due_on"], name="foi_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(foi_status__in=FOIStatus.values), name="foi_status_valid"
            ),
        ]

    def save(self, *args, **kwargs):
        self.compute_deadlines()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "due_on", "final_due_on"}
        super().save(*args, **kwargs)

    def compute_deadlines(self):
        if self.received_on is None:
            self.due_on = self.final_due_on = None
            return
        self.due_on = deadlines.answer_due(
            self.received_on, urgent=self.urgent, extended_to=self.extended_to
        )
        self.final_due_on = max(self.due_on, deadlines.final_limit(self.received_on))

    @property
    def is_draft(self):
        """Written on the site and not sent yet."""
        return self.foi_status == FOIStatus.DRAFT

    @property
    def is_waiting(self):
        return self.foi_status in FOI_WAITING

    def is_overdue(self, today=None):
        """``overdue_q`` for one request in memory."""
        today = today or timezone.localdate()
        return self.is_waiting and self.due_on is not None and today > self.due_on

    def is_very_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.is_waiting and self.final_due_on is not None and today > self.final_due_on

    def days_left(self, today=None):
        """Days until the answer is due (negative: days overdue); None when not waiting."""
        if not self.is_waiting or self.due_on is None:
            return None
        return (self.due_on - (today or timezone.localdate())).days

    def days_overdue(self, today=None):
        left = self.days_left(today)
        return -left if left is not None and left < 0 else 0

    @property
    def appeal_due_on(self):
        """The last day to appeal against a refusal, once the decision's date is known."""
        if self.foi_status in FOI_APPEALABLE_DECISIONS and self.decision_on:
            return deadlines.appeal_due(self.decision_on)
        return None

    @property
    def appeals_to_commissioner(self):
        """Where an appeal goes: to the Commissioner, unless the body is one of those
        against which the law gives only an administrative dispute (Art. 22(2)). Without a
        body (not chosen yet, or deleted) the Commissioner is the law's general route."""
        return self.public_body is None or self.public_body.appeals_to_commissioner

    def can_appeal(self, today=None):
        """Overdue (silence) or refused: the page offers an appeal."""
        return self.is_overdue(today) or self.foi_status in FOI_APPEALABLE_DECISIONS

    @property
    def requester_name(self):
        """How the requester appears in public: their display name, never their real one."""
        if self.requester_id is None:
            return _("a former user") if self.sent_via else ""
        profile = getattr(self.requester, "profile", None)
        return profile.display_name if profile else _("a former user")

    @property
    def reply_address(self):
        """The request's own address, ``request-<id>-<token>@<FOI_EMAIL_DOMAIN>``: it is sent
        from it and answered to it (``records.foi.mail`` reads the replies)."""
        # A restored request keeps the number of the address it was sent from.
        number = self.reply_number or self.pk
        return f"request-{number}-{self.reply_token}@{settings.FOI_EMAIL_DOMAIN}"


class Statement(Record):
    KIND = Kind.STATEMENT
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    quote = models.TextField(_("quote"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("government statement")
        verbose_name_plural = _("government statements")


class Response(Record):
    KIND = Kind.RESPONSE
    response_type = models.CharField(
        _("response type"), max_length=20, choices=ResponseType.choices, blank=True
    )

    class Meta:
        verbose_name = _("civil-society response")
        verbose_name_plural = _("civil-society responses")


class Deployment(Record):
    """A surveillance technology in use: what, where, how many and since when.

    The operating body and the vendor are the record's actors (roles "operator" and
    "vendor"), so they appear on actor pages and in facets like every other record's. The
    record's date is when the figure was given; its sources are ``source_url`` and the
    records it links to.
    """

    KIND = Kind.DEPLOYMENT
    technology = models.CharField(_("technology"), max_length=20, choices=Technology.choices)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("A city, a street or a site.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    device_count = models.PositiveIntegerField(_("number of devices"), null=True, blank=True)
    count_basis = models.CharField(
        _("the number is"),
        max_length=12,
        choices=CountBasis.choices,
        blank=True,
        help_text=_("Announced, planned, reported installed, verified or estimated."),
    )

    class Meta:
        verbose_name = _("deployment")
        verbose_name_plural = _("deployments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(technology__in=Technology.values),
                name="deployment_technology_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(count_basis__in=["", *CountBasis.values]),
                name="deployment_count_basis_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(latitude__isnull=True, longitude__isnull=True)
                    # "IN"/ranges alone let NULL through: a CHECK passes when unknown.
                    | models.Q(
                        latitude__isnull=False,
                        longitude__isnull=False,
                        latitude__gte=-90,
                        latitude__lte=90,
                        longitude__gte=-180,
                        longitude__lte=180,
                    )
                ),
                name="deployment_coordinates_valid",
            ),
        ]

    def clean(self):
        super().clean()
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


KIND_MODELS = {
    Kind.DOCUMENT: Document,
    Kind.FOI_REQUEST: FOIRequest,
    Kind.STATEMENT: Statement,
    Kind.RESPONSE: Response,
    Kind.DEPLOYMENT: Deployment,
}


class RecordActor(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="actor_roles")
    # Indexed with the record (``Meta.indexes``), not alone: an actor's page checks each
    # record it walks in date order for the actor, and those checks then stay within the
    # actor's own part of the index (the deepest page of an actor in 115,000 records:
    # 52 -> 19 ms of SQL at 1,000,000 records).
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="record_roles",
        verbose_name=_("actor"),
        db_index=False,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["role", "actor__name"]
        verbose_name = _("actor of a record")
        verbose_name_plural = _("actors of the record")
        indexes = [models.Index(fields=["actor", "record"], name="recordactor_actor_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "actor", "role"], name="record_actor_unique_role"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="record_actor_role_valid"
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display()})"


class Link(models.Model):
    """A typed, directed link: ``source`` <relation> ``target``, with a note."""

    source = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="outgoing_links", verbose_name=_("from")
    )
    target = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="incoming_links", verbose_name=_("to")
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    note = models.CharField(
        _("note"),
        max_length=1000,
        blank=True,
        help_text=_("In English, or in the one language it is written in."),
    )
    note_sr = models.CharField(
        _("note in Serbian"),
        max_length=1000,
        blank=True,
        help_text=_("In either script: readers see it in theirs."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["relation", "pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "relation"], name="link_unique_relation"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_not_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=Relation.values), name="link_relation_valid"
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.get_relation_display()} → {self.target}"

    def note_in(self, reader=None):
        """(note, language tag as shown) for a reader of ``reader``: Serbian readers read
        the Serbian note where there is one, English readers the other note where there
        is one; Serbian in the reader's script."""
        reader = reader or get_language() or "en"
        if self.note_sr and (not reader.startswith("en") or not self.note):
            written = serbian_script(self.note_sr)
            shown = shown_language(written, reader)
            return in_reader_script(self.note_sr, written, reader), shown
        language = "en"
        if has_cyrillic(self.note) or guess_name_language(self.note) == ("sr", True):
            language = serbian_script(self.note)
        return in_reader_script(self.note, language, reader), shown_language(language, reader)

    def clean(self):
        if self.source_id and self.source_id == self.target_id:
            # Not bound to a field: on the "links to this record" inline the target is
            # the hidden parent key, and a field error there would never be shown.
            raise ValidationError(_("A record cannot link to itself."))
