"""Background work on FOI requests (Django's tasks framework)."""

from django.tasks import task

from records.foi.reminders import run_daily


@task
def foi_daily():
    """Lift ended embargoes and e-mail FOI deadline reminders (also `manage.py foi_daily`)."""
    return run_daily()
