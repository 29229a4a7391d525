"""The daily FOI run, for cron: `0 7 * * * cd /srv/nadzor && uv run manage.py foi_daily`.

Lifts embargoes that have ended and e-mails requesters about deadlines (two days before,
when passed, and before an appeal is due). Running it twice sends nothing twice.
"""

from django.core.management.base import BaseCommand

from records.foi.reminders import run_daily


class Command(BaseCommand):
    help = "Lift ended embargoes and send FOI deadline reminders."

    def handle(self, *args, **options):
        result = run_daily()
        self.stdout.write(
            f"{result['embargoes_lifted']} embargo(es) lifted, "
            f"{result['reminders_sent']} reminder(s) sent"
        )
