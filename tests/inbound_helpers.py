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
