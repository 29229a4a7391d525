"""Each rule in one place: where two pages used to write the same rule twice and disagree,
both now ask the one rule, and these tests hold them to it."""

import io
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from records.foi import services
from records.foi.forms import RequestForm
from records.foi.reminders import run_daily
from records.foi.stats import body_statistics
from records.models import (
    Direction,
    Document,
    FOIRequest,
    FOIStatus,
    Profile,
    Status,
)
from records.records.services import publish_records, unpublish_records
from tests.factories import DocumentFactory, UserFactory
from tests.foi_helpers import body, receive, reply_mail, requester, sent_request

pytestmark = pytest.mark.django_db


def without_a_body(foi):
    """``foi`` as an imported request whose public body was never recorded."""
    FOIRequest.objects.filter(pk=foi.pk).update(public_body=None)
    return FOIRequest.objects.get(pk=foi.pk)


def test_without_a_public_body_the_request_page_and_the_appeal_page_both_name_the_commissioner(
    client,
):
    foi = without_a_body(sent_request(days_ago=30))
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "Appeal to the Commissioner" in page
    assert "administrative dispute" not in page
    appeal = client.get(reverse("foi:appeal", args=[foi.public_id]))
    assert appeal.context["to_commissioner"] is True
    assert appeal.context["letter"].startswith("Povereniku za informacije od javnog značaja")


def test_without_a_public_body_the_overdue_reminder_offers_the_commissioners_appeal():
    foi = without_a_body(sent_request(days_ago=30))
    mail.outbox.clear()
    call_command("foi_daily", stdout=io.StringIO())
    [reminder] = [m for m in mail.outbox if m.to == [foi.requester.email]]
    assert "You can now appeal to the Commissioner" in reminder.body
    assert "no appeal to the Commissioner is possible" not in reminder.body


def test_against_an_exempt_body_every_page_names_the_administrative_dispute(client):
    government = body("Vlada", email="vlada@example.org", appeals_to_commissioner=False)
    foi = sent_request(public_body=government, days_ago=30)
    client.force_login(foi.requester)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "What to do now: administrative dispute" in page
    assert (
        client.get(reverse("foi:appeal", args=[foi.public_id])).context["to_commissioner"] is False
    )


def test_a_user_without_a_profile_gets_the_same_public_name_on_the_account_page_and_when_filing(
    client,
):
    user = UserFactory(username="ana.anic@example.org", email="ana.anic@example.org")
    client.force_login(user)
    account = client.get(reverse("accounts:profile"))
    shown = account.context["form"]["display_name"].value()
    assert shown == "ana.anic"
    assert 'value="ana.anic@example.org"' not in account.content.decode()

    other = UserFactory(username="petar@example.org", email="petar@example.org")
    client.force_login(other)
    client.post(
        reverse("foi:new"),
        {
            "public_body": body().slug,
            "language": "sr-Latn",
            "title": "Gde se čuvaju snimci kamera?",
            "letter": "Tražim informaciju gde se čuvaju snimci sa kamera u Beogradu.",
            "real_name": "Petar Petrović",
            "postal_address": "Ulica 1, Beograd",
            "sent_via": "email",
            "submission_key": str(uuid.uuid4()),
            "action": "send",
        },
    )
    assert Profile.objects.get(user=other).display_name == "petar"
    foi = FOIRequest.objects.get(requester=other)
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "petar@example.org" not in page


def test_public_requests_are_published_and_sent():
    sent = sent_request()
    embargoed = sent_request(
        requester("b@example.org"), embargo_until=timezone.localdate() + timedelta(days=30)
    )
    draft = services.create_request(
        user=requester("c@example.org"),
        public_body=body(),
        title="Nacrt",
        letter="Još nije poslat.",
        language="sr-Latn",
    )
    assert draft.foi_status == FOIStatus.DRAFT
    public = set(FOIRequest.objects.public())
    assert sent in public and embargoed not in public and draft not in public


def test_overdue_is_one_rule_for_the_list_the_model_and_the_statistics(client):
    late = sent_request(days_ago=30, title="Kasni zahtev")
    fresh = sent_request(requester("b@example.org"), title="Svež zahtev")
    assert late.is_overdue() and not fresh.is_overdue()
    assert list(FOIRequest.objects.overdue()) == [late]
    assert list(FOIRequest.objects.not_overdue()) == [fresh]
    listed = client.get(reverse("foi:overdue")).content.decode()
    assert late.title in listed and fresh.title not in listed
    assert body_statistics()[late.public_body_id].overdue == 1


def test_published_at_is_set_once_by_every_way_of_publishing(admin_client):
    record = DocumentFactory(status=Status.DRAFT)
    editor = UserFactory(is_staff=True, is_superuser=True)
    assert publish_records(records=[record], user=editor) == 1
    record.refresh_from_db()
    first = record.published_at
    assert record.status == Status.PUBLISHED and first is not None
    unpublish_records(records=[record], user=editor)
    publish_records(records=[record], user=editor)
    record.refresh_from_db()
    assert record.published_at == first  # published again: not moved up the feeds


def test_mark_published_keeps_the_first_publication_time():
    record = Document(title="Dokument", language="sr-Latn")
    fields = record.mark_published()
    assert fields == ["status", "published_at"] and record.is_published
    first = record.published_at
    record.mark_published()
    assert record.published_at == first


def test_lifting_an_embargo_publishes_through_the_same_rule():
    tomorrow = timezone.localdate() + timedelta(days=1)
    foi = sent_request(embargo_until=tomorrow)
    assert foi.status == Status.EMBARGOED and foi.published_at is None
    assert not FOIRequest.objects.embargo_ended(timezone.localdate()).exists()
    run_daily(today=tomorrow)
    foi.refresh_from_db()
    assert foi.status == Status.PUBLISHED and foi.published_at is not None
    assert foi in FOIRequest.objects.public()


def test_an_event_reads_the_same_on_the_page_in_the_feed_and_in_the_e_mail(client):
    import feedparser

    foi = sent_request()
    receive(reply_mail(foi.reply_address, subject="Odgovor na zahtev"))
    message = foi.messages.get(direction=Direction.INCOMING)
    client.force_login(foi.requester)
    client.post(reverse("foi:classify", args=[foi.public_id, message.pk]), {"status": "successful"})
    client.logout()
    said = [event.describe() for event in foi.events.order_by("at", "pk")]
    assert "Reply received: Odgovor na zahtev" in said
    assert "Status: Awaiting response → Successful" in said
    page = client.get(foi.get_absolute_url()).content.decode()
    feed = feedparser.parse(client.get(reverse("foi:request-feed", args=[foi.public_id])).content)
    titles = {entry.title for entry in feed.entries}
    [notice] = [m for m in mail.outbox if m.to == [foi.requester.email]]
    for sentence in ("Reply received: Odgovor na zahtev", "Status: Awaiting response → Successful"):
        assert sentence in titles
        assert escape(sentence) in page
    assert "Reply received: Odgovor na zahtev" in notice.body


def test_the_filing_form_and_the_service_refuse_with_the_same_words():
    town = body("Opština bez adrese", email="")
    ana = requester()
    data = {
        "public_body": town.slug,
        "language": "sr-Latn",
        "title": "Kamere",
        "letter": "Tražim informacije o kamerama.",
        "real_name": "Ana Anić",
        "sent_via": "email",
        "embargo_until": (timezone.localdate() + timedelta(days=400)).isoformat(),
        "submission_key": str(uuid.uuid4()),
    }
    form = RequestForm(data)
    assert not form.is_valid()
    draft = services.create_request(
        user=ana, public_body=town, title="Kamere", letter="Tražim.", language="sr-Latn"
    )
    with pytest.raises(services.FOIError) as refused:
        services.send_request(draft, user=ana, via="email")
    assert form.errors["sent_via"] == refused.value.message_dict["sent_via"]
    with pytest.raises(services.FOIError) as too_long:
        services.check_embargo(timezone.localdate() + timedelta(days=400))
    assert form.errors["embargo_until"] == too_long.value.message_dict["embargo_until"]
    draft.refresh_from_db()
    assert draft.foi_status == FOIStatus.DRAFT  # refused: nothing sent, nothing changed
