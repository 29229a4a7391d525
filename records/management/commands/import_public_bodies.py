"""Fill the directory of public bodies from a CSV file, all or nothing (the columns are
documented in ``records.foi.bodies_csv`` and the README)."""

from django.core.management.base import BaseCommand, CommandError

from records.foi.bodies_csv import BadBodies, import_bodies


class Command(BaseCommand):
    help = "Import public bodies (FOI e-mail, postal address, kind, parent, source) from CSV."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, newline="", encoding="utf-8-sig") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {path}: {error}") from None
        try:
            result = import_bodies(text)
        except BadBodies as error:
            raise CommandError("nothing was imported:\n" + str(error)) from None
        self.stdout.write(str(result))
