"""Taking the requester's identity out of what the public sees, and applying the
editors' redaction rules.

Replies from public bodies quote the request, address the requester by name, in any
grammatical case and either script, copy their postal and e-mail address, and name
their files after them. ``scrub`` replaces every form of the requester's identity that
``records.foi.identity`` knows (kept on the request, so it works after the account is
deleted), every phone number, and the request's reply address. It runs when a message
is stored (body, subject, file names) and again whenever text is shown (the page, the
feeds, the e-mail to followers, the search index), so a form learnt later (a name
changed, an address added) covers old messages too. The raw e-mail is kept privately
for editors.

``redact`` applies the editors' rules (``RedactionRule``): the replacement is literal
text, patterns run under a time limit, and a rule that fails withholds the text and is
reported to editors instead of being skipped.
"""

import logging
import re
from functools import partial

import regex
from django.utils import timezone
from django.utils.translation import gettext as _

from records.core.choices import Kind
from records.core.placeholders import marker
from records.foi import identity as ids

logger = logging.getLogger(__name__)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An e-mail address as it is written to dodge harvesters: petar(at)example.com,
# petar [at] example [dot] com, petar at example dot com, petar@example.com.
_AT = r"(?:\s*(?:@|＠|[(\[{<]\s*(?:at|et|@)\s*[)\]}>])\s*|\s+(?:at|et)\s+)"
_DOT = r"(?:\s*(?:\.|[(\[{<]\s*(?:dot|tačka|tacka|\.)\s*[)\]}>])\s*|\s+(?:dot|tačka|tacka)\s+)"
EMAIL_LIKE = re.compile(
    rf"(?<![\w.+-])(?P<local>[\w.+-]+){_AT}(?P<domain>[\w-]+(?:{_DOT}[\w-]+){{1,6}})", re.IGNORECASE
)
_DOT_SPLIT = re.compile(_DOT, re.IGNORECASE)
# Serbian and international phone numbers: +381 64 123 4567, 064/123-45-67, 011 3456 789.
PHONE = re.compile(
    r"(?<![\w/.-])(?:\+|00)?(?:381[\s./-]?)?\(?0?\d{2,3}\)?[\s./-]?"
    r"\d{3,4}[\s.-]?\d{2,4}(?:[\s.-]?\d{2})?(?![\w/-]|\.\d)"
)


def placeholder(kind):
    """What is stored instead of a form of the requester's identity: a language-neutral
    marker, shown as each reader's word for it (``records.core.placeholders``)."""
    return marker(
        {
            ids.NAME: "requester",
            ids.ADDRESS: "requester-address",
            ids.EMAIL: "requester-email",
        }[kind]
    )


def requester_forms(request):
    """The forms of the requester's identity from their account as it is now (none once
    the account is deleted)."""
    user = request.requester if request.requester_id else None
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    return ids.forms_of(
        real_name=profile.real_name if profile else "",
        postal_address=(profile.postal_address if profile else "")
        or getattr(request, "postal_address", ""),
        emails=[user.email],
    )


def remember_requester(request, *, save=True):
    """Add the requester's current forms to those kept on ``request``; True if any were
    new. Called whenever a request, profile or account is saved, and before a message
    is stored."""
    stored = dict(request.requester_identity or {})
    grew = ids.add_forms(stored, requester_forms(request))
    request.__dict__.pop("_scrub_identity", None)
    if grew or not request.requester_identity:
        request.requester_identity = stored
        if save and request.pk:
            type(request).objects.filter(pk=request.pk).update(requester_identity=stored)
    return grew


def identity_of(request):
    """The request's stored ``Identity``, cached on the instance for one page or feed.
    It is kept current by the signals in ``records.foi.signals`` (a request, profile or
    account saved, an account about to be deleted) and by ``record_message``, so showing
    text never has to decline names again."""
    cached = getattr(request, "_scrub_identity", None)
    if cached is None:
        cached = request._scrub_identity = ids.Identity(request.requester_identity)
    return cached


def _email_spans(text, identity):
    spans = []
    for match in EMAIL_LIKE.finditer(text):
        local, domain = match.group("local"), match.group("domain")
        parts = _DOT_SPLIT.split(domain)
        # "petar@example.com.Sledeće": try the longest domain that is the requester's.
        for count in range(len(parts), 1, -1):
            key = ids.email_key(f"{local}@{'.'.join(parts[:count])}")
            if identity.kind(key) == ids.EMAIL:
                end = match.start("domain")
                for _part in range(count):
                    found = re.compile(re.escape(parts[_part])).search(text, end, match.end())
                    end = found.end()
                spans.append((match.start(), end, ids.EMAIL))
                break
    return spans


def scrub_with(text, identity, *, request_id=None, reply_token=""):
    """``text`` with every form of ``identity``, phone numbers and the reply address
    replaced."""
    if not text:
        return text
    if reply_token:
        text = re.sub(
            rf"request-{request_id}-{re.escape(reply_token)}@[\w.-]+",
            marker("request-address"),
            text,
            flags=re.IGNORECASE,
        )
    for start, end, kind in sorted(_email_spans(text, identity), reverse=True):
        text = text[:start] + placeholder(kind) + text[end:]
    spans = identity.spans(text)
    # Runs of the same kind separated only by spaces and commas become one placeholder
    # ("Petar\nRealdatić, Ulica 1" is "[requester], [requester's address]").
    merged = []
    for start, end, kind in spans:
        if merged and merged[-1][2] == kind and not text[merged[-1][1] : start].strip(" \t\r\n,"):
            merged[-1] = (merged[-1][0], end, kind)
        else:
            merged.append((start, end, kind))
    for start, end, kind in reversed(merged):
        text = text[:start] + placeholder(kind) + text[end:]
    return PHONE.sub(marker("phone"), text)


def scrub(text, request):
    """``text`` with the requester's identity, phone numbers and reply address replaced."""
    # A restored request keeps the number of the address it was sent from.
    number = request.reply_number or request.pk
    return scrub_with(
        text, identity_of(request), request_id=number, reply_token=request.reply_token
    )


def scrubbers(record_ids, model):
    """``{pk: function}`` for each FOI request among ``record_ids`` (``model`` is the
    ``FOIRequest`` model): the function takes that request's requester out of a text
    (for the search index, its snippets and the text of its public files). Records that
    are not requests are not in it."""
    rows = model.objects.filter(pk__in=record_ids).values_list(
        "pk", "requester_identity", "reply_number", "reply_token"
    )
    return {
        pk: partial(_scrub_stored, ids.Identity(stored), number or pk, token)
        for pk, stored, number, token in rows
    }


def _scrub_stored(identity, request_id, reply_token, text):
    return scrub_with(text, identity, request_id=request_id, reply_token=reply_token)


def unchanged(text):
    return text


def scrubber(record):
    """The function that takes ``record``'s requester out of a text (``unchanged`` for
    a record that is not an FOI request)."""
    if record.kind != Kind.FOI_REQUEST:
        return unchanged
    model = record._meta.apps.get_model("records", "FOIRequest")
    return scrubbers([record.pk], model).get(record.pk, unchanged)


# How long one redaction rule may take on one text before it counts as failed.
RULE_TIMEOUT = 0.25
# How long a pattern may take on the probes when it is saved.
PROBE_TIMEOUT = 0.05


class RuleFailed(Exception):
    pass


def compile_rule(text, is_pattern):
    """The compiled form of a rule; ``regex.error`` for a pattern that is not valid."""
    return regex.compile(
        text if is_pattern else regex.escape(text), regex.IGNORECASE | regex.VERSION0
    )


def apply_rule(rule, text):
    """``text`` with ``rule`` applied; the replacement is literal text (a backslash is a
    backslash). ``RuleFailed`` if the rule cannot run or takes too long."""
    replacement = rule.replacement
    try:
        return compile_rule(rule.text, rule.is_pattern).sub(
            lambda match: replacement, text, timeout=RULE_TIMEOUT
        )
    except TimeoutError:
        raise RuleFailed(
            _("The pattern took longer than %(seconds)s s on a message.")
            % {"seconds": RULE_TIMEOUT}
        ) from None
    except regex.error as error:
        raise RuleFailed(_("Not a valid pattern: %(error)s") % {"error": error}) from None


def withheld():
    """What the public reads instead of a text a rule failed on (in the reader's language,
    like the other placeholders)."""
    return marker("withheld")


def redact(text, rules):
    """``text`` with the editors' redaction ``rules`` applied (the model's manager finds
    those of a request: ``RedactionRule.objects.for_request``). A rule that failed (now
    or before) withholds the whole text and is marked on the rule for editors, with the
    error logged: hiding too much is the safe side."""
    if not text:
        return text
    for rule in rules:
        if rule.failed_at:
            return withheld()
        try:
            text = apply_rule(rule, text)
        except RuleFailed as error:
            logger.error("Redaction rule %s failed: %s", rule.pk, error)
            type(rule).objects.filter(pk=rule.pk).update(
                failure=str(error)[:500], failed_at=timezone.now()
            )
            return withheld()
    return text
