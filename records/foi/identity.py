"""A requester's identity as the forms a reply may write it in, kept on the request.

A Serbian public body writes a requester's name in any of seven grammatical cases
("Petar Realdatić", "Petru Realdatiću", "Petre Realdatiću"), in Cyrillic or Latin, with
or without diacritics ("Markovic", "Djordje"), surname first or alone, broken across a
line; it copies their postal address in either script and their e-mail address, at
times written ``name(at)domain``. ``forms_of`` lists these forms: declension comes from
the ``deklinacija`` package (Serbian personal-name declension, male and female; we take
both, since the site does not ask a requester's gender), and every form is normalised by
``normalise``, which maps both scripts and all diacritic spellings to one key.

Storage, and its trade-off. Scrubbing must still work after the requester deletes their
account (the request outlives it), so the forms are kept on the request itself
(``FOIRequest.requester_identity``), not read from the account. They are kept as salted
hashes, not in clear: keyed BLAKE2b (a MAC), keyed with a random salt of that request,
of each normalised form (single words and runs of up to ``MAX_TOKENS`` words), 64 bits
long, and of each word of the forms (to skip quickly the words that are in none).
Incoming text is cut into words, and each run of words is normalised, hashed with the
same salt and looked up: a hit is replaced. So the text can be scrubbed without the
name or address being stored anywhere readable, and two requests by the same person
cannot be linked by their stored hashes (each has its own salt).

What this does not protect against: someone who has the database, and so the salt, can
test guesses (a list of common Serbian names and Belgrade streets is short) against the
hashes. The hashes keep the identity out of backups, exports and an editor's casual
view; they are not encryption. We did not key them with ``SECRET_KEY`` on purpose: a
rotated key would silently turn scrubbing off, which is the failure this module exists
to prevent.
"""

import functools
import hashlib
import logging
import re
import secrets
import unicodedata

from deklinacija import Gender, declineAll, possessiveAll

from records.core.transliteration import cyrillic_to_latin

log = logging.getLogger(__name__)

# A first name or surname is replaced on its own only from this many letters: shorter
# ones ("Ana", "Ivo") are everyday words or syllables, and are replaced only next to the
# other part of the name.
MIN_ALONE = 4
# The longest run of words looked up (a full postal address with its city).
MAX_TOKENS = 10
VERSION = 1

NAME, ADDRESS, EMAIL = "n", "a", "e"

_FOLD = str.maketrans({"č": "c", "ć": "c", "š": "s", "ž": "z", "đ": "d"})
# A word, and a word broken at the end of a line with a hyphen ("Real-\ndatić") or a
# soft hyphen.
WORD = re.compile(r"\w+(?:(?:-[ \t]*\r?\n[ \t]*|\u00ad)\w+)*")
_BREAK = re.compile(r"-[ \t]*\r?\n[ \t]*|\u00ad")
# Words a street line starts with, which a reply may leave out or abbreviate.
POSTCODE = re.compile(r"\d{5}")
STREET_PREFIXES = {"ulica", "ul", "bulevar", "bul", "trg", "put"}


@functools.lru_cache(maxsize=65536)
def normalise(word):
    """One key for every spelling of a word: lower case, Latin script, no diacritics
    ("Марковић", "Marković", "MARKOVIC" and "Markovich" are not all the same; the first
    three are). "Đ" and "dj" both become "d" ("Đorđe", "Djordje", "Dordje")."""
    word = _BREAK.sub("", word)
    word = cyrillic_to_latin(unicodedata.normalize("NFC", word)).lower().translate(_FOLD)
    word = unicodedata.normalize("NFKD", word)
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word.replace("dj", "d")


def key(text):
    """``text`` as the words a reply is cut into, normalised ("O'Brien" is "o brien")."""
    return " ".join(word for _start, _end, word in words(text))


def words(text):
    """The normalised words of ``text``, each with its span."""
    return [(m.start(), m.end(), normalise(m.group())) for m in WORD.finditer(text)]


def declensions(word):
    """Every case of ``word`` as a Serbian first name or surname, male and female, with
    its possessive adjectives ("Petrov", "Petrovog"), as ``deklinacija`` gives them. A
    female name in -a also gets the vocative in -o ("Jeleno") that letters use."""
    forms = {word}
    for gender in (Gender.MALE, Gender.FEMALE):
        try:
            forms.update(declineAll(word, gender).values())
            if len(normalise(word)) >= MIN_ALONE + 1:
                forms.update(possessiveAll(word, gender).values())
        except Exception:  # a word the library cannot read must not stop scrubbing
            log.warning("deklinacija could not decline a name part", exc_info=True)
            continue
    if normalise(word).endswith("a"):
        forms.add(word[:-1] + ("о" if _is_cyrillic(word) else "o"))
    return {form for form in forms if form}


def _is_cyrillic(word):
    return any("\u0400" <= c <= "\u04ff" for c in word)


def name_forms(real_name):
    """The normalised forms of a full name: each part alone in every case (when long
    enough), and every ordered pair of parts in every case ("Petre Realdatiću",
    "Realdatić Petar")."""
    parts = [part for part in re.split(r"[\s\-]+", real_name.strip()) if part]
    declined = [{key(form) for form in declensions(part)} - {""} for part in parts]
    forms = set()
    for part_forms in declined:
        forms.update(form for form in part_forms if len(form.replace(" ", "")) >= MIN_ALONE)
    for i, first in enumerate(declined):
        for j, second in enumerate(declined):
            if i != j:
                forms.update(f"{a} {b}" for a in first for b in second)
    if len(parts) > 1:
        forms.add(" ".join(key(part) for part in parts))
    return forms


def address_forms(postal_address):
    """The normalised forms of a postal address: the street with its number (with and
    without "ulica"/"ul.", with "br." before the number or not), the street line with
    the postcode and city after it, and the whole address. The postcode and city alone
    are not forms: a Belgrade body's own letterhead says "11000 Beograd" too."""
    lines = [line for line in re.split(r"[\n,;]+", postal_address) if line.strip()]
    tokenised = [[w for _, _, w in words(line)] for line in lines]
    tokenised = [line for line in tokenised if line]
    forms = set()
    if tokenised:
        forms.add(" ".join(w for line in tokenised for w in line))
    for index, line in enumerate(tokenised):
        if not _is_street(line):
            continue
        variants = {tuple(line)}
        if line[0] in STREET_PREFIXES and len(line) > 2:
            variants.add(tuple(line[1:]))
        if line[0] == "ulica":
            variants.add(("ul", *line[1:]))
        for variant in list(variants):
            number_at = next(
                (i for i, w in enumerate(variant) if any(c.isdigit() for c in w)), None
            )
            if number_at:
                variants.add((*variant[:number_at], "br", *variant[number_at:]))
        following = tokenised[index + 1] if index + 1 < len(tokenised) else []
        for variant in variants:
            forms.add(" ".join(variant))
            if following:
                forms.add(" ".join((*variant, *following)))
    return {form for form in forms if len(form.split()) <= MAX_TOKENS}


def _is_street(line):
    """A line with a house number and a name, not a postcode line ("11000 Beograd")."""
    numbers = [w for w in line if any(c.isdigit() for c in w)]
    return (
        bool(numbers)
        and any(w.isalpha() for w in line)
        and not (len(numbers) == 1 and POSTCODE.fullmatch(numbers[0]) and line[0] == numbers[0])
    )


def email_key(address):
    """An e-mail address as one key: lower case, without spaces."""
    return re.sub(r"\s+", "", address).lower()


def email_forms(email):
    if not email or "@" not in email:
        return set()
    return {email_key(email)}


def forms_of(*, real_name="", postal_address="", emails=()):
    """``{normalised form: kind}`` for everything that identifies a requester."""
    forms = {}
    for form in address_forms(postal_address or ""):
        forms[form] = ADDRESS
    for form in name_forms(real_name or ""):
        forms[form] = NAME
    for email in emails:
        for form in email_forms(email):
            forms[form] = EMAIL
    return forms


def digest(salt, form):
    return hashlib.blake2b(form.encode(), key=salt.encode(), digest_size=8).hexdigest()


def new_identity():
    return {"v": VERSION, "salt": secrets.token_hex(16), "forms": {}, "words": []}


def add_forms(identity, forms):
    """``identity`` (the stored JSON) with ``forms`` hashed into it; True if it grew.
    Forms are only ever added: a reply may still quote a name the requester changed."""
    if not identity.get("salt"):
        identity.update(new_identity())
    stored = identity.setdefault("forms", {})
    words_in_forms = set(identity.get("words", []))
    before = len(stored), len(words_in_forms)
    for form, kind in forms.items():
        stored.setdefault(digest(identity["salt"], form), kind)
        words_in_forms.update(digest(identity["salt"], word) for word in form.split())
    identity["words"] = sorted(words_in_forms)
    return (len(stored), len(words_in_forms)) != before


class Identity:
    """The stored hashes of one request, ready to look text up in."""

    def __init__(self, stored):
        self.salt = (stored or {}).get("salt", "")
        self.forms = (stored or {}).get("forms", {})
        self.words = frozenset((stored or {}).get("words", []))
        self._known = {}

    def __bool__(self):
        return bool(self.salt and self.forms)

    def kind(self, form):
        return self.forms.get(digest(self.salt, form)) if self else None

    def is_known_word(self, word):
        """Whether ``word`` is part of any form (a quick test before runs of words)."""
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = digest(self.salt, word) in self.words
        return known

    def spans(self, text):
        """``[(start, end, kind)]``: the runs of words of ``text`` that are forms of the
        identity, longest first, not overlapping."""
        if not self:
            return []
        found = []
        tokens = words(text)
        i = 0
        while i < len(tokens):
            longest = 0
            while (
                longest < MAX_TOKENS
                and i + longest < len(tokens)
                and self.is_known_word(tokens[i + longest][2])
            ):
                longest += 1
            for n in range(longest, 0, -1):
                kind = self.kind(" ".join(w for _, _, w in tokens[i : i + n]))
                if kind:
                    found.append((tokens[i][0], tokens[i + n - 1][1], kind))
                    i += n
                    break
            else:
                i += 1
        return found
