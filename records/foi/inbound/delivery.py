"""Receiving: one raw RFC 822 message in, stored before anything else, then delivered to
its request or held for editors, as what it is (a letter, a bounce, an automatic reply).

The bytes are written to storage and an ``InboundMail`` row is committed first, so
whatever happens next (an unreadable message, an unknown address, a crash) nothing is
lost. A message reaches a request by its reply address (the request's id *and* secret
token). Mail to any other address is delivered only when it names exactly one request by
something an outsider cannot guess or a body plainly gave: a reply address with its
token quoted in the text, our own Message-ID in its ``In-Reply-To``/``References`` (or
in the copy a bounce returns), or the request's public id in the subject of mail from
the body's own mail domain. Everything else is held, as before.
"""

import email.utils
import hashlib
import logging
import re
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from archive import metrics
from records.core.ratelimits import sender_over_limit
from records.foi.inbound.classification import AUTO_REPLY, BOUNCE, Classification, classify
from records.foi.inbound.parsing import parse
from records.foi.mail import ADDRESS_PATTERN, find_request
from records.foi.services import record_message
from records.models import (
    Direction,
    FOIMessage,
    FOIRequest,
    InboundMail,
    InboundState,
    MessageKind,
    SentVia,
)

logger = logging.getLogger(__name__)

# The outcome counted in ``nadzor_mail_received_total``: a letter is "delivered"; a bounce
# and an automatic reply are delivered too, but counted apart.
OUTCOMES = {BOUNCE: "bounced", AUTO_REPLY: "auto_reply"}

PUBLIC_ID_IN_TEXT = re.compile(r"\b(nz-[2-9a-hjkmnp-z]{8})\b", re.I)


class MailTooLarge(ValueError):
    pass


def read_limited(stream, limit=None):
    """Read at most ``MAX_MAIL_SIZE`` bytes from ``stream``; refuse anything larger."""
    limit = limit or settings.MAX_MAIL_SIZE
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise MailTooLarge(f"the message is larger than {limit} bytes")
    return data


def receive(raw: bytes, *, recipients=()):
    """Keep ``raw``, then deliver it to its request or hold it. Returns the ``InboundMail``
    with ``report``: what ``receive_email --json`` prints.

    ``recipients`` are the envelope recipients the mail server gives (they count as much
    as the To and Cc headers, which a body's mail software may have rewritten).
    """
    sha256 = hashlib.sha256(raw).hexdigest()
    now = timezone.now()
    name = default_storage.save(f"mail/{now:%Y/%m}/{sha256}.eml", ContentFile(raw))
    inbound = InboundMail.objects.create(
        received_at=now,
        raw=name,
        sha256=sha256,
        size=len(raw),
        recipients="\n".join(recipients),
        state=InboundState.HELD,
        problem="not read yet",
    )
    inbound.report = {"outcome": "held", "request": None, "classified_as": "answer"}
    try:
        parsed = parse(raw)
    except Exception as error:  # any parser failure: the message is kept, and held
        logger.warning("inbound mail %s could not be read: %s", inbound.pk, type(error).__name__)
        _hold(inbound, f"unreadable message ({type(error).__name__})")
        inbound.report.update(subject="", text="", attachments=[], not_kept=[])
        return inbound
    try:
        classification = classify(parsed)
    except Exception as error:  # a letter, then: shown, and an editor sees it
        logger.warning("inbound mail %s not classified: %s", inbound.pk, type(error).__name__)
        classification = Classification()
    inbound.sender = parsed.sender[:500]
    inbound.subject = parsed.subject[:500]
    inbound.recipients = "\n".join(dict.fromkeys([*recipients, *parsed.recipients]))
    inbound.classified_as = classification.kind
    inbound.save(update_fields=["sender", "subject", "recipients", "classified_as"])
    inbound.report = _held_report(parsed, classification)
    if parsed.sender and sender_over_limit(
        email.utils.parseaddr(parsed.sender)[1] or parsed.sender, rate=settings.MAIL_RATE_PER_SENDER
    ):
        _hold(inbound, "too many messages from this sender (MAIL_RATE_PER_SENDER)")
        return inbound
    match = find_request([*recipients, *parsed.recipients])
    request = match.request
    if request is None:
        request, problem = named_request(parsed, classification)
        if request is None:
            _hold(inbound, problem or match.problem)
            return inbound
    try:
        message = deliver(inbound, request, parsed=parsed, classification=classification)
    except Exception as error:  # the bytes are safe; an editor can deliver it again
        logger.exception("inbound mail %s could not be delivered", inbound.pk)
        _hold(inbound, f"could not be delivered to request {request.pk}: {error}")
        return inbound
    inbound.report = delivered_report(message, classification)
    return inbound


def _hold(inbound, problem):
    metrics.MAIL.labels("held").inc()
    inbound.state = InboundState.HELD
    inbound.problem = problem[:500]
    inbound.save(update_fields=["state", "problem"])


def named_request(parsed, classification):
    """``(request, "")`` when the message names exactly one request in a way that cannot
    be guessed (see the module's doc), else ``(None, why)``."""
    found = set()
    texts = [parsed.subject, parsed.text, *(r.decode("utf-8", "replace") for r in parsed.returned)]
    for text in texts:
        for match in ADDRESS_PATTERN.finditer(text):
            request = find_request([match.group(0)]).request
            if request is not None:
                found.add(request.pk)
    references = set(parsed.in_reply_to) | set(classification.returned_ids)
    if references:
        found.update(
            FOIMessage.objects.filter(
                direction=Direction.OUTGOING, message_id__in=references
            ).values_list("request_id", flat=True)
        )
    if classification.returned_requests:
        found.update(
            FOIRequest.objects.filter(
                public_id__in=[value.lower() for value in classification.returned_requests]
            ).values_list("pk", flat=True)
        )
    sender_domain = email.utils.parseaddr(parsed.sender)[1].rpartition("@")[2].lower()
    for public_id in {m.lower() for m in PUBLIC_ID_IN_TEXT.findall(parsed.subject)}:
        request = FOIRequest.objects.filter(public_id=public_id).select_related("public_body")
        request = request.first()
        body_email = request.public_body.foi_email if request and request.public_body else ""
        if request and sender_domain and body_email.lower().endswith("@" + sender_domain):
            found.add(request.pk)
    if len(found) == 1:
        return FOIRequest.objects.get(pk=found.pop()), ""
    if len(found) > 1:
        return None, f"names {len(found)} requests; choose one"
    return None, ""


@transaction.atomic
def deliver(inbound, request, *, parsed=None, classification=None, user=None):
    """Add ``inbound`` to ``request``'s correspondence (also used by editors for held mail,
    through the admin). Returns the new ``FOIMessage``."""
    if parsed is None:
        with default_storage.open(inbound.raw.name, "rb") as handle:
            parsed = parse(handle.read())
    if classification is None:
        classification = classify(parsed)
    message = record_message(
        request,
        direction=Direction.INCOMING,
        via=SentVia.EMAIL,
        sent_at=_sent_at(parsed.date, inbound.received_at),
        subject=parsed.subject,
        text=parsed.text,
        files=[(item.name, BytesIO(item.data)) for item in parsed.attachments],
        contents={item.name: item.contains for item in parsed.attachments if item.contains},
        not_kept=parsed.not_kept,
        inbound=inbound,
        message_id=parsed.message_id,
        user=user,
        kind=classification.kind,
        bounce_of=_returned_message(request, classification),
        bounce_reason=classification.reason if classification.kind == BOUNCE else "",
    )
    if classification.kind == BOUNCE and classification.permanent:
        flag_body_address(request, classification)
    metrics.MAIL.labels(OUTCOMES.get(classification.kind, "delivered")).inc()
    inbound.state = InboundState.DELIVERED
    inbound.problem = ""
    inbound.request = request
    inbound.classified_as = classification.kind
    inbound.save(update_fields=["state", "problem", "request", "classified_as"])
    return message


def _sent_at(date, received_at):
    """When the body sent it: its ``Date:`` if believable, else when it arrived. A naive
    moment (from an old parse) is taken as the site's time, never compared naive."""
    if date is None:
        return received_at
    if timezone.is_naive(date):
        date = timezone.make_aware(date)
    if date > timezone.now() or date.year < 2000:
        return received_at  # a wrong clock at the sender's must not reorder things
    return date


def _returned_message(request, classification):
    """The message of ours a bounce returns: the one its copy names, else the last one
    we e-mailed on the request."""
    if classification.kind != BOUNCE:
        return None
    ours = request.messages.filter(direction=Direction.OUTGOING)
    if classification.returned_ids:
        named = ours.filter(message_id__in=classification.returned_ids).first()
        if named:
            return named
    return ours.filter(via=SentVia.EMAIL).order_by("-sent_at", "-pk").first()


def flag_body_address(request, classification):
    """Flag the body's request address for editors when it is the one that failed."""
    body = request.public_body
    if body is None or not body.foi_email:
        return
    failed = {address.lower() for address in classification.failed}
    if failed and body.foi_email.lower() not in failed:
        return  # another address (a Cc, a forward) failed, not the body's
    body.foi_email_bounced_at = timezone.now()
    body.foi_email_bounce_reason = (classification.reason or "")[:500]
    body.save(update_fields=["foi_email_bounced_at", "foi_email_bounce_reason"])


def _held_report(parsed, classification):
    return {
        "outcome": "held",
        "request": None,
        "classified_as": classification.kind,
        "subject": parsed.subject,
        "text": parsed.text,
        "attachments": [
            {
                "name": item.name,
                "content_type": item.content_type,
                "size": len(item.data),
                "sha256": hashlib.sha256(item.data).hexdigest(),
            }
            for item in parsed.attachments
        ],
        "not_kept": list(parsed.not_kept),
    }


def delivered_report(message, classification):
    return {
        "outcome": "delivered",
        "request": message.request.public_id,
        "classified_as": classification.kind,
        "subject": message.subject,
        "text": message.body,
        "attachments": [
            {
                "name": name,
                "content_type": attachment.file.content_type,
                "size": attachment.file.size,
                "sha256": attachment.file.sha256,
                **(
                    {"contains": message.attachment_contents[str(attachment.pk)]}
                    if str(attachment.pk) in message.attachment_contents
                    else {}
                ),
            }
            for attachment in message.attachments.select_related("file").order_by("pk")
            for name in message.names_of(attachment)
        ],
        "not_kept": list(message.skipped_attachments),
    }


__all__ = [
    "AUTO_REPLY",
    "BOUNCE",
    "MailTooLarge",
    "MessageKind",
    "deliver",
    "read_limited",
    "receive",
]
