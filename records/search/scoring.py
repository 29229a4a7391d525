"""Relevance, computed the same way in Python whichever database found the matches.

A record's score is the sum, over the query's clauses, of the best-weighted field the
clause occurs in (title > actors/tags > summary > body > file text; repeated occurrences
add a little, logarithmically), plus a bonus when all clauses occur close together in
one field. Ties go to the newer record (the caller's sort key). Because the score comes
from the stored tokens, PostgreSQL and SQLite rank the same records in the same order.

The stored fields are space-separated tokens, so a word or a phrase is a plain substring
(" kamer ", " safe city "), counted and found by ``str`` methods in C: scoring a thousand
candidates takes milliseconds.
"""

import functools
import math

from records.search.fields import FIELD_SEPARATOR, HEAD_FIELDS, TEXT_FIELDS, WEIGHTS

PROXIMITY_BONUS = 4.0
# Occurrences per clause and field considered for closeness.
MAX_POSITIONS = 16
MAX_PROXIMITY = PROXIMITY_BONUS * max(WEIGHTS.values()) / 10
_SEPARATOR = FIELD_SEPARATOR.strip()
_FIELD_WEIGHTS = tuple(WEIGHTS[name] for name in HEAD_FIELDS + TEXT_FIELDS)


@functools.lru_cache(maxsize=256)
def _clause_needles(query):
    """For each clause, its phrases as space-padded strings: " kamer ", " safe city "."""
    return tuple(
        tuple(sorted({f" {' '.join(v)} " for phrase in clause for v in phrase.variants}))
        for clause in query.clauses
    )


def _find_all(text, needles, limit=MAX_POSITIONS):
    """``(start, end)`` of each needle in ``text``, at most ``limit`` of them."""
    spans = []
    for needle in needles:
        at = text.find(needle)
        while at != -1 and len(spans) < limit:
            spans.append((at, at + len(needle)))
            at = text.find(needle, at + len(needle) - 1)
    return spans


def _smallest_window(position_lists):
    """The shortest character span holding one occurrence from every list (or None)."""
    events = sorted(
        (start, end, i) for i, positions in enumerate(position_lists) for start, end in positions
    )
    need, counts, have, best, left = len(position_lists), [0] * len(position_lists), 0, None, 0
    for _start, end, i in events:
        counts[i] += 1
        if counts[i] == 1:
            have += 1
        while have == need:
            span = end - events[left][0]
            best = span if best is None else min(best, span)
            counts[events[left][2]] -= 1
            if counts[events[left][2]] == 0:
                have -= 1
            left += 1
    return best


def score(query, search_head, search_text, *, proximity=True):
    """The record's relevance; without ``proximity`` the closeness bonus is left out,
    which can raise the score by at most ``MAX_PROXIMITY``."""
    # Pad each field so that every token, first and last included, has a space each side.
    fields = [
        f" {field.strip()} " for field in (search_head + _SEPARATOR + search_text).split(_SEPARATOR)
    ]
    clauses = _clause_needles(query)
    if len(clauses) == 1:
        total = 0.0
        for text, weight in zip(fields, _FIELD_WEIGHTS, strict=False):
            n = sum(text.count(needle) for needle in clauses[0])
            if n:
                total = max(total, weight * (1 + math.log(n)))
        return total

    best = [0.0] * len(clauses)
    closest = 0.0
    for text, weight in zip(fields, _FIELD_WEIGHTS, strict=False):
        counts = [sum(text.count(needle) for needle in needles) for needles in clauses]
        for i, n in enumerate(counts):
            if n:
                best[i] = max(best[i], weight * (1 + math.log(n)))
        if proximity and all(counts) and PROXIMITY_BONUS * weight / 10 > closest:
            found = [_find_all(text, needles) for needles in clauses]
            needed = sum(min(end - start for start, end in spans) for spans in found)
            span = _smallest_window(found)
            closeness = min(1.0, needed / max(span, 1))
            closest = max(closest, PROXIMITY_BONUS * closeness * weight / 10)
    return sum(best) + closest


def rank(query, rows, *, top, tiebreak):
    """``rows`` of ``(pk, search_head, search_text, ...)`` best first, exact for the first
    ``top``: the closeness bonus is computed only while it can still change those."""
    scored = sorted(
        ((score(query, row[1], row[2], proximity=False), row) for row in rows),
        key=lambda item: (-item[0], tiebreak(item[1])),
    )
    if len(query.clauses) < 2:
        return [row for _score, row in scored]
    exact = []
    for position, (base, row) in enumerate(scored):
        if len(exact) >= top:
            exact.sort(key=lambda item: (-item[0], tiebreak(item[1])))
            if base + MAX_PROXIMITY < exact[top - 1][0]:
                rest = [row for _base, row in scored[position:]]
                return [row for _score, row in exact] + rest
        exact.append((score(query, row[1], row[2]), row))
    exact.sort(key=lambda item: (-item[0], tiebreak(item[1])))
    return [row for _score, row in exact]
