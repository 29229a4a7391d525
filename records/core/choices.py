from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    FOI_REQUEST = "foi_request", _("FOI request")
    STATEMENT = "statement", _("Government statement")
    RESPONSE = "response", _("Civil-society response")
    # A surveillance technology in use somewhere, as in EFF's Atlas of Surveillance.
    DEPLOYMENT = "deployment", _("Deployment")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    # An FOI request its requester keeps private until a date; public from then on.
    EMBARGOED = "embargoed", _("Embargoed")


class Language(models.TextChoices):
    SR_LATN = "sr-Latn", _("Serbian (Latin)")
    SR_CYRL = "sr-Cyrl", _("Serbian (Cyrillic)")
    EN = "en", _("English")


class ActorKind(models.TextChoices):
    PUBLIC_BODY = "public_body", _("Public body")
    COMPANY = "company", _("Company")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    PERSON = "person", _("Person")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    AUTHOR = "author", _("Author")
    SPEAKER = "speaker", _("Speaker")
    ADDRESSEE = "addressee", _("Addressee")
    SUBJECT = "subject", _("Subject")
    RESPONDENT = "respondent", _("Respondent")
    # Of a deployment: the body that runs it and the company that supplied it.
    OPERATOR = "operator", _("Operator")
    VENDOR = "vendor", _("Vendor")


class Relation(models.TextChoices):
    RESPONDS_TO = "responds_to", _("responds to")
    CITES = "cites", _("cites")
    CONTRADICTS = "contradicts", _("contradicts")
    SUPPORTS = "supports", _("supports")
    FOLLOWS_UP = "follows_up", _("follows up")
    SUPERSEDES = "supersedes", _("supersedes")
    ATTACHMENT_OF = "attachment_of", _("is an attachment of")
    ANSWERS = "answers", _("answers")

    @property
    def inverse_label(self):
        """How the relation reads from its target's side ("is contradicted by")."""
        return INVERSE_LABELS[self]


INVERSE_LABELS = {
    Relation.RESPONDS_TO: _("is responded to by"),
    Relation.CITES: _("is cited by"),
    Relation.CONTRADICTS: _("is contradicted by"),
    Relation.SUPPORTS: _("is supported by"),
    Relation.FOLLOWS_UP: _("is followed up by"),
    Relation.SUPERSEDES: _("is superseded by"),
    Relation.ATTACHMENT_OF: _("has as attachment"),
    Relation.ANSWERS: _("is answered by"),
}


class DocumentType(models.TextChoices):
    LAW = "law", _("Law")
    RULEBOOK = "rulebook", _("Rulebook")
    DRAFT_LAW = "draft_law", _("Draft law")
    AGREEMENT = "agreement", _("Agreement")
    REPORT = "report", _("Report")
    ANALYSIS = "analysis", _("Analysis")
    CASE_STUDY = "case_study", _("Case study")
    PRESS_RELEASE = "press_release", _("Press release")
    LETTER = "letter", _("Letter")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


class ResponseType(models.TextChoices):
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    INSPECTION = "inspection", _("Inspection")
    OPEN_LETTER = "open_letter", _("Open letter")
    ARTICLE = "article", _("Article")
    APPEAL = "appeal", _("Appeal")
    OTHER = "other", _("Other")


class FOIStatus(models.TextChoices):
    """Where an FOI request stands (the slugs are those of the import/export format)."""

    DRAFT = "draft", _("Draft")
    AWAITING_RESPONSE = "awaiting_response", _("Awaiting response")
    EXTENDED = "extended", _("Extended")
    CLARIFICATION_REQUESTED = "clarification_requested", _("Clarification requested")
    PARTIALLY_SUCCESSFUL = "partially_successful", _("Partially successful")
    SUCCESSFUL = "successful", _("Successful")
    NOT_HELD = "not_held", _("Information not held")
    REFUSED = "refused", _("Refused")
    APPEALED = "appealed", _("Appealed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The body still owes an answer: these can be overdue.
FOI_WAITING = frozenset({FOIStatus.AWAITING_RESPONSE, FOIStatus.EXTENDED})
# The body answered (well or not): the answer's date counts for the statistics.
FOI_ANSWERED = frozenset(
    {
        FOIStatus.PARTIALLY_SUCCESSFUL,
        FOIStatus.SUCCESSFUL,
        FOIStatus.NOT_HELD,
        FOIStatus.REFUSED,
    }
)
# A decision the requester may appeal within 15 days of receiving it.
FOI_APPEALABLE_DECISIONS = frozenset({FOIStatus.PARTIALLY_SUCCESSFUL, FOIStatus.REFUSED})


class SentVia(models.TextChoices):
    EMAIL = "email", _("E-mail")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")


class Technology(models.TextChoices):
    """What a deployment is (the Atlas of Surveillance's categories, as Serbia has them)."""

    CCTV = "cctv", _("Video surveillance cameras")
    FACE_RECOGNITION = "face_recognition", _("Face recognition")
    LICENCE_PLATES = "licence_plates", _("Licence-plate recognition")
    BODY_CAMERAS = "body_cameras", _("Body-worn cameras")
    DRONES = "drones", _("Drones")
    VIDEO_ANALYTICS = "video_analytics", _("Video analytics")
    COMMAND_CENTRE = "command_centre", _("Command and control centre")
    OTHER = "other", _("Other")


class CountBasis(models.TextChoices):
    """Where a deployment's number of devices comes from: the figures disagree, so each says."""

    ANNOUNCED = "announced", _("announced")
    PLANNED = "planned", _("planned")
    REPORTED = "reported", _("reported installed")
    VERIFIED = "verified", _("verified independently")
    ESTIMATED = "estimated", _("estimated")


class QuestionRelation(models.TextChoices):
    """How a record bears on an open question."""

    ASKS = "asks", _("asks it")
    ANSWERS_IN_PART = "answers_in_part", _("answers it in part")
    ANSWERS = "answers", _("answers it")


class QuestionState(models.TextChoices):
    """What the archive shows about a question, derived from its published records."""

    OPEN = "open", _("Still open")
    ANSWERED_IN_PART = "answered_in_part", _("Answered in part")
    ANSWERED = "answered", _("Answered")

    @property
    def icon(self):
        """A circle filled as far as the question is answered (beside the label, never
        instead of it)."""
        return {"answered": "●", "answered_in_part": "◐"}.get(self.value, "○")


class BodyKind(models.TextChoices):
    """What sort of public authority a public body is (the directory's filter)."""

    MINISTRY = "ministry", _("Ministry")
    GOVERNMENT = "government", _("Government, President or Assembly")
    CITY = "city", _("City or municipality")
    POLICE = "police", _("Police administration")
    COURT = "court", _("Court or prosecutor")
    STATE_COMPANY = "state_company", _("Company owned by the state")
    INDEPENDENT = "independent", _("Independent body")
    OTHER = "other", _("Other authority")


class SuggestionKind(models.TextChoices):
    NEW_BODY = "new_body", _("A body to add")
    CORRECTION = "correction", _("A wrong or missing detail")


class SuggestionState(models.TextChoices):
    PENDING = "pending", _("Waiting for an editor")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
