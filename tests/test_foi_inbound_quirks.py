"""Quirks of real mail servers that Froide's corpus lacks, built as real RFC 822 bytes and
fed to ``receive_email --json``: charsets, containers (TNEF, ZIP, RTF, uuencode), automatic
replies, bounces of our own messages, dates, names, unknown addresses, hostile input."""

import binascii
import io
import json
import zipfile
from datetime import timedelta
from email.message import EmailMessage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage as DjangoMessage
from django.urls import reverse
from django.utils import timezone
from prometheus_client import REGISTRY

from records.models import (
    ContactChange,
    Direction,
    FOIRequest,
    FOIStatus,
    InboundMail,
    InboundState,
    MessageKind,
    Record,
)
from records.records.services import export_jsonl, import_jsonl
from tests.admin_forms import form_values
from tests.foi_helpers import body, reply_mail, requester, sent_request
from tests.inbound_helpers import bounce_of, receive_json
from tests.samples import text_pdf

pytestmark = pytest.mark.django_db

TNEF = Path(__file__).parent / "data" / "tnef"
HEAD = "From: Pisarnica <pisarnica@mup.example>\r\nTo: {to}\r\nSubject: {subject}\r\n"


@pytest.fixture
def foi():
    request = sent_request()
    mail.outbox.clear()
    return request


def raw_mail(to, body_bytes, *, subject="Odgovor", headers="", content_type="text/plain"):
    """A single-part mail whose body bytes are exactly ``body_bytes``."""
    return (
        HEAD.format(to=to, subject=subject)
        + headers
        + f"MIME-Version: 1.0\r\nContent-Type: {content_type}\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).encode("ascii") + body_bytes


def with_attachment(to, name, data, content_type, *, text="U prilogu."):
    message = EmailMessage()
    message["From"] = "Pisarnica <pisarnica@mup.example>"
    message["To"] = to
    message["Subject"] = "Dostava"
    message.set_content(text)
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def incoming(foi):
    return foi.messages.get(direction=Direction.INCOMING)


# Charsets ----------------------------------------------------------------------------------

SERBIAN = (
    "Poštovana, odbija se zahtev. Šabić, Đorđević i Čolić će odgovoriti; žalba ide Povereniku."
)


def test_undeclared_windows_1250_reads_as_serbian(foi):
    report = receive_json(raw_mail(foi.reply_address, SERBIAN.encode("cp1250")))
    assert report["text"] == SERBIAN and incoming(foi).body == SERBIAN


def test_windows_1250_labelled_iso_8859_1_reads_as_serbian(foi):
    raw = raw_mail(
        foi.reply_address, SERBIAN.encode("cp1250"), content_type="text/plain; charset=iso-8859-1"
    )
    assert receive_json(raw)["text"] == SERBIAN


def test_iso_8859_1_that_is_windows_1252_shows_its_dashes_and_quotes(foi):
    text = "Rok je 15 dana – “hitno”, kaže zakon… Grüße"
    raw = raw_mail(
        foi.reply_address, text.encode("cp1252"), content_type="text/plain; charset=ISO-8859-1"
    )
    assert receive_json(raw)["text"] == text


def test_a_lying_utf8_label_on_windows_1250_bytes_is_detected(foi):
    raw = raw_mail(
        foi.reply_address, SERBIAN.encode("cp1250"), content_type="text/plain; charset=utf-8"
    )
    assert receive_json(raw)["text"] == SERBIAN


# Containers --------------------------------------------------------------------------------


def test_a_tnef_winmail_dat_is_unpacked_into_its_files(foi):
    data = (TNEF / "two-files.tnef").read_bytes()
    report = receive_json(
        with_attachment(foi.reply_address, "winmail.dat", data, "application/ms-tnef")
    )
    assert [item["name"] for item in report["attachments"]] == ["AUTHORS", "README"]
    assert any(
        item["name"] == "winmail.dat" and "AUTHORS, README" in item["reason"]
        for item in report["not_kept"]
    )
    assert sorted(a.name for a in incoming(foi).attachments.all()) == ["AUTHORS", "README"]


def test_a_tnef_body_becomes_the_text_when_the_mail_has_none(foi):
    data = (TNEF / "body.tnef").read_bytes()
    report = receive_json(
        with_attachment(foi.reply_address, "winmail.dat", data, "application/ms-tnef", text="")
    )
    assert len(report["text"]) > 20 and "<" not in report["text"]


def test_a_zip_is_listed_and_its_files_extracted(foi):
    pdf = text_pdf(["Zapisnik o čuvanju snimaka"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("akta/zapisnik.pdf", pdf)
        zf.writestr("napomena.txt", "Snimci se čuvaju 30 dana.".encode())
    report = receive_json(
        with_attachment(foi.reply_address, "prilozi.zip", archive.getvalue(), "application/zip")
    )
    assert [item["name"] for item in report["attachments"]] == ["akta_zapisnik.pdf", "napomena.txt"]
    [listed] = [item for item in report["not_kept"] if item["name"] == "prilozi.zip"]
    assert "akta_zapisnik.pdf, napomena.txt" in listed["reason"]


def test_a_zip_bomb_member_is_not_inflated_past_the_file_limit(foi, settings):
    settings.MAX_FILE_SIZE = 100_000
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("nule.txt", b"0" * 5_000_000)  # 5 MB of zeros in a few kB
        zf.writestr("mali.txt", b"mali fajl")
    packed = archive.getvalue()
    assert len(packed) < 20_000
    report = receive_json(with_attachment(foi.reply_address, "a.zip", packed, "application/zip"))
    assert [item["name"] for item in report["attachments"]] == ["mali.txt"]
    assert {"name": "nule.txt", "reason": "larger than the limit for a file"} in report["not_kept"]


def test_an_rtf_gets_its_text_read(foi):
    rtf = rb"{\rtf1\ansi\ansicpg1250 {\fonttbl{\f0 Arial;}}\f0 Re\'9aenje: \'9ealba se odbija.\par}"
    report = receive_json(with_attachment(foi.reply_address, "resenje.rtf", rtf, "application/rtf"))
    [item] = report["attachments"]
    assert item["name"] == "resenje.txt" and item["content_type"] == "text/plain"
    attachment = incoming(foi).attachments.get()
    with attachment.file.blob.open("rb") as handle:
        assert "Rešenje: žalba se odbija." in handle.read().decode()


def test_a_uuencoded_file_in_the_text_becomes_a_file(foi):
    pdf = text_pdf(["Uuencoded zapisnik"])
    lines = [binascii.b2a_uu(pdf[i : i + 45]).decode() for i in range(0, len(pdf), 45)]
    text = "Poštovani,\n\nu prilogu zapisnik.\n\nbegin 644 zapisnik.pdf\n" + "".join(lines)
    text += "`\nend\n\nPozdrav"
    report = receive_json(reply_mail(foi.reply_address, text=text))
    [item] = report["attachments"]
    assert item["name"] == "zapisnik.pdf" and item["content_type"] == "application/pdf"
    assert "begin 644" not in report["text"] and "Pozdrav" in report["text"]


def test_an_attached_mail_is_kept_as_eml_with_its_files_listed(foi, client):
    inner = EmailMessage()
    inner["From"] = "načelnik@mup.example"
    inner["Subject"] = "Interni dopis o kamerama"
    inner.set_content("Interni tekst koji nije odgovor.")
    inner.add_attachment(b"%PDF-1.4 x", maintype="application", subtype="pdf", filename="plan.pdf")
    outer = MIMEMultipart()
    outer["From"] = "Pisarnica <pisarnica@mup.example>"
    outer["To"] = foi.reply_address
    outer["Subject"] = "Prosleđujemo"
    outer.attach(MIMEText("Prosleđujemo dopis.", "plain", "utf-8"))
    outer.attach(MIMEMessage(inner))
    report = receive_json(outer.as_bytes())
    [item] = report["attachments"]
    assert item["name"] == "Interni dopis o kamerama.eml" and item["contains"] == ["plan.pdf"]
    assert "Interni tekst" not in report["text"]
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Interni dopis o kamerama.eml" in page and "plan.pdf" in page


# Names ---------------------------------------------------------------------------------------


def test_the_same_bytes_in_two_messages_keep_each_messages_name(foi, client):
    pdf = text_pdf(["Isti dokument"])
    receive_json(with_attachment(foi.reply_address, "prvi.pdf", pdf, "application/pdf"))
    report = receive_json(with_attachment(foi.reply_address, "drugi.pdf", pdf, "application/pdf"))
    assert [item["name"] for item in report["attachments"]] == ["drugi.pdf"]
    first, second = foi.messages.filter(direction=Direction.INCOMING).order_by("pk")
    assert first.attachments.get() == second.attachments.get()  # stored once
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert page.index("prvi.pdf") < page.index("drugi.pdf")


def test_a_name_only_in_content_type_is_kept(foi):
    raw = (
        HEAD.format(to=foi.reply_address, subject="Prilog")
        + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + "--b\r\nContent-Type: text/plain\r\n\r\nU prilogu.\r\n"
        + '--b\r\nContent-Type: application/pdf; name="Rešenje 12.pdf"\r\n'
        + "Content-Transfer-Encoding: base64\r\n\r\n"
        + binascii.b2a_base64(text_pdf(["x"])).decode()
        + "--b--\r\n"
    ).encode("utf-8")
    report = receive_json(raw)
    assert [item["name"] for item in report["attachments"]] == ["Rešenje 12.pdf"]


# Automatic replies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Automatski odgovor: Zahtev za pristup informacijama", ""),
        ("Аутоматски одговор: Захтев", ""),
        ("Odsutan sam do 15. avgusta", ""),
        ("Out of Office: Request for information", ""),
        ("Automatic reply: Request", ""),
        ("Abwesenheitsnotiz: Ihre Anfrage", ""),
        ("Re: Zahtev", "Auto-Submitted: auto-replied\r\n"),
        ("Re: Zahtev", "X-Autoreply: yes\r\n"),
        ("Re: Zahtev", "Precedence: auto_reply\r\n"),
        ("Re: Zahtev", "Precedence: bulk\r\n"),
        ("Re: Zahtev", "X-Auto-Response-Suppress: All\r\nX-MS-Exchange-Inbox-Rules-Loop: a@b\r\n"),
        ("Re: Zahtev", "X-Notes-Item: $AutoSubmitted; type=0\r\n"),
    ],
)
def test_automatic_replies_are_kept_marked_and_notify_nobody(foi, subject, headers):
    raw = raw_mail(
        foi.reply_address,
        b"Nisam u kancelariji.",
        subject=subject
        if subject.isascii()
        else "=?utf-8?b?" + binascii.b2a_base64(subject.encode(), newline=False).decode() + "?=",
        headers=headers,
        content_type="text/plain; charset=utf-8",
    )
    report = receive_json(raw)
    assert report["outcome"] == "delivered" and report["classified_as"] == "auto_reply"
    message = incoming(foi)
    assert message.kind == MessageKind.AUTO_REPLY and not message.needs_classification
    assert mail.outbox == []


def test_a_letter_is_not_an_automatic_reply(foi):
    receive_json(reply_mail(foi.reply_address, subject="Re: Automatski sistem kamera"))
    message = incoming(foi)
    assert message.kind == MessageKind.ANSWER
    [told] = mail.outbox
    assert "has replied" in told.body


# Bounces of our own message ------------------------------------------------------------------


def test_a_bounce_of_our_request_tells_the_requester_and_flags_the_address(editor_client):
    user = requester()
    foi = sent_request(user, body(email="foi@mup.example"))
    [sent] = mail.outbox
    mail.outbox.clear()
    due_before = foi.due_on
    report = receive_json(bounce_of(sent, to=foi.reply_address))
    assert report["classified_as"] == "bounce" and report["outcome"] == "delivered"
    # The copy of our own letter (with the requester's name and address) is not a file.
    assert report["attachments"] == []
    message = incoming(foi)
    assert message.bounce_of == foi.messages.get(direction=Direction.OUTGOING)
    assert "Recipient address rejected" in message.bounce_reason
    [told] = mail.outbox
    assert told.to == [user.email] and "did not arrive" in told.body
    assert foi.title in told.body
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE and foi.due_on == due_before
    foi.public_body.refresh_from_db()
    assert foi.public_body.foi_email_bounced_at is not None
    page = editor_client.get(reverse("admin:records_actor_changelist") + "?foi_email_returned=yes")
    assert foi.public_body.name in page.content.decode()
    assert "Returned undeliverable" in page.content.decode()
    public = editor_client.get(foi.get_absolute_url()).content.decode()
    assert "did not arrive" in public and "Returned as undeliverable" in public
    assert "What does this reply mean?" not in public


def mail_counted(outcome):
    """How many incoming mails the metrics counted with ``outcome`` (/metrics)."""
    return REGISTRY.get_sample_value("nadzor_mail_received_total", {"outcome": outcome}) or 0


def test_bounces_and_automatic_replies_are_counted_apart_in_the_metrics(foi):
    outgoing = DjangoMessage("Zahtev", "tekst", to=[foi.public_body.foi_email])
    before = {name: mail_counted(name) for name in ("bounced", "auto_reply", "delivered")}
    receive_json(bounce_of(outgoing, to=foi.reply_address))
    receive_json(
        raw_mail(
            foi.reply_address, b"Nisam u kancelariji.", headers="Auto-Submitted: auto-replied\r\n"
        )
    )
    assert mail_counted("bounced") == before["bounced"] + 1
    assert mail_counted("auto_reply") == before["auto_reply"] + 1
    assert mail_counted("delivered") == before["delivered"]
    # The timeline says which is which, in the reader's language.
    lines = [event.describe() for event in foi.events.all()]
    assert any(line.startswith("Returned as undeliverable") for line in lines)
    assert any(line.startswith("Automatic reply received") for line in lines)


def test_a_delay_notice_is_a_soft_bounce_that_flags_nothing(foi):
    from django.core.mail import EmailMessage as DjangoMessage

    sent = foi.messages.get(direction=Direction.OUTGOING)
    outgoing = DjangoMessage("Zahtev", "tekst", to=[foi.public_body.foi_email])
    report = receive_json(
        bounce_of(outgoing, to=foi.reply_address, action="delayed", status="4.4.1")
    )
    assert report["classified_as"] == "bounce"
    foi.public_body.refresh_from_db()
    assert foi.public_body.foi_email_bounced_at is None
    assert incoming(foi).bounce_of == sent


def test_a_delivered_notice_is_no_bounce(foi):
    from django.core.mail import EmailMessage as DjangoMessage

    outgoing = DjangoMessage("Zahtev", "tekst", to=[foi.public_body.foi_email])
    raw = bounce_of(outgoing, to=foi.reply_address, action="delivered", status="2.0.0")
    raw = raw.replace(b"Undelivered Mail Returned to Sender", b"Delivery Status Notification")
    report = receive_json(raw)
    assert report["classified_as"] == "auto_reply" and mail.outbox == []


# Dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date_header",
    [
        "Date: Mon, 9 Oct 2017 09:31:55\r\n",  # no time zone
        "",  # none
        "Date: Fri, 1 Jan 2100 10:00:00 +0100\r\n",  # in the future
        "Date: Thu, 1 Jan 1970 00:00:00 +0000\r\n",  # the epoch
        "Date: kad stigne\r\n",  # not a date
    ],
)
def test_a_date_without_zone_missing_or_absurd_never_blocks_delivery(foi, date_header):
    report = receive_json(raw_mail(foi.reply_address, b"Odgovor.", headers=date_header))
    assert report["outcome"] == "delivered"
    message = incoming(foi)
    assert timezone.is_aware(message.sent_at)
    assert message.sent_at <= timezone.now() and message.sent_at.year >= 2000


def test_the_admin_delivers_a_held_message_with_a_naive_date(editor_client, foi):
    receive_json(
        raw_mail(
            "nepoznat@nadzor.example",
            b"Zalutali odgovor.",
            headers="Date: Mon, 9 Oct 2017 09:31:55\r\n",
        )
    )
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.HELD
    url = reverse("admin:records_inboundmail_change", args=[inbound.pk])
    editor_client.post(url, {"request": foi.pk})
    inbound.refresh_from_db()
    assert inbound.state == InboundState.DELIVERED
    assert incoming(foi).sent_at.year == 2017


# Unknown addresses -------------------------------------------------------------------------------


def test_mail_to_an_unknown_address_quoting_a_reply_address_is_delivered(foi):
    text = f"Odgovor.\n\n> Od: {foi.reply_address}\n> Zahtev..."
    report = receive_json(reply_mail("pisarnica-arhiva@nadzor.example", text=text))
    assert report["outcome"] == "delivered" and report["request"] == foi.public_id


def test_mail_in_reply_to_our_message_id_is_delivered(foi):
    sent = foi.messages.get(direction=Direction.OUTGOING)
    assert sent.message_id
    raw = raw_mail(
        "nepoznat@nadzor.example", b"Odgovor.", headers=f"In-Reply-To: {sent.message_id}\r\n"
    )
    assert receive_json(raw)["request"] == foi.public_id


def test_a_public_id_in_the_subject_counts_only_from_the_bodys_own_domain(foi):
    from_body = raw_mail("x@nadzor.example", b"Odgovor.", subject=f"Predmet {foi.public_id}")
    assert receive_json(from_body)["request"] == foi.public_id
    stranger = from_body.replace(b"pisarnica@mup.example", b"someone@elsewhere.example")
    report = receive_json(stranger)
    assert report["outcome"] == "held" and report["request"] is None


def test_mail_naming_two_requests_is_held(foi):
    other = sent_request(requester("b@example.org"))
    text = f"Za oba: {foi.reply_address} i {other.reply_address}"
    report = receive_json(reply_mail("nepoznat@nadzor.example", text=text))
    assert report["outcome"] == "held"
    assert "names 2 requests" in InboundMail.objects.get().problem


# Hostile input ---------------------------------------------------------------------------------


def test_a_hostile_deeply_nested_mail_is_kept_raw_and_held(foi):
    raw = HEAD.format(to=foi.reply_address, subject="Gnezdo") + "MIME-Version: 1.0\r\n"
    depth = 60
    for level in range(depth):
        raw += f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n--b{level}\r\n'
    raw += "Content-Type: text/plain\r\n\r\nDno.\r\n"
    for level in reversed(range(depth)):
        raw += f"--b{level}--\r\n"
    data = raw.encode()
    report = receive_json(data)
    assert report["outcome"] == "held"
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.HELD and "unreadable" in inbound.problem
    with default_storage.open(inbound.raw.name, "rb") as handle:
        assert handle.read() == data
    assert not foi.messages.filter(direction=Direction.INCOMING).exists()


def test_a_broken_base64_attachment_does_not_stop_the_letter(foi):
    raw = (
        HEAD.format(to=foi.reply_address, subject="Pokvareno")
        + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTekst pisma.\r\n"
        + '--b\r\nContent-Type: application/pdf; name="x.pdf"\r\n'
        + "Content-Transfer-Encoding: base64\r\n\r\n%%%not base64 at all%%%\r\n--b--\r\n"
    ).encode()
    report = receive_json(raw)
    assert report["outcome"] == "delivered" and "Tekst pisma." in report["text"]


# Quotes and signatures -------------------------------------------------------------------------


def test_quoted_text_and_signature_are_folded_on_the_page(foi, client):
    text = (
        "Poštovani,\n\ninformacija je u prilogu.\n\n"
        "Dana 01.03.2026. Ana Anić je napisala:\n> Tražim informacije o kamerama.\n"
    )
    report = receive_json(reply_mail(foi.reply_address, text=text))
    assert "je napisala" in report["text"]  # the JSON gives the text before folding
    page = client.get(foi.get_absolute_url()).content.decode()
    shown, _sep, folded = page.partition('<details class="message-quoted">')
    assert "informacija je u prilogu" in shown
    assert "je napisala" in folded and "Tražim informacije o kamerama" in folded


# The JSON -------------------------------------------------------------------------------------


def test_json_describes_a_held_message(foi):
    report = receive_json(reply_mail("nepoznat@nadzor.example", subject="Kome?"))
    assert report["outcome"] == "held" and report["request"] is None
    assert report["classified_as"] == "answer" and report["subject"] == "Kome?"
    assert set(report) >= {"text", "attachments", "not_kept"}


def test_json_says_rejected_for_an_empty_message():
    import json

    from django.core.management import call_command

    stdout = io.StringIO()
    with pytest.raises(SystemExit) as exit_status:
        call_command("receive_email", "--json", stdin=io.BytesIO(b"  \n"), stdout=stdout)
    assert exit_status.value.code == 65
    assert json.loads(stdout.getvalue())["outcome"] == "rejected"


def test_a_held_bounce_is_shown_as_a_bounce_to_editors(foi):
    raw = raw_mail(
        "nepoznat@nadzor.example",
        b"Delivery has failed to these recipients.",
        subject="Undeliverable: nesto",
        headers="Return-Path: <>\r\n",
    ).replace(b"pisarnica@mup.example", b"postmaster@mup.example")
    report = receive_json(raw)
    assert report["outcome"] == "held" and report["classified_as"] == "bounce"
    assert InboundMail.objects.get().classified_as == MessageKind.BOUNCE


def test_received_long_ago_date_is_believed(foi):
    # A real letter that sat in a queue: dates after 2000 and not in the future stand.
    when = timezone.now() - timedelta(days=3)
    receive_json(reply_mail(foi.reply_address, date=when))
    assert abs((incoming(foi).sent_at - when).total_seconds()) < 2


def test_a_confirmed_new_address_clears_the_returned_flag(editor_client):
    mup = body(email="foi@mup.example")
    mup.foi_email_bounced_at, mup.foi_email_bounce_reason = timezone.now(), "550 no such user"
    mup.save()
    url = reverse("admin:records_actor_change", args=[mup.pk])
    data = form_values(editor_client, url)
    data["foi_email"] = ["pisarnica@mup.example"]
    editor_client.post(url, data)
    mup.refresh_from_db()
    assert mup.foi_email_bounced_at is not None  # the old address is still the one used
    changes_url = reverse("admin:records_contactchange_changelist")
    change = ContactChange.objects.get()
    editor_client.post(changes_url, {"action": "confirm", "_selected_action": [change.pk]})
    mup.refresh_from_db()
    assert mup.foi_email == "pisarnica@mup.example"
    assert mup.foi_email_bounced_at is None and mup.foi_email_bounce_reason == ""


# The FOI API and the editors' export -----------------------------------------------------------


def test_the_api_and_the_export_carry_each_messages_kind_and_file_names(foi, client):
    pdf = text_pdf(["Isti dokument"])
    receive_json(with_attachment(foi.reply_address, "prvi.pdf", pdf, "application/pdf"))
    receive_json(with_attachment(foi.reply_address, "drugi.pdf", pdf, "application/pdf"))
    outgoing = DjangoMessage("Zahtev", "tekst", to=[foi.public_body.foi_email])
    receive_json(bounce_of(outgoing, to=foi.reply_address, action="delayed", status="4.4.1"))
    client.force_login(foi.requester)
    response = client.get(f"/api/requests/{foi.public_id}/")
    assert response.status_code == 200, response.content
    messages = response.json()["messages"]
    assert [m["kind"] for m in messages] == ["answer", "answer", "answer", "bounce"]
    first, second = messages[1]["files"], messages[2]["files"]
    assert [f["names"] for f in first + second] == [["prvi.pdf"], ["drugi.pdf"]]
    assert first[0]["sha256"] == second[0]["sha256"]  # the same bytes, stored once

    exported = "".join(export_jsonl(Record.objects.all()))
    thread = json.loads(exported)["foi"]["messages"]
    assert [m["kind"] for m in thread][-1] == "bounce"
    assert [f["names"] for m in thread for f in m["files"]] == [["prvi.pdf"], ["drugi.pdf"]]
    Record.objects.all().delete()
    import_jsonl(io.BytesIO(exported.encode()))
    assert "".join(export_jsonl(Record.objects.all())) == exported
    restored = FOIRequest.objects.get()
    assert restored.messages.filter(kind=MessageKind.BOUNCE).count() == 1
