from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from records.files.fixity import verify_all
from records.models import StoredFile


class Command(BaseCommand):
    help = (
        "Recompute the SHA-256 of every stored file and report any that is missing or "
        "altered (exit status 1 if any is). Run it regularly, e.g. from cron."
    )

    def handle(self, *args, **options):
        total = StoredFile.objects.count()
        with tqdm(total=total, unit="files", file=self.stderr, ascii=True) as bar:
            report = verify_all(progress=lambda: bar.update(1))
        for stored in report.missing:
            self.stdout.write(f"MISSING  {stored.sha256}  {stored.blob.name}  ({_names(stored)})")
        for stored in report.altered:
            self.stdout.write(f"ALTERED  {stored.sha256}  {stored.blob.name}  ({_names(stored)})")
        summary = (
            f"Checked {report.checked} files: {len(report.missing)} missing, "
            f"{len(report.altered)} altered."
        )
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _names(stored):
    return (
        ", ".join(
            f"{a.record.public_id}/{a.name}" for a in stored.attachments.select_related("record")
        )
        or "not attached"
    )
