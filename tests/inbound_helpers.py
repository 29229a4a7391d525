"""Feeding real mail to ``receive_email --json`` and reading what it says."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import TestCase

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "testdata" / "mail" / "froide"


def corpus_file(name):
    """The bytes of one of Froide's real incoming mails; the test is skipped where the
    shared corpus is absent."""
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"shared mail corpus absent ({path})")
    return path.read_bytes()


def receive_json(raw, *recipients):
    """Pipe ``raw`` into ``manage.py receive_email --json`` as a mail server would, the
    request's address given as the envelope recipient (as Postfix's ``${recipient}``);
    returns the parsed JSON report."""
    stdout = io.StringIO()
    args = ["--json"] + [arg for recipient in recipients for arg in ("--recipient", recipient)]
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("receive_email", *args, stdin=io.BytesIO(raw), stdout=stdout)
    return json.loads(stdout.getvalue())


def bounce_of(sent, *, to, action="failed", status="5.1.1"):
    """A delivery status notification (RFC 3464), as Postfix writes one, returning
    ``sent`` (a Django e-mail) whole."""
    recipient = sent.to[0]
    return (
        (
            "Return-Path: <>\r\n"
            "From: Mail Delivery System <MAILER-DAEMON@mail.mup.example>\r\n"
            f"To: {to}\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\n"
            "Auto-Submitted: auto-replied\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"\r\n\r\n'
            "--dsn\r\nContent-Type: text/plain\r\n\r\n"
            "I'm sorry to have to inform you that your message could not be delivered.\r\n"
            "--dsn\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mail.mup.example\r\n\r\n"
            f"Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n"
            f"Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected\r\n"
            "\r\n--dsn\r\nContent-Type: message/rfc822\r\n\r\n"
        ).encode()
        + sent.message().as_bytes()
        + b"\r\n--dsn--\r\n"
    )
