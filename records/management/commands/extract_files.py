from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from records.files.tasks import extract_file_text
from records.models import FileState, StoredFile


class Command(BaseCommand):
    help = (
        "Read the text of every queued file now, with a progress bar: after a bulk import, "
        "or with no worker running. --failed retries failed files too, --all reads every "
        "file again. Safe while workers run (each file is claimed before it is read). Exit "
        "status 1 if any file fails."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--failed", action="store_true", help="also retry the files whose reading failed"
        )
        which.add_argument(
            "--all", action="store_true", help="read every file again, finished ones included"
        )

    def handle(self, *args, **options):
        states = [FileState.QUEUED]
        if options["failed"] or options["all"]:
            states.append(FileState.FAILED)
        if options["all"]:
            states.append(FileState.DONE)
        ids = list(
            StoredFile.objects.filter(state__in=states).order_by("pk").values_list("pk", flat=True)
        )
        if not ids:
            self.stdout.write(self.style.SUCCESS("No files to read."))
            return
        done, with_problem, failures, taken = 0, 0, [], 0
        with tqdm(total=len(ids), unit="files", file=self.stderr, ascii=True) as bar:
            for pk in ids:
                # Back in the queue (as a retry from the admin does), unless a worker took it
                # since the list was made; then the task claims it by UPDATE, as a worker
                # does, so no file is read twice at once.
                requeued = StoredFile.objects.filter(pk=pk, state__in=states).update(
                    state=FileState.QUEUED, problem="", progress_done=0, progress_total=0
                )
                if requeued:
                    extract_file_text.call(pk)
                stored = StoredFile.objects.get(pk=pk)
                if not requeued or stored.state not in (FileState.DONE, FileState.FAILED):
                    taken += 1
                elif stored.state == FileState.FAILED:
                    failures.append(stored)
                else:
                    done += 1
                    with_problem += bool(stored.problem)
                bar.update(1)
                bar.set_postfix(done=done, failed=len(failures), refresh=False)
        for stored in failures:
            self.stdout.write(f"FAILED  {stored.sha256}  {stored.problem}  ({_names(stored)})")
        summary = (
            f"Read {len(ids)} file{'s' if len(ids) != 1 else ''}: {done} done "
            f"({with_problem} with a problem), {len(failures)} failed"
        )
        if taken:
            summary += f", {taken} left to a worker that took them first"
        summary += "."
        if failures:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _names(stored):
    return (
        ", ".join(
            f"{a.record.public_id}/{a.name}" for a in stored.attachments.select_related("record")
        )
        or "not attached"
    )
