"""The text of a request's correspondence is found by search, as the public reads it, and
the hit says which message matched. Runs on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from django.utils import timezone

from records.models import Direction, RedactionRule
from tests.foi_helpers import receive, reply_mail, requester, sent_request

pytestmark = pytest.mark.django_db


def search(client, words):
    return client.get("/search/", {"q": words}).content.decode()


def test_a_replys_text_is_found_and_the_hit_names_the_message(client):
    foi = sent_request(requester(real_name="Ana Anić"))
    receive(
        reply_mail(
            foi.reply_address,
            subject="Rešenje o kamerama za Ana Anić",
            text="Snimci se čuvaju u serverskoj sali Palilula trideset dana. Ana Anić",
        )
    )
    message = foi.messages.get(direction=Direction.INCOMING)
    html = search(client, "palilula")
    assert foi.get_absolute_url() in html
    assert f'href="{foi.get_absolute_url()}#message-{message.pk}"' in html
    assert "In the message “Rešenje o kamerama za [requester]”" in html
    assert "<mark>Palilula</mark>" in html
    # The requester's name is scrubbed from the reply (text and subject) before it is
    # indexed or shown.
    assert foi.get_absolute_url() not in search(client, "anić")


def test_a_reply_of_an_embargoed_request_is_not_found(client):
    foi = sent_request(embargo_until=timezone.localdate() + timedelta(days=30))
    receive(reply_mail(foi.reply_address, text="Tajni podatak: Zemun trafostanica."))
    assert foi.get_absolute_url() not in search(client, "trafostanica")


def test_words_an_editor_redacts_are_no_longer_found(client):
    foi = sent_request()
    receive(reply_mail(foi.reply_address, text="Kamere stoje na zgradi Beograđanka i na Vračaru."))
    assert foi.get_absolute_url() in search(client, "beograđanka")
    RedactionRule.objects.create(text="Beograđanka", request=foi)
    assert foi.get_absolute_url() not in search(client, "beograđanka")
    assert foi.get_absolute_url() in search(client, "vračaru")
