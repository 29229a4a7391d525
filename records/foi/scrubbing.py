"""Taking the requester's identity out of what the public sees.

Replies from public bodies quote the request, address the requester by name and copy
their e-mail address. Before a message is stored for the public, every occurrence of the
requester's real name, e-mail addresses and the request's reply address is replaced.
The raw e-mail is kept privately for editors.
"""

import re

from records.core.placeholders import marker

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Serbian and international phone numbers: +381 64 123 4567, 064/123-45-67, 011 3456 789.
PHONE = re.compile(
    r"(?<![\w/.-])(?:\+|00)?(?:381[\s./-]?)?\(?0?\d{2,3}\)?[\s./-]?"
    r"\d{3,4}[\s.-]?\d{2,4}(?:[\s.-]?\d{2})?(?![\w/-]|\.\d)"
)


def scrub(text, request):
    """``text`` with the requester's name and e-mail addresses replaced by placeholders
    (language-neutral markers, shown in each reader's language: ``core.placeholders``)."""
    if not text:
        return text
    secrets = set()
    requester = request.requester
    if requester is not None:
        secrets.add(requester.email)
        profile = getattr(requester, "profile", None)
        if profile and profile.real_name.strip():
            secrets.add(profile.real_name.strip())
            # "Petar Petrović" is also written "PETROVIĆ Petar" and "Petrović Petar".
            words = profile.real_name.split()
            if len(words) > 1:
                secrets.add(" ".join(reversed(words)))
    for secret in sorted((s for s in secrets if s and len(s) > 2), key=len, reverse=True):
        text = re.sub(re.escape(secret), marker("requester"), text, flags=re.IGNORECASE)
    text = PHONE.sub(marker("phone"), text)
    return re.sub(
        rf"request-{request.pk}-{re.escape(request.reply_token)}@[\w.-]+",
        marker("request-address"),
        text,
        flags=re.IGNORECASE,
    )


def redact(text, rules):
    """``text`` with the editors' redaction ``rules`` applied (the model's manager finds
    those of a request: ``RedactionRule.objects.for_request``)."""
    if not text:
        return text
    for rule in rules:
        pattern = rule.text if rule.is_pattern else re.escape(rule.text)
        try:
            text = re.sub(pattern, rule.replacement, text, flags=re.IGNORECASE)
        except re.error:
            continue  # the admin refuses such rules; one that slipped through hides nothing
    return text
