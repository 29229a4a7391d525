"""The open questions, what the archive holds on each, and a feed per question.

Only published records appear on these pages or count toward a question's state and
counts: a draft, a record in review or an embargoed request is left out everywhere, for
staff previewing a draft question too, so a preview shows what the public will see.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.views.generic import DetailView, ListView

from records.foi.selectors import real_requests
from records.models import (
    FOI_WAITING,
    FOIStatus,
    Kind,
    Question,
    QuestionRelation,
    QuestionState,
    Record,
    question_state,
)
from records.templatetags.nadzor import question_text

FEED_SIZE = 50

_ASKS = QuestionRelation.ASKS


def with_counts(questions):
    """Annotate each question with how many published records ask or answer it, in one
    query however many questions there are."""
    published = Q(links__record__in=Record.objects.published())

    def count(**lookups):
        condition = Q(**{f"links__{field}": value for field, value in lookups.items()})
        return Count("links", filter=published & condition, distinct=True)

    # Only real requests count as requests (``real_requests``): a sample letter tagged
    # "example" asks the question as any other record does.
    real = Q(links__record__in=real_requests().values("pk"))
    asked = Q(links__relation=_ASKS)
    # An aggregate query leaves Meta.ordering out: the order is given again.
    return questions.order_by("position", "pk").annotate(
        asked_in_requests=Count("links", filter=published & asked & real, distinct=True),
        asked_elsewhere=Count("links", filter=published & asked & ~real, distinct=True),
        partial_answers=count(relation=QuestionRelation.ANSWERS_IN_PART),
        full_answers=count(relation=QuestionRelation.ANSWERS),
    )


def count_facts(question):
    """Short facts for the list: "Asked in 2 FOI requests and 1 other record", "3 partial
    answers"... (none when no published record bears on the question)."""
    facts = []
    requests, elsewhere = question.asked_in_requests, question.asked_elsewhere
    if requests:
        asked = ngettext(
            "Asked in %(count)d FOI request", "Asked in %(count)d FOI requests", requests
        ) % {"count": requests}
        if elsewhere:
            asked = " ".join(
                [
                    asked,
                    ngettext("and %(count)d other record", "and %(count)d other records", elsewhere)
                    % {"count": elsewhere},
                ]
            )
        facts.append(asked)
    elif elsewhere:
        facts.append(
            ngettext("Asked in %(count)d record", "Asked in %(count)d records", elsewhere)
            % {"count": elsewhere}
        )
    if n := question.partial_answers:
        facts.append(
            ngettext("%(count)d partial answer", "%(count)d partial answers", n) % {"count": n}
        )
    if n := question.full_answers:
        facts.append(ngettext("%(count)d full answer", "%(count)d full answers", n) % {"count": n})
    return facts


# How the requests that asked a question ended, in the order the sentence names them
# ("asked in 3 FOI requests; 2 were refused, 1 is overdue; ...": %(count)d of those requests).
_OUTCOMES = [
    (
        FOIStatus.REFUSED,
        lambda n: ngettext("%(count)d was refused", "%(count)d were refused", n),
    ),
    (
        FOIStatus.NOT_HELD,
        lambda n: ngettext(
            "%(count)d got the reply that the information is not held",
            "%(count)d got the reply that the information is not held",
            n,
        ),
    ),
    ("overdue", lambda n: ngettext("%(count)d is overdue", "%(count)d are overdue", n)),
    (
        "waiting",
        lambda n: ngettext(
            "%(count)d is awaiting an answer", "%(count)d are awaiting an answer", n
        ),
    ),
    (
        FOIStatus.CLARIFICATION_REQUESTED,
        lambda n: ngettext(
            "%(count)d is on hold: the body asked for a clarification",
            "%(count)d are on hold: the body asked for clarifications",
            n,
        ),
    ),
    (
        FOIStatus.APPEALED,
        lambda n: ngettext("%(count)d is under appeal", "%(count)d are under appeal", n),
    ),
    (
        FOIStatus.APPEAL_DECIDED,
        lambda n: ngettext("%(count)d had an appeal decided", "%(count)d had appeals decided", n),
    ),
    (
        FOIStatus.PARTIALLY_SUCCESSFUL,
        lambda n: ngettext("%(count)d was answered in part", "%(count)d were answered in part", n),
    ),
    (
        FOIStatus.SUCCESSFUL,
        lambda n: ngettext("%(count)d was answered", "%(count)d were answered", n),
    ),
    (
        FOIStatus.WITHDRAWN,
        lambda n: ngettext("%(count)d was withdrawn", "%(count)d were withdrawn", n),
    ),
    (
        FOIStatus.DRAFT,
        lambda n: ngettext("%(count)d has not been sent", "%(count)d have not been sent", n),
    ),
]


def outcome_of(foi, today):
    """Which of ``_OUTCOMES`` an FOI request is in today."""
    if foi.foi_status in FOI_WAITING:
        return "overdue" if foi.is_overdue(today) else "waiting"
    return foi.foi_status


def state_sentence(state, facts):
    """An honest sentence on where a question stands, e.g. "Still open: asked in 3 FOI
    requests; 2 were refused, 1 is overdue; no published record answers it." (``facts``
    from ``state_facts``)."""
    # Translators: a question's state ("Still open"), then what the archive holds on it.
    return gettext("%(state)s: %(facts)s.") % {"state": QuestionState(state).label, "facts": facts}


def state_facts(requests, asked_elsewhere, partial_answers, full_answers, today=None):
    """What the archive holds on a question, as the part of ``state_sentence`` after the
    state: "asked in 3 FOI requests; 2 were refused, 1 is overdue; no published record
    answers it".

    ``requests`` are the published FOI requests that asked it; the other arguments count
    published records.
    """
    today = today or timezone.localdate()
    facts = []
    if requests:
        n = len(requests)
        facts.append(
            ngettext("asked in %(count)d FOI request", "asked in %(count)d FOI requests", n)
            % {"count": n}
        )
        outcomes = [outcome_of(foi, today) for foi in requests]
        facts.append(
            ", ".join(
                phrase(outcomes.count(outcome)) % {"count": outcomes.count(outcome)}
                for outcome, phrase in _OUTCOMES
                if outcome in outcomes
            )
        )
    else:
        facts.append(gettext("no FOI request in the archive asks it yet"))
    if n := asked_elsewhere:
        facts.append(
            ngettext("%(count)d other record asks it too", "%(count)d other records ask it too", n)
            % {"count": n}
        )
    if n := full_answers:
        facts.append(
            ngettext(
                "%(count)d published record answers it",
                "%(count)d published records answer it",
                n,
            )
            % {"count": n}
        )
    if n := partial_answers:
        facts.append(
            ngettext(
                "%(count)d published record answers it in part",
                "%(count)d published records answer it in part",
                n,
            )
            % {"count": n}
        )
        if not full_answers:
            facts.append(gettext("none answers it in full"))
    if not (full_answers or partial_answers):
        facts.append(gettext("no published record answers it"))
    return "; ".join(facts)


class QuestionListView(ListView):
    template_name = "records/question_list.html"
    context_object_name = "questions"

    def get_queryset(self):
        questions = list(with_counts(Question.objects.visible_to(self.request.user)))
        for question in questions:
            question.current_state = question_state(
                full_answers=question.full_answers, partial_answers=question.partial_answers
            )
            question.count_facts = count_facts(question)
        return questions

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        states = [question.current_state for question in context["questions"]]
        context["tally"] = [(state, states.count(state)) for state in QuestionState]
        return context


class QuestionDetailView(DetailView):
    template_name = "records/question_detail.html"
    context_object_name = "question"

    def get_object(self, queryset=None):
        visible = Question.objects.visible_to(self.request.user)
        return get_object_or_404(visible, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        links = list(
            self.object.public_links()
            .select_related("record__foirequest__public_body", "record__deployment")
            .order_by(F("record__date").asc(nulls_last=True), "record__date_precision", "pk")
        )
        real = set(
            real_requests().filter(pk__in=[link.record_id for link in links]).values_list("pk")
        )
        for link in links:
            record = link.record
            link.foi = record.foirequest if (record.pk,) in real else None
            link.deployment = record.deployment if record.kind == Kind.DEPLOYMENT else None

        def having(relation):
            return [link for link in links if link.relation == relation]

        asked = having(_ASKS)
        requests = [link for link in asked if link.foi]
        elsewhere = [link for link in asked if not link.foi]
        full, partial = having(QuestionRelation.ANSWERS), having(QuestionRelation.ANSWERS_IN_PART)
        state = question_state(full_answers=len(full), partial_answers=len(partial))
        today = timezone.localdate()
        facts = state_facts(
            [link.foi for link in requests], len(elsewhere), len(partial), len(full), today
        )
        return super().get_context_data(
            state=state,
            state_sentence=state_sentence(state, facts),
            state_facts=capfirst(facts),
            full_answers=full,
            partial_answers=partial,
            asked_in_requests=requests,
            asked_elsewhere=elsewhere,
            today=today,
            **kwargs,
        )


class QuestionFeed(Feed):
    """Records newly published on a question (asking it or answering it), newest first.

    Only published questions have a feed, and only published records are in it. An entry
    is dated by the record's publication: a link added later to an older record shows with
    the record's date.
    """

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Question.objects.published(), slug=slug)

    def title(self, question):
        return gettext("Nadzor: records on “%(question)s”") % {
            "question": question_text(question)["title"]
        }

    def subtitle(self, question):
        return gettext("Records that ask or answer this open question, newest first.")

    def link(self, question):
        return question.get_absolute_url()

    def items(self, question):
        return (
            question.public_links()
            .select_related("record")
            .order_by(F("record__published_at").desc(nulls_last=True), "-record__pk", "-pk")[
                :FEED_SIZE
            ]
        )

    def item_title(self, link):
        return f"{capfirst(link.get_relation_display())}: {link.record.title}"

    def item_description(self, link):
        # Atom's summary is typed "html": plain text is escaped once for HTML.
        parts = [link.record.summary, link.note_in()[0]]
        return escape("\n\n".join(part for part in parts if part))

    def item_link(self, link):
        return link.record.get_absolute_url()

    def item_guid(self, link):
        record_url = self.request.build_absolute_uri(link.record.get_absolute_url())
        return f"{record_url}#question-{link.question_id}-{link.relation}"

    item_guid_is_permalink = False

    def item_pubdate(self, link):
        return link.record.published_at or link.record.created_at

    def item_updateddate(self, link):
        return link.record.updated_at

    def item_categories(self, link):
        return [link.record.get_kind_display(), link.get_relation_display()]
