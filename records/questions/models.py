"""The open questions: what the public still does not know, and which records bear on it.

A question's state is never typed in by hand: it is derived from the published records
linked to it. One record that answers it makes it answered, one that answers it in part
makes it answered in part; otherwise it is still open, however many requests asked it.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from records.core import permissions
from records.core.choices import QuestionRelation, QuestionState, Status
from records.core.languages import reader_language, serbian_script
from records.records.models.records import Record


class QuestionQuerySet(models.QuerySet):
    def published(self):
        """The public questions (drafts are editors' work in progress)."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        return permissions.visible_questions(self, user)


class Question(models.Model):
    """A question about the surveillance programme that the public asked, in two languages.

    The Serbian text may be written in either script; pages show it in the reader's.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("Part of the permanent link. Never change it once published."),
    )
    title_sr = models.CharField(_("question (Serbian)"), max_length=300, blank=True)
    title_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    description_sr = models.TextField(
        _("why it matters (Serbian)"), max_length=5000, blank=True, help_text=_("Markdown.")
    )
    description_en = models.TextField(
        _("why it matters (English)"), max_length=5000, blank=True, help_text=_("Markdown.")
    )
    position = models.PositiveSmallIntegerField(_("position in the list"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=[(Status.DRAFT, Status.DRAFT.label), (Status.PUBLISHED, Status.PUBLISHED.label)],
        default=Status.DRAFT,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("open question")
        verbose_name_plural = _("open questions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(title_sr="", title_en=""), name="question_has_title"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[Status.DRAFT, Status.PUBLISHED]),
                name="question_status_valid",
            ),
        ]

    def __str__(self):
        return self.title_sr or self.title_en

    def get_absolute_url(self):
        return reverse("records:question", kwargs={"slug": self.slug})

    def clean(self):
        if not (self.title_sr or self.title_en):
            raise ValidationError(_("Write the question in Serbian, in English or in both."))

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def public_links(self):
        """The links to published records: the only ones the public sees or that count."""
        return self.links.filter(record__in=Record.objects.published())

    @property
    def state(self):
        relations = list(self.public_links().values_list("relation", flat=True))
        return question_state(
            full_answers=relations.count(QuestionRelation.ANSWERS),
            partial_answers=relations.count(QuestionRelation.ANSWERS_IN_PART),
        )

    def in_language(self, language=None):
        """(title, description, language tag) in the reader's language where written,
        else in the other one (its ``lang`` then tells the browser so)."""
        if reader_language(self.title_sr, self.title_en, language) == "en":
            return self.title_en, self.description_en, "en"
        return self.title_sr, self.description_sr, serbian_script(self.title_sr)


def question_state(*, full_answers, partial_answers):
    """The state shown for a question, from its numbers of *published* records that answer
    it in full and in part (however many ask it)."""
    if full_answers:
        return QuestionState.ANSWERED
    if partial_answers:
        return QuestionState.ANSWERED_IN_PART
    return QuestionState.OPEN


class QuestionLink(models.Model):
    """``record`` asks / answers in part / answers ``question``, with an editor's note."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="links", verbose_name=_("question")
    )
    record = models.ForeignKey(
        Record,
        on_delete=models.CASCADE,
        related_name="question_links",
        verbose_name=_("record"),
    )
    relation = models.CharField(_("relation"), max_length=20, choices=QuestionRelation.choices)
    # Written in Serbian, English or both, like the question: each reader sees their own.
    note_sr = models.CharField(
        _("note (Serbian)"),
        max_length=1000,
        blank=True,
        help_text=_("What the record says about the question, or what it leaves out."),
    )
    note_en = models.CharField(_("note (English)"), max_length=1000, blank=True)

    class Meta:
        ordering = ["relation", "pk"]
        verbose_name = _("record on the question")
        verbose_name_plural = _("records on the question")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "record", "relation"], name="question_link_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(relation__in=QuestionRelation.values),
                name="question_link_relation_valid",
            ),
        ]

    def __str__(self):
        return f"{self.record} → {self.get_relation_display()} → {self.question}"

    @property
    def notes(self):
        """Both versions of the note: links with the same notes are listed together."""
        return (self.note_sr, self.note_en)

    def note_in(self, language=None):
        """(note, language tag) for a reader of ``language``, as ``Question.in_language``."""
        if reader_language(self.note_sr, self.note_en, language) == "en":
            return self.note_en, "en"
        return self.note_sr, serbian_script(self.note_sr)
