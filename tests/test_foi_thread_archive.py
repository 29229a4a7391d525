"""The correspondence is part of the archive (#13, part 4): the API gives each request's
thread (messages, timeline, deadlines) with the pages' visibility, the editors' export
carries the whole thread and the reply address and the importer restores them (export →
import → export stays identical, and replies still reach the restored request), and the
public export holds only what the public may read."""

import io
import json
from email import message_from_bytes
from email.policy import compat32
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from records.models import (
    Actor,
    Attachment,
    Direction,
    FOIMessage,
    FOIRequest,
    Record,
    RedactionRule,
    Status,
    Tag,
)
from records.records.services import ImportFailed, export_jsonl, import_jsonl
from tests.foi_helpers import body, receive, requester, sent_request

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "testdata" / "mail" / "froide"
# A real reply of a German public body with one attachment (Froide's fixture).
REPLY = CORPUS / "test_mail_03.txt"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def addressed_to(raw, address):
    """``raw`` as it reaches our mail server for ``address`` (the corpus's own recipients
    are another platform's)."""
    message = message_from_bytes(raw, policy=compat32)
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        del message[header]
    message["To"] = address
    return message.as_bytes()


@pytest.fixture
def thread():
    """A request sent by e-mail and the body's real reply, with its file held for review."""
    if not REPLY.exists():
        pytest.skip("the mail corpus (../shared/testdata/mail) is not here")
    ana = requester()
    mup = body()
    foi = sent_request(ana, mup, title="Snimci kamera")
    output = receive(addressed_to(REPLY.read_bytes(), foi.reply_address), foi.reply_address)
    assert "delivered" in output.lower(), output
    foi.refresh_from_db()
    reply = foi.messages.get(direction=Direction.INCOMING)
    assert reply.attachments.count() == 1 and not reply.attachments.get().public
    return {"foi": foi, "ana": ana, "reply": reply}


def by_direction(messages):
    """(outgoing, incoming): the corpus reply is dated years before today's request."""
    [out] = [m for m in messages if m["direction"] == "out"]
    [reply] = [m for m in messages if m["direction"] == "in"]
    return out, reply


def api_detail(client, foi):
    response = client.get(f"/api/requests/{foi.public_id}/")
    assert response.status_code == 200, response.content
    return response.json()


# The API


def test_the_api_lists_the_same_requests_as_the_foi_section(client, thread):
    listed = client.get("/api/requests/").json()
    assert listed["count"] == 1 == client.get("/foi/").context["paginator"].count
    [item] = listed["results"]
    assert item["id"] == thread["foi"].public_id
    assert item["public_body"]["name"] == "Ministarstvo unutrašnjih poslova"
    assert item["status"] == "awaiting_response"
    assert item["deadlines"]["due_on"] == thread["foi"].due_on.isoformat()
    assert item["requester"] == "Kamerolovac"


def test_the_api_gives_a_requests_thread_as_the_public_sees_it(client, thread):
    foi = thread["foi"]
    # The editors hide a name in the text and a word of the subject.
    RedactionRule.objects.create(text="Dindler", request=foi)
    RedactionRule.objects.create(text="Personennahverkehr", request=foi)
    data = api_detail(client, foi)
    out, reply = by_direction(data["messages"])
    assert (out["direction"], out["sender"], out["via"]) == ("out", "requester", "email")
    assert (reply["direction"], reply["sender"]) == ("in", "body")
    assert "Dindler" in thread["reply"].body  # stored as it came
    assert "Dindler" not in reply["text"] and "[…]" in reply["text"]
    assert reply["subject"] == "Öffentlicher […]"
    assert reply["files"] == []  # held for review: not public yet
    assert [e["kind"] for e in data["events"]][:2] == ["filed", "sent"]
    message_events = [e for e in data["events"] if e["kind"] == "message"]
    assert data["messages"][message_events[-1]["message"]] == reply
    assert data["deadlines"]["overdue"] is False
    text = json.dumps(data, ensure_ascii=False)
    assert foi.reply_address not in text and foi.reply_token not in text
    assert "Ana Anić" not in text and "ana@example.org" not in text


def test_the_requester_sees_the_held_file_in_the_api_and_everyone_once_published(client, thread):
    foi, ana = thread["foi"], thread["ana"]
    held = thread["reply"].attachments.get()
    client.force_login(ana)
    [file] = by_direction(api_detail(client, foi)["messages"])[1]["files"]
    assert file["name"] == held.name and file["sha256"] == held.file.sha256
    assert client.get(file["url"]).status_code == 200
    anonymous = Client()
    assert by_direction(api_detail(anonymous, foi)["messages"])[1]["files"] == []
    Attachment.objects.filter(pk=held.pk).update(public=True)
    reply = by_direction(api_detail(anonymous, foi)["messages"])[1]
    assert [f["name"] for f in reply["files"]] == [held.name]


def test_an_embargoed_request_is_in_the_api_only_for_its_requester(client, thread):
    foi = thread["foi"]
    FOIRequest.objects.filter(pk=foi.pk).update(status=Status.EMBARGOED)
    assert client.get(f"/api/requests/{foi.public_id}/").status_code == 404
    assert client.get("/api/requests/").json()["count"] == 0
    client.force_login(thread["ana"])
    assert api_detail(client, foi)["id"] == foi.public_id


# The exports


def export_all():
    return "".join(export_jsonl(Record.objects.all()))


def wipe_archive():
    Record.objects.all().delete()
    Actor.objects.all().delete()
    Tag.objects.all().delete()


def test_the_editors_export_carries_the_whole_thread_and_the_reply_address(thread):
    foi = thread["foi"]
    RedactionRule.objects.create(text="Dindler", request=foi)
    [line] = [json.loads(text) for text in export_all().splitlines()]
    assert line["foi"]["reply_address"] == foi.reply_address
    out, reply = by_direction(line["foi"]["messages"])
    assert out["text"].startswith("Tražim informacije")
    assert reply["text"] == thread["reply"].body  # the stored text: rules apply on display
    [file] = reply["files"]
    assert (
        file["public"] is False and file["sha256"] == thread["reply"].attachments.get().file.sha256
    )
    assert {e["kind"] for e in line["foi"]["events"]} >= {"filed", "sent", "message"}


def test_the_public_export_holds_only_public_redacted_messages_and_no_reply_address(client, thread):
    foi = thread["foi"]
    RedactionRule.objects.create(text="Dindler", request=foi)
    RedactionRule.objects.create(text="Personennahverkehr", request=foi)
    response = client.get("/api/export.jsonl")
    text = b"".join(response.streaming_content).decode()
    [line] = [json.loads(row) for row in text.splitlines()]
    assert "reply_address" not in line["foi"]
    assert foi.reply_token not in text
    assert "Dindler" not in text and "Personennahverkehr" not in text
    assert by_direction(line["foi"]["messages"])[1]["files"] == []
    assert "Ana Anić" not in text


def test_export_import_export_is_identical_and_replies_reach_the_restored_request(thread):
    first = export_all()
    address = thread["foi"].reply_address
    wipe_archive()
    assert not FOIMessage.objects.exists()
    result = import_jsonl(io.BytesIO(first.encode()))
    assert len(result.created) == 1
    assert export_all() == first
    restored = FOIRequest.objects.get()
    assert restored.reply_address == address
    assert restored.messages.count() == 2
    assert not restored.messages.get(direction=Direction.INCOMING).attachments.get().public
    # Importing the same file again changes nothing.
    again = import_jsonl(io.BytesIO(first.encode()))
    assert again.unchanged == [restored.public_id]
    # The body answers again, to the address it was given before the restore.
    receive(addressed_to(REPLY.read_bytes(), address), address)
    assert restored.messages.count() == 3


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda foi: foi.update(reply_address="nobody@example.org"), "is not a request's reply"),
        (lambda foi: foi["messages"][0].update(direction="sideways"), "message 1: direction"),
        (lambda foi: foi["messages"][1].update(sent_at="yesterday"), "message 2: sent_at must"),
        (lambda foi: foi["messages"][0].update(sent_at="2024-03-01T09:30:00"), "with its zone"),
        (lambda foi: foi["events"][0].update(message=7), "event 1: message must be the position"),
        (
            lambda foi: by_direction(foi["messages"])[1]["files"][0].update(sha256="0" * 64),
            "not in the archive",
        ),
    ],
)
def test_a_bad_thread_in_an_import_names_its_line_and_changes_nothing(thread, change, problem):
    before = export_all()
    line = json.loads(before)
    change(line["foi"])
    with pytest.raises(ImportFailed) as error:
        import_jsonl(io.BytesIO((json.dumps(line) + "\n").encode()))
    assert error.value.line == 1
    assert problem in error.value.reason
    assert export_all() == before


def test_export_records_and_import_records_commands_round_trip_the_thread(thread, tmp_path):
    first = tmp_path / "first.jsonl"
    call_command("export_records", "--output", str(first), stderr=io.StringIO())
    wipe_archive()
    call_command("import_records", str(first), stdout=io.StringIO())
    second = tmp_path / "second.jsonl"
    call_command("export_records", "--output", str(second), stderr=io.StringIO())
    assert second.read_bytes() == first.read_bytes()
    assert b'"reply_address": "request-' in first.read_bytes()
