"""Reading one raw RFC 822 message: its headers, the text as shown, and its files.

Nothing here touches the database. Whatever the message holds, ``parse`` returns a
``ParsedMail`` or raises (the caller keeps the raw bytes and holds the message).
"""

import email
import email.errors
import email.header
import email.policy
import email.utils
import mimetypes
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import getaddresses
from urllib.parse import unquote_to_bytes

import ftfy
from django.utils import timezone
from django.utils.translation import gettext as _

from records.foi.inbound import containers
from records.foi.inbound.containers import Found
from records.foi.inbound.text import clean, decode, html_to_text, looks_like_html

RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "Resent-To")
MAX_DEPTH = 8  # nested multiparts and attached mails; deeper is hostile
MAX_PARTS = 500
# Parts a bounce report carries for machines: read by ``classification``, not shown.
REPORT_PARTS = {
    "message/delivery-status",
    "message/global-delivery-status",
    "message/disposition-notification",
    "text/rfc822-headers",
    "message/rfc822-headers",
}


@dataclass
class ParsedMail:
    subject: str = ""
    sender: str = ""
    recipients: list = field(default_factory=list)
    message_id: str = ""
    in_reply_to: list = field(default_factory=list)
    date: datetime | None = None
    date_problem: str = ""
    text: str = ""
    attachments: list = field(default_factory=list)  # ``Found``
    not_kept: list = field(default_factory=list)  # {"name", "reason"}
    message: object = None  # the ``email.message.EmailMessage``
    returned: list = field(default_factory=list)  # messages a bounce report returns
    container_text: list = field(default_factory=list)  # e.g. the body inside winmail.dat


def read(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def parse(raw: bytes, *, now=None) -> ParsedMail:
    message = read(raw)
    parsed = ParsedMail(
        subject=header(message, "Subject"),
        sender=header(message, "From"),
        message_id=header(message, "Message-ID"),
        message=message,
    )
    for name in RECIPIENT_HEADERS:
        for value in _all(message, name):
            parsed.recipients.extend(address for _n, address in getaddresses([value]) if address)
            parsed.recipients.append(value)
    for name in ("In-Reply-To", "References"):
        parsed.in_reply_to.extend(re.findall(r"<[^<>\s]+>", header(message, name, limit=5000)))
    parsed.date, parsed.date_problem = read_date(message, now=now)
    walker = _Walker(parsed)
    text = walker.body(message, 0)
    if not text.strip() and parsed.container_text:  # Outlook sent its text in winmail.dat
        text = "\n\n".join(parsed.container_text)
    parsed.text = clean(text)
    return parsed


def header(message, name, *, limit=500):
    """A header as one line of text; "" when absent or unreadable."""
    try:
        value = message.get(name)
        text = str(value) if value is not None else ""
    except (TypeError, ValueError, IndexError, AttributeError, LookupError):
        try:
            text = str(message.get_all(name, failobj=[""])[0])
        except Exception:  # a header no parser reads: treated as absent
            return ""
    text = _unsurrogate(text)
    if "Ã" in text or "Â" in text:  # UTF-8 read as Latin-1 somewhere on the way (maybe twice)
        text = ftfy.fix_encoding(text)
    return " ".join(text.split())[:limit]


def _all(message, name):
    try:
        return [_unsurrogate(str(value)) for value in message.get_all(name, [])]
    except (TypeError, ValueError, IndexError, AttributeError, LookupError):
        return []


def _unsurrogate(text):
    """Raw 8-bit bytes in a header (the parser keeps them as surrogates) decoded whole."""
    if not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    return decode(text.encode("utf-8", errors="surrogateescape"), None)


def read_date(message, *, now=None):
    """The ``Date:`` as an aware moment, or ``None`` and why. A date without a time zone
    is taken as the site's time; one in the future or before 2000 is not believed."""
    raw = header(message, "Date")
    if not raw:
        return None, "no Date header"
    try:
        moment = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None, f"unreadable Date header: {raw[:80]}"
    if moment is None:
        return None, f"unreadable Date header: {raw[:80]}"
    if timezone.is_naive(moment):
        try:
            moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):  # a non-existent local time (clocks changed)
            moment = timezone.make_aware(moment + timedelta(hours=1))
    now = now or timezone.now()
    if moment > now + timedelta(days=1) or moment.year < 2000:
        return None, f"Date header not believable: {raw[:80]}"
    return moment, ""


class _Walker:
    """Walks the MIME tree once: text into the body, files into ``attachments``."""

    def __init__(self, parsed):
        self.parsed = parsed
        self.parts = 0

    def body(self, part, depth):
        self.parts += 1
        if depth > MAX_DEPTH or self.parts > MAX_PARTS:
            raise ValueError("too deeply nested or too many parts")
        content_type = part.get_content_type()
        if content_type == "message/rfc822":
            return self._attached_mail(part, depth) or ""
        if part.is_multipart():
            return self._multipart(part, content_type, depth)
        if content_type in REPORT_PARTS:
            if content_type in {"text/rfc822-headers", "message/rfc822-headers"}:
                self.parsed.returned.append(_payload(part))
            return ""
        if self._is_attachment(part, content_type):
            self._file(part, content_type)
            return ""
        text = decode(_payload(part), part.get_content_charset())
        if content_type == "text/html":
            return html_to_text(text)
        text, found = containers.split_uuencoded(text)
        for item in found:
            self._add(item)
        return html_to_text(text) if looks_like_html(text) else text

    def _multipart(self, part, content_type, depth):
        children = list(part.iter_parts())
        if content_type == "multipart/alternative":
            texts = [c for c in children if c.get_content_type() == "text/plain"]
            others = [c for c in children if c.get_content_type() != "text/plain"]
            for child in texts:
                text = self.body(child, depth + 1)
                if text.strip():
                    # The files of the other alternatives (inline images) are still kept.
                    for other in others:
                        if other.is_multipart():
                            self._files_only(other, depth + 1)
                    return text
            for child in reversed(others):  # the richest alternative comes last
                text = self.body(child, depth + 1)
                if text.strip():
                    return text
            return ""
        texts = []
        for child in children:
            if content_type == "multipart/report" and child.get_content_type() == (
                "message/rfc822"
            ):
                self._returned(child)
                continue
            text = self.body(child, depth + 1)
            if text.strip():
                texts.append(text.strip())
        return "\n\n".join(texts)

    def _files_only(self, part, depth):
        for child in part.iter_parts():
            if child.is_multipart():
                self._files_only(child, depth + 1)
            elif self._is_attachment(child, child.get_content_type()):
                self._file(child, child.get_content_type())

    def _returned(self, part):
        """The copy of our own message a bounce report returns: read for its headers,
        not kept as a file (it is our letter, with the requester's name and address)."""
        inner = _inner_message(part)
        if inner is not None:
            self.parsed.returned.append(bytes(inner.as_bytes(policy=email.policy.compat32)))
        self.parsed.not_kept.append(
            {"name": _("returned message"), "reason": _("a copy of our own message")}
        )

    @staticmethod
    def _is_attachment(part, content_type):
        if part.get_content_disposition() == "attachment" or _filename(part):
            return True
        return content_type not in {"text/plain", "text/html"}

    def _attached_mail(self, part, depth):
        """An attached mail is kept whole, as ``<its subject>.eml``, with its own files
        listed; its text is not merged into the body (a forward is not the reply)."""
        inner = _inner_message(part)
        if inner is None:
            return ""
        data = inner.as_bytes(policy=email.policy.compat32)
        subject = header(inner, "Subject") or _("forwarded message")
        contains = []
        try:
            nested = ParsedMail()
            walker = _Walker(nested)
            walker.parts = self.parts
            walker.body(inner, depth + 1)
            contains = [item.name for item in nested.attachments]
        except Exception:  # its files go unlisted; the .eml is kept whole
            contains = []
        # A subject is no path: its slashes stay in the name.
        name = _filename(part) or f"{subject.replace('/', '_').replace(chr(92), '_')}.eml"
        if not name.lower().endswith(".eml"):
            name += ".eml"
        self._add(Found(name=name, data=data, content_type="message/rfc822", contains=contains))
        return ""

    def _file(self, part, content_type):
        data = _payload(part)
        name = _filename(part)
        if not data:
            if name:
                self.parsed.not_kept.append({"name": name, "reason": _("The file is empty.")})
            return
        self._add(Found(name=name, data=data, content_type=content_type))

    def _add(self, item):
        """Keep ``item``, opening it first if it is a container."""
        name, data, content_type = item.name or "", item.data, item.content_type
        if containers.is_tnef(name, content_type, data):
            try:
                unpacked = containers.unpack_tnef(data)
            except Exception:  # kept as sent for an editor to open
                unpacked = None
            if unpacked is not None:
                self._take(unpacked, name or "winmail.dat", _("Outlook TNEF container"))
                return
        if containers.is_zip(name, content_type, data):
            unpacked = containers.unpack_zip(data)
            if unpacked is not None:
                self._take(unpacked, name, _("ZIP archive"))
                return
        if containers.is_rtf(name, content_type, data):
            try:
                text = containers.rtf_text(data)
            except Exception:  # an RTF that striprtf cannot read
                text = ""
            if text:
                stem = name.rsplit(".", 1)[0] if name else "document"
                self.parsed.attachments.append(
                    Found(name=f"{stem}.txt", data=text.encode("utf-8"), content_type="text/plain")
                )
                self.parsed.not_kept.append(
                    {
                        "name": name or "document.rtf",
                        "reason": _("RTF document: its text is kept as %(name)s")
                        % {"name": f"{stem}.txt"},
                    }
                )
                return
        item.name = safe_name(name, content_type, len(self.parsed.attachments) + 1)
        self.parsed.attachments.append(item)

    def _take(self, unpacked, name, what):
        for found in unpacked.files:
            self._add(found)
        for inner_name, reason in unpacked.not_kept:
            self.parsed.not_kept.append({"name": inner_name, "reason": _(reason)})
        if unpacked.text and unpacked.text.strip():
            self.parsed.container_text.append(unpacked.text.strip())
        names = ", ".join(found.name for found in unpacked.files) or "—"
        self.parsed.not_kept.append(
            {
                "name": name,
                "reason": _("%(what)s, unpacked: %(names)s") % {"what": what, "names": names},
            }
        )


def _inner_message(part):
    try:
        payload = part.get_payload()
    except Exception:
        return None
    if isinstance(payload, list) and payload:
        return payload[0]
    if isinstance(payload, str) and payload.strip():
        data = payload.encode("utf-8", errors="surrogateescape")
        return read(data)
    return None


def _payload(part):
    try:
        data = part.get_payload(decode=True)
    except Exception:  # a broken transfer encoding: the raw text
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _filename(part):
    """The file name, RFC 2231 continuations and raw 8-bit bytes decoded whole; a
    ``Content-Type: …; name=`` without a disposition counts too, and a part with no name
    at all is named after its ``Content-ID`` (an inline image)."""
    candidates = []
    for getter in (part.get_filename, lambda: part.get_param("name", header="content-type")):
        try:
            value = getter()
        except (TypeError, ValueError, IndexError, AttributeError, LookupError):
            value = None
        if isinstance(value, tuple):
            value = email.utils.collapse_rfc2231_value(value)
        if value:
            candidates.append(_decode_words(_unsurrogate(str(value))))
    for name in ("Content-Disposition", "Content-Type"):
        raw = _raw_header(part, name)
        for param in ("filename", "name"):
            joined = _continued_param(raw, param)
            if joined:
                candidates.append(joined)
    candidates = [c.strip() for c in candidates if c and c.strip()]
    if not candidates:
        content_id = header(part, "Content-ID").strip("<> ")
        if content_id and part.get_content_maintype() != "text":
            extension = mimetypes.guess_extension(part.get_content_type()) or ""
            return content_id.split("@", 1)[0] + extension
        return ""
    # Mail software cuts names it cannot quote (at a space, at a continuation): of the
    # names given, the longest that the others begin with is the whole one.
    whole = [c for c in candidates if '"' not in c and "=?" not in c] or candidates
    best = whole[0]
    for other in whole[1:]:
        if len(other) > len(best) and other.startswith(best):
            best = other
    return best


def _raw_header(part, name):
    for key, value in part.raw_items():
        if key.lower() == name.lower():
            return _unsurrogate(str(value))
    return ""


_CONTINUATION = re.compile(r"""(?<![\w-])({param})\*(\d+)(\*?)=("([^"]*)"|[^;\s]*)""")
_SIMPLE = re.compile(r"""(?<![\w*-])({param})=("([^"]*)"|[^;\r\n]*)""")


def _continued_param(raw, param):
    """``param`` read from a raw header by hand: RFC 2231 continuations joined (even when
    each piece is an RFC 2047 word cut in two), or an unquoted value with spaces."""
    if not raw:
        return ""
    raw = " ".join(raw.split())
    pieces = []
    for match in re.finditer(_CONTINUATION.pattern.format(param=param), raw, re.I):
        value = match.group(5) if match.group(5) is not None else match.group(4)
        pieces.append((int(match.group(2)), match.group(3) == "*", value))
    if pieces:
        pieces.sort()
        encoded = any(flag for _n, flag, _v in pieces)
        value = "".join(v for _n, _f, v in pieces)
        if encoded and "'" in value:
            charset, _language, text = value.split("'", 2)
            return decode(unquote_to_bytes(text), charset or "utf-8")
        return _decode_words(value)
    match = re.search(_SIMPLE.pattern.format(param=param), raw, re.I)
    if match:
        value = match.group(3) if match.group(3) is not None else match.group(2)
        return _decode_words(value.strip())
    return ""


def _decode_words(name):
    if "=?" not in name:
        return name
    try:
        return str(email.header.make_header(email.header.decode_header(name)))
    except (ValueError, LookupError, email.errors.HeaderParseError):
        return name


def safe_name(filename, content_type, number):
    """A file name fit to show and store: no path, no control characters, not empty."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    if not name:
        extension = {
            "application/pdf": ".pdf",
            "text/plain": ".txt",
            "message/rfc822": ".eml",
        }.get(content_type, "")
        name = f"attachment-{number}{extension}"
    return name[:255]
