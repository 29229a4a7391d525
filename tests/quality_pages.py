"""The pages the quality checks visit: HTML validity (tests/test_html_validity.py) and
axe-core accessibility (tests/browser/test_accessibility.py).

``PAGES`` is the one list to extend: a new public page gets a ``QualityPage`` here and both
checks then cover it in English, Serbian Latin and Serbian Cyrillic. ``path`` receives the
archive ``build_archive`` made (the Safe City demo plus a requester's request that got a
reply) and returns the English path; ``in_language`` adds the language prefix.
"""

import io
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.mail import EmailMessage
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from records.management.commands.demo import DEMO_BODIES, DEMO_FILE
from records.models import (
    Actor,
    ActorKind,
    Kind,
    Question,
    QuestionRelation,
    Record,
    Role,
    Status,
    Tag,
)
from records.records.services import import_jsonl
from tests.factories import DeploymentFactory, QuestionFactory, QuestionLinkFactory
from tests.foi_helpers import receive, reply_mail, requester, sent_request
from tests.inbound_helpers import bounce_of
from tests.samples import text_pdf

# Interface languages and the prefix their URLs carry (archive/urls.py: i18n_patterns).
LANGUAGES = {"en": "", "sr-Latn": "/sr-latn", "sr-Cyrl": "/sr"}


@dataclass(frozen=True)
class Submission:
    """The page as it comes back once its form is sent: ``fields(archive)`` gives the values
    to fill in (by field name) and ``button`` the pressed button's name and value, if the
    form has several. The browser fills them into the form as served; the test client posts
    them with the form's hidden fields only, so they must be enough with those."""

    shows: str  # HTML the answer contains (so the check sees the state it means to)
    fields: object = lambda archive: {}  # callable(archive) -> {name: value}
    button: tuple[str, str] | None = None


@dataclass(frozen=True)
class QualityPage:
    name: str  # a file name and a test id: letters, digits and dashes
    path: object  # callable(archive) -> the English path, query string included
    signed_in: bool = False  # seen by the archive's requester (a signed-in member)
    phone: bool = False  # axe-core also checks it 360 px wide
    submit: Submission | None = None  # checked after sending its form, not as first served
    # The browser check waits for this selector first: what a script draws (the map's
    # markers and Leaflet's attribution) is checked too, not only the page as served.
    drawn: str | None = None

    def url(self, archive, language="en"):
        with translation.override("en"):
            return in_language(self.path(archive), language)


def in_language(path, language):
    return LANGUAGES[language] + path


def _record_of(kind):
    return lambda archive: archive.records[kind].get_absolute_url()


ERRORS = 'class="error-summary"'

PAGES = [
    QualityPage("home", lambda a: reverse("records:home"), phone=True),
    QualityPage("records", lambda a: reverse("records:record-list"), phone=True),
    QualityPage("search", lambda a: reverse("records:search") + "?q=kamere", phone=True),
    QualityPage("search-no-results", lambda a: reverse("records:search") + "?q=zzzxqvw"),
    QualityPage("record-document", _record_of(Kind.DOCUMENT), phone=True),
    QualityPage("record-foi-request", _record_of(Kind.FOI_REQUEST)),
    QualityPage("record-statement", _record_of(Kind.STATEMENT)),
    QualityPage("record-response", _record_of(Kind.RESPONSE)),
    QualityPage("record-deployment", _record_of(Kind.DEPLOYMENT)),
    QualityPage(
        "map",
        lambda a: reverse("records:map"),
        phone=True,
        drawn=".deployment-map .map-marker",
    ),
    QualityPage("questions", lambda a: reverse("records:question-list")),
    QualityPage("question", lambda a: a.question.get_absolute_url(), phone=True),
    QualityPage("actors", lambda a: reverse("records:actor-list")),
    QualityPage("actor", lambda a: a.actor.get_absolute_url()),
    QualityPage("tags", lambda a: reverse("records:tag-list")),
    QualityPage("tag", lambda a: a.tag.get_absolute_url()),
    QualityPage("timeline", lambda a: reverse("records:timeline"), phone=True),
    QualityPage("charts", lambda a: reverse("records:charts"), phone=True),
    QualityPage("privacy", lambda a: reverse("records:privacy")),
    QualityPage("foi-requests", lambda a: reverse("foi:request-list")),
    QualityPage("bodies", lambda a: reverse("foi:body-list")),
    QualityPage("body", lambda a: reverse("foi:body", args=[a.body.slug])),
    QualityPage("account", lambda a: reverse("accounts:profile"), signed_in=True),
    QualityPage("signup", lambda a: reverse("accounts:signup")),
    QualityPage("signup-errors", lambda a: reverse("accounts:signup"), submit=Submission(ERRORS)),
    QualityPage("login", lambda a: reverse("accounts:login")),
    # The FOI forms: filing (empty, with errors, previewed), and the requester's own
    # request with a reply to classify.
    QualityPage("foi-new", lambda a: reverse("foi:new"), signed_in=True, phone=True),
    QualityPage(
        "foi-new-errors",
        lambda a: reverse("foi:new"),
        signed_in=True,
        submit=Submission(ERRORS, lambda a: {"letter": ""}, button=("action", "preview")),
    ),
    QualityPage(
        "foi-new-preview",
        lambda a: reverse("foi:new"),
        signed_in=True,
        submit=Submission(
            'id="preview-heading"',
            lambda a: {
                "public_body": a.body.slug,
                "language": "sr-Latn",
                "title": "Gde se čuvaju snimci kamera?",
                "letter": "Tražim informacije o tome gde se čuvaju snimci kamera.",
                "real_name": "Ana Anić",
                "sent_via": "email",
            },
            button=("action", "preview"),
        ),
    ),
    QualityPage("foi-own-request", lambda a: a.request.get_absolute_url(), signed_in=True),
]


def build_archive():
    """The Safe City demo archive, its public bodies, and a requester whose request to the
    Ministry was sent and answered by e-mail, with a scan (so the request page shows the
    reply form and the held file's forms).
    Where the demo has no deployment or open question, one is added."""
    with DEMO_FILE.open("rb") as stream:
        import_jsonl(stream)
    call_command("import_public_bodies", str(DEMO_BODIES), stdout=io.StringIO())
    body = Actor.objects.get(kind=ActorKind.PUBLIC_BODY, name__startswith="Ministarstvo unutr")
    published = Record.objects.filter(status=Status.PUBLISHED).order_by("pk")
    if not published.filter(kind=Kind.DEPLOYMENT).exists():
        DeploymentFactory(
            public_id="2019-belgrade-safe-city-cameras",
            title="Kamere sistema „Bezbedan grad” u Beogradu",
            language="sr-Latn",
            device_count=1000,
            actors=[(body, Role.OPERATOR)],
            tags=["safe city"],
        )
    records = {kind: published.filter(kind=kind).first() for kind in Kind.values}
    question = Question.objects.published().first()
    if question is None:
        question = QuestionFactory(
            slug="where-is-the-footage-stored",
            title_sr="Gde se čuvaju snimci kamera?",
            title_en="Where is the camera footage stored?",
        )
        QuestionLinkFactory(question=question, record=records[Kind.FOI_REQUEST])
        QuestionLinkFactory(
            question=question,
            record=records[Kind.STATEMENT],
            relation=QuestionRelation.ANSWERS_IN_PART,
        )
    body.foi_email = "foi@mup.example"
    body.save()
    member = requester()
    request = sent_request(member, body)
    # The reply's scan is held for review: its requester's page shows it with the forms to
    # publish it or a redacted copy.
    scan = ("resenje.pdf", text_pdf(["Resenje po zahtevu."]), "application/pdf")
    receive(reply_mail(request.reply_address, attachments=[scan]), request.reply_address)
    # An automatic reply, a reply with its quote folded, and a bounce of our request: each
    # marked on the page.
    receive(reply_mail(request.reply_address, subject="Automatski odgovor: odsutan sam"))
    quoted = "Dopuna odgovora.\n\nDana 01.03.2026. pisarnica je napisala:\n> Prvi odgovor.\n"
    receive(reply_mail(request.reply_address, subject="Dopuna", text=quoted))
    sent = EmailMessage(request.title, "…", request.reply_address, [body.foi_email])
    receive(bounce_of(sent, to=request.reply_address))
    return SimpleNamespace(
        records=records,
        actor=body,
        body=body,
        tag=Tag.objects.filter(records__status=Status.PUBLISHED).order_by("pk").first(),
        requester=member,
        request=request,
        question=question,
    )
