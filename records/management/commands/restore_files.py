"""Put the files of a ``backup_files`` archive back into the storage (local or S3), which
must be empty: a restore never mixes with, or overwrites, another archive's files."""

import tarfile

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from records.management.commands.backup_files import stored_names


class Command(BaseCommand):
    help = "Restore the files of a backup_files archive into an empty storage."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="the tar file written by backup_files")

    def handle(self, *args, input, **options):
        present = next(stored_names(default_storage), None)
        if present is not None:
            raise CommandError(
                f"refused: the file storage already holds files (e.g. {present}); restore "
                "into an empty folder or bucket"
            )
        count = 0
        with tarfile.open(input, "r") as archive:
            for member in archive:
                if not member.isfile():
                    continue
                if member.name.startswith("/") or ".." in member.name.split("/"):
                    raise CommandError(f"refused: unsafe name in the archive: {member.name!r}")
                saved = default_storage.save(member.name, archive.extractfile(member))
                if saved != member.name:
                    raise CommandError(f"{member.name} was stored as {saved}")
                count += 1
        self.stdout.write(f"{count} files restored")
