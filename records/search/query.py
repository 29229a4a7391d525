"""The query language: the web-search syntax people already know.

- plain words must all match (AND): ``kamere beograd``
- ``"exact phrase"``: the words next to each other, in that order
- ``OR`` (or ``|``) between two words or phrases: either may match; it binds tighter than
  the implicit AND, so ``huawei OR hikvision kamere`` is (huawei OR hikvision) AND kamere
- ``-word`` or ``-"a phrase"``: leave out records that contain it

Every input parses. An unbalanced quote runs to the end of the query, lone operators are
ignored, control characters are dropped, and a very long query keeps its first
``MAX_CLAUSES`` words (``Query.truncated`` tells the page to say so). The parsed query
renders to a PostgreSQL ``tsquery`` and to an SQLite FTS5 expression that mean the same.
"""

import re
from dataclasses import dataclass, field

from records.search.normalise import ENGLISH, SERBIAN, WORD, normalise_word, query_forms

__all__ = ["Phrase", "Query", "parse"]

MAX_QUERY_LENGTH = 1000
MAX_CLAUSES = 24
MAX_EXCLUDED = 12
MAX_PHRASE_WORDS = 12

# One lexical item: an optionally negated quoted phrase (the closing quote is optional),
# or a run of anything that is not space or a quote.
_ITEM = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_OR = {"OR", "|"}


@dataclass(frozen=True)
class Phrase:
    """One or more words that must appear next to each other, in order.

    ``variants`` holds the token sequence for each stemmer (Serbian, English); a record
    matches if it contains any of them. A single-word phrase is an ordinary word.
    """

    text: str
    variants: tuple[tuple[str, ...], ...]

    @classmethod
    def from_words(cls, words):
        words = words[:MAX_PHRASE_WORDS]
        if len(words) == 1:
            variants = tuple((form,) for form in query_forms(words[0]))
        else:
            variants = tuple(
                dict.fromkeys(
                    tuple(normalise_word(word, language) for word in words)
                    for language in (SERBIAN, ENGLISH)
                )
            )
        return cls(" ".join(words), variants)

    @property
    def is_word(self):
        return len(self.variants[0]) == 1

    @property
    def forms(self):
        return {token for variant in self.variants for token in variant}

    def to_tsquery(self):
        parts = [" <-> ".join(variant) for variant in self.variants]
        return "(" + " | ".join(f"({part})" for part in parts) + ")"

    def to_pairs_tsquery(self):
        """The phrase's first pair of words (a ``search_pairs`` lexeme), for each variant.
        One pair, not all: the planner would multiply their frequencies as if independent
        (a three-word phrase in 13 % of records was estimated at 2 %), and the positions
        are checked on the candidates anyway."""
        parts = [f"'{variant[0]}_{variant[1]}'" for variant in self.variants]
        return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"

    def to_fts5(self):
        parts = [" ".join(variant) for variant in self.variants]
        return "(" + " OR ".join(f'"{part}"' for part in parts) + ")"


@dataclass(frozen=True)
class Query:
    text: str
    # Every clause must match; a clause matches if any of its phrases does.
    clauses: tuple[tuple[Phrase, ...], ...] = ()
    excluded: tuple[Phrase, ...] = ()
    truncated: bool = False
    highlight_forms: frozenset = field(default=frozenset(), compare=False)

    def __bool__(self):
        return bool(self.clauses)

    @property
    def has_phrase(self):
        return any(not phrase.is_word for clause in self.clauses for phrase in clause)

    @property
    def plain_words(self):
        """The query's single words that are not alternatives: candidates for spelling help."""
        return [clause[0].text for clause in self.clauses if len(clause) == 1 and clause[0].is_word]

    def to_tsquery(self, *, positive_only=False):
        """A ``to_tsquery('simple', ...)`` string; tokens are ASCII letters and digits only."""
        positive = " & ".join(_either(clause, "to_tsquery", " | ") for clause in self.clauses)
        if positive_only or not self.excluded:
            return positive
        excluded = " | ".join(phrase.to_tsquery() for phrase in self.excluded)
        return f"({positive}) & !({excluded})"

    def to_pairs_tsquery(self):
        """A ``tsquery`` over ``search_pairs`` that every match satisfies, from the clauses
        made only of phrases; ``None`` if there is none. A necessary condition, not a
        sufficient one: positions are checked on ``search_vector`` afterwards."""
        parts = [
            _either(clause, "to_pairs_tsquery", " | ")
            for clause in self.clauses
            if all(not phrase.is_word for phrase in clause)
        ]
        return " & ".join(parts) or None

    @property
    def pairs_need_check(self):
        """Whether a match of ``to_pairs_tsquery`` still needs its positions checked: a
        two-word phrase *is* its pair, but a longer one, or an excluded word, is not."""
        return bool(self.excluded) or any(
            len(variant) > 2
            for clause in self.clauses
            if all(not phrase.is_word for phrase in clause)
            for phrase in clause
            for variant in phrase.variants
        )

    def to_words_tsquery(self):
        """The clauses with a single word in them, as ``to_tsquery`` (``None`` if none)."""
        parts = [
            _either(clause, "to_tsquery", " | ")
            for clause in self.clauses
            if any(phrase.is_word for phrase in clause)
        ]
        return " & ".join(parts) or None

    def to_fts5(self, *, positive_only=False):
        """An FTS5 MATCH expression; every token is quoted, so none reads as an operator."""
        positive = " AND ".join(_either(clause, "to_fts5", " OR ") for clause in self.clauses)
        if positive_only or not self.excluded:
            return positive
        excluded = " OR ".join(phrase.to_fts5() for phrase in self.excluded)
        return f"({positive}) NOT ({excluded})"


def _either(clause, method, operator):
    rendered = [getattr(phrase, method)() for phrase in clause]
    return rendered[0] if len(rendered) == 1 else "(" + operator.join(rendered) + ")"


def _clean(text):
    text = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in text or "")
    # Typographic quotes count as quotes: people paste them from documents.
    return re.sub(r"[“”„«»]", '"', text)[:MAX_QUERY_LENGTH]


def parse(text):
    """Parse what a user typed into a ``Query``; never raises."""
    cleaned = _clean(text)
    clauses, excluded, truncated = [], [], len(text or "") > MAX_QUERY_LENGTH
    join_next = False
    for match in _ITEM.finditer(cleaned):
        raw_word = match["word"]
        if raw_word is not None and raw_word in _OR:
            join_next = bool(clauses)
            continue
        negated = bool(match["neg"]) or (raw_word is not None and raw_word.startswith("-"))
        source = match["phrase"] if raw_word is None else raw_word
        words = WORD.findall(source)
        if not words:
            continue
        phrase = Phrase.from_words(words)
        if negated:
            if len(excluded) < MAX_EXCLUDED:
                excluded.append(phrase)
            else:
                truncated = True
        elif join_next:
            clauses[-1] = (*clauses[-1], phrase)
        elif len(clauses) < MAX_CLAUSES:
            clauses.append((phrase,))
        else:
            truncated = True
        join_next = False
    forms = frozenset(token for clause in clauses for phrase in clause for token in phrase.forms)
    return Query(
        text=cleaned.strip(),
        clauses=tuple(dict.fromkeys(clauses)),
        excluded=tuple(dict.fromkeys(excluded)),
        truncated=truncated,
        highlight_forms=forms,
    )
