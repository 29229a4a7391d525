"""Froide's real incoming mails (``../shared/testdata/mail/froide``), each delivered to a
request through ``receive_email --json``, checked against the table of what each must
give (``../shared/testdata/mail/README.md``)."""

from datetime import UTC, datetime

import pytest
from django.core import mail

from records.models import Direction, FOIStatus, InboundMail, MessageKind
from tests.foi_helpers import body, requester, sent_request
from tests.inbound_helpers import corpus_file, receive_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def foi():
    request = sent_request(requester(), body(email="poststelle@behoerde.example"))
    mail.outbox.clear()
    return request


def deliver(foi, name):
    report = receive_json(corpus_file(name), foi.reply_address)
    assert report["outcome"] == "delivered", report
    assert report["request"] == foi.public_id
    return report, foi.messages.get(direction=Direction.INCOMING)


def names(report):
    return [item["name"] for item in report["attachments"]]


def test_mail_01_sender_and_time_in_utc(foi):
    report, message = deliver(foi, "test_mail_01.txt")
    assert report["classified_as"] == "answer"
    assert "Jörg Gahl-Killen" in InboundMail.objects.get().sender
    assert message.sent_at == datetime(2010, 7, 5, 5, 54, 40, tzinfo=UTC)


def test_mail_02_a_reply_with_a_forward_quoted_inline(foi):
    report, message = deliver(foi, "test_mail_02.txt")
    assert report["classified_as"] == "answer" and message.body


def test_mail_03_one_attachment_and_its_subject(foi):
    report, message = deliver(foi, "test_mail_03.txt")
    assert report["subject"] == "Öffentlicher Personennahverkehr"
    assert len(report["attachments"]) == 1 and message.attachments.count() == 1


def test_mail_04_two_attachments_keep_the_names_they_were_sent_with(foi):
    report, message = deliver(foi, "test_mail_04.txt")
    prefix = "Kooperationen des MSW, Antrag nach Informationsfreiheitsgesetz NRW, Stefan Safario"
    assert names(report) == [
        f"{prefix} vom 06.12.2012 - AW vom 08.01.2013 - RS.pdf",
        f"{prefix} vom 06.12.2012 - Anlage.pdf",
    ]
    # The two names carry the same bytes: stored once, both names kept on the message.
    assert len({item["sha256"] for item in report["attachments"]}) == 1
    assert message.attachments.count() == 1


def test_mail_05_an_out_of_office_reply_is_automatic_and_tells_nobody(foi, client):
    report, message = deliver(foi, "test_mail_05.txt")
    assert report["classified_as"] == "auto_reply"
    assert message.kind == MessageKind.AUTO_REPLY and not message.needs_classification
    assert mail.outbox == []  # no "the body has replied"
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Automatic reply" in page and "What does this reply mean?" not in page


def test_mail_06_second_attachment_name(foi):
    report, _message = deliver(foi, "test_mail_06.txt")
    assert names(report)[1] == "15-725_002 II_0367.pdf"


def test_mail_07_names_split_over_rfc2231_continuations(foi):
    report, _message = deliver(foi, "test_mail_07.txt")
    assert names(report)[0] == "Bescheid Fäker.pdf"
    assert names(report)[2] == "Müller_Michael_Metrobus 6_7_8_26.xlsx"


def test_mail_08_a_forwarded_mail_is_an_eml_attachment_not_merged(foi):
    report, message = deliver(foi, "test_mail_08.txt")
    [eml] = [item for item in report["attachments"] if item["name"].endswith(".eml")]
    assert eml["name"].startswith("WG: Disziplinarverfahren u.a. gegen Bürgermeister_")
    assert eml["name"].endswith("Landräte im Land Brandenburg in den letzten Jahren [#5617].eml")
    assert eml["content_type"] == "message/rfc822"
    # The forwarded mail's own text is in the .eml, not in the body's letter.
    assert "Disziplinarstrafen" not in message.body


def test_mail_09_encoded_subject(foi):
    report, _message = deliver(foi, "test_mail_09.txt")
    assert "Unterlagen nach" in report["subject"]
    assert "E-Mail Empfangsbestätigung" in report["subject"]


def test_mail_10_raw_8bit_file_name(foi):
    report, message = deliver(foi, "test_mail_10.txt")
    assert names(report) == ["Eingangsbestätigung Akteneinsicht.doc"]
    # Its text is UTF-8 labelled ISO-8859-1: read as UTF-8, not as "Ã¼".
    assert "übersende" in message.body and "Ã" not in message.body


def test_mail_11_attachment_name(foi):
    report, _message = deliver(foi, "test_mail_11.txt")
    assert names(report) == ["20180904_Bescheid Broschüren.pdf"]


def test_mail_13_html_only_keeps_link_addresses(foi):
    report, message = deliver(foi, "test_mail_13.txt")
    assert len(report["text"]) > 10
    assert " ( https://" in report["text"]
    assert "*peter.mueller@kreis-steinfurt.de*" in report["text"]
    assert report["text"] == message.body


@pytest.mark.parametrize("name", ["test_mail_14.txt", "test_mail_15.txt"])
def test_mail_14_15_html_in_the_plain_text_part_is_shown_as_text(foi, name):
    report, message = deliver(foi, name)
    assert "<p>" not in message.body and "<p" not in report["text"]
    assert len(message.body) > 20


def test_mail_16_a_part_named_only_by_its_content_id(foi):
    report, _message = deliver(foi, "test_mail_16.txt")
    [item] = report["attachments"]
    assert item["name"] == "_1_0CCE8CEC0CCE8894004AF2EFC125893A.gif" and item["size"] == 35


def test_mail_17_one_attachment(foi):
    report, _message = deliver(foi, "test_mail_17.txt")
    assert len(report["attachments"]) == 1


def test_mail_18_a_letter_saying_the_answer_is_delayed(foi):
    report, message = deliver(foi, "test_mail_18.txt")
    assert report["classified_as"] == "answer" and message.needs_classification


@pytest.mark.parametrize(
    "name", ["test_mail_12.txt", "bounce_001.txt", "bounce_002.txt", "bounce_003.txt"]
)
def test_bounces_are_bounces_the_requester_is_told_and_the_address_flagged(foi, name):
    due_before = foi.due_on
    report, message = deliver(foi, name)
    assert report["classified_as"] == "bounce"
    assert message.kind == MessageKind.BOUNCE and not message.needs_classification
    assert message.bounce_of == foi.messages.get(direction=Direction.OUTGOING)
    [told] = mail.outbox
    assert told.to == [foi.requester.email] and "did not arrive" in told.subject
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE and foi.due_on == due_before
    # The failed address is not the body's (these bounces are of other platforms'
    # addresses), so the body's address is not flagged: only its own failure flags it.
    foi.public_body.refresh_from_db()
    assert foi.public_body.foi_email_bounced_at is None
    assert message.bounce_reason


def test_utf8_subject(foi):
    report, _message = deliver(foi, "email_utf8-subject.eml")
    assert report["subject"] == "utf8-subject - äöüß - 🥲"
