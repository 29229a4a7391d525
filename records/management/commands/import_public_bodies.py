"""Fill the directory of public bodies from a CSV file, all or nothing.

Columns (a header row is required; only ``name`` is mandatory):
``name, foi_email, postal_address, website, parent, appeals_to_commissioner``.
``appeals_to_commissioner`` is yes/no (default yes). ``parent`` names another body, in
the file or already in the archive. A body that exists (same name, kind public body) is
updated; a blank cell leaves its value as it is.
"""

import csv

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction

from records.models import Actor, ActorKind

COLUMNS = ["name", "foi_email", "postal_address", "website", "parent", "appeals_to_commissioner"]
YES = {"yes", "y", "true", "1", "da"}
NO = {"no", "n", "false", "0", "ne"}


class Command(BaseCommand):
    help = "Import public bodies (FOI e-mail, postal address, parent, appeals) from CSV."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                rows = list(csv.DictReader(handle))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        if not rows:
            raise CommandError(f"{path} has no rows")
        unknown = set(rows[0]) - set(COLUMNS)
        if unknown or "name" not in rows[0]:
            raise CommandError(f"columns must be among {', '.join(COLUMNS)} and include name")
        problems, cleaned = [], []
        for line, row in enumerate(rows, start=2):
            try:
                cleaned.append(_clean(row))
            except ValidationError as error:
                problems.append(f"line {line}: {' '.join(error.messages)}")
        names = {row["name"] for row in cleaned}
        for line, row in enumerate(cleaned, start=2):
            parent = row.get("parent")
            if parent and parent not in names and not _existing(parent):
                problems.append(f"line {line}: parent body {parent!r} is not known")
        if problems:
            raise CommandError("nothing was imported:\n" + "\n".join(problems))
        created = updated = 0
        with transaction.atomic():
            bodies = {}
            for row in cleaned:
                body = _existing(row["name"]) or Actor(name=row["name"], kind=ActorKind.PUBLIC_BODY)
                is_new = body.pk is None
                for field in ("foi_email", "postal_address", "website"):
                    if row.get(field):
                        setattr(body, field, row[field])
                if row.get("appeals_to_commissioner") is not None:
                    body.appeals_to_commissioner = row["appeals_to_commissioner"]
                body.save()
                bodies[body.name] = body
                created += is_new
                updated += not is_new
            for row in cleaned:
                if row.get("parent"):
                    body = bodies[row["name"]]
                    body.parent = bodies.get(row["parent"]) or _existing(row["parent"])
                    body.save(update_fields=["parent"])
        self.stdout.write(f"{created} public bodies created, {updated} updated")


def _existing(name):
    return Actor.objects.filter(name=name, kind=ActorKind.PUBLIC_BODY).first()


def _clean(row):
    name = " ".join((row.get("name") or "").split())
    if not name:
        raise ValidationError("a body needs a name")
    if len(name) > 300:
        raise ValidationError("the name is longer than 300 characters")
    result = {"name": name, "parent": " ".join((row.get("parent") or "").split())}
    email = (row.get("foi_email") or "").strip()
    if email:
        EmailValidator(f"{email!r} is not an e-mail address")(email)
        result["foi_email"] = email
    website = (row.get("website") or "").strip()
    if website:
        URLValidator(schemes=["http", "https"], message=f"{website!r} is not an http(s) URL")(
            website
        )
        result["website"] = website
    result["postal_address"] = (row.get("postal_address") or "").strip()[:1000]
    appeals = (row.get("appeals_to_commissioner") or "").strip().lower()
    if appeals in YES:
        result["appeals_to_commissioner"] = True
    elif appeals in NO:
        result["appeals_to_commissioner"] = False
    elif appeals:
        raise ValidationError(f"appeals_to_commissioner must be yes or no, not {appeals!r}")
    if result["parent"] == name:
        raise ValidationError("a body cannot be its own parent")
    return result
