"""Transliteration between the two scripts of Serbian.

Serbian is written in Cyrillic and in Latin, and the two alphabets map one to one:
each of the 30 Cyrillic letters has exactly one Latin counterpart, three of which
are written with two characters (Љ = Lj, Њ = Nj, Џ = Dž).

``cyrillic_to_latin`` is exact. ``latin_to_cyrillic`` is *best effort*: Latin text
mixes Serbian with things that must stay as they are (placeholders, markup, addresses,
foreign names), and a Latin pair such as "nj" is in a few words two letters rather
than one ("injekcija" is инјекција, not ињекција). The rules are written out on
``latin_to_cyrillic``; a word they get wrong is corrected by hand, which for the
interface translations means marking the entry in the Cyrillic ``django.po`` with a
``# cyrillize: keep`` translator comment (see the ``cyrillize_messages`` command).
"""

import itertools
import re
import unicodedata

__all__ = ["cyrillic_to_latin", "in_reader_script", "latin_to_cyrillic", "shown_language"]

_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
_CYRILLIC_TO_LATIN.update(
    {cyr.upper(): lat.capitalize() for cyr, lat in _CYRILLIC_TO_LATIN.items()}
)
_CYRILLIC_DIGRAPHS = frozenset("ЉЊЏ")

_LATIN_TO_CYRILLIC = {lat: cyr for cyr, lat in _CYRILLIC_TO_LATIN.items() if len(lat) == 1}
# The two-character letters, in the three spellings a word can have (ljubav, Ljubav,
# LJUBAV). A mixed "lJ" is not a Serbian spelling and is read as two letters.
_LATIN_DIGRAPHS = {
    "lj": "љ", "Lj": "Љ", "LJ": "Љ",
    "nj": "њ", "Nj": "Њ", "NJ": "Њ",
    "dž": "џ", "Dž": "Џ", "DŽ": "Џ",
}  # fmt: skip
# Unicode also has each of them as a single character (U+01C4 to U+01CC).
_LATIN_LIGATURES = {
    "Ǆ": "Џ", "ǅ": "Џ", "ǆ": "џ",
    "Ǉ": "Љ", "ǈ": "Љ", "ǉ": "љ",
    "Ǌ": "Њ", "ǋ": "Њ", "ǌ": "њ",
}  # fmt: skip
_LATIN_TO_CYRILLIC.update(_LATIN_LIGATURES)
_SERBIAN_LATIN_LETTERS = frozenset(_LATIN_TO_CYRILLIC)

# Words in which a Latin pair is two letters, not one: a prefix ending in d before a
# stem in ž (nad-živeti, pod-žanr, od-žaliti), or n before a j that starts a stem
# (in-jekcija, kon-junkcija, van-jezički). Matched against the lower-cased start of
# a word; inside a matched start no pair is joined.
_SPLIT_DIGRAPH_PREFIXES = (
    "nadž", "podž", "predž", "odžal", "odživ",
    "injek", "konjug", "konjunk", "vanjez", "tanjug",
)  # fmt: skip

# ALL-CAPS words of two to five letters are taken for acronyms and left as they are
# (JSON, API, URL, FOI, HTML, DPIA, GDPR, SHARE): most acronyms in this interface are
# foreign. These Serbian ones are transliterated like words (MUP → МУП).
_SERBIAN_ACRONYMS = frozenset(
    {
        "MUP", "BCBP", "BIA", "VBA", "VOA", "SNS", "SPS", "SRS", "RTS", "RTV", "RS", "AP",
        "JKP", "JP", "NBS", "RZS", "RIK", "SANU", "SPC", "ZUP", "ZSPIJZ", "ZZPL",
    }
)  # fmt: skip
_ACRONYM_MAX_LENGTH = 5
# No foreign acronym has these, so an ALL-CAPS word with one is Serbian ("DŽAK").
_SERBIAN_DIACRITICS = frozenset("ČĆĐŠŽ")

# What latin_to_cyrillic never touches, tried in this order at each position.
_PROTECTED = re.compile(
    r"""
      <!--.*?-->                                     # HTML comment
    | </?[A-Za-z][^<>]*>                             # HTML tag, attributes and all
    | &(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);   # HTML entity
    | \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}          # Django template syntax
    | \{[^{}\s]*\}                                   # str.format field: {name}, {0}, {}
    | %(?:\([^)]*\))?[-\#0+]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[hlL]?[diouxXeEfFgGcrsa%]
                                                     # printf placeholder: %(name)s, %s, %d
    | `[^`]*`                                        # Markdown code span
    | (?:https?|ftp)://[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]  # URL
    | (?:www\.|mailto:)[^\s<>"'`]*[^\s<>"'`.,;:!?)\]]
    | [\w.+-]+@[\w-]+(?:\.[\w-]+)+                   # e-mail address
    | (?<![\w/<])/[\w.-]+(?:/[\w.-]*)*               # path: /api/export.jsonl, /sr-latn/
    | \b[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b          # domain or file name: nadzor.rs
    """,
    re.VERBOSE | re.DOTALL,
)
_WORD = re.compile(r"[^\W\d_]+")


def has_cyrillic(text):
    """Whether ``text`` holds a Serbian Cyrillic letter (then it was written in Cyrillic)."""
    return any(char in _CYRILLIC_TO_LATIN for char in text)


def cyrillic_to_latin(text):
    """Return ``text`` with Serbian Cyrillic letters written in Serbian Latin.

    The mapping is exact. Љ, Њ and Џ become two letters, capitalised like the word:
    "Љубовија" → "Ljubovija", "ЉУБОВИЈА" → "LJUBOVIJA". Everything that is not a
    Serbian Cyrillic letter (Latin text, digits, markup, placeholders) is unchanged.
    """
    out = []
    for index, char in enumerate(text):
        latin = _CYRILLIC_TO_LATIN.get(char)
        if latin is None:
            out.append(char)
        elif char in _CYRILLIC_DIGRAPHS and _in_capitals(text, index):
            out.append(latin.upper())
        else:
            out.append(latin)
    return "".join(out)


def _in_capitals(text, index):
    """Whether the capital letter at ``index`` stands in an ALL-CAPS run (ЉУ, ЊЊ, ШЉ)."""
    following = text[index + 1] if index + 1 < len(text) else ""
    if following.isalpha():
        return following.isupper()
    preceding = text[index - 1] if index > 0 else ""
    return preceding.isalpha() and preceding.isupper()


def latin_to_cyrillic(text):
    """Return ``text`` with Serbian Latin words written in Serbian Cyrillic.

    Best effort, by these rules:

    * lj, nj and dž are one letter each (љ, њ, џ), as are "Lj"/"LJ", "Nj"/"NJ" and
      "Dž"/"DŽ" (Љ, Њ, Џ) and the Unicode ligatures ǉ, ǌ, ǆ and their capitals.
    * Except at the start of a few known words where the pair is two letters: the
      prefixes nad-, pod-, pred- before ž ("nadživeti" → "надживети", "podžanr"),
      "odžaliti", and n + j in "injekcija", "konjunkcija", "konjugacija",
      "vanjezički", "Tanjug". Other such words are rare and come out wrong (a
      translator overrides them by hand).
    * Left unchanged: URLs, e-mail addresses, paths (/api/) and domain or file names
      (nadzor.rs, export.jsonl); printf placeholders (%(name)s, %s, %d, %%), format
      fields ({name}, {0}) and Django template syntax ({{ var }}, {% tag %}); HTML
      tags with their attributes, comments and entities (<a href="...">, &amp;);
      Markdown code spans (`code`).
    * Foreign words are left as they are, where they can be told apart:
      - a word with a letter outside the Serbian Latin alphabet: q, w, x, y or an
        accented letter such as é or ü ("Huawei", "Windows", "Markdown", "Müller");
      - a word with a capital after a small letter ("iPhone", "GitHub");
      - an ALL-CAPS word of two to five letters, taken for an acronym ("JSON",
        "API", "FOI", "DPIA"), unless it is a known Serbian acronym ("MUP" → "МУП",
        "BIA" → "БИА") or has one of Č, Ć, Đ, Š, Ž ("DŽAK" → "ЏАК"). ALL-CAPS words
        of six letters or more are read as Serbian written in capitals
        ("LJUBOVIJA" → "ЉУБОВИЈА"); a short one such as "ZAKON" stays in Latin.
      Foreign words written only with letters Serbian also has ("Google",
      "Facebook") cannot be told apart and are transliterated.
    * Text already in Cyrillic, digits and punctuation are unchanged.
    * Decomposed letters (S + U+030C for "Š", as PDFs and Macs may write it) are
      composed first, so that they transliterate like the letters they look like.
    """
    text = unicodedata.normalize("NFC", text)
    out = []
    position = 0
    for match in _PROTECTED.finditer(text):
        out.append(_transliterate_words(text[position : match.start()]))
        out.append(match.group())
        position = match.end()
    out.append(_transliterate_words(text[position:]))
    return "".join(out)


def _transliterate_words(text):
    return _WORD.sub(lambda match: _transliterate_word(match.group()), text)


def _is_foreign(word):
    if any(char not in _SERBIAN_LATIN_LETTERS for char in word):
        return True
    if any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
        # "lJ" inside a word is no Serbian spelling either; iPhone, GitHub
        return True
    return (
        word.isupper()
        and 2 <= len(word) <= _ACRONYM_MAX_LENGTH
        and word not in _SERBIAN_ACRONYMS
        and not any(char in _SERBIAN_DIACRITICS for char in word)
    )


def _transliterate_word(word):
    if not any(char in _SERBIAN_LATIN_LETTERS for char in word):
        return word  # Cyrillic or another script: nothing to do
    if _is_foreign(word):
        return word
    lowered = word.lower()
    unjoined = next(
        (len(prefix) for prefix in _SPLIT_DIGRAPH_PREFIXES if lowered.startswith(prefix)), 0
    )
    out = []
    index = 0
    while index < len(word):
        pair = word[index : index + 2]
        if index + 1 >= unjoined and pair in _LATIN_DIGRAPHS:
            out.append(_LATIN_DIGRAPHS[pair])
            index += 2
        else:
            out.append(_LATIN_TO_CYRILLIC[word[index]])
            index += 1
    return "".join(out)


# Serbian is shown in the reader's script: a Cyrillic record reads in Latin under
# /sr-latn/, a Latin one in Cyrillic under /sr/ (Cyrillic to Latin is exact; Latin to
# Cyrillic leaves URLs, addresses and foreign-looking words alone). English pages and
# English records show the text as written. ``reader`` is the page's language code
# (``get_language()``: "en", "sr", "sr-latn").
_SHOWN_IN = {("sr-Cyrl", "sr-latn"): "sr-Latn", ("sr-Latn", "sr"): "sr-Cyrl"}


def shown_language(language, reader):
    """The language tag of text written in ``language`` as shown to a ``reader``."""
    return _SHOWN_IN.get((language, reader), language)


def in_reader_script(text, language, reader):
    """``text``, written in ``language``, in the script of a ``reader``."""
    shown = shown_language(language, reader)
    if not text or shown == language:
        return text
    return cyrillic_to_latin(text) if shown == "sr-Latn" else latin_to_cyrillic(text)
