import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from records.files.tasks import requeue_abandoned_jobs


class Command(BaseCommand):
    help = (
        "Put background jobs left running by a dead worker back in the queue, so another "
        "worker runs them again (django_tasks_db never does: a killed worker's job stays "
        "'running' for ever). --worker-id ID: the jobs that worker held, safe to run just "
        "before starting it again under the same id. --older-than SECONDS: every job running "
        "that long, for workers that never come back; choose more than any job can take."
    )

    def add_arguments(self, parser):
        parser.add_argument("--worker-id", help="the jobs this (stopped) worker held")
        parser.add_argument(
            "--older-than", type=float, help="the jobs running for more than this many seconds"
        )

    def handle(self, *args, worker_id, older_than, **options):
        if worker_id is None and older_than is None:
            raise CommandError("Give --worker-id, --older-than or both.")
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be zero or more seconds.")
        started_before = (
            None if older_than is None else timezone.now() - datetime.timedelta(seconds=older_than)
        )
        jobs = requeue_abandoned_jobs(worker_id=worker_id, started_before=started_before)
        for job in jobs:
            self.stdout.write(
                f"requeued {job.id} {job.task_path}{tuple(job.args_kwargs.get('args') or ())} "
                f"(started {job.started_at:%Y-%m-%d %H:%M:%S}, worker {job.worker_ids[-1]})"
            )
        self.stdout.write(f"{len(jobs)} job{'s' if len(jobs) != 1 else ''} requeued.")
