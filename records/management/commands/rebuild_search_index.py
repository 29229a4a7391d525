from django.core.management.base import BaseCommand
from tqdm import tqdm

from records.models import Record
from records.search.indexing import BATCH_SIZE, index_records


class Command(BaseCommand):
    help = (
        "Recompute the search index of every record from scratch, with a progress bar. "
        "Needed only after changing how text is normalised: edits keep the index current."
    )

    def handle(self, *args, **options):
        ids = list(Record.objects.order_by("pk").values_list("pk", flat=True))
        changed = 0
        with tqdm(total=len(ids), unit="records", file=self.stderr, ascii=True) as progress:
            for start in range(0, len(ids), BATCH_SIZE):
                batch = ids[start : start + BATCH_SIZE]
                changed += index_records(batch)
                progress.update(len(batch))
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {len(ids)} records ({changed} had changed).")
        )
