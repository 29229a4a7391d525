"""The FOI parts of import and export: the "foi" object of the JSON Lines format, and the
CSV import of public bodies."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from records.models import Actor, ActorKind, FOIRequest, Record
from records.records.services import ImportFailed, export_jsonl, import_jsonl

pytestmark = pytest.mark.django_db


def line(**foi):
    record = {
        "id": "zahtev-mup-kamere",
        "kind": "foi_request",
        "title": "Zahtev MUP-u o kamerama",
        "language": "sr-Latn",
        "status": "published",
        "foi": foi,
    }
    return (json.dumps(record) + "\n").encode()


def test_an_imported_request_gets_its_body_dates_and_computed_deadline_on_export():
    received = timezone.localdate() - timedelta(days=60)
    import_jsonl(
        io.BytesIO(
            line(
                public_body="Ministarstvo unutrašnjih poslova",
                received_on=received.isoformat(),
                urgent=False,
                extended_to=None,
                status="awaiting_response",
            )
        )
    )
    foi = FOIRequest.objects.get()
    assert foi.public_body.kind == ActorKind.PUBLIC_BODY and foi.due_on is not None
    [exported] = [json.loads(text) for text in export_jsonl(Record.objects.all())]
    assert exported["foi"] == {
        "public_body": "Ministarstvo unutrašnjih poslova",
        "received_on": received.isoformat(),
        "urgent": False,
        "extended_to": None,
        "status": "awaiting_response",
        "sent_on": None,
        "decision_on": None,
        "answered_on": None,
        "appealed_on": None,
        "embargo_until": None,
        "in_story": True,
        "due_on": foi.due_on.isoformat(),
        "overdue": True,
        # The editors' export carries the thread (empty here) and the reply address.
        "reply_address": foi.reply_address,
        "messages": [],
        "events": [],
    }


def test_export_then_import_then_export_is_identical_for_requests():
    import_jsonl(
        io.BytesIO(
            line(
                public_body="Grad Beograd",
                received_on="2026-03-02",
                extended_to="2026-03-31",
                status="extended",
            )
        )
    )
    first = "".join(export_jsonl(Record.objects.all()))
    FOIRequest.objects.all().delete()
    import_jsonl(io.BytesIO(first.encode()))
    assert "".join(export_jsonl(Record.objects.all())) == first
    assert FOIRequest.objects.get().due_on.isoformat() == "2026-03-31"


@pytest.mark.parametrize(
    ("foi", "message"),
    [
        ({"status": "lost"}, "unknown status 'lost'"),
        ({"received_on": "2.3.2026"}, "YYYY-MM-DD"),
        ({"extended_to": "2026-03-31"}, "needs 'foi.received_on'"),
        ({"received_on": "2026-03-02", "extended_to": "2026-03-01"}, "must be after"),
        ({"urgent": "yes"}, "true or false"),
        ({"secret": 1}, "unknown key(s) in 'foi': secret"),
    ],
)
def test_a_bad_foi_object_is_refused_with_its_reason_and_nothing_is_stored(foi, message):
    with pytest.raises(ImportFailed) as error:
        import_jsonl(io.BytesIO(line(**foi)))
    assert message in str(error.value)
    assert not FOIRequest.objects.exists()


def test_the_foi_object_belongs_to_requests_only():
    data = json.dumps({"kind": "document", "title": "x", "language": "en", "foi": {}})
    with pytest.raises(ImportFailed, match="belongs to records of kind foi_request"):
        import_jsonl(io.BytesIO(data.encode()))


def write_csv(tmp_path, text):
    path = tmp_path / "bodies.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_public_bodies_import_from_csv_with_parents_and_appeal_routes(tmp_path):
    path = write_csv(
        tmp_path,
        "name,foi_email,postal_address,website,parent,appeals_to_commissioner\n"
        "Vlada Republike Srbije,kabinet@vlada.example,Nemanjina 11,https://vlada.example,,no\n"
        "Kancelarija za IT,it@vlada.example,,,Vlada Republike Srbije,yes\n",
    )
    out = io.StringIO()
    call_command("import_public_bodies", path, stdout=out)
    assert "2 public bodies created" in out.getvalue()
    government = Actor.objects.get(name="Vlada Republike Srbije")
    assert (
        not government.appeals_to_commissioner and government.foi_email == "kabinet@vlada.example"
    )
    assert Actor.objects.get(name="Kancelarija za IT").parent == government


def test_a_bad_csv_line_is_named_and_nothing_is_imported(tmp_path):
    path = write_csv(
        tmp_path,
        "name,foi_email,appeals_to_commissioner\n"
        "Dobar organ,dobar@example.org,yes\n"
        "Loš organ,not-an-address,maybe\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_public_bodies", path, stdout=io.StringIO())
    assert "line 3" in str(error.value) and "not an e-mail address" in str(error.value)
    assert not Actor.objects.exists()
