"""Refuse new migrations that would block writes on the big tables (archive.migration_lint)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from archive.migration_lint import lint


class Command(BaseCommand):
    help = "Check that new migrations build indexes concurrently and rewrite no big table."

    def handle(self, *args, **options):
        loader = MigrationLoader(None, ignore_no_migrations=True)
        report = lint(loader.graph.nodes)
        if report:
            lines = [f"{name}: {problem}" for name, found in report.items() for problem in found]
            raise CommandError("blocking migrations:\n  " + "\n  ".join(lines))
        self.stdout.write("migrations: no blocking operation on a big table")
