"""Receiving replies: one raw RFC 822 message in, stored before anything else.

The message is written to storage and an ``InboundMail`` row is committed first, so
whatever happens next (an unreadable message, an unknown address, a crash) the bytes are
kept. Only a message whose address carries a request's id *and* its secret token is
delivered to that request; every other one is held for editors.
"""

import email.utils
import hashlib
import logging
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from records.core.ratelimits import sender_over_limit
from records.foi.mail import find_request, parse
from records.foi.services import record_message
from records.models import Direction, InboundMail, InboundState, SentVia

logger = logging.getLogger(__name__)


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
    """Keep ``raw``, then deliver it to its request or hold it. Returns the ``InboundMail``.

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
    try:
        parsed = parse(raw)
    except Exception as error:  # any parser failure: the message is kept, and held
        logger.warning("inbound mail %s could not be read: %s", inbound.pk, type(error).__name__)
        _hold(inbound, f"unreadable message ({type(error).__name__})")
        return inbound
    inbound.sender = parsed.sender[:500]
    inbound.subject = parsed.subject[:500]
    inbound.recipients = "\n".join(dict.fromkeys([*recipients, *parsed.recipients]))
    inbound.save(update_fields=["sender", "subject", "recipients"])
    if parsed.sender and sender_over_limit(
        email.utils.parseaddr(parsed.sender)[1] or parsed.sender, rate=settings.MAIL_RATE_PER_SENDER
    ):
        _hold(inbound, "too many messages from this sender (MAIL_RATE_PER_SENDER)")
        return inbound
    match = find_request([*recipients, *parsed.recipients])
    if match.request is None:
        _hold(inbound, match.problem)
        return inbound
    try:
        deliver(inbound, match.request, parsed=parsed)
    except Exception as error:  # the bytes are safe; an editor can deliver it again
        logger.exception("inbound mail %s could not be delivered", inbound.pk)
        _hold(inbound, f"could not be delivered to request {match.request.pk}: {error}")
    return inbound


def _hold(inbound, problem):
    inbound.state = InboundState.HELD
    inbound.problem = problem[:500]
    inbound.save(update_fields=["state", "problem"])


@transaction.atomic
def deliver(inbound, request, *, parsed=None, user=None):
    """Add ``inbound`` to ``request``'s correspondence (also used by editors for held mail)."""
    if parsed is None:
        with default_storage.open(inbound.raw.name, "rb") as handle:
            parsed = parse(handle.read())
    sent_at = parsed.date or inbound.received_at
    if sent_at > timezone.now() or sent_at.year < 2000:
        sent_at = inbound.received_at  # a wrong clock at the sender's must not reorder things
    record_message(
        request,
        direction=Direction.INCOMING,
        via=SentVia.EMAIL,
        sent_at=sent_at,
        subject=parsed.subject,
        text=parsed.text,
        files=[(item.name, BytesIO(item.data)) for item in parsed.attachments],
        inbound=inbound,
        message_id=parsed.message_id,
        user=user,
    )
    inbound.state = InboundState.DELIVERED
    inbound.problem = ""
    inbound.request = request
    inbound.save(update_fields=["state", "problem", "request"])
