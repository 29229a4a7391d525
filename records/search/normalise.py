"""One normaliser for index time and query time, so both sides always agree.

A word goes through: Serbian Cyrillic → Latin (the fixed alphabet mapping, exact for
Љ/Њ/Џ), lower case, diacritics folded (č ć → c, š → s, ž → z, đ and dj → d, and any
other accent dropped), then the snowball stemmer of the text's language, then folded
again. Folding *before* stemming means a word typed without diacritics ("sabica") and
the same word written with them ("Šabića") reach the stemmer as the same string, so
they can never stem apart.

The result is a plain ASCII-letters-and-digits token, which both PostgreSQL (the
``simple`` text-search configuration) and SQLite FTS5 (``unicode61``) index as is.
"""

import functools
import re
import unicodedata

import snowballstemmer

from records.core.transliteration import cyrillic_to_latin

__all__ = [
    "WORD",
    "fold",
    "normalise_word",
    "query_forms",
    "search_name",
    "tokens",
    "words",
]

# A word is a run of letters and digits: punctuation, markup and "_" separate words.
# Combining marks belong to the word they follow: text pasted from a PDF or typed on a
# Mac may spell "Š" as "S" and U+030C (NFD), and "Šabić" must stay one word, not "S abic".
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
WORD = re.compile(rf"(?:[^\W_]++[{_MARKS}]*+)++")

MAX_TOKEN_LENGTH = 60
SERBIAN = "sr"
ENGLISH = "en"

_STEMMERS = {
    SERBIAN: snowballstemmer.stemmer("serbian"),
    ENGLISH: snowballstemmer.stemmer("english"),
}


def stemming_language(record_language):
    """The stemmer for a record's language code (``sr-Latn``, ``sr-Cyrl``, ``en``)."""
    return ENGLISH if record_language == "en" else SERBIAN


def fold(text):
    """Lower-case ``text`` and drop its diacritics; đ and dj both become d."""
    text = text.lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # Until none is left, so that folding twice changes nothing ("djj" → "dj" → "d").
    while "dj" in text:
        text = text.replace("dj", "d")
    return text


@functools.lru_cache(maxsize=200_000)
def normalise_word(word, language=SERBIAN):
    """The index token of one word, as the stemmer of ``language`` reduces it."""
    # Composed first, so that a decomposed "й" (и + breve) transliterates as "j".
    folded = fold(cyrillic_to_latin(unicodedata.normalize("NFC", word)))
    stem = _STEMMERS[language].stemWord(folded) if folded.isalpha() else folded
    # Both databases refuse or drop very long words; no real word is this long.
    return _ascii(fold(stem))[:MAX_TOKEN_LENGTH]


def _ascii(token):
    """Spell a letter outside ASCII (Greek, Þ, Russian ы) as its code point, so that
    PostgreSQL's parser and SQLite's tokenizer, which disagree about such letters, both
    read the token as one plain word."""
    if token.isascii():
        return token
    return "".join(ch if ch.isascii() else f"u{ord(ch):x}u" for ch in token)


def search_name(name):
    """A name as spelling suggestions compare it: Latin script, folded, words kept whole."""
    return " ".join(fold(cyrillic_to_latin(word)) for word in WORD.findall(name))


def words(text):
    """The words of ``text`` as ``re.Match`` objects, so callers know where each one is."""
    return WORD.finditer(text)


def tokens(text, language=SERBIAN):
    """The index tokens of ``text``, in order."""
    return [normalise_word(word, language) for word in WORD.findall(text)]


def query_forms(word):
    """Every token a query word may match: its Serbian and its English stem.

    Records are indexed with the stemmer of their own language, and a query does not
    say which language it is in, so each query word is looked up in both forms.
    """
    forms = [normalise_word(word, SERBIAN), normalise_word(word, ENGLISH)]
    return tuple(dict.fromkeys(form for form in forms if form))
