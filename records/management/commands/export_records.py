from pathlib import Path

from django.core.management.base import BaseCommand

from records.models import Record
from records.records.services import export_jsonl


class Command(BaseCommand):
    help = (
        "Export every record, drafts included, as JSON Lines (for editors and backups). "
        "The public download at /api/export.jsonl holds published records only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", type=Path, help="write here instead of stdout")

    def handle(self, *args, output=None, **options):
        lines = export_jsonl(Record.objects.all())
        if output is None:
            for line in lines:
                self.stdout.write(line, ending="")
            return
        partial = output.with_name(output.name + ".partial")
        with partial.open("w", encoding="utf-8") as stream:
            count = 0
            for line in lines:
                stream.write(line)
                count += 1
        partial.replace(output)  # a crash mid-export never leaves a truncated file behind
        self.stderr.write(self.style.SUCCESS(f"Exported {count} records to {output}."))
