"""Requester accounts: sign-up with a confirmed address, log-in, password reset, the
profile's public name, one's own data, and deleting the account."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from records.models import FOIRequest, Profile
from tests.foi_helpers import requester, sent_request

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup(client, email="nova@example.org", **overrides):
    data = {"email": email, "display_name": "Nova", "password": "a long passphrase 42"}
    data.update(overrides)
    return client.post(reverse("accounts:signup"), data)


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0).removeprefix("https://nadzor.example")


def test_sign_up_confirm_and_log_in(client):
    response = signup(client, email="Nova@Example.org")
    assert response["Location"] == reverse("accounts:signup-sent")
    user = User.objects.get(email="nova@example.org")
    assert not user.is_active and user.profile.display_name == "Nova"
    [message] = mail.outbox
    assert message.to == ["nova@example.org"] and "confirm" in message.subject.lower()
    refused = client.post(
        reverse("accounts:login"),
        {"username": "nova@example.org", "password": "a long passphrase 42"},
    )
    assert "not confirmed yet" in refused.content.decode()  # closed until confirmed
    page = client.get(link_in(message), follow=True)
    assert "Your address is confirmed" in page.content.decode()
    user.refresh_from_db()
    assert user.is_active
    client.logout()
    logged_in = client.post(
        reverse("accounts:login"),
        {"username": "NOVA@example.org", "password": "a long passphrase 42"},
    )
    assert logged_in.status_code == 302
    assert client.get(link_in(message)).status_code == 400  # a confirmation link works once


def test_sign_up_does_not_reveal_whether_an_address_has_an_account(client):
    requester("ana@example.org")
    response = signup(client, email="ana@example.org")
    assert response["Location"] == reverse("accounts:signup-sent")
    [message] = mail.outbox
    assert (
        "already" in message.subject and User.objects.filter(email="ana@example.org").count() == 1
    )


def test_a_weak_password_or_empty_public_name_is_refused_and_nothing_is_created(client):
    response = signup(client, password="12345678", display_name="  ")
    text = response.content.decode()
    assert "This password is too common" in text and "Public name: This field is required" in text
    assert not User.objects.exists() and not mail.outbox


def test_sign_up_is_rate_limited_per_address_and_per_ip(client, settings):
    settings.SIGNUP_RATE_PER_ADDRESS = "2/h"
    settings.SIGNUP_RATE_PER_IP = "4/h"
    # Each with its own public name: two requesters never share one.
    for attempt in range(2):
        response = signup(client, email="spam@example.org", display_name=f"Spam {attempt}")
        assert response.status_code == 302
    limited = signup(client, email="spam@example.org", display_name="Spam 2")
    assert limited.status_code == 429 and "Too many requests" in limited.content.decode()
    assert signup(client, email="other@example.org", display_name="Other").status_code == 302
    assert signup(client, email="other@example.org", display_name="Other 2").status_code == 429
    assert User.objects.count() == 2


def test_password_reset_by_email(client):
    user = requester("ana@example.org")
    client.post(reverse("accounts:password-reset"), {"email": "ana@example.org"})
    [message] = mail.outbox
    form_url = client.get(link_in(message))["Location"]
    client.post(
        form_url, {"new_password1": "fresh passphrase 77", "new_password2": "fresh passphrase 77"}
    )
    user.refresh_from_db()
    assert user.check_password("fresh passphrase 77")


def test_the_profile_shows_own_requests_and_saves_the_public_name(client):
    foi = sent_request()
    client.force_login(foi.requester)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert foi.title in page
    client.post(
        reverse("accounts:profile"),
        {
            "display_name": "Novo ime",
            "real_name": "Ana Anić",
            "postal_address": "",
            "language": "sr-latn",
        },
    )
    assert Profile.objects.get(user=foi.requester).display_name == "Novo ime"
    assert "Novo ime" in client.get(foi.get_absolute_url()).content.decode()


def test_a_requester_downloads_their_data(client):
    foi = sent_request()
    client.force_login(foi.requester)
    response = client.get(reverse("accounts:my-data"))
    data = json.loads(response.content)
    assert data["email"] == "ana@example.org" and data["profile"]["real_name"] == "Ana Anić"
    assert data["requests"][0]["id"] == foi.public_id
    assert "attachment" in response["Content-Disposition"]


def test_deleting_the_account_keeps_requests_by_a_former_user(client):
    foi = sent_request()
    client.force_login(foi.requester)
    wrong = client.post(reverse("accounts:delete"), {"password": "nope"})
    assert "not your password" in wrong.content.decode() and User.objects.exists()
    client.post(reverse("accounts:delete"), {"password": "correct horse battery staple"})
    assert not User.objects.filter(email="ana@example.org").exists()
    assert not Profile.objects.exists()
    foi = FOIRequest.objects.get()
    assert foi.requester is None
    page = client.get(foi.get_absolute_url()).content.decode()
    assert "a former user" in page and "Kamerolovac" not in page
