"""E-mail for FOI requests: each request's own reply address, and reading what arrives.

A request is sent from, and answered to, ``request-<id>-<token>@<FOI_EMAIL_DOMAIN>``
(as Alaveteli does). The token is a secret per request, so an address cannot be guessed
from a request's public id, and a forged or mistyped one is held rather than delivered.
"""

import email
import email.policy
import hmac
import html as html_lib
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import getaddresses

from django.conf import settings
from django.db.models import Q
from django.utils.html import strip_tags

from records.models import FOIRequest

ADDRESS_PATTERN = re.compile(r"request-(\d+)-([0-9a-z]+)@([^\s>,;\"']+)", re.IGNORECASE)
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "Resent-To")


def header_text(value):
    """``value`` fit for one header line: no control characters (CR and LF would start a
    new header), runs of white space as one space."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())


def sender_address(request):
    """The ``From:`` of a request: the requester's public name, quoted by the e-mail
    library however it is spelt (a name like ``X <a@b>, "x`` stays a name, never a second
    address), at the request's own reply address."""
    return str(
        Address(display_name=header_text(request.requester_name), addr_spec=request.reply_address)
    )


def parse_reply_address(address):
    """``(number, token)`` of a request's reply address, or None."""
    match = ADDRESS_PATTERN.fullmatch(address or "")
    return (int(match[1]), match[2].lower()) if match else None


@dataclass
class AddressMatch:
    """What the recipient addresses of a message say about its request."""

    request: object = None
    problem: str = ""


def find_request(addresses):
    """The request that ``addresses`` (strings) lead to, or why none does.

    Only an address in our domain with the right id *and* token counts; anything else is
    a problem to hold the message for.
    """
    problem = "no request address among the recipients"
    domain = settings.FOI_EMAIL_DOMAIN.lower()
    for address in addresses:
        for pk, token, host in ADDRESS_PATTERN.findall(address):
            if host.lower().rstrip(".") != domain:
                continue
            # A restored request keeps the number of the address it was sent from.
            number = int(pk)
            candidates = FOIRequest.objects.filter(
                Q(reply_number=number) | Q(pk=number, reply_number__isnull=True)
            )
            if not candidates:
                problem = f"no request number {pk}"
                continue
            for request in candidates:
                if hmac.compare_digest(request.reply_token.encode(), token.lower().encode()):
                    return AddressMatch(request=request)
            problem = f"wrong token for request number {pk} (forged or mistyped)"
    return AddressMatch(problem=problem)


@dataclass
class ParsedAttachment:
    name: str
    data: bytes
    claimed_type: str


@dataclass
class ParsedMail:
    subject: str = ""
    sender: str = ""
    recipients: list = field(default_factory=list)
    message_id: str = ""
    date: object = None
    text: str = ""
    attachments: list = field(default_factory=list)


def parse(raw: bytes) -> ParsedMail:
    """Read an RFC 822 message: headers, the best text body and the attachments.

    Text parts are decoded by their declared charset (windows-1250, ISO-8859-2 and KOI8
    are common in Serbian offices); an unknown or lying charset falls back to UTF-8 with
    replacement characters rather than failing. HTML-only bodies become plain text.
    """
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parsed = ParsedMail(
        subject=_header(message, "Subject"),
        sender=_header(message, "From"),
        message_id=_header(message, "Message-ID"),
    )
    for name in RECIPIENT_HEADERS:
        for value in message.get_all(name, []):
            parsed.recipients.extend(
                address for _name, address in getaddresses([str(value)]) if address
            )
            parsed.recipients.append(str(value))
    try:
        parsed.date = message["Date"].datetime if message["Date"] else None
    except (TypeError, ValueError, AttributeError):
        parsed.date = None
    plain, html = [], []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        content_type = part.get_content_type()
        if disposition == "attachment" or filename or not content_type.startswith("text/"):
            data = part.get_payload(decode=True) or b""
            if data:
                parsed.attachments.append(
                    ParsedAttachment(
                        name=_safe_name(filename, content_type, len(parsed.attachments) + 1),
                        data=data,
                        claimed_type=content_type,
                    )
                )
            continue
        text = _decode_text(part)
        (html if content_type == "text/html" else plain).append(text)
    if plain:
        parsed.text = "\n\n".join(plain)
    elif html:
        parsed.text = "\n\n".join(_html_to_text(text) for text in html)
    parsed.text = parsed.text.replace("\r\n", "\n").replace("\x00", "").strip()
    return parsed


def _header(message, name):
    try:
        value = message.get(name)
    except (TypeError, ValueError, IndexError):
        return ""
    return " ".join(str(value).split())[:500] if value else ""


def _decode_text(part):
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def _html_to_text(html):
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", html)
    text = strip_tags(html)
    return "\n".join(" ".join(line.split()) for line in html_lib.unescape(text).splitlines())


def _safe_name(filename, content_type, number):
    """A file name fit to show and store: no path, no control characters, not empty."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    if not name:
        extension = {"application/pdf": ".pdf", "text/plain": ".txt"}.get(content_type, "")
        name = f"attachment-{number}{extension}"
    return name[:255]
