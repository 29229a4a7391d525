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

import os
import re
import shutil
import subprocess
from pathlib import Path

import polib
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from records.core.transliteration import latin_to_cyrillic

KEEP_COMMENT = "# cyrillize: keep"
_KEEP_RE = re.compile(r"^\s*cyrillize:\s*keep\b")
WRAP_WIDTH = 78  # polib's width closest to GNU gettext's wrapping


def read_po(path):
    """The catalogue in ``path`` (polib); ``CommandError`` naming the file and line if it
    cannot be read or is not a valid PO file.

    GNU gettext's ``msgfmt`` (which ``compilemessages`` needs too) checks the syntax
    first: polib skips some broken lines (an unterminated string) without a word, and a
    translation would be lost.
    """
    if not Path(path).is_file():
        raise CommandError(f"Cannot read {path}: no such file")
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        raise CommandError("msgfmt (GNU gettext) is not installed; compilemessages needs it too")
    checked = subprocess.run(  # noqa: S603 -- a fixed program on a file we were given
        [msgfmt, "-o", os.devnull, str(path)], capture_output=True, text=True, check=False
    )
    if checked.returncode:
        raise CommandError(checked.stderr.strip())
    try:
        return polib.pofile(str(path), wrapwidth=WRAP_WIDTH)
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error}") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise CommandError(f"{path}: {error}") from None


def key(entry):
    """What identifies an entry across the two files: obsolete or not, context, msgid."""
    return (entry.obsolete, entry.msgctxt, entry.msgid)


def is_kept(entry):
    """A hand-made Cyrillic entry, marked by the translator comment ``# cyrillize: keep``."""
    return any(_KEEP_RE.match(line) for line in (entry.tcomment or "").splitlines())


def cyrillize(catalogue, kept=None):
    """Transliterate the msgstrs of ``catalogue`` in place and set its ``Language``.

    ``kept`` maps entry keys to hand-made Cyrillic entries whose msgstrs are used as they
    are, with their translator comments. Returns the keys of the entries that were kept.
    """
    kept = kept or {}
    used = []
    catalogue.metadata["Language"] = "sr"
    for entry in catalogue:
        manual = kept.get(key(entry))
        if manual is not None:
            entry.msgstr = manual.msgstr
            entry.msgstr_plural = dict(manual.msgstr_plural)
            notes = [
                line
                for line in manual.tcomment.splitlines()
                if line not in (entry.tcomment or "").splitlines()
            ]
            entry.tcomment = "\n".join([*notes, *(entry.tcomment or "").splitlines()])
            used.append(key(entry))
            continue
        entry.msgstr = latin_to_cyrillic(entry.msgstr)
        entry.msgstr_plural = {
            index: latin_to_cyrillic(text) for index, text in entry.msgstr_plural.items()
        }
    return used


def translations(catalogue):
    """What a catalogue translates, for comparing two of them: key → msgstrs."""
    return {
        key(entry): (entry.msgstr, tuple(sorted(entry.msgstr_plural.items())))
        for entry in catalogue
        if not entry.obsolete
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
        catalogue = read_po(source)
        existing = read_po(destination) if destination.exists() else []
        kept = {key(entry): entry for entry in existing if is_kept(entry)}
        used = cyrillize(catalogue, kept)
        for kept_key in used:
            self.stderr.write(f"Kept the hand-made Cyrillic of {kept_key[2]!r}.")
        messages = sum(1 for entry in catalogue if not entry.obsolete)
        if check:
            self._check(translations(catalogue), translations(existing), destination)
            self.stderr.write(self.style.SUCCESS(f"{destination} is up to date."))
            return
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        catalogue.save(str(partial))
        partial.replace(destination)
        self.stderr.write(
            self.style.SUCCESS(f"Wrote {messages} messages to {destination} ({len(used)} kept).")
        )

    def _check(self, wanted, found, destination):
        stale = [k[2] for k in wanted if wanted[k] != found.get(k)]
        stale += [k[2] for k in found if k not in wanted]
        if stale:
            listed = "\n".join(f"  {msgid!r}" for msgid in stale[:20])
            raise CommandError(
                f"{destination} is out of date for {len(stale)} message(s); run "
                f"`manage.py cyrillize_messages`:\n{listed}"
            )
