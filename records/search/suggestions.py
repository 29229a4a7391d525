"""Help for a search that found nothing: drop the filters, or fix a name's spelling.

Spelling suggestions compare each word of the query with the words of actors' names
(people, bodies, companies) by trigram similarity: ``pg_trgm``'s ``similarity()`` on
PostgreSQL, and on SQLite the same measure computed in Python (``trigram_similarity``
follows pg_trgm's definition, so both databases suggest the same names). Names are
compared in Latin script without diacritics, so ``sabik`` finds "Шабић".
"""

import re

from django.db import connection

from archive.db_router import read_connection
from records.core.transliteration import cyrillic_to_latin
from records.models import Actor
from records.search.normalise import WORD, fold, search_name

MIN_SIMILARITY = 0.35


def trigrams(text):
    """pg_trgm's trigram set: each word padded with two spaces before and one after."""
    found = set()
    for word in re.findall(r"[^\W_]+", text.lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def trigram_similarity(a, b):
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _name_words():
    """``{folded word: original spelling}`` over names of actors on published records."""
    words = {}
    names = Actor.objects.in_public_records().values_list("name_sr", "name_en", "short_name")
    for name in (n for row in names for n in row if n):
        for word in WORD.findall(name):
            if len(word) > 2:
                words.setdefault(search_name(word), word)
    return words


def _closest(word, name_words):
    folded = fold(cyrillic_to_latin(word))
    if folded in name_words or len(folded) < 3:
        return None
    if connection.vendor == "postgresql":
        with read_connection().cursor() as cursor:
            cursor.execute(
                "SELECT w, similarity(w, %s) AS s FROM unnest(%s::text[]) AS w "
                "WHERE similarity(w, %s) >= %s ORDER BY s DESC, w LIMIT 1",
                [folded, sorted(name_words), folded, MIN_SIMILARITY],
            )
            row = cursor.fetchone()
        return name_words[row[0]] if row else None
    scored = [(trigram_similarity(folded, w), w) for w in name_words]
    scored = [(s, w) for s, w in scored if s >= MIN_SIMILARITY]
    if not scored:
        return None
    best = min(scored, key=lambda item: (-item[0], item[1]))
    return name_words[best[1]]


def spelling_suggestion(query):
    """The query text with misspelt names replaced by the closest actor name, or ``None``."""
    words = query.plain_words
    if not words:
        return None
    name_words = _name_words()
    text, changed = query.text, False
    for word in words:
        better = _closest(word, name_words)
        if better and better.lower() != word.lower():
            text = re.sub(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])", better, text, count=1)
            changed = True
    return text if changed else None
