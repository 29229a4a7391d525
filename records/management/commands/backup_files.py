"""Copy every stored file (attachments, web captures, kept e-mail) into one tar archive,
through the storage API: the same on local disk and in an S3-compatible bucket."""

import tarfile

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand


def stored_names(storage, folder=""):
    """Every file name in ``storage``, depth first, sorted (so two backups compare)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local MEDIA_ROOT not created yet: nothing stored
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = "Write every stored file (local or S3) into a tar archive."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="the tar file to write")

    def handle(self, *args, output, **options):
        count = size = 0
        with tarfile.open(output, "w") as archive:
            for name in stored_names(default_storage):
                with default_storage.open(name, "rb") as source:
                    info = tarfile.TarInfo(name)
                    info.size = default_storage.size(name)
                    info.mtime = int(default_storage.get_modified_time(name).timestamp())
                    archive.addfile(info, source)
                count += 1
                size += info.size
        self.stdout.write(f"{count} files, {size} bytes")
