"""The directory of public bodies as CSV: what ``import_public_bodies`` reads and
``export_public_bodies`` writes (the same columns, so an export imports back unchanged).

Columns (a header row is required; only ``name`` is mandatory; the order is free):

========================== ==================================================================
``name``                   the body's name (in Serbian); an existing public body of that name
                           is updated
``name_en``                its name in English
``kind``                   one of ``BodyKind``: ministry, government, city, police, court,
                           state_company, independent, other
``foi_email``              where FOI requests go by e-mail
``postal_address``         where they go by post (line breaks kept)
``website``                an http(s) address
``parent``                 the name of the body it is part of (in the file or the archive)
``appeals_to_commissioner`` yes/no: no for the six bodies of Art. 22(2) (default yes)
``contact_source``         where the contact data come from (a web address or a note)
``contact_checked_on``     when they were last checked, YYYY-MM-DD
``test``                   yes for a test body (the demo's), no otherwise
========================== ==================================================================

A blank cell leaves the stored value as it is. A bad row is named by its line and nothing
is imported.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone

from records.foi.directory import public_bodies
from records.models import Actor, ActorKind, BodyKind

COLUMNS = [
    "name",
    "name_en",
    "kind",
    "foi_email",
    "postal_address",
    "website",
    "parent",
    "appeals_to_commissioner",
    "contact_source",
    "contact_checked_on",
    "test",
]
YES = {"yes", "y", "true", "1", "da"}
NO = {"no", "n", "false", "0", "ne"}
TEXT_LIMITS = {"name": 300, "name_en": 300, "postal_address": 1000, "contact_source": 500}


class BadBodies(ValueError):
    """The file was not imported; ``problems`` name each bad line and why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self):
        return (
            f"{self.created} public bodies created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


def read_rows(text):
    """``[(line, {column: cell})]`` of CSV ``text``; ``line`` is where the row starts."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not header:
        raise BadBodies(["the file is empty: it needs a header row naming the columns"])
    unknown = [column for column in header if column not in COLUMNS]
    if unknown or "name" not in header:
        raise BadBodies(
            [
                f"line 1: unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
                f"{', '.join(COLUMNS)} (name is required)"
                if unknown
                else "line 1: the header has no 'name' column"
            ]
        )
    rows, start = [], reader.line_num + 1
    try:
        for row in reader:
            if None in row:
                raise BadBodies([f"line {start}: more cells than the header has columns"])
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error as error:
        raise BadBodies([f"line {reader.line_num}: {error}"]) from None
    return rows


def import_bodies(text):
    """Create or update public bodies from CSV ``text``, all or nothing."""
    rows = read_rows(text)
    problems, cleaned, seen = [], [], {}
    for line, row in rows:
        try:
            data = clean_row(row)
        except ValidationError as error:
            problems.append(f"line {line}: {' '.join(error.messages)}")
            continue
        if data["name"] in seen:
            problems.append(
                f"line {line}: {data['name']!r} is already on line {seen[data['name']]}"
            )
            continue
        seen[data["name"]] = line
        cleaned.append((line, data))
    for line, data in cleaned:
        parent = data.get("parent")
        if parent and parent not in seen and not _existing(parent):
            problems.append(f"line {line}: parent body {parent!r} is neither in the file nor known")
    if not rows:
        problems.append("the file has a header but no bodies")
    if problems:
        raise BadBodies(problems)
    result = Imported()
    with transaction.atomic():
        bodies = {}
        for _line, data in cleaned:
            body = _existing(data["name"]) or Actor(
                name=data["name"], name_sr=data["name"], kind=ActorKind.PUBLIC_BODY
            )
            before = _values(body) if body.pk else None
            for field, value in data.items():
                if field != "parent":
                    # The catalogue's name is the Serbian one; the actor's name follows it.
                    setattr(body, "name_sr" if field == "name" else field, value)
            body.save()
            bodies[body.name] = (body, before)
        for _line, data in cleaned:
            body, before = bodies[data["name"]]
            if data.get("parent"):
                parent = bodies[data["parent"]][0] if data["parent"] in bodies else None
                body.parent = parent or _existing(data["parent"])
                body.save(update_fields=["parent"])
            if before is None:
                result.created += 1
            elif before == _values(body):
                result.unchanged += 1
            else:
                result.updated += 1
    return result


def export_bodies():
    """Every public body as CSV text in the import's columns, by name."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for body in public_bodies().select_related("parent").order_by("name", "pk"):
        writer.writerow(
            [
                body.name,
                body.name_en,
                body.body_kind,
                body.foi_email,
                body.postal_address,
                body.website,
                body.parent.name if body.parent_id else "",
                "yes" if body.appeals_to_commissioner else "no",
                body.contact_source,
                body.contact_checked_on.isoformat() if body.contact_checked_on else "",
                "yes" if body.is_test else "no",
            ]
        )
    return out.getvalue()


def _existing(name):
    return public_bodies().filter(name=name).first()


def _values(body):
    return [getattr(body, column) for column in (*_FIELDS.values(), "parent_id")]


_FIELDS = {
    "name": "name",
    "name_en": "name_en",
    "kind": "body_kind",
    "foi_email": "foi_email",
    "postal_address": "postal_address",
    "website": "website",
    "appeals_to_commissioner": "appeals_to_commissioner",
    "contact_source": "contact_source",
    "contact_checked_on": "contact_checked_on",
    "test": "is_test",
}


def clean_row(row):
    """One row's cells as model values (blank cells left out); ``ValidationError`` says
    what is wrong with it."""
    cells = {column: (row.get(column) or "").strip() for column in COLUMNS}
    cells["name"] = " ".join(cells["name"].split())
    cells["parent"] = " ".join(cells["parent"].split())
    if not cells["name"]:
        raise ValidationError("a body needs a name")
    if "\x00" in "".join(cells.values()):
        raise ValidationError("a cell holds a NUL character")
    for column, limit in TEXT_LIMITS.items():
        if len(cells[column]) > limit:
            raise ValidationError(f"{column} is longer than {limit} characters")
    data = {"name": cells["name"]}
    for column in ("name_en", "postal_address", "contact_source"):
        if cells[column]:
            data[column] = cells[column]
    if cells["kind"]:
        if cells["kind"] not in BodyKind.values:
            raise ValidationError(
                f"kind {cells['kind']!r} is not one of {', '.join(BodyKind.values)}"
            )
        data["body_kind"] = cells["kind"]
    if cells["foi_email"]:
        EmailValidator(f"{cells['foi_email']!r} is not an e-mail address")(cells["foi_email"])
        data["foi_email"] = cells["foi_email"]
    if cells["website"]:
        URLValidator(
            schemes=["http", "https"], message=f"{cells['website']!r} is not an http(s) address"
        )(cells["website"])
        if len(cells["website"]) > 500:
            raise ValidationError("website is longer than 500 characters")
        data["website"] = cells["website"]
    for column, field in (
        ("appeals_to_commissioner", "appeals_to_commissioner"),
        ("test", "is_test"),
    ):
        value = cells[column].lower()
        if value in YES:
            data[field] = True
        elif value in NO:
            data[field] = False
        elif value:
            raise ValidationError(f"{column} must be yes or no, not {cells[column]!r}")
    if cells["contact_checked_on"]:
        try:
            data["contact_checked_on"] = date.fromisoformat(cells["contact_checked_on"])
        except ValueError:
            raise ValidationError(
                f"contact_checked_on {cells['contact_checked_on']!r} is not a date "
                "written YYYY-MM-DD"
            ) from None
        if data["contact_checked_on"] > timezone.localdate():
            raise ValidationError("contact_checked_on is in the future")
    if cells["parent"]:
        if cells["parent"] == cells["name"]:
            raise ValidationError("a body cannot be its own parent")
        data["parent"] = cells["parent"]
    return data
