"""A public body's reply comes with files (scanned decisions addressed to the requester by
name and home address). They are held for review: only the requester and verified editors
see them, on every path, until one of them publishes the file or a redacted copy of it."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from records.foi import services
from records.models import (
    Attachment,
    Direction,
    Document,
    EventKind,
    FOIEvent,
    Follow,
    Status,
)
from tests.admin_forms import form_values
from tests.foi_helpers import receive, reply_mail, requester, sent_request
from tests.samples import HTML_AS_PDF, boxed_pdf, text_pdf

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


def publish(client, foi, attachment, **data):
    return client.post(
        reverse("foi:publish-file", args=[foi.public_id, attachment.pk]), data or {"confirm": "on"}
    )


def redact(client, foi, attachment, data, name="resenje-zatamnjeno.pdf"):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    # As in production, the copy's text is read once the upload commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("foi:redact-file", args=[foi.public_id, attachment.pk]), {"copy": upload}
        )


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
    assert "Publish this file" in page and "Replace with a redacted copy" in page

    assert editor_client.get(download).status_code == 200
    page = editor_client.get(foi.get_absolute_url()).content.decode()
    assert "Only the requester and the editors can see this file until it is published." in page
    assert "Publish this file" in page


def test_publishing_needs_the_confirmation_then_makes_the_file_public_everywhere(client, reply):
    foi, attachment = reply
    client.force_login(foi.requester)
    unconfirmed = publish(client, foi, attachment, confirm="")
    assert unconfirmed.status_code == 200
    assert "Everything in it becomes public" in unconfirmed.content.decode()
    attachment.refresh_from_db()
    assert attachment.public is False

    assert publish(client, foi, attachment).status_code == 302
    publish(client, foi, attachment)  # a second click changes nothing
    assert FOIEvent.objects.filter(request=foi, kind=EventKind.FILE_PUBLISHED).count() == 1

    anonymous = Client()
    download, text = urls(attachment)
    assert anonymous.get(download).status_code == 200
    assert SECRET_WORD in anonymous.get(text).content.decode()
    page = anonymous.get(foi.get_absolute_url()).content.decode()
    assert "resenje.pdf" in page and "not public yet" not in page
    assert "A file of a reply was published: resenje.pdf" in page
    timeline = page[page.index('id="timeline-heading"') :]
    assert "Ana Anić" not in timeline and foi.requester.email not in timeline
    assert search_finds(anonymous, SECRET_WORD, foi)
    api = anonymous.get("/api/records/", {"q": SECRET_WORD}).json()
    [hit] = [row for row in api["results"] if row["id"] == foi.public_id]
    assert hit["in_file"]["name"] == "resenje.pdf"
    assert exported_files(anonymous, foi) == ["resenje.pdf"]


def test_a_redacted_copy_is_public_and_the_original_stays_private(client, reply):
    foi, original = reply
    client.force_login(foi.requester)
    response = redact(client, foi, original, REDACTED)
    assert response.status_code == 302
    copy = Attachment.objects.get(redaction_of=original)
    original.refresh_from_db()
    assert copy.public and not original.public
    assert list(copy.foi_messages.all()) == list(original.foi_messages.all())

    anonymous = Client()
    for url in urls(copy):
        assert anonymous.get(url).status_code == 200
    for url in urls(original):
        assert anonymous.get(url).status_code == 404
    page = anonymous.get(foi.get_absolute_url()).content.decode()
    assert "resenje-zatamnjeno.pdf" in page and "redacted copy" in page
    assert original.get_absolute_url() not in page and "not public yet" not in page
    assert "A file of a reply was published as a redacted copy: resenje-zatamnjeno.pdf" in page
    assert search_finds(anonymous, SHARED_WORD, foi)
    assert not search_finds(anonymous, SECRET_WORD, foi)
    assert exported_files(anonymous, foi) == ["resenje-zatamnjeno.pdf"]

    mine = client.get(foi.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in mine
    assert "a redacted copy is public in its place" in mine
    assert client.get(original.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (SCAN, "This is the same file as the original."),
        (HTML_AS_PDF, "Files of this type (text/html) cannot be attached."),
    ],
)
def test_an_unredacted_or_disguised_copy_is_refused_and_nothing_is_published(
    client, reply, data, message
):
    foi, original = reply
    client.force_login(foi.requester)
    response = redact(client, foi, original, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Attachment.objects.filter(public=True, record=foi).exists()
    assert not FOIEvent.objects.filter(request=foi, kind=EventKind.FILE_REDACTED).exists()


def test_a_copy_with_boxes_drawn_over_the_words_is_refused_and_nothing_is_published(client, reply):
    foi, original = reply
    client.force_login(foi.requester)
    boxed = boxed_pdf(["Resenje 07-123/24. Gospodja Ana Anic, Zmajeva 7, Petrovaradin. Kvrzoplet."])

    response = redact(client, foi, original, boxed)

    assert response.status_code == 200
    page = response.content.decode()
    assert "still holds every word of the original in its text layer" in page
    assert not Attachment.objects.filter(redaction_of=original).exists()
    original.refresh_from_db()
    assert original.public is False
    assert not search_finds(Client(), SECRET_WORD, foi)
    # A copy whose text layer lost the words is taken.
    assert redact(client, foi, original, REDACTED).status_code == 302


def test_nobody_but_the_requester_or_an_editor_publishes_or_replaces(reply, contributor_client):
    foi, attachment = reply
    assert publish(Client(), foi, attachment).status_code == 302  # to the log-in page
    stranger = Client()
    stranger.force_login(requester("neko@example.org"))
    for actor in (stranger, contributor_client):
        assert publish(actor, foi, attachment).status_code == 404
        assert redact(actor, foi, attachment, REDACTED).status_code == 404
    attachment.refresh_from_db()
    assert attachment.public is False and Attachment.objects.count() == 1


def test_the_requesters_e_mail_says_the_files_wait_for_review_and_followers_hear_nothing(
    mailoutbox,
):
    foi = sent_request()
    follower = requester("pratilac@example.org")
    Follow.objects.create(user=follower, request=foi)
    mailoutbox.clear()
    files = [("resenje.pdf", SCAN, "application/pdf"), ("prilog.pdf", REDACTED, "application/pdf")]
    with TestCase.captureOnCommitCallbacks(execute=True):
        receive(reply_mail(foi.reply_address, attachments=files))

    mails = {message.to[0]: message.body for message in mailoutbox}
    assert (
        "The reply came with 2 files. Only you and the editors can see them"
        in mails[foi.requester.email]
    )
    assert "came with" not in mails["pratilac@example.org"]
    assert "resenje.pdf" not in mails["pratilac@example.org"]


def withdraw(client, foi, attachment):
    return client.post(reverse("foi:withdraw-file", args=[foi.public_id, attachment.pk]))


def test_a_file_published_by_mistake_is_withdrawn_from_every_path(client, reply):
    foi, attachment = reply
    client.force_login(foi.requester)
    publish(client, foi, attachment)
    anonymous = Client()
    assert search_finds(anonymous, SECRET_WORD, foi)
    mine = client.get(foi.get_absolute_url()).content.decode()
    assert "Withdraw from public view" in mine
    assert "Withdraw from public view" not in anonymous.get(foi.get_absolute_url()).content.decode()

    assert withdraw(client, foi, attachment).status_code == 302
    withdraw(client, foi, attachment)  # a second click changes nothing

    attachment.refresh_from_db()
    assert attachment.public is False
    assert FOIEvent.objects.filter(request=foi, kind=EventKind.FILE_WITHDRAWN).count() == 1
    for url in urls(attachment):
        assert anonymous.get(url).status_code == 404
        assert client.get(url).status_code == 200  # kept, for the requester
    assert not search_finds(anonymous, SECRET_WORD, foi)
    assert exported_files(anonymous, foi) == []
    page = anonymous.get(foi.get_absolute_url()).content.decode()
    assert "A file of a reply was withdrawn from public view: resenje.pdf" in page
    assert attachment.get_absolute_url() not in page
    # Held again, so the requester may publish it (or a redacted copy) once more.
    assert "Publish this file" in client.get(foi.get_absolute_url()).content.decode()


def test_withdrawing_a_redacted_copy_puts_the_original_back_under_review(client, reply):
    foi, original = reply
    client.force_login(foi.requester)
    redact(client, foi, original, REDACTED)
    copy = Attachment.objects.get(redaction_of=original)

    assert withdraw(client, foi, copy).status_code == 302

    copy.refresh_from_db()
    assert not copy.public and not Attachment.objects.filter(public=True).exists()
    assert not search_finds(Client(), SHARED_WORD, foi)
    mine = client.get(foi.get_absolute_url()).content.decode()
    assert "a redacted copy is public in its place" not in mine
    assert f'action="{reverse("foi:publish-file", args=[foi.public_id, original.pk])}"' in mine


def test_nobody_but_the_requester_or_an_editor_withdraws_a_file(reply, contributor_client):
    foi, attachment = reply
    owner = Client()
    owner.force_login(foi.requester)
    publish(owner, foi, attachment)
    stranger = Client()
    stranger.force_login(requester("neko@example.org"))
    assert withdraw(Client(), foi, attachment).status_code == 302  # to the log-in page
    for actor in (stranger, contributor_client):
        assert withdraw(actor, foi, attachment).status_code == 404
    attachment.refresh_from_db()
    assert attachment.public is True


def test_an_editor_withdraws_a_file_and_the_timeline_says_an_editor_did(editor_client, reply):
    foi, attachment = reply
    publish(editor_client, foi, attachment)
    assert withdraw(editor_client, foi, attachment).status_code == 302
    attachment.refresh_from_db()
    assert attachment.public is False
    page = Client().get(foi.get_absolute_url()).content.decode()
    event = re.search(r"withdrawn from public view: resenje.pdf[^<]*<span[^>]*>([^<]*)", page)
    assert event and event.group(1) == "(by an editor)"


def test_an_editor_publishes_on_the_page_and_the_timeline_says_an_editor_did(editor_client, reply):
    foi, attachment = reply
    assert publish(editor_client, foi, attachment).status_code == 302
    page = Client().get(foi.get_absolute_url()).content.decode()
    event = re.search(r"A file of a reply was published: resenje.pdf[^<]*<span[^>]*>([^<]*)", page)
    assert event and event.group(1) == "(by an editor)"


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


def test_an_editor_publishes_or_replaces_a_held_file_in_the_admin(editor_client, reply):
    foi, original = reply
    url = reverse("admin:records_foirequest_change", args=[foi.pk])
    data = form_values(editor_client, url)
    prefix = "attachments"
    assert data[f"{prefix}-0-id"] == [str(original.pk)]
    data[f"{prefix}-0-redacted_copy"] = SimpleUploadedFile("admin-copy.pdf", REDACTED)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    copy = Attachment.objects.get(redaction_of=original)
    assert copy.public and copy.name == "admin-copy.pdf"
    assert Client().get(original.get_absolute_url()).status_code == 404
    assert FOIEvent.objects.filter(request=foi, kind=EventKind.FILE_REDACTED).exists()

    data = form_values(editor_client, url)
    row = next(
        name.split("-")[1]
        for name, values in data.items()
        if name.endswith("-id") and values == [str(original.pk)]
    )
    data[f"{prefix}-{row}-publish"] = ["on"]
    assert editor_client.post(url, data).status_code == 302
    assert Client().get(original.get_absolute_url()).status_code == 200
    assert FOIEvent.objects.filter(request=foi, kind=EventKind.FILE_PUBLISHED).exists()


def test_a_contributor_sees_no_publish_field_in_the_admin(contributor_client, reply):
    foi, _attachment = reply
    # Contributors edit drafts only, and never a request a requester filed on the site.
    foi.status = Status.DRAFT
    foi.requester = None
    foi.save()
    url = reverse("admin:records_foirequest_change", args=[foi.pk])
    page = contributor_client.get(url).content.decode()
    assert "resenje.pdf" in page and 'name="attachments-0-name"' in page
    assert "attachments-0-redacted_copy" not in page and "attachments-0-publish" not in page


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
