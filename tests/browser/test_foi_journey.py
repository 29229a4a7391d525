"""A requester's whole FOI journey in a real browser, as the issue's "Done when" asks: sign
up, confirm, file a request, see it sent, receive a reply through ``receive_email``,
classify it, see it overdue a month later and draft the appeal.

Everything the requester does goes through the pages (links, forms, buttons). The test
plays the other parties: it reads the e-mails the site sends (locmem outbox), delivers the
body's reply as the mail server would (``manage.py receive_email``), and moves the clock
forward 30 days with time-machine, which travels the whole process, the live server's
thread included.
"""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from records.models import ActorKind, Direction, FOIRequest, FOIStatus
from records.models.taxonomy import Actor
from tests.browser import SKIP_REASON, chromium_path
from tests.foi_helpers import reply_mail
from tests.samples import text_pdf

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)

BODY_NAME = "Ministarstvo unutrašnjih poslova"
BODY_EMAIL = "foi@mup.example"
EMAIL = "ana@example.org"
PASSWORD = "kamere-na-svakom-uglu-2026"
QUESTION = "Gde se čuvaju snimci kamera sistema „Bezbedan grad” u Beogradu i koliko dugo se čuvaju?"
PLACEHOLDER = "[opišite što preciznije informacije koje tražite]"


def site_link(text, live_server):
    """The first link to the site in an e-mail, made to point at the live server."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S*)", text)
    assert match, f"no link to {settings.SITE_URL} in:\n{text}"
    return live_server.url + match.group(1)


def test_sign_up_file_a_request_get_a_reply_and_appeal_when_overdue(page, live_server, screenshot):
    Actor.objects.create(name=BODY_NAME, kind=ActorKind.PUBLIC_BODY, foi_email=BODY_EMAIL)
    main_nav = page.get_by_role("navigation", name="Main")

    # Sign up from the home page, and confirm the address from the e-mail.
    page.goto("/")
    main_nav.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Public name").fill("Kamerolovac")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]
    page.goto(site_link(confirmation.body, live_server))
    expect(page.get_by_text("Your address is confirmed")).to_be_visible()

    # File a request: the template letter for the body, the question, a preview, send.
    main_nav.get_by_role("link", name="FOI requests").click()
    page.get_by_role("link", name="File a request").click()
    page.get_by_label("Public body").select_option(label=BODY_NAME)
    page.get_by_role("button", name="Fill in the letter for this body and language").click()
    letter = page.get_by_label("Your request")
    expect(letter).to_have_value(re.compile(re.escape(BODY_NAME)))
    letter.fill(letter.input_value().replace(PLACEHOLDER, QUESTION))
    page.get_by_label("Subject", exact=True).fill("Gde se čuvaju snimci kamera?")
    page.get_by_label("Your full name (private)").fill("Ana Anić")
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("region", name="Preview")
    expect(preview).to_contain_text(QUESTION)
    expect(preview).to_contain_text("Ana Anić")  # in what the body receives only
    screenshot("01-preview")
    page.get_by_role("button", name="Send the request").click()

    expect(page.get_by_text("Your request is sent.")).to_be_visible()
    status = page.locator(".foi-status-line .foi-status")
    expect(status).to_have_text("Awaiting response")
    foi = FOIRequest.objects.get()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE
    [sent] = [message for message in mail.outbox if BODY_EMAIL in message.to]
    reply_to = f"request-{foi.pk}-{foi.reply_token}@{settings.FOI_EMAIL_DOMAIN}"
    assert re.fullmatch(r"request-\d+-[0-9a-z]+@nadzor\.example", reply_to)
    assert sent.from_email.endswith(f"<{reply_to}>") and sent.reply_to == [reply_to]
    assert QUESTION in sent.body and "Ana Anić" in sent.body

    # The body acknowledges it by e-mail, with a PDF; the mail server pipes it in.
    raw = reply_mail(
        reply_to,
        subject="Re: Gde se čuvaju snimci kamera?",
        text="Potvrđujemo prijem Vašeg zahteva. Odgovor ćemo dostaviti u zakonskom roku.",
        attachments=[("potvrda-prijema.pdf", text_pdf(["Potvrda o prijemu"]), "application/pdf")],
    )
    out = io.StringIO()
    call_command("receive_email", "--recipient", reply_to, stdin=io.BytesIO(raw), stdout=out)
    assert f"delivered to request {foi.public_id}" in out.getvalue()
    [notice] = [message for message in mail.outbox if message.to == [EMAIL]][1:]
    assert notice.subject == "New reply: Gde se čuvaju snimci kamera?"

    page.reload()
    reply = page.locator("article.message-in")
    expect(reply).to_contain_text("Potvrđujemo prijem Vašeg zahteva.")
    expect(reply.get_by_role("link", name="potvrda-prijema.pdf")).to_be_visible()
    expect(reply).to_contain_text("What does this reply mean?")
    screenshot("02-reply-received")

    # It is only an acknowledgement: the request is still awaiting the answer.
    reply.get_by_label("This reply means").select_option(label="Awaiting response")
    reply.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Thank you: the request's status is updated.")).to_be_visible()
    expect(status).to_have_text("Awaiting response")
    incoming = foi.messages.get(direction=Direction.INCOMING)
    assert incoming.classified_as == FOIStatus.AWAITING_RESPONSE

    # A month later there is still no answer. The two-week session has expired, so the
    # requester logs in again and finds the request, overdue, on their account page.
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=True):
        page.reload()
        expect(page.get_by_text("Overdue by")).to_be_visible()
        main_nav.get_by_role("link", name="Log in").click()
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
        expect(page.locator(".foi-item")).to_contain_text("Overdue by")
        page.get_by_role("link", name="Gde se čuvaju snimci kamera?").click()
        expect(page.locator(".foi-panel .deadline-overdue")).to_contain_text("Overdue by")
        screenshot("03-overdue")

        page.get_by_role("link", name="Appeal to the Commissioner").click()
        appeal = page.get_by_label("The appeal", exact=True)
        text = appeal.input_value()
        assert text.startswith("Povereniku za informacije od javnog značaja")
        assert BODY_NAME in text and QUESTION in text
        screenshot("04-appeal")
        page.get_by_role("button", name="Record the appeal").click()

        expect(page.get_by_text("The appeal is recorded")).to_be_visible()
        expect(status).to_have_text("Appealed")
        foi.refresh_from_db()
        assert foi.foi_status == FOIStatus.APPEALED
        assert foi.appealed_on == timezone.localdate()
