"""Write the Serbian Cyrillic translations from the Serbian Latin ones.

Translators work in ``records/locale/sr_Latn/LC_MESSAGES/django.po`` only; this command
writes ``records/locale/sr/LC_MESSAGES/django.po`` from it, every ``msgstr`` (plural
forms and multi-line strings included) passed through ``latin_to_cyrillic``. Everything
else is kept: msgids, comments, references and flags (a "#, fuzzy" entry stays fuzzy).
The header is copied as it is, with ``Language: sr``.

The usual round after the English strings change::

    uv run python manage.py makemessages -l sr_Latn -l sr --ignore=.venv ...
    # translate records/locale/sr_Latn/LC_MESSAGES/django.po
    uv run python manage.py cyrillize_messages
    uv run python manage.py compilemessages --ignore=.venv

A word the transliteration gets wrong (see ``records.core.transliteration``) is fixed by
hand in the Cyrillic file, in an entry that carries the translator comment
``# cyrillize: keep``: the command then keeps that entry's Cyrillic msgstr as it is
(and lists it, so it can be checked when the Latin one changes).

``--check`` writes nothing and fails if the Cyrillic file's translations are not the
ones this command would write, e.g. after the Latin file was edited and the command
not run.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from records.core.transliteration import latin_to_cyrillic

KEEP_COMMENT = "# cyrillize: keep"
_KEEP_RE = re.compile(r"^#\s*cyrillize:\s*keep\b")
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[[0-9]+\])?)[ \t]+(\".*)$")
_STRING_RE = re.compile(r'^"((?:[^"\\]|\\.)*)"[ \t]*$')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}  # fmt: skip
_WIDTH = 79  # as GNU gettext wraps


class PoSyntaxError(ValueError):
    pass


@dataclass
class Field:
    """One keyword of an entry (``msgid``, ``msgstr[1]``, ...) and its string."""

    prefix: str  # "#~ " in an obsolete entry, else ""
    keyword: str
    value: str
    lines: list[str]  # as read; rewritten only when the value changes

    def set(self, value):
        if value != self.value:
            self.value = value
            self.lines = format_field(self.prefix, self.keyword, value)


@dataclass
class Entry:
    comments: list[str] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)

    def get(self, keyword):
        return next((f for f in self.fields if f.keyword == keyword), None)

    @property
    def msgstrs(self):
        return [f for f in self.fields if f.keyword.startswith("msgstr")]

    @property
    def obsolete(self):
        return bool(self.fields) and self.fields[0].prefix.startswith("#~")

    @property
    def key(self):
        context, msgid = self.get("msgctxt"), self.get("msgid")
        return (
            self.obsolete,
            context.value if context else None,
            msgid.value if msgid else None,
        )

    @property
    def is_header(self):
        return self.key == (False, None, "")

    @property
    def keep(self):
        return any(_KEEP_RE.match(line) for line in self.comments)

    def render(self):
        return [*self.comments, *(line for f in self.fields for line in f.lines)]


def unquote(literal, lineno):
    match = _STRING_RE.match(literal)
    if not match:
        raise PoSyntaxError(f"line {lineno}: not a quoted string: {literal!r}")

    def unescape(escape):
        char = escape.group(1)
        if char not in _ESCAPES:
            raise PoSyntaxError(f"line {lineno}: unsupported escape \\{char}")
        return _ESCAPES[char]

    return re.sub(r"\\(.)", unescape, match.group(1))


def quote(text):
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return text.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def format_field(prefix, keyword, value, width=_WIDTH):
    """The lines of ``keyword "value"``, wrapped like GNU gettext: after each newline
    and at spaces, with an empty first string when the value takes several lines."""
    head = f"{prefix}{keyword} "
    escaped = quote(value)
    if "\n" not in value[:-1] and len(head) + len(escaped) + 2 <= width:
        return [f'{head}"{escaped}"']
    lines = [f'{head}""']
    room = width - len(prefix) - 2
    for piece in re.split(r"(?<=\n)", value):
        if not piece:
            continue
        current = ""
        for token in re.findall(r"[^ ]+ *| +", quote(piece)):
            if current and len(current) + len(token) > room:
                lines.append(f'{prefix}"{current}"')
                current = token
            else:
                current += token
        lines.append(f'{prefix}"{current}"')
    return lines


def parse_po(text):
    """The entries of a PO file, read line by line. Raises PoSyntaxError."""
    entries = []
    entry = None  # the entry being read
    current = None  # the field that a continuation string belongs to
    for lineno, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if not line.strip():
            entry = current = None
            continue
        prefix, body = "", line
        if line.startswith("#~") and not line.startswith("#~|"):
            rest = line[2:].lstrip()
            if rest.startswith('"') or _KEYWORD_RE.match(rest):
                prefix, body = "#~ ", rest
        if line.startswith("#") and not prefix:
            if entry is None or entry.fields:
                entry = Entry()
                entries.append(entry)
            entry.comments.append(line)
            current = None
            continue
        keyword = _KEYWORD_RE.match(body)
        if keyword:
            name, literal = keyword.groups()
            starts_entry = name in ("msgctxt", "msgid")
            if (
                entry is None
                or (starts_entry and entry.get("msgid"))
                or (name == "msgctxt" and entry.get("msgctxt"))
            ):
                entry = Entry()
                entries.append(entry)
            if not starts_entry and not entry.get("msgid"):
                raise PoSyntaxError(f"line {lineno}: {name} before msgid")
            current = Field(prefix, name, unquote(literal, lineno), [line])
            entry.fields.append(current)
        elif body.startswith('"'):
            if current is None:
                raise PoSyntaxError(f"line {lineno}: a string that follows no keyword")
            current.value += unquote(body, lineno)
            current.lines.append(line)
        else:
            raise PoSyntaxError(f"line {lineno}: cannot read {line!r}")
    return entries


def render_po(entries):
    return "\n\n".join("\n".join(entry.render()) for entry in entries) + "\n"


def set_header_field(header, name, value):
    """Set one ``Name: value`` line of a PO header's msgstr, adding it if missing."""
    msgstr = header.get("msgstr")
    lines = msgstr.value.split("\n")
    pattern = re.compile(rf"^{re.escape(name)}\s*:")
    for index, line in enumerate(lines):
        if pattern.match(line):
            lines[index] = f"{name}: {value}"
            break
    else:
        if lines[-1] == "":  # the usual header, each line ending in a newline
            lines.insert(len(lines) - 1, f"{name}: {value}")
        else:
            lines.append(f"{name}: {value}")
    msgstr.set("\n".join(lines))


def cyrillize(entries, kept=None):
    """Transliterate the msgstrs of ``entries`` in place.

    ``kept`` maps entry keys to hand-made Cyrillic entries whose msgstrs are used as
    they are. Returns the keys of the entries that were kept.
    """
    kept = kept or {}
    used = []
    for entry in entries:
        if entry.is_header:
            set_header_field(entry, "Language", "sr")
            continue
        manual = kept.get(entry.key)
        if manual is not None:
            entry.fields = [f for f in entry.fields if not f.keyword.startswith("msgstr")]
            entry.fields += manual.msgstrs
            # The hand-made entry's translator comments ("# ..."), the keep mark among
            # them, go first, as translator comments do.
            notes = [
                line
                for line in manual.comments
                if (line == "#" or line.startswith("# ")) and line not in entry.comments
            ]
            entry.comments[:0] = notes
            used.append(entry.key)
            continue
        for msgstr in entry.msgstrs:
            msgstr.set(latin_to_cyrillic(msgstr.value))
    return used


def translations(entries):
    """What a PO file translates, for comparing two of them: key → msgstrs."""
    return {
        entry.key: tuple((f.keyword, f.value) for f in entry.msgstrs)
        for entry in entries
        if not entry.is_header and not entry.obsolete
    }


def default_path(locale):
    return (
        Path(apps.get_app_config("records").path) / "locale" / locale / "LC_MESSAGES" / "django.po"
    )


class Command(BaseCommand):
    help = (
        "Write the Serbian Cyrillic messages (locale sr) from the Serbian Latin ones "
        "(locale sr_Latn) by transliterating every msgstr."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", type=Path, default=None, help="Latin .po file (default: sr_Latn's)"
        )
        parser.add_argument(
            "--destination", type=Path, default=None, help="Cyrillic .po file (default: sr's)"
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if the destination is not up to date",
        )

    def handle(self, *args, source=None, destination=None, check=False, **options):
        source = source or default_path("sr_Latn")
        destination = destination or default_path("sr")
        entries = self._read(source)
        existing = self._read(destination) if destination.exists() else []
        kept = {entry.key: entry for entry in existing if entry.keep and not entry.is_header}
        used = cyrillize(entries, kept)
        for key in used:
            self.stderr.write(f"Kept the hand-made Cyrillic of {key[2]!r}.")
        messages = sum(1 for entry in entries if not entry.is_header and not entry.obsolete)
        if check:
            self._check(translations(entries), translations(existing), destination)
            self.stderr.write(self.style.SUCCESS(f"{destination} is up to date."))
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        partial.write_text(render_po(entries), encoding="utf-8")
        partial.replace(destination)
        self.stderr.write(
            self.style.SUCCESS(f"Wrote {messages} messages to {destination} ({len(used)} kept).")
        )

    def _read(self, path):
        try:
            return parse_po(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from None
        except PoSyntaxError as error:
            raise CommandError(f"{path}: {error}") from None

    def _check(self, wanted, found, destination):
        stale = [key[2] for key in wanted if wanted[key] != found.get(key)]
        stale += [key[2] for key in found if key not in wanted]
        if stale:
            listed = "\n".join(f"  {msgid!r}" for msgid in stale[:20])
            raise CommandError(
                f"{destination} is out of date for {len(stale)} message(s); run "
                f"`manage.py cyrillize_messages`:\n{listed}"
            )
