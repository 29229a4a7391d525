"""Which language a name or label is written in, and which one a reader sees.

Actors, tags and open questions carry a Serbian and an English version of their names.
A reader sees their own language where it is written, else the other; Serbian in the
reader's script (see ``records.transliteration``).
"""

import re

from django.utils.translation import get_language

from records.core.transliteration import has_cyrillic

__all__ = ["guess_name_language", "reader_language", "serbian_script"]


def reader_language(serbian, english, language=None):
    """``"en"`` or ``"sr"``: which of two versions of a text a reader of ``language`` (the
    page's, by default) sees: their own where it is written, else the other."""
    reads_english = (language or get_language() or "en").startswith("en")
    return "en" if (reads_english and english) or not serbian else "sr"


def serbian_script(text):
    """The language tag of Serbian ``text``: the script it was written in. Pages show it
    in the reader's."""
    return "sr-Cyrl" if has_cyrillic(text) else "sr-Latn"


_SERBIAN_LETTERS = re.compile(r"[čćđšžČĆĐŠŽ]")
_WORD = re.compile(r"[^\W\d_]+")
# Words that settle a name's language. Function words and the nouns names of bodies and
# organisations are built from; a person's name alone settles nothing unless it has a
# Serbian letter, so "Aleksandar Vulin" is filed as Serbian but listed for a check.
_ENGLISH_WORDS = frozenset(
    """of the and for ltd co inc llc institute foundation centre center ministry members
    european parliament rights defenders government city national assembly commissioner
    office agency council court committee association union university society technologies
    security studies police""".split()  # noqa: SIM905 (a list of 40 one-word lines is harder to read)
)
_SERBIAN_WORDS = frozenset(
    """za i u o od na republike republika srbije srbija grad grada vlada vlade ministarstvo
    skupština skupstina narodna poverenik poverenika fondacija centar udruženje udruzenje
    sud savet agencija uprava opština opstina partneri beogradski beograd zaštitu zastitu
    podataka informacije javnog značaja bezbednosnu politiku""".split()  # noqa: SIM905 (a list of 40 one-word lines is harder to read)
)


def guess_name_language(name):
    """(``"sr"`` or ``"en"``, certain) for a name written in one language only.

    Cyrillic or a Serbian letter (č, ć, đ, š, ž) means Serbian; otherwise the words
    decide. A name with no telling word (an acronym, a foreign brand, a person's name
    without diacritics) is taken as Serbian and reported as uncertain."""
    if has_cyrillic(name) or _SERBIAN_LETTERS.search(name):
        return "sr", True
    words = {word.lower() for word in _WORD.findall(name)}
    english, serbian = len(words & _ENGLISH_WORDS), len(words & _SERBIAN_WORDS)
    if english > serbian:
        return "en", True
    if serbian > english:
        return "sr", True
    return "sr", False
