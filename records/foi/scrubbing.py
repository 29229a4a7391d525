"""Taking the requester's identity out of what the public sees.

Replies from public bodies quote the request, address the requester by name and copy
their e-mail address. Before a message is stored for the public, every occurrence of the
requester's real name, e-mail addresses and the request's reply address is replaced.
The raw e-mail is kept privately for editors.
"""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def scrub(text, request):
    """``text`` with the requester's name and e-mail addresses replaced."""
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
        text = re.sub(re.escape(secret), _("[requester]"), text, flags=re.IGNORECASE)
    text = text.replace(request.reply_address, _("[request address]"))
    return re.sub(
        rf"request-{request.pk}-{re.escape(request.reply_token)}@[\w.-]+",
        _("[request address]"),
        text,
        flags=re.IGNORECASE,
    )
