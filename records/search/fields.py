"""What of a record is searchable, field by field, and how much each field weighs.

The index keeps two columns of normalised tokens on each record: ``search_head`` (title,
actors, tags) and ``search_text`` (summary, body, file text). Within a column the fields
are separated by ``FIELD_SEPARATOR``, which neither database reads as a word.
"""

from records.core.markdown import markdown_to_text
from records.search.normalise import stemming_language, tokens

FIELD_SEPARATOR = " | "

HEAD_FIELDS = ("title", "actors", "tags")
TEXT_FIELDS = ("summary", "body", "files")

# Title > actors and tags > summary > body > file text.
WEIGHTS = {"title": 10.0, "actors": 6.0, "tags": 6.0, "summary": 4.0, "body": 2.0, "files": 1.0}

# Both databases cap what one record's index entry may hold (PostgreSQL: 1 MB per
# tsvector, positions up to 16,383); the first words of a long text are indexed.
MAX_FIELD_TOKENS = 15_000


def _column(values, language):
    stemmer_language = stemming_language(language)
    return FIELD_SEPARATOR.join(
        " ".join(tokens(value, stemmer_language)[:MAX_FIELD_TOKENS]) for value in values
    )


def index_columns(*, title, actors, tags, summary, body, files, language):
    """``(search_head, search_text)`` for a record's parts; ``actors``/``tags`` are names."""
    head = _column([title, " ".join(actors), " ".join(tags)], language)
    text = _column([summary, markdown_to_text(body), files], language)
    return head, text
