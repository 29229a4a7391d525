"""Requesters' public names: one normal form, and a "skeleton" to find look-alikes.

A public name is shown on every request, so a name must not be able to pass for another
requester's (``Kamerolovac`` with a Cyrillic ``а``), reverse the text around it (U+202E),
be invisible, or look like an e-mail address in a ``From:`` header. The skeleton follows
Unicode TS #39: characters that the Unicode confusables data (``confusable_homoglyphs``)
lists as look-alikes share one representative, after NFKC and case folding.
"""

import unicodedata
from functools import cache

from confusable_homoglyphs import confusables
from confusable_homoglyphs.utils import load
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 100
# Characters of address syntax: a name is never an address, nor a list of them.
ADDRESS_SYNTAX = set('@<>"\\,;:[]')
# Control, format (bidi overrides, zero-width characters), unassigned, private use,
# surrogates, line and paragraph separators.
FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp"}
# Letters and symbols that draw nothing: Hangul fillers, the blank Braille pattern,
# Mongolian and Khmer invisible signs.
INVISIBLE = set("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")


def normalise_public_name(value):
    """``value`` in NFKC with single spaces, or ``ValidationError`` saying what is wrong."""
    name = unicodedata.normalize("NFKC", value or "")
    if any(unicodedata.category(ch) in FORBIDDEN_CATEGORIES or ch in INVISIBLE for ch in name):
        raise ValidationError(
            _(
                "A public name cannot hold control characters, text-direction marks or "
                "invisible characters."
            ),
            code="control",
        )
    name = " ".join(name.split())
    if not any(unicodedata.category(ch)[0] in "LN" for ch in name):
        raise ValidationError(
            _("A public name needs at least one letter or digit."), code="invisible"
        )
    if ADDRESS_SYNTAX & set(name):
        raise ValidationError(
            _("A public name cannot hold any of these characters: %(chars)s")
            % {"chars": " ".join(sorted(ADDRESS_SYNTAX))},
            code="address",
        )
    if confusables.is_mixed_script(name, allowed_aliases=["COMMON", "INHERITED"]):
        raise ValidationError(
            _("Write your public name in one script (Latin or Cyrillic), not mixed."),
            code="mixed_script",
        )
    if len(name) > MAX_LENGTH:
        raise ValidationError(
            _("A public name has at most %(max)d characters.") % {"max": MAX_LENGTH},
            code="max_length",
        )
    return name


def _preference(ch):
    return (not (ch.isascii() and ch.isalpha()), ch)


@cache
def _representatives():
    """Each character listed in the confusables data -> one representative of all the
    characters it can be confused with (an ASCII letter where there is one, so that case
    folding keeps working on it; otherwise the smallest, so the choice is stable)."""
    parent = {}

    def find(ch):
        while parent.setdefault(ch, ch) != ch:
            parent[ch] = parent[parent[ch]]
            ch = parent[ch]
        return ch

    for char, homoglyphs in load("confusables.json").items():
        for homoglyph in homoglyphs:
            other = homoglyph["c"].replace("\u200e", "").replace("\u200f", "")
            if len(char) == 1 and len(other) == 1:
                a, b = find(char), find(other)
                if a != b:
                    first, second = sorted((a, b), key=_preference)
                    parent[second] = first
    return {ch: find(ch) for ch in parent}


def skeleton(name):
    """What ``name`` looks like: two names with the same skeleton can pass for each other."""
    table = _representatives()
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and not ch.isspace())
    # Look-alikes first (a Cyrillic "К" is a Latin "K"), then case, until neither
    # changes anything ("l" looks like "I", which folds to "i").
    for _round in range(4):
        folded = "".join(table.get(ch, ch) for ch in text).casefold()
        if folded == text:
            break
        text = folded
    return text[:200]


__all__ = ["normalise_public_name", "skeleton"]
