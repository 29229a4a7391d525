from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records.records.services import ImportFailed, import_jsonl


class Command(BaseCommand):
    help = (
        "Import records from a JSON Lines file, all or nothing: a bad line stops the import "
        "with its number and the reason, and nothing is changed. Files named by path are "
        "read relative to the import file's folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="a .jsonl file, one record per line")

    def handle(self, *args, file, **options):
        try:
            with file.open("rb") as stream:
                result = import_jsonl(stream, base_dir=file.parent)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except ImportFailed as error:
            raise CommandError(f"{file}: {error}. Nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS(f"Imported {file}: {result}."))
