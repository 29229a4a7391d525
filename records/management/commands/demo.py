import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from records.services import ImportFailed, import_jsonl

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "safe-city.jsonl"
DEMO_BODIES = DEMO_FILE.with_name("public-bodies.csv")
DEMO_EDITOR = "editor"


class Command(BaseCommand):
    help = (
        "Prepare the Safe City demo archive (migrate, load the records, create an editor) "
        "and serve it. Safe to run again: nothing is loaded twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="where to serve, as runserver"
        )
        parser.add_argument("--no-serve", action="store_true", help="only prepare the data")

    def handle(self, *args, addrport, no_serve, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database ready: " + str(settings.DATABASES["default"]["NAME"]))
        try:
            with DEMO_FILE.open("rb") as stream:
                result = import_jsonl(stream)
        except ImportFailed as error:
            raise CommandError(f"The demo archive failed to load: {error}") from None
        self.stdout.write(f"Demo archive ({DEMO_FILE.name}): {result}.")
        # Which bodies take appeals to the Commissioner (Art. 22(2)); no FOI e-mail addresses
        # are given, since none is sourced: requests to them go by post in the demo.
        call_command("import_public_bodies", str(DEMO_BODIES), stdout=self.stdout)
        password = self._editor_password()
        self.stdout.write(
            self.style.SUCCESS(
                f"Editor account: username {DEMO_EDITOR!r}, password {password!r} "
                f"(admin at http://{addrport}/admin/)"
            )
        )
        if not no_serve:
            if not os.environ.get("SITE_URL"):
                # Permalinks and citations should point where the demo is actually served.
                host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
                settings.SITE_URL = f"http://{host}"
            self.stdout.write(f"Serving the archive at http://{addrport}/ — Ctrl+C stops it.")
            call_command("runserver", addrport, use_reloader=False)

    @transaction.atomic
    def _editor_password(self):
        """(Re)create the demo editor with a fresh password, printed for the user."""
        user, _created = get_user_model().objects.get_or_create(username=DEMO_EDITOR)
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.is_staff = True
        user.email = "editor@example.org"
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))
        return password
