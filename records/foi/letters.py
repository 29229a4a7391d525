"""The letters Nadzor drafts: the request itself and the appeal to the Commissioner.

Letters are written in the request's language (Serbian Latin, Serbian Cyrillic or
English), whatever the interface language is, because they go to a Serbian authority.
The Cyrillic letters are the Latin ones transliterated; values put into a letter (names,
dates, the request's own text) are inserted afterwards and keep their own script.
"""

import re

from django.conf import settings

from records.core.transliteration import latin_to_cyrillic
from records.models import FOI_APPEALABLE_DECISIONS, Language

LAW_SR = (
    "Zakona o slobodnom pristupu informacijama od javnog značaja "
    "(„Službeni glasnik RS“, br. 120/04, 54/07, 104/09, 36/10 i 105/21)"
)
LAW_EN = (
    "the Law on Free Access to Information of Public Importance "
    "(Official Gazette of the Republic of Serbia, nos. 120/04, 54/07, 104/09, 36/10 and 105/21)"
)
COMMISSIONER_SR = "Povereniku za informacije od javnog značaja i zaštitu podataka o ličnosti"
COMMISSIONER_EN = (
    "The Commissioner for Information of Public Importance and Personal Data Protection"
)

REQUEST_SR = f"""{{body}}

Predmet: Zahtev za pristup informacijama od javnog značaja

Na osnovu člana 15. stav 1. {LAW_SR}, od navedenog organa vlasti zahtevam da mi
dostavi kopiju dokumenata koji sadrže sledeće informacije, elektronskom poštom na adresu
s koje je ovaj zahtev poslat:

1. {{placeholder}}

{{urgent}}Zahtev se podnosi u javnom interesu; razlozi zahteva se po zakonu ne moraju navoditi.

S poštovanjem,"""

REQUEST_SR_PLACEHOLDER = "[opišite što preciznije informacije koje tražite]"
REQUEST_SR_URGENT = (
    "Zahtev je hitan u smislu člana 16. stav 2. Zakona, jer se tražena informacija odnosi "
    "na zaštitu života ili slobode, zdravlja stanovništva ili životne sredine: molim da mi "
    "odgovorite u roku od 48 sati od prijema zahteva.\n\n"
)

REQUEST_EN = f"""{{body}}

Subject: Request for access to information of public importance

Under Article 15(1) of {LAW_EN}, I ask you to send me copies of the documents that hold
the following information, by e-mail to the address this request comes from:

1. {{placeholder}}

{{urgent}}The request is made in the public interest; the law does not require reasons.

Yours faithfully,"""

REQUEST_EN_PLACEHOLDER = "[describe as precisely as you can the information you ask for]"
REQUEST_EN_URGENT = (
    "This request is urgent under Article 16(2) of the Law, because the information "
    "concerns the protection of life or freedom, public health or the environment: please "
    "answer within 48 hours of receiving it.\n\n"
)

APPEAL_SILENCE_SR = f"""{COMMISSIONER_SR}

ŽALBA
protiv organa vlasti: {{body}}
zbog nepostupanja po zahtevu za slobodan pristup informacijama od javnog značaja

Na osnovu člana 22. stav 1. {LAW_SR}, podnosim žalbu jer organ vlasti {{body}} nije
postupio po mom zahtevu koji sam podneo/la {{sent_on}}, a organ ga primio {{received_on}}.
Zakonski rok za postupanje istekao je {{due_on}}, a organ do danas ({{today}}) nije
odgovorio.

Zahtevom su tražene sledeće informacije:

{{request_text}}

Predlažem da Poverenik uvaži žalbu i naloži organu vlasti da mi bez odlaganja omogući
pristup traženim informacijama.

Prilozi: zahtev od {{sent_on}} i dokaz o njegovom prijemu.

Zahtev i prepiska: {{permalink}}"""

APPEAL_REFUSAL_SR = f"""{COMMISSIONER_SR}

ŽALBA
protiv odluke organa vlasti: {{body}}
od {{decision_on}}, kojom je odbijen moj zahtev za slobodan pristup informacijama od javnog
značaja

Na osnovu člana 22. stav 1. {LAW_SR}, izjavljujem žalbu protiv odluke organa vlasti
{{body}}, koju sam primio/la {{decision_on}}, kojom mi je uskraćen pristup informacijama
traženim zahtevom od {{sent_on}} (organ ga je primio {{received_on}}).

Zahtevom su tražene sledeće informacije:

{{request_text}}

Organ je odgovorio:

{{decision_text}}

Odluka je nezakonita jer [navedite zašto smatrate da je odbijanje neosnovano]. Predlažem
da Poverenik uvaži žalbu, poništi odluku i naloži organu vlasti da mi omogući pristup
traženim informacijama.

Prilozi: zahtev, odluka organa vlasti.

Zahtev i prepiska: {{permalink}}"""

APPEAL_SILENCE_EN = f"""To: {COMMISSIONER_EN}

APPEAL
against: {{body}}
for failing to act on a request for access to information of public importance

Under Article 22(1) of {LAW_EN}, I appeal because {{body}} has not acted on the request
I sent on {{sent_on}}, which it received on {{received_on}}. The legal deadline ended on
{{due_on}}, and as of today ({{today}}) the body has not answered.

The request asked for the following information:

{{request_text}}

I ask the Commissioner to uphold this appeal and order the body to give me access to the
information without delay.

Enclosed: the request of {{sent_on}} and proof that it was received.

The request and its correspondence: {{permalink}}"""

APPEAL_REFUSAL_EN = f"""To: {COMMISSIONER_EN}

APPEAL
against the decision of: {{body}}
of {{decision_on}}, refusing my request for access to information of public importance

Under Article 22(1) of {LAW_EN}, I appeal against the decision of {{body}}, which I
received on {{decision_on}}, refusing access to the information I asked for in my request
of {{sent_on}} (received by the body on {{received_on}}).

The request asked for the following information:

{{request_text}}

The body answered:

{{decision_text}}

The decision is unlawful because [say why the refusal is wrong]. I ask the Commissioner to
uphold this appeal, annul the decision and order the body to give me access to the
information.

Enclosed: the request and the body's decision.

The request and its correspondence: {{permalink}}"""


def _unwrap(template):
    """Join the lines of each paragraph that were wrapped only to fit this source file
    (long lines followed by more text); short lines (headings, the sign-off) stay."""
    return re.sub(r"(?m)^(.{60,})\n(?=[^\n>\d\[])", r"\1 ", template)


def _cyrillic(template):
    """Transliterate a letter template, leaving its ``{placeholders}`` as they are."""
    parts = []
    for index, piece in enumerate(template.split("{")):
        if index == 0:
            parts.append(latin_to_cyrillic(piece))
            continue
        name, _brace, rest = piece.partition("}")
        parts.append("{" + name + "}" + latin_to_cyrillic(rest))
    return "".join(parts)


LETTERS = {
    Language.SR_LATN: {
        "request": REQUEST_SR,
        "placeholder": REQUEST_SR_PLACEHOLDER,
        "urgent": REQUEST_SR_URGENT,
        "appeal_silence": APPEAL_SILENCE_SR,
        "appeal_refusal": APPEAL_REFUSAL_SR,
    },
    Language.EN: {
        "request": REQUEST_EN,
        "placeholder": REQUEST_EN_PLACEHOLDER,
        "urgent": REQUEST_EN_URGENT,
        "appeal_silence": APPEAL_SILENCE_EN,
        "appeal_refusal": APPEAL_REFUSAL_EN,
    },
}
LETTERS = {
    language: {name: _unwrap(text) for name, text in letters.items()}
    for language, letters in LETTERS.items()
}
LETTERS[Language.SR_CYRL] = {
    name: _cyrillic(text) for name, text in LETTERS[Language.SR_LATN].items()
}


def request_letter(*, body_name, language, urgent=False):
    """The letter a new request starts from, for the requester to edit."""
    letters = LETTERS[language]
    return letters["request"].format(
        body=body_name,
        placeholder=letters["placeholder"],
        urgent=letters["urgent"] if urgent else "",
    )


def format_date(day, language):
    if day is None:
        return "—"
    if language == Language.EN:
        return f"{day.day} {day:%B} {day.year}"
    return f"{day.day}. {day.month}. {day.year}."


def signature(*, real_name, postal_address, email_address):
    """The requester's name and addresses, which the law asks a request to carry. They go
    into the e-mail to the body only, never onto the site."""
    lines = [real_name.strip(), *postal_address.strip().splitlines(), email_address]
    return "\n".join(line for line in lines if line)


def appeal_letter(request, *, decision_text="", today):
    """The appeal to the Commissioner for ``request``: against silence if it is overdue,
    otherwise against the refusal."""
    language = request.language
    letters = LETTERS[language]
    refusal = request.foi_status in FOI_APPEALABLE_DECISIONS
    template = letters["appeal_refusal" if refusal else "appeal_silence"]
    first = request.messages.filter(direction="out").first()
    request_text = (first.body if first else request.body).strip()
    letter = template.format(
        body=request.public_body.name if request.public_body else "—",
        sent_on=format_date(request.sent_on, language),
        received_on=format_date(request.received_on, language),
        due_on=format_date(request.due_on, language),
        decision_on=format_date(request.decision_on, language),
        today=format_date(today, language),
        request_text=_quote(request_text),
        decision_text=_quote(decision_text.strip()[:4000] or "—"),
        permalink=f"{settings.SITE_URL}{request.get_absolute_url()}",
    )
    # A Serbian date ends with a full stop ("2. 3. 2026."): no second one after it.
    return re.sub(r"(\d)\.\.(?!\.)", r"\1.", letter)


def _quote(text):
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
