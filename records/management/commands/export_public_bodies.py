"""Write the directory of public bodies as CSV, in the columns ``import_public_bodies``
reads: an export imports back unchanged."""

from django.core.management.base import BaseCommand

from records.foi.bodies_csv import export_bodies


class Command(BaseCommand):
    help = "Export every public body as CSV (the columns of import_public_bodies)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, output=None, **options):
        text = export_bodies()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
