"""E-mail for FOI requests: each request's own reply address, and which request an
address leads to (reading what arrives is ``records.foi.inbound``).

A request is sent from, and answered to, ``request-<id>-<token>@<FOI_EMAIL_DOMAIN>``
(as Alaveteli does). The token is a secret per request, so an address cannot be guessed
from a request's public id, and a forged or mistyped one is held rather than delivered.
"""

import hmac
import re
from dataclasses import dataclass
from email.headerregistry import Address

from django.conf import settings
from django.db.models import Q

from records.models import FOIRequest

ADDRESS_PATTERN = re.compile(r"request-(\d+)-([0-9a-z]+)@([^\s>,;\"']+)", re.IGNORECASE)


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
