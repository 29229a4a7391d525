"""What an incoming message is: a body's letter, a bounce, or an automatic reply.

Bounces are found by their structure (a ``multipart/report`` delivery status
notification) or, for the many mail servers that send plain-text notices (Exim, qmail,
old Exchange, Lotus), by Mailman's ``flufl.bounce`` detectors, which know their formats.
A bounce names the addresses that failed, and whether for good (permanent) or for now.

Automatic replies are found by their headers (RFC 3834 ``Auto-Submitted``,
``X-Autoreply``/``X-Autorespond``, ``Precedence: auto_reply``/``bulk``/``junk``, the
Exchange out-of-office pair ``X-Auto-Response-Suppress: All`` + an inbox-rule loop
header) or, where a server sets none, by the subject lines out-of-office replies use in
Serbian (both scripts), English and German, and Lotus Notes' wording. A read receipt is
an automatic reply too.
"""

import email
import email.policy
import logging
import re
from dataclasses import dataclass, field

from flufl.bounce import all_failures

from records.foi.inbound.parsing import header

ANSWER, BOUNCE, AUTO_REPLY = "answer", "bounce", "auto_reply"

_AUTO_SUBJECT = re.compile(
    r"""^\s*(
        auto(matic|matische|matska|matski)?[\s_-]*(reply|antwort|odgovor|response)
      | out\ of\ (the\ )?office | ooo\b | abwesenheit | abwesenheitsnotiz | urlaubsabwesenheit
      | ich\ bin\ (ab|nicht\ im\ b[üu]ro) | vacation | on\ leave | away\ from\ (the\ )?office
      | automatski\ odgovor | automatska\ poruka | odsutan | odsutna | odsustvo
      | van\ kancelarije | na\ odmoru | godi[sš]nji\ odmor
      | аутоматски\ одговор | аутоматска\ порука | одсутан | одсутна | одсуство
      | ван\ канцеларије | на\ одмору | годишњи\ одмор
      | eingangsbest[äa]tigung\ \(automatisch | lesebest[äa]tigung | read(\ receipt)?:
      | gelesen: | pro[čc]itano: | прочитано:
    )""",
    re.I | re.X,
)
_AUTO_ANYWHERE = re.compile(
    r"(is out of the office|ist au(ss|ß)er haus|nicht im b[üu]ro|out of office autoreply"
    r"|automatische antwort|automatic reply|automatski odgovor|аутоматски одговор)",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    r"(undeliver|undelivered|delivery (status notification|failure|has failed)"
    r"|mail delivery (failed|failure|subsystem)|returned mail|failure notice"
    r"|unzustellbar|nicht zustellbar|zustellung fehlgeschlagen|unzustellbare"
    r"|nedostav|nije (isporu|dostavlj)|isporuka nije uspela|недостав|није (испоруч|достављ))",
    re.I,
)
_DAEMON = re.compile(r"(mailer-daemon|postmaster|mail delivery (sub)?system)", re.I)


@dataclass
class Classification:
    kind: str = ANSWER
    reason: str = ""  # for a bounce: what the mail server said, for editors and the requester
    permanent: bool = True
    failed: list = field(default_factory=list)  # addresses that failed
    returned_ids: list = field(default_factory=list)  # Message-IDs of the returned message
    returned_requests: list = field(default_factory=list)  # X-Nadzor-Request values


def classify(parsed):
    """The ``Classification`` of a ``ParsedMail``."""
    message = parsed.message
    bounce = _bounce(parsed, message)
    if bounce is not None:
        return bounce
    if _is_auto_reply(message, parsed.subject):
        return Classification(kind=AUTO_REPLY)
    return Classification(kind=ANSWER)


def _value(message, name):
    return header(message, name).strip().lower()


def _is_auto_reply(message, subject):
    auto_submitted = _value(message, "Auto-Submitted")
    if auto_submitted and auto_submitted != "no":
        return True
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation"):
        if name in message:  # present at all, even empty (as test servers send it)
            value = _value(message, name)
            if value not in {"no", "false", "0"}:
                return True
    if _value(message, "Precedence") in {"auto_reply", "bulk", "junk"}:
        return True
    if _value(message, "X-Precedence") in {"auto_reply", "bulk", "junk"}:
        return True
    if _value(message, "X-Auto-Response-Suppress") == "all" and (
        "X-MS-Exchange-Inbox-Rules-Loop" in message
        or "X-MS-Exchange-Organization-AutoForwarded" in message
    ):
        return True
    if "$AutoSubmitted" in header(message, "X-Notes-Item", limit=5000):
        return True
    if message.get_content_type() == "multipart/report" and "disposition-notification" in (
        message.get_param("report-type") or ""
    ):
        return True
    return bool(_AUTO_SUBJECT.match(subject) or _AUTO_ANYWHERE.search(subject))


def _bounce(parsed, message):
    is_report = message.get_content_type() == "multipart/report" and (
        (message.get_param("report-type") or "").lower() == "delivery-status"
    )
    sender = _value(message, "From")
    return_path = _value(message, "Return-Path")
    from_daemon = bool(_DAEMON.search(sender)) or return_path in {"<>", "", "<mailer-daemon>"}
    temporary, permanent = _failures(parsed)
    looks_like = is_report or (
        (temporary or permanent) and (from_daemon or _BOUNCE_SUBJECT.search(parsed.subject))
    )
    if not looks_like and not (from_daemon and _BOUNCE_SUBJECT.search(parsed.subject)):
        return None
    status = _delivery_status(message)
    if status.get("action") in {"delivered", "relayed", "expanded"} and not permanent:
        return Classification(kind=AUTO_REPLY)  # a positive notice: it did arrive
    result = Classification(kind=BOUNCE)
    result.failed = sorted(permanent or temporary)
    result.permanent = bool(permanent) or (not temporary and status.get("action") != "delayed")
    if status.get("action") == "delayed" and not permanent:
        result.permanent = False
    result.reason = (
        status.get("diagnostic-code")
        or status.get("status")
        or _first_sentence(parsed.text)
        or parsed.subject
    )[:500]
    for returned in parsed.returned:
        try:
            inner = email.message_from_bytes(returned, policy=email.policy.default)
        except Exception:  # noqa: S112 -- an unreadable copy names nothing
            continue
        result.returned_ids += re.findall(r"<[^<>\s]+>", header(inner, "Message-ID"))
        if header(inner, "X-Nadzor-Request"):
            result.returned_requests.append(header(inner, "X-Nadzor-Request"))
    # Plain-text notices quote the returned headers inside their text.
    result.returned_ids += re.findall(
        r"^\s*>?\s*Message-ID:\s*(<[^<>\s]+>)", parsed.text, re.I | re.M
    )
    result.returned_requests += re.findall(
        r"^\s*>?\s*X-Nadzor-Request:\s*(\S+)", parsed.text, re.I | re.M
    )
    return result


def _failures(parsed):
    """The addresses ``flufl.bounce`` finds failed: (temporary, permanent)."""
    logger = logging.getLogger("flufl.bounce")
    level, logger.level = logger.level, logging.CRITICAL + 1  # a detector's crash is noise
    try:
        message = email.message_from_bytes(parsed.message.as_bytes(policy=email.policy.compat32))
        temporary, permanent = all_failures(message)
    except Exception:  # a message no detector reads has no failures
        return set(), set()
    finally:
        logger.level = level

    def text(addresses):
        return {
            (a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)).strip("<> ")
            for a in addresses
        }

    return text(temporary), text(permanent)


def _delivery_status(message):
    """The first recipient's fields of a ``message/delivery-status`` part, lower-cased."""
    for part in message.walk():
        if part.get_content_type() not in {
            "message/delivery-status",
            "message/global-delivery-status",
        }:
            continue
        fields = {}
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        if isinstance(payload, str):
            blocks = [email.message_from_string(chunk) for chunk in payload.split("\n\n")]
        for block in blocks:
            for key, value in block.items():
                key = key.lower()
                if key in {"action", "status", "diagnostic-code", "final-recipient"}:
                    fields.setdefault(key, " ".join(str(value).split()))
        if "action" in fields:
            fields["action"] = fields["action"].lower()
        return fields
    return {}


def _first_sentence(text):
    for line in text.splitlines():
        line = line.strip()
        if len(line) > 20 and not line.startswith(("|", "-", "=", "<")):
            return line
    return ""
