"""Relevance, computed the same way in Python whichever database found the matches.

A record's score is the sum, over the query's clauses, of the best-weighted field the
clause occurs in (title > actors/tags > summary > body > file text; repeated occurrences
add a little, logarithmically), plus a bonus when all clauses occur close together in
one field. Ties go to the newer record. Because the score comes from the stored tokens,
PostgreSQL and SQLite rank the same records in the same order.
"""

import math
from collections import defaultdict

from records.search.fields import WEIGHTS, split_fields

PROXIMITY_BONUS = 4.0


def _occurrences(tokens_, variants, wanted_positions):
    """Start positions of any of ``variants`` (token sequences) in ``tokens_``."""
    starts = []
    for variant in variants:
        for start in wanted_positions.get(variant[0], ()):
            if tuple(tokens_[start : start + len(variant)]) == variant:
                starts.append(start)
    return sorted(set(starts))


def _smallest_window(position_lists):
    """The shortest span of positions holding one entry from every list (or None)."""
    if not all(position_lists):
        return None
    events = sorted((pos, i) for i, positions in enumerate(position_lists) for pos in positions)
    need, have, counts, best, left = len(position_lists), 0, defaultdict(int), None, 0
    for pos, i in events:
        counts[i] += 1
        if counts[i] == 1:
            have += 1
        while have == need:
            span = pos - events[left][0] + 1
            best = span if best is None else min(best, span)
            counts[events[left][1]] -= 1
            if counts[events[left][1]] == 0:
                have -= 1
            left += 1
    return best


def score(query, search_head, search_text):
    fields = split_fields(search_head, search_text)
    first_tokens = {
        variant[0] for clause in query.clauses for phrase in clause for variant in phrase.variants
    }
    total, proximity = 0.0, 0.0
    per_field_positions = {}
    for name, field_tokens in fields.items():
        wanted = defaultdict(list)
        for position, token in enumerate(field_tokens):
            if token in first_tokens:
                wanted[token].append(position)
        per_field_positions[name] = (field_tokens, wanted)

    clause_positions = {name: [] for name in fields}
    for clause in query.clauses:
        best = 0.0
        for name, (field_tokens, wanted) in per_field_positions.items():
            starts = []
            for phrase in clause:
                starts.extend(_occurrences(field_tokens, phrase.variants, wanted))
            clause_positions[name].append(starts)
            if starts:
                best = max(best, WEIGHTS[name] * (1 + math.log(len(starts))))
        total += best

    if len(query.clauses) > 1:
        needed = len(query.clauses)
        for name, position_lists in clause_positions.items():
            span = _smallest_window(position_lists)
            if span is not None:
                closeness = needed / max(span, needed)
                proximity = max(proximity, PROXIMITY_BONUS * closeness * WEIGHTS[name] / 10)
    return total + proximity
