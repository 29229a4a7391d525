"""Read one raw RFC 822 message on stdin, as a mail server's pipe delivers it.

Postfix, for example (master.cf / aliases):

    nadzor unix - n n - - pipe flags=R user=nadzor argv=/srv/nadzor/.venv/bin/python
        /srv/nadzor/manage.py receive_email --recipient ${recipient}

Exit status: 0 when the message is kept (delivered to its request, or held for editors);
65 (EX_DATAERR) when it is larger than MAX_MAIL_SIZE, so the mail server bounces it to
its sender with the reason, and nothing is lost; 75 (EX_TEMPFAIL) when it could not be
stored (database or storage down), so the mail server keeps it and tries again.
"""

import sys

from django.core.management.base import BaseCommand

from records.foi.receiving import MailTooLarge, read_limited, receive
from records.models import InboundState

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one e-mail (read from stdin) and deliver it to its FOI request or hold it."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--recipient",
            action="append",
            default=[],
            help="An envelope recipient from the mail server (may be repeated).",
        )

    def handle(self, *args, recipient, **options):
        stdin = options.get("stdin") or sys.stdin
        stream = getattr(stdin, "buffer", stdin)
        try:
            raw = read_limited(stream)
        except MailTooLarge as error:
            self.stderr.write(f"refused: {error} (MAX_MAIL_SIZE); nothing was stored")
            sys.exit(EX_DATAERR)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not raw.strip():
            self.stderr.write("refused: the message is empty; nothing was stored")
            sys.exit(EX_DATAERR)
        try:
            inbound = receive(raw, recipients=recipient)
        except Exception as error:
            self.stderr.write(f"temporary failure, try again later: {type(error).__name__}")
            sys.exit(EX_TEMPFAIL)
        if inbound.state == InboundState.DELIVERED:
            self.stdout.write(
                f"delivered to request {inbound.request.public_id} (mail {inbound.pk})"
            )
        else:
            self.stdout.write(f"held for editors (mail {inbound.pk}): {inbound.problem}")
