import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from records.models import Question, QuestionLink, QuestionRelation, Record, Status
from records.records.services import ImportFailed, import_jsonl

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "safe-city.jsonl"
DEMO_BODIES = DEMO_FILE.with_name("public-bodies.csv")
DEMO_QUESTIONS = DEMO_FILE.with_name("questions.json")
DEMO_EDITOR = "editor"


class Command(BaseCommand):
    help = (
        "Prepare the Safe City demo archive (migrate, load the records, create an editor) "
        "and serve it. Safe to run again: nothing is loaded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="where to serve, as runserver"
        )
        parser.add_argument("--no-serve", action="store_true", help="only prepare the data")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready: " + str(settings.DATABASES["default"]["NAME"]))
        try:
            with DEMO_FILE.open("rb") as stream:
                result = import_jsonl(stream)
        except ImportFailed as error:
            raise CommandError(f"The demo archive failed to load: {error}") from None
        self.stdout.write(f"Demo archive ({DEMO_FILE.name}): {result}.")
        self.stdout.write(
            f"Open questions ({DEMO_QUESTIONS.name}): {load_questions(DEMO_QUESTIONS)}."
        )
        # The real bodies carry only sourced data (none of their FOI addresses is sourced
        # yet: requests to them go by post), plus one test body on a reserved domain, so a
        # newcomer can walk the whole e-mail journey; the demo's mail goes to the console.
        call_command("import_public_bodies", str(DEMO_BODIES), stdout=self.stdout)
        password = self._editor_password()
        self.stdout.write(
            self.style.SUCCESS(
                f"Editor account: username {DEMO_EDITOR!r}, password {password!r} "
                f"(admin at http://{addrport}/admin/)"
            )
        )
        if not no_serve:
            if not os.environ.get("SITE_URL"):
                # Permalinks and citations should point where the demo is actually served.
                host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
                settings.SITE_URL = f"http://{host}"
            self.stdout.write(f"Serving the archive at http://{addrport}/ — Ctrl+C stops it.")
            call_command("runserver", addrport, use_reloader=False)

    @transaction.atomic
    def _editor_password(self):
        """(Re)create the demo editor with a fresh password, printed for the user."""
        user, _created = get_user_model().objects.get_or_create(username=DEMO_EDITOR)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.email = "editor@example.org"
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        return password


_QUESTION_FIELDS = [
    "title_sr",
    "title_en",
    "description_sr",
    "description_en",
    "position",
    "status",
]
_QUESTION_KEYS = {"slug", "links", *_QUESTION_FIELDS}
_LINK_KEYS = {"record", "relation", "note", "note_sr"}


def _fail(path, where, message):
    raise CommandError(f"{path.name}: {where}: {message}")


@transaction.atomic
def load_questions(path):
    """Create or update the open questions in ``path`` and set each one's linked records to
    exactly those the file lists. All or nothing: any error leaves the database as it was.
    Running it again changes nothing. Returns a summary of what changed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"{path.name}: cannot be read: {error}") from None
    except json.JSONDecodeError as error:
        raise CommandError(
            f"{path.name}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from None
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list):
        _fail(path, "top level", 'expected an object with a "questions" list')
    counts = dict.fromkeys(["created", "updated", "unchanged", "links added", "links removed"], 0)
    seen = set()
    for number, item in enumerate(items, start=1):
        where = f"question {number}"
        if not isinstance(item, dict):
            _fail(path, where, "expected an object")
        where = f"question {number} ({item.get('slug', 'no slug')})"
        if unknown := set(item) - _QUESTION_KEYS:
            _fail(path, where, f"unknown field(s) {', '.join(sorted(unknown))}")
        slug = item.get("slug")
        if not slug or not isinstance(slug, str):
            _fail(path, where, 'a "slug" is required')
        if slug in seen:
            _fail(path, where, "the slug appears twice")
        seen.add(slug)
        question = Question.objects.filter(slug=slug).first() or Question(slug=slug)
        created = question.pk is None
        values = {field: item[field] for field in _QUESTION_FIELDS if field in item}
        values.setdefault("status", Status.PUBLISHED)
        changed = created or any(getattr(question, f) != v for f, v in values.items())
        for field, value in values.items():
            setattr(question, field, value)
        if changed:
            try:
                question.full_clean()
            except ValidationError as error:
                _fail(
                    path,
                    where,
                    "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()),
                )
            question.save()
        links_changed = _set_links(path, where, question, item.get("links", []), counts)
        counts[
            "created" if created else "updated" if changed or links_changed else "unchanged"
        ] += 1
    return ", ".join(f"{n} {what}" for what, n in counts.items())


def _set_links(path, where, question, items, counts):
    """Make ``question``'s links exactly ``items``; return whether anything changed."""
    if not isinstance(items, list):
        _fail(path, where, '"links" must be a list')
    wanted = {}
    for number, item in enumerate(items, start=1):
        at = f"{where}, link {number}"
        if not isinstance(item, dict):
            _fail(path, at, "expected an object")
        if unknown := set(item) - _LINK_KEYS:
            _fail(path, at, f"unknown field(s) {', '.join(sorted(unknown))}")
        relation, public_id = item.get("relation"), item.get("record")
        if relation not in QuestionRelation.values:
            _fail(
                path,
                at,
                f"relation {relation!r} is not one of {', '.join(QuestionRelation.values)}",
            )
        record = Record.objects.filter(public_id=public_id).first() if public_id else None
        if record is None:
            _fail(path, at, f"no record with id {public_id!r} (ids are those of the records file)")
        if (record.pk, relation) in wanted:
            _fail(path, at, f"{public_id} {relation} is listed twice")
        # "note" is the English note, "note_sr" the Serbian one.
        wanted[record.pk, relation] = (str(item.get("note_sr", "")), str(item.get("note", "")))
    changed = False
    for link in question.links.all():
        note = wanted.pop((link.record_id, link.relation), None)
        if note is None:
            link.delete()
            counts["links removed"] += 1
            changed = True
        elif note != link.notes:
            link.note_sr, link.note_en = note
            link.full_clean()
            link.save(update_fields=["note_sr", "note_en"])
            changed = True
    for (record_id, relation), note in wanted.items():
        link = QuestionLink(
            question=question,
            record_id=record_id,
            relation=relation,
            note_sr=note[0],
            note_en=note[1],
        )
        try:
            link.full_clean()
        except ValidationError as error:
            _fail(path, where, "; ".join(error.messages))
        link.save()
        counts["links added"] += 1
        changed = True
    return changed
