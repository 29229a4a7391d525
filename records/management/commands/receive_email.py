"""Read one raw RFC 822 message on stdin, as a mail server's pipe delivers it.

Postfix, for example (master.cf / aliases):

    nadzor unix - n n - - pipe flags=R user=nadzor argv=/srv/nadzor/.venv/bin/python
        /srv/nadzor/manage.py receive_email --recipient ${recipient}

With ``--json``, one JSON object on stdout says what was done: ``outcome`` (delivered,
held or rejected), ``request`` (its public id or null), ``classified_as`` (answer,
bounce or auto_reply), ``subject``, ``text`` (the body text as shown, before quotes are
folded), ``attachments`` (name, content_type, size, sha256; an attached mail also lists
what it ``contains``) and ``not_kept`` (name, reason).

Exit status: 0 when the message is kept (delivered to its request, or held for editors);
65 (EX_DATAERR) when it is larger than MAX_MAIL_SIZE, so the mail server bounces it to
its sender with the reason, and nothing is lost; 75 (EX_TEMPFAIL) when it could not be
stored (database or storage down), so the mail server keeps it and tries again.
"""

import json
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
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print one JSON object describing what was done.",
        )

    def handle(self, *args, recipient, **options):
        self.as_json = options.get("json", False)
        stdin = options.get("stdin") or sys.stdin
        stream = getattr(stdin, "buffer", stdin)
        try:
            raw = read_limited(stream)
        except MailTooLarge as error:
            self._refuse(f"refused: {error} (MAX_MAIL_SIZE); nothing was stored", EX_DATAERR)
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not raw.strip():
            self._refuse("refused: the message is empty; nothing was stored", EX_DATAERR)
        try:
            inbound = receive(raw, recipients=recipient)
        except Exception as error:
            self._refuse(f"temporary failure, try again later: {type(error).__name__}", EX_TEMPFAIL)
        if self.as_json:
            report = {**inbound.report}
            report["outcome"] = "delivered" if inbound.state == InboundState.DELIVERED else "held"
            if inbound.state != InboundState.DELIVERED:
                report["request"] = None
                report["problem"] = inbound.problem
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        if inbound.state == InboundState.DELIVERED:
            self.stdout.write(
                f"delivered to request {inbound.request.public_id} (mail {inbound.pk})"
            )
        else:
            self.stdout.write(f"held for editors (mail {inbound.pk}): {inbound.problem}")

    def _refuse(self, why, code):
        self.stderr.write(why)
        if self.as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "outcome": "rejected",
                        "request": None,
                        "classified_as": None,
                        "subject": "",
                        "text": "",
                        "attachments": [],
                        "not_kept": [],
                        "problem": why,
                    },
                    ensure_ascii=False,
                )
            )
        sys.exit(code)
