"""Highlighting on the original text.

Each word of the text as the reader sees it (any script, with its diacritics) is
normalised with the same function the index used; the words whose token the query
asked for are marked. So a query typed as ``sabic`` marks "Шабић" in a Cyrillic record.
Everything else is escaped: the result is safe to put on a page.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from records.search.normalise import normalise_word, stemming_language, words

SNIPPET_WORDS = 32
ELLIPSIS = "…"


def _hits(text, forms, language):
    stemmer_language = stemming_language(language)
    return [
        (match.start(), match.end(), normalise_word(match.group(), stemmer_language) in forms)
        for match in words(text)
    ]


def _render(text, spans, start, end):
    out, cursor = [], start
    for word_start, word_end in spans:
        out.append(escape(text[cursor:word_start]))
        out.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        cursor = word_end
    out.append(escape(text[cursor:end]))
    return "".join(out)


def highlight(text, forms, language):
    """All of ``text`` with the matching words in ``<mark>``."""
    spans = [(s, e) for s, e, hit in _hits(text, forms, language) if hit]
    return mark_safe(_render(text, spans, 0, len(text)))  # noqa: S308 -- every piece escaped


def snippet(text, forms, language, *, size=SNIPPET_WORDS):
    """The passage of about ``size`` words with the most matching words, marked.

    Returns ``None`` when no word of ``text`` matches, so the caller can fall back to
    another field.
    """
    found = _hits(text, forms, language)
    if not any(hit for _s, _e, hit in found):
        return None
    flags = [hit for _s, _e, hit in found]
    best_start, best_count, window = 0, -1, sum(flags[:size])
    for first in range(max(1, len(found) - size + 1)):
        if first:
            window += (flags[first + size - 1] if first + size - 1 < len(flags) else 0) - flags[
                first - 1
            ]
        if window > best_count:
            best_start, best_count = first, window
    # Start a little before the first hit rather than on it, for context.
    first_hit = next(i for i in range(best_start, len(found)) if flags[i])
    best_start = max(0, min(best_start, first_hit - 3))
    chosen = found[best_start : best_start + size]
    start = chosen[0][0] if best_start else 0
    end = chosen[-1][1] if best_start + size < len(found) else len(text)
    spans = [(s, e) for s, e, hit in chosen if hit]
    html = _render(text, spans, start, end).strip()
    if start > 0:
        html = ELLIPSIS + " " + html
    if end < len(text):
        html = html + " " + ELLIPSIS
    return mark_safe(html)  # noqa: S308 -- every piece escaped by _render
