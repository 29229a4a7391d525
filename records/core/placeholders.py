"""What stands in scrubbed text for what was taken out, shown in the reader's language.

Scrubbing runs once, when a message arrives, but the page is read in three languages. So
the stored text holds a language-neutral marker (``⟦requester⟧``) and each page shows it
as its reader's word for it. Text scrubbed before markers existed holds the words of the
language it was scrubbed in ("[requester]", "[tražilac]", "[тражилац]"); those are shown
in the reader's language too.
"""

import re

from django.utils.translation import gettext, gettext_noop, override

__all__ = ["marker", "render", "split"]

# The label of each placeholder (a gettext string, translated when shown).
LABELS = {
    "requester": gettext_noop("[requester]"),
    "phone": gettext_noop("[phone number]"),
    "request-address": gettext_noop("[request address]"),
}
_MARKER = re.compile(r"⟦(" + "|".join(map(re.escape, LABELS)) + r")⟧")
_LANGUAGES = ("en", "sr-latn", "sr")


def marker(name):
    """The marker stored for placeholder ``name`` (a key of ``LABELS``)."""
    if name not in LABELS:
        raise KeyError(name)
    return f"⟦{name}⟧"


def _legacy():
    """``{label in any language: name}`` for text scrubbed before markers existed."""
    words = {}
    for language in _LANGUAGES:
        with override(language):
            words.update({gettext(label): name for name, label in LABELS.items()})
    return words


def _pattern():
    legacy = _legacy()
    alternatives = sorted(map(re.escape, legacy), key=len, reverse=True)
    return re.compile(_MARKER.pattern + "|" + "|".join(alternatives)), legacy


def split(text):
    """``text`` as a list of plain strings and placeholder names, in order: each piece of
    text can then be transliterated without touching the placeholders."""
    pattern, legacy = _pattern()
    pieces, start = [], 0
    for match in pattern.finditer(text):
        pieces.append(text[start : match.start()])
        pieces.append(Placeholder(match.group(1) or legacy[match.group(0)]))
        start = match.end()
    pieces.append(text[start:])
    return pieces


class Placeholder(str):
    """The name of a placeholder among the pieces ``split`` returns."""


def render(text, transform=None):
    """``text`` with each placeholder in the active language; ``transform`` (e.g. the
    reader's script) is applied to the text around them only."""
    if not text:
        return text
    out = []
    for piece in split(text):
        if isinstance(piece, Placeholder):
            out.append(gettext(LABELS[piece]))
        else:
            out.append(transform(piece) if transform else piece)
    return "".join(out)
