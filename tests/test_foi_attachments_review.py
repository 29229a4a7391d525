"""A public body's reply comes with files (scanned decisions addressed to the requester by
name and home address). They are held for review: only the requester and verified editors
see them, on every path, until one of them publishes the file or a redacted copy of it."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.foi import services
from records.models import Attachment, Direction, Document, Status
from tests.foi_helpers import receive, reply_mail, requester, sent_request
from tests.samples import text_pdf

pytestmark = pytest.mark.django_db

# Words only the body's scan holds (its addressee's street), and only the redacted copy.
SCAN = text_pdf(["Resenje 07-123/24. Gospodja Ana Anic, Zmajeva 7, Petrovaradin. Kvrzoplet."])
REDACTED = text_pdf(["Resenje 07-123/24. Gospodja [...]. Zatamnjeno. Kvrzoplet."])
SECRET_WORD = "Zmajeva"  # in the original only
SHARED_WORD = "Kvrzoplet"  # in the original and in the redacted copy


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def reply():
    """A sent, public request and the body's e-mailed reply with the scan, text read."""
    foi = sent_request()
    receive(reply_mail(foi.reply_address, attachments=[("resenje.pdf", SCAN, "application/pdf")]))
    message = foi.messages.get(direction=Direction.INCOMING)
    [attachment] = message.attachments.all()
    assert attachment.file.page_texts.exists()  # its text was read, so it could be found
    return foi, attachment


def urls(attachment):
    return attachment.get_absolute_url(), attachment.get_text_url()


def search_finds(client, word, foi):
    """Whether the search page and the API list ``foi`` for ``word``."""
    html = client.get("/search/", {"q": word}).content.decode()
    on_page = f'href="/r/{foi.public_id}/"' in html
    api = client.get("/api/records/", {"q": word}).json()
    in_api = any(row["id"] == foi.public_id for row in api["results"])
    assert on_page == in_api, (word, on_page, in_api)
    return on_page


def exported_files(client, foi):
    response = client.get("/api/export.jsonl")
    lines = b"".join(response.streaming_content).decode().splitlines()
    [line] = [json.loads(line) for line in lines if json.loads(line)["id"] == foi.public_id]
    return [entry["name"] for entry in line["files"]]


def test_a_replys_file_is_hidden_from_anonymous_readers_on_every_path(client, reply):
    foi, attachment = reply
    assert attachment.public is False
    for url in urls(attachment):
        assert client.get(url).status_code == 404
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "resenje.pdf" not in page and attachment.get_absolute_url() not in page
    assert "1 file of this reply is not public yet" in page
    assert not search_finds(client, SHARED_WORD, foi)
    assert not search_finds(client, SECRET_WORD, foi)
    assert search_finds(client, "snimaka", foi)  # the request itself is found by its letter
    # Found by its body's name (in no text), the request gets no snippet from the held file.
    query = f"unutrašnjih OR {SECRET_WORD}"
    assert search_finds(client, query, foi)
    results = client.get("/search/", {"q": query}).content.decode()
    assert "Petrovaradin" not in results and "resenje.pdf" not in results
    [hit] = client.get("/api/records/", {"q": query}).json()["results"]
    assert hit["in_file"] is None and "Petrovaradin" not in json.dumps(hit)
    assert exported_files(client, foi) == []


def test_other_users_a_contributor_and_an_unverified_editor_get_404(
    reply, contributor_client, editor
):
    foi, attachment = reply
    stranger = Client()
    stranger.force_login(requester("neko@example.org"))
    unverified = Client()
    unverified.force_login(editor)  # staff, but the session passed no two-factor check
    for reader in (stranger, contributor_client, unverified):
        for url in urls(attachment):
            assert reader.get(url).status_code == 404, url
        assert "resenje.pdf" not in reader.get(foi.get_absolute_url()).content.decode()


def test_the_requester_and_a_verified_editor_see_the_held_file(reply, editor_client):
    foi, attachment = reply
    client = Client()
    client.force_login(foi.requester)
    download, text = urls(attachment)
    response = client.get(download)
    assert response.status_code == 200 and b"".join(response.streaming_content) == SCAN
    assert response["Cache-Control"] == "private, no-store"
    text_page = client.get(text).content.decode()
    assert SECRET_WORD in text_page and "This file is not public" in text_page
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "resenje.pdf" in page
    assert "Only you and the editors can see this file until you publish it." in page

    assert editor_client.get(download).status_code == 200
    page = editor_client.get(foi.get_absolute_url()).content.decode()
    assert "Only the requester and the editors can see this file until it is published." in page


def test_files_of_a_postal_reply_are_held_too(client):
    foi = sent_request(days_ago=5)
    client.force_login(foi.requester)
    scan = SimpleUploadedFile("sken.pdf", SCAN, content_type="application/pdf")
    client.post(
        reverse("foi:postal-reply", args=[foi.public_id]),
        {"received_on": (timezone.localdate() - timedelta(days=1)).isoformat(), "files": [scan]},
    )
    attachment = Attachment.objects.get(record=foi)
    assert attachment.public is False
    assert Client().get(attachment.get_absolute_url()).status_code == 404
    assert client.get(attachment.get_absolute_url()).status_code == 200


def test_a_document_made_from_the_reply_keeps_the_file_held(editor_client, reply):
    foi, _attachment = reply
    message = foi.messages.get(direction=Direction.INCOMING)
    services.reply_to_document(foi, message, user=foi.requester)
    document = Document.objects.get()
    document.status = Status.PUBLISHED
    document.save()
    [copy] = document.attachments.all()
    assert copy.public is False
    assert Client().get(copy.get_absolute_url()).status_code == 404
    assert "resenje.pdf" not in Client().get(document.get_absolute_url()).content.decode()
    assert editor_client.get(copy.get_absolute_url()).status_code == 200


def test_the_migration_holds_files_that_replies_brought_before_review_existed(reply):
    """Files of replies received before this change were public: 0016 holds them, takes
    their text out of the search index, and leaves records' ordinary files public."""
    from importlib import import_module

    from django.apps import apps

    from records.search.indexing import index_records
    from tests.factories import DocumentFactory

    migration = import_module("records.migrations.0016_attachment_review")
    foi, attachment = reply
    Attachment.objects.filter(pk=attachment.pk).update(public=True)  # as before 0016
    index_records([foi.pk])
    document = DocumentFactory(status=Status.PUBLISHED)
    ordinary = Attachment.objects.create(record=document, file=attachment.file, name="a.pdf")
    assert search_finds(Client(), SECRET_WORD, foi)

    migration.hold_reply_files(apps, None)
    attachment.refresh_from_db()
    ordinary.refresh_from_db()
    assert attachment.public is False and ordinary.public is True
    assert not search_finds(Client(), SECRET_WORD, foi)
    assert Client().get(attachment.get_absolute_url()).status_code == 404
