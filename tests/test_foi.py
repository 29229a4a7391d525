"""FOI requests end to end: filing, sending by e-mail, replies through receive_email,
classification, deadlines on the page, appeals, embargoes, reminders and follows."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from records.models import (
    Direction,
    Document,
    FOIRequest,
    FOIStatus,
    Follow,
    InboundMail,
    InboundState,
    SentVia,
    Status,
)
from tests.foi_helpers import body, receive, reply_mail, requester, sent_request
from tests.samples import HTML_AS_PDF, text_pdf

pytestmark = pytest.mark.django_db


def filing_data(public_body, **overrides):
    data = {
        "public_body": public_body.slug,
        "language": "sr-Latn",
        "title": "Gde se čuvaju snimci kamera?",
        "letter": "Tražim informaciju gde se čuvaju snimci sa kamera u Beogradu.",
        "real_name": "Ana Anić",
        "postal_address": "Ulica 1, Beograd",
        "sent_via": "email",
        "submission_key": str(uuid.uuid4()),
        "action": "send",
    }
    data.update(overrides)
    return data


@pytest.fixture
def ana(client):
    user = requester()
    client.force_login(user)
    return user


def test_the_filing_form_starts_from_a_letter_citing_the_law_in_the_chosen_language(client, ana):
    mup = body()
    page = client.get(reverse("foi:new"), {"body": mup.slug, "language": "sr-Cyrl"})
    text = page.content.decode()
    assert "Закона о слободном приступу информацијама од јавног значаја" in text
    assert mup.name in text  # the body's name keeps its own script
    english = client.post(
        reverse("foi:new"), {**filing_data(mup), "language": "en", "action": "template"}
    )
    assert "Law on Free Access to Information of Public Importance" in english.content.decode()
    assert "There is a problem" not in english.content.decode()  # a fresh letter, no errors
    assert not FOIRequest.objects.exists()


def test_the_template_placeholder_must_be_replaced_before_sending(client, ana):
    mup = body()
    page = client.get(reverse("foi:new"), {"body": mup.slug})
    letter = page.context["form"].initial["letter"]
    response = client.post(reverse("foi:new"), filing_data(mup, letter=letter))
    assert "Replace the text in square brackets" in response.content.decode()
    assert not FOIRequest.objects.exists() and not mail.outbox


def test_preview_shows_the_letter_with_and_without_the_private_signature(client, ana):
    mup = body()
    response = client.post(reverse("foi:new"), filing_data(mup, action="preview"))
    preview = response.context["preview"]
    assert "Ana Anić" in preview["to_body"] and "Ana Anić" not in preview["public"]
    assert not FOIRequest.objects.exists()


def test_sending_by_email_goes_from_the_requests_own_address_and_hides_the_requester(client, ana):
    mup = body()
    response = client.post(reverse("foi:new"), filing_data(mup), follow=True)
    foi = FOIRequest.objects.get()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE and foi.status == Status.PUBLISHED
    assert foi.sent_on == foi.received_on == timezone.localdate()
    [sent] = mail.outbox
    assert sent.to == ["foi@mup.example"]
    assert f"request-{foi.pk}-{foi.reply_token}@nadzor.example" in sent.from_email
    assert sent.reply_to == [foi.reply_address]
    assert "Ana Anić" in sent.body and "Ulica 1, Beograd" in sent.body  # the law asks for them
    page = client.get(foi.get_absolute_url())
    html = page.content.decode()
    assert "Your request is sent" in response.content.decode()
    assert "Kamerolovac" in html
    assert "Ana Anić" not in html and "ana@example.org" not in html
    assert "Ulica 1" not in html and foi.reply_token not in html
    client.logout()
    public = client.get(foi.get_absolute_url()).content.decode()
    assert "Ana Anić" not in public and "Kamerolovac" in public


def test_sending_the_same_form_twice_files_and_sends_one_request(client, ana):
    mup = body()
    data = filing_data(mup)
    client.post(reverse("foi:new"), data)
    second = client.post(reverse("foi:new"), data, follow=True)
    assert FOIRequest.objects.count() == 1 and len(mail.outbox) == 1
    assert "already sent" in second.content.decode()


def test_a_body_without_an_email_address_offers_post_and_changes_nothing(client, ana):
    town = body("Opština bez e-pošte", email="")
    response = client.post(reverse("foi:new"), filing_data(town))
    assert "send it by post or in person" in response.content.decode()
    assert not FOIRequest.objects.exists()
    sent_on = timezone.localdate() - timedelta(days=3)
    client.post(
        reverse("foi:new"),
        filing_data(town, sent_via="post", sent_on=sent_on, received_on=sent_on + timedelta(1)),
    )
    foi = FOIRequest.objects.get()
    assert foi.sent_via == SentVia.POST and foi.received_on == sent_on + timedelta(1)
    assert foi.due_on is not None and not mail.outbox


def test_a_mail_server_failure_keeps_the_request_as_a_draft_to_send_again(client, ana, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.foi_helpers_backend.FailingBackend"}}
    mup = body()
    response = client.post(reverse("foi:new"), filing_data(mup), follow=True)
    foi = FOIRequest.objects.get()
    assert foi.foi_status == FOIStatus.DRAFT and foi.status == Status.DRAFT
    assert "saved as a draft" in response.content.decode()
    assert not foi.messages.exists()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    client.post(reverse("foi:send", args=[foi.public_id]), {"sent_via": "email"})
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE and len(mail.outbox) == 1


def test_an_embargoed_request_is_private_until_its_date_then_public(client, ana):
    mup = body()
    until = timezone.localdate() + timedelta(days=30)
    client.post(reverse("foi:new"), filing_data(mup, embargo_until=until))
    foi = FOIRequest.objects.get()
    assert foi.status == Status.EMBARGOED
    assert client.get(foi.get_absolute_url()).status_code == 200  # the requester sees it
    client.logout()
    assert client.get(foi.get_absolute_url()).status_code == 404
    assert foi.title not in client.get(reverse("foi:request-list")).content.decode()
    call_command("foi_daily", stdout=io.StringIO())
    assert client.get(foi.get_absolute_url()).status_code == 404
    FOIRequest.objects.filter(pk=foi.pk).update(embargo_until=timezone.localdate())
    out = io.StringIO()
    call_command("foi_daily", stdout=out)
    assert "1 embargo(es) lifted" in out.getvalue()
    assert client.get(foi.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("months", [13])
def test_an_embargo_longer_than_12_months_is_refused(client, ana, months):
    mup = body()
    until = timezone.localdate() + timedelta(days=31 * months)
    response = client.post(reverse("foi:new"), filing_data(mup, embargo_until=until))
    assert "at most 12 months" in response.content.decode()
    assert not FOIRequest.objects.exists()


def test_filing_needs_an_account(client):
    response = client.get(reverse("foi:new"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


# Replies ----------------------------------------------------------------------------------


def test_a_reply_with_attachments_is_stored_on_its_request_and_the_requester_told(client):
    foi = sent_request()
    mail.outbox.clear()
    pdf = text_pdf(["Rešenje: snimci se čuvaju 30 dana."])
    raw = reply_mail(
        f"Ana <{foi.reply_address}>",
        attachments=[
            ("resenje.pdf", pdf, "application/pdf"),
            ("virus.pdf", HTML_AS_PDF, "application/pdf"),
        ],
    )
    out = receive(raw)
    assert "delivered to request" in out
    message = foi.messages.get(direction=Direction.INCOMING)
    assert message.subject == "Odgovor na zahtev"
    assert "dostavljamo traženi dokument" in message.body
    [attachment] = message.attachments.all()
    assert attachment.name == "resenje.pdf" and attachment.file.content_type == "application/pdf"
    [skipped] = message.skipped_attachments
    assert skipped["name"] == "virus.pdf" and "cannot be attached" in skipped["reason"]
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.DELIVERED and inbound.size == len(raw)
    [notice] = mail.outbox
    assert notice.to == ["ana@example.org"] and foi.get_absolute_url() in notice.body
    # The reply's file is held for review: the public learns only that it exists.
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "virus.pdf" in page and "not kept" in page
    assert "resenje.pdf" not in page and "1 file of this reply is not public yet" in page
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "resenje.pdf" in page and "until you publish it" in page


def test_a_reply_in_windows_1250_is_read_in_its_own_charset():
    foi = sent_request()
    receive(
        reply_mail(
            foi.reply_address,
            text="Odbija se zahtev: Šabić, Đorđević, žalba.",
            charset="windows-1250",
        )
    )
    assert "Šabić, Đorđević, žalba" in foi.messages.get(direction=Direction.INCOMING).body


def test_a_reply_in_html_only_becomes_readable_text():
    foi = sent_request()
    raw = (
        f"From: a@mup.example\r\nTo: {foi.reply_address}\r\nSubject: =?iso-8859-2?q?=AEalba?=\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/html; charset=iso-8859-2\r\n\r\n"
        "<p>Po&scaron;tovani,</p><script>alert(1)</script><p>odgovor \xe8\xe6</p>"
    ).encode("latin-1")
    receive(raw)
    message = foi.messages.get(direction=Direction.INCOMING)
    assert message.subject == "Žalba"
    assert "Poštovani," in message.body and "odgovor čć" in message.body
    assert "alert" not in message.body


def test_the_requesters_name_and_address_are_scrubbed_from_a_reply():
    foi = sent_request()
    receive(
        reply_mail(foi.reply_address, text=f"Poštovana Ana Anić ({foi.reply_address}), ANIĆ ANA")
    )
    body_text = foi.messages.get(direction=Direction.INCOMING).body
    assert "Anić" not in body_text and foi.reply_token not in body_text
    assert "⟦requester⟧" in body_text  # shown in each reader's language (test_reader_language)


def test_a_forged_token_is_held_for_editors_and_never_delivered():
    foi = sent_request()
    forged = f"request-{foi.pk}-{'x' * 12}@nadzor.example"
    out = receive(reply_mail(forged))
    assert "held for editors" in out
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.HELD and "wrong token" in inbound.problem
    assert not foi.messages.filter(direction=Direction.INCOMING).exists()


def test_mail_for_an_unknown_address_is_held_with_its_bytes(settings):
    raw = reply_mail("nekome@nadzor.example", subject="Pitanje")
    receive(raw)
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.HELD and inbound.subject == "Pitanje"
    with inbound.raw.open("rb") as handle:
        assert handle.read() == raw


def test_the_envelope_recipient_finds_the_request_when_headers_do_not():
    foi = sent_request()
    receive(reply_mail("undisclosed-recipients:;"), foi.reply_address)
    assert InboundMail.objects.get().state == InboundState.DELIVERED


def test_malformed_mail_is_kept_and_held():
    receive(b"\x00\xff garbage without headers \x00")
    inbound = InboundMail.objects.get()
    assert inbound.state == InboundState.HELD


def test_mail_over_the_size_limit_is_refused_whole_so_the_sender_gets_it_back(settings):
    settings.MAX_MAIL_SIZE = 1000
    with pytest.raises(SystemExit) as exit_status:
        call_command(
            "receive_email",
            stdin=io.BytesIO(b"x" * 2000),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert exit_status.value.code == 65
    assert not InboundMail.objects.exists()


def test_an_editor_delivers_a_held_message_from_the_admin(editor_client):
    foi = sent_request()
    receive(reply_mail("wrong@nadzor.example", subject="Zalutalo"))
    inbound = InboundMail.objects.get()
    url = reverse("admin:records_inboundmail_change", args=[inbound.pk])
    assert "Zalutalo" in editor_client.get(url).content.decode()
    editor_client.post(url, {"request": foi.pk})
    inbound.refresh_from_db()
    assert inbound.state == InboundState.DELIVERED
    assert foi.messages.get(direction=Direction.INCOMING).subject == "Zalutalo"


# Status, deadlines and appeals -----------------------------------------------------------


def _reply(foi, **kwargs):
    receive(reply_mail(foi.reply_address, **kwargs))
    return foi.messages.get(
        direction=Direction.INCOMING, subject=kwargs.get("subject", "Odgovor na zahtev")
    )


def test_classifying_a_reply_sets_the_status_and_logs_it_in_the_public_timeline(client):
    foi = sent_request()
    message = _reply(foi)
    client.force_login(foi.requester)
    client.post(reverse("foi:classify", args=[foi.public_id, message.pk]), {"status": "successful"})
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.SUCCESSFUL and foi.answered_on == timezone.localdate()
    client.logout()
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Status: Awaiting response → Successful" in page


def test_nobody_but_the_requester_or_an_editor_can_classify(client):
    foi = sent_request()
    message = _reply(foi)
    client.force_login(requester("other@example.org"))
    url = reverse("foi:classify", args=[foi.public_id, message.pk])
    assert client.post(url, {"status": "refused"}).status_code == 404
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE


def test_an_extension_moves_the_deadline_but_never_past_40_days(client):
    foi = sent_request()
    message = _reply(foi, subject="Produženje roka")
    client.force_login(foi.requester)
    far = foi.received_on + timedelta(days=90)
    client.post(
        reverse("foi:classify", args=[foi.public_id, message.pk]),
        {"status": "extended", "extended_to": far.isoformat()},
    )
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.EXTENDED
    assert foi.due_on == foi.final_due_on
    assert (foi.due_on - foi.received_on).days in range(40, 45)


def test_an_overdue_request_shows_days_overdue_and_offers_the_appeal(client):
    foi = sent_request(days_ago=30)
    assert foi.is_overdue()
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Overdue by" in page and reverse("foi:appeal", args=[foi.public_id]) in page
    appeal = client.get(reverse("foi:appeal", args=[foi.public_id]))
    letter = appeal.context["letter"]
    assert letter.startswith("Povereniku za informacije od javnog značaja")
    assert foi.public_body.name in letter
    assert "Tražim informacije o čuvanju snimaka" in letter
    assert f"{foi.due_on.day}. {foi.due_on.month}. {foi.due_on.year}." in letter
    assert ".." not in letter
    assert (
        reverse("foi:overdue") and foi.title in client.get(reverse("foi:overdue")).content.decode()
    )
    client.post(reverse("foi:appeal", args=[foi.public_id]), {"appealed_on": timezone.localdate()})
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.APPEALED and foi.appealed_on == timezone.localdate()


def test_the_appeal_against_a_refusal_quotes_it_and_has_its_own_15_day_deadline(client):
    foi = sent_request(language="en")
    message = _reply(foi, text="Your request is refused: the information is confidential.")
    client.force_login(foi.requester)
    client.post(reverse("foi:classify", args=[foi.public_id, message.pk]), {"status": "refused"})
    foi.refresh_from_db()
    assert foi.decision_on == timezone.localdate() and foi.appeal_due_on > foi.decision_on
    appeal = client.get(reverse("foi:appeal", args=[foi.public_id]))
    assert "APPEAL" in appeal.context["letter"]
    assert "> Your request is refused: the information is confidential." in appeal.context["letter"]
    text = client.get(reverse("foi:appeal", args=[foi.public_id]), {"format": "txt"})
    assert text["Content-Type"].startswith("text/plain") and b"APPEAL" in text.content


def test_against_the_six_exempt_bodies_the_page_explains_the_administrative_dispute(client):
    government = body(
        "Vlada Republike Srbije", email="vlada@example.org", appeals_to_commissioner=False
    )
    foi = sent_request(public_body=government, days_ago=30)
    client.force_login(foi.requester)
    page = client.get(reverse("foi:appeal", args=[foi.public_id])).content.decode()
    assert "administrative dispute" in page and "Administrative Court" in page


def test_the_request_list_filters_by_body_status_and_overdue(client):
    late = sent_request(days_ago=30, title="Kasni zahtev")
    fresh = sent_request(
        requester("b@example.org"),
        body("Grad Beograd", email="b@grad.example"),
        title="Svež zahtev",
    )
    url = reverse("foi:request-list")
    overdue = client.get(url, {"overdue": "true"}).content.decode()
    assert late.title in overdue and fresh.title not in overdue
    by_body = client.get(url, {"body": fresh.public_body.slug}).content.decode()
    assert fresh.title in by_body and late.title not in by_body
    assert fresh.title in client.get(url, {"status": "awaiting_response"}).content.decode()


# Bodies, follows, reminders ---------------------------------------------------------------


def test_the_body_page_shows_statistics_and_a_chart_with_a_text_alternative(client):
    foi = sent_request(days_ago=30)
    sent_request(foi.requester, foi.public_body)
    page = client.get(foi.public_body.get_body_url()).content.decode()
    assert "foi@mup.example" in page
    assert "<svg" in page and "overdue: 1" in page
    listing = client.get(reverse("foi:body-list")).content.decode()
    assert foi.public_body.name in listing


def test_a_follower_gets_an_email_for_each_new_message(client):
    foi = sent_request()
    follower = requester("pratilac@example.org", display_name="Pratilac")
    client.force_login(follower)
    client.post(reverse("foi:follow", args=[foi.public_id]))
    assert Follow.objects.filter(user=follower, request=foi).exists()
    mail.outbox.clear()
    receive(reply_mail(foi.reply_address))
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "pratilac@example.org"]


def test_reminders_go_out_once_before_and_after_the_deadline():
    soon = sent_request(days_ago=14)  # due in a day or two (working days may add more)
    late = sent_request(requester("b@example.org"), days_ago=30)
    mail.outbox.clear()
    call_command("foi_daily", stdout=io.StringIO())
    subjects = {(m.to[0], m.subject) for m in mail.outbox}
    assert ("b@example.org", f"Deadline: {late.title}") in subjects
    if soon.days_left() <= 2:
        assert any(to == "ana@example.org" for to, _s in subjects)
    count = len(mail.outbox)
    call_command("foi_daily", stdout=io.StringIO())
    assert len(mail.outbox) == count


def test_feeds_of_a_request_and_a_body_parse_cleanly(client):
    import feedparser

    foi = sent_request()
    receive(reply_mail(foi.reply_address))
    for url in (
        reverse("foi:request-feed", args=[foi.public_id]),
        reverse("foi:body-feed", args=[foi.public_body.slug]),
    ):
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo and parsed.entries


def test_a_postal_reply_is_added_by_hand_with_its_date_and_scans(client):
    foi = sent_request(days_ago=5)
    client.force_login(foi.requester)
    received = timezone.localdate() - timedelta(days=1)
    scan = SimpleUploadedFile("sken.pdf", text_pdf(["Rešenje"]), content_type="application/pdf")
    client.post(
        reverse("foi:postal-reply", args=[foi.public_id]),
        {
            "received_on": received.isoformat(),
            "subject": "Rešenje poštom",
            "text": "",
            "files": [scan],
        },
    )
    message = foi.messages.get(direction=Direction.INCOMING)
    assert message.via == SentVia.POST and timezone.localdate(message.sent_at) == received
    assert [a.name for a in message.attachments.all()] == ["sken.pdf"]


def test_a_postal_reply_with_a_refused_file_changes_nothing(client):
    foi = sent_request(days_ago=5)
    client.force_login(foi.requester)
    fake = SimpleUploadedFile("sken.pdf", HTML_AS_PDF, content_type="application/pdf")
    response = client.post(
        reverse("foi:postal-reply", args=[foi.public_id]),
        {"received_on": timezone.localdate().isoformat(), "text": "x", "files": [fake]},
    )
    assert "cannot be attached" in response.content.decode()
    assert not foi.messages.filter(direction=Direction.INCOMING).exists()


def test_the_requester_withdraws_a_request_and_the_timeline_says_so(client):
    foi = sent_request()
    client.force_login(foi.requester)
    client.post(reverse("foi:status", args=[foi.public_id]), {"status": "withdrawn"})
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.WITHDRAWN and not foi.is_overdue()
    assert "Awaiting response → Withdrawn" in client.get(foi.get_absolute_url()).content.decode()
    refused = client.post(reverse("foi:status", args=[foi.public_id]), {"status": "successful"})
    assert refused.status_code == 200  # only editors set any status; the form says why
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.WITHDRAWN


def test_following_a_body_brings_its_new_messages(client):
    foi = sent_request()
    follower = requester("pratilac@example.org")
    client.force_login(follower)
    client.post(reverse("foi:follow-body", args=[foi.public_body.slug]))
    mail.outbox.clear()
    receive(reply_mail(foi.reply_address))
    assert "pratilac@example.org" in [m.to[0] for m in mail.outbox]


def test_an_editor_makes_a_reply_a_document_record_that_answers_the_request(editor_client):
    foi = sent_request()
    receive(
        reply_mail(
            foi.reply_address,
            attachments=[("odgovor.pdf", text_pdf(["Odgovor"]), "application/pdf")],
        )
    )
    message = foi.messages.get(direction=Direction.INCOMING)
    editor_client.post(reverse("foi:reply-to-document", args=[foi.public_id, message.pk]))
    document = Document.objects.get()
    assert document.status == Status.DRAFT and document.title == "Odgovor na zahtev"
    assert [a.name for a in document.attachments.all()] == ["odgovor.pdf"]
    assert document.outgoing_links.get().target_id == foi.pk


def test_phone_numbers_in_a_reply_are_scrubbed_but_case_numbers_are_not():
    foi = sent_request()
    receive(
        reply_mail(
            foi.reply_address,
            text="Pozovite 064/123-45-67 ili +381 11 306 2000. Predmet br. 07-00-123/2019-05.",
        )
    )
    text = foi.messages.get(direction=Direction.INCOMING).body
    assert "064" not in text and "306 2000" not in text and text.count("⟦phone⟧") == 2
    assert "07-00-123/2019-05" in text


def test_an_editors_redaction_rule_hides_text_in_old_and_new_messages(client, editor_client):
    from records.models import RedactionRule

    foi = sent_request()
    receive(
        reply_mail(
            foi.reply_address,
            text="Obradu vrši službenik Petar Petrović, stan u ulici Njegoševa 12.",
        )
    )
    RedactionRule.objects.create(text="Petar Petrović", replacement="[službenik]")
    RedactionRule.objects.create(text=r"ulici \w+ \d+", is_pattern=True, replacement="[adresa]")
    RedactionRule.objects.create(
        text="službenik", public_body=body("Drugi organ", email="x@y.example")
    )
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Petrović" not in page and "Njegoševa" not in page
    assert "[službenik]" in page and "[adresa]" in page
    assert "Obradu vrši službenik" in page  # the rule for another body does not apply
    feed = client.get(reverse("foi:request-feed", args=[foi.public_id])).content.decode()
    assert "Petrović" not in feed
    bad = editor_client.post(
        reverse("admin:records_redactionrule_add"),
        {"text": "(unclosed", "is_pattern": "on", "replacement": "x"},
    )
    assert "Not a valid pattern" in bad.content.decode()
    assert RedactionRule.objects.count() == 3
