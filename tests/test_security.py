"""Security and privacy defaults, each pinned so that removing it fails a test: headers,
the deploy check, two factors for staff, log-in lock-out, and no cookies for readers."""

import io
import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DocumentFactory
from tests.foi_helpers import requester

pytestmark = pytest.mark.django_db


def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("records:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check_without_warnings():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "k7#Vq!2mZp9@Lr4$Wx8&Nt3*Hc6^Bf1%Jd5(Gs0)Ye-Ua=Io+Ek;Pq",
        "ALLOWED_HOSTS": "nadzor.example",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "archive.settings",
    }
    env.pop("SECURE_SSL_REDIRECT", None)
    env.pop("SECURE_COOKIES", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "archive.settings"}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "SECRET_KEY is not set" in result.stderr


def _staff(username="urednik@example.org"):
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(
        username=username, email=username, password="editor passphrase 99", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def _log_in(client, username, password="editor passphrase 99"):  # noqa: S107
    return client.post(reverse("admin:login"), {"username": username, "password": password})


def test_the_admin_opens_only_after_a_one_time_code_set_up_on_first_use(client):
    user = _staff()
    _log_in(client, user.username)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:two-factor"))
    page = response.content.decode()
    assert "Set up two-factor log-in" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    wrong = client.post(response.redirect_chain[-1][0], {"token": "000000"})
    assert "not right" in wrong.content.decode()
    assert client.get(reverse("admin:records_record_changelist")).status_code == 302
    device.refresh_from_db()
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    passed = client.post(
        reverse("accounts:two-factor") + "?next=/admin/records/record/", {"token": code}
    )
    assert passed["Location"] == "/admin/records/record/"
    assert client.get(reverse("admin:records_record_changelist")).status_code == 200


def test_a_staff_password_alone_shows_no_draft_on_the_public_site(client):
    user = _staff()
    draft = DocumentFactory(status="draft", title="Unpublished leak")
    client.force_login(user)  # logged in, but no second factor this session
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url_name", ["admin:login", "accounts:login"])
def test_log_in_locks_after_repeated_failures_even_with_the_right_password(client, url_name):
    user = requester("meta@example.org")
    for _attempt in range(5):
        client.post(reverse(url_name), {"username": user.username, "password": "wrong guess"})
    locked = client.post(
        reverse(url_name),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert locked.status_code == 429
    assert "Log-in locked" in locked.content.decode()
    assert "locked for 1 hour." in locked.content.decode()  # LOGIN_LOCKOUT_HOURS, as configured
    assert "_auth_user_id" not in client.session


def test_anonymous_readers_get_no_cookie(client):
    DocumentFactory(title="Javni dokument")
    for url in (
        reverse("records:home"),
        reverse("records:record-list"),
        reverse("records:search") + "?q=dokument",
        reverse("foi:request-list"),
        reverse("foi:body-list"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, (url, list(response.cookies))


def test_forms_set_only_the_csrf_cookie(client):
    response = client.get(reverse("accounts:signup"))
    assert set(response.cookies) == {"csrftoken"}


def test_failed_log_ins_are_kept_only_for_the_lockout_window(client, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone

    user = requester("meta@example.org")
    client.post(reverse("accounts:login"), {"username": user.username, "password": "nope"})
    assert AccessAttempt.objects.count() == 1
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=2))
    client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": "correct horse battery staple"},
    )
    assert not AccessAttempt.objects.exists()  # the expired attempt and its IP are gone
    assert not AccessLog.objects.exists() and not AccessFailureLog.objects.exists()


def test_receive_email_output_never_echoes_the_message(capsys):
    from tests.foi_helpers import receive, reply_mail

    out = receive(reply_mail("nobody@nadzor.example", text="Tajni sadržaj pisma"))
    assert "Tajni" not in out
    _ = io


def test_search_is_rate_limited_per_client_with_a_clear_429_page(client, settings):
    settings.SEARCH_RATE = "3/m"
    for _query in range(3):
        assert client.get(reverse("records:search"), {"q": "kamere"}).status_code == 200
    limited = client.get(reverse("records:search"), {"q": "kamere"})
    assert limited.status_code == 429 and "Too many requests" in limited.content.decode()


def _api_rates(settings, anon, user):
    from rest_framework.settings import api_settings

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": anon, "user": user},
    }
    api_settings.reload()


@pytest.fixture
def restore_api_rates(settings):
    from rest_framework.settings import api_settings

    yield
    api_settings.reload()


def test_the_api_is_throttled_with_429_and_retry_after(client, settings, restore_api_rates):
    _api_rates(settings, "2/min", "2/min")
    codes = [client.get("/api/records/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    throttled = client.get("/api/records/")
    assert "Retry-After" in throttled and "throttled" in throttled.json()["detail"]


def test_raising_api_rate_lets_anonymous_clients_make_more_calls(
    client, settings, restore_api_rates
):
    # The signed-in rate is lower: it must not apply to anonymous clients at all.
    _api_rates(settings, "5/min", "2/min")
    codes = [client.get("/api/records/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_raising_api_rate_signed_in_lets_accounts_make_more_calls(
    client, settings, restore_api_rates
):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    _api_rates(settings, "2/min", "5/min")
    codes = [client.get("/api/records/").status_code for _ in range(6)]
    assert codes == [200] * 5 + [429]


def test_a_flood_of_mail_from_one_sender_is_held_not_delivered(settings):
    from records.models import InboundMail, InboundState
    from tests.foi_helpers import receive, reply_mail, sent_request

    settings.MAIL_RATE_PER_SENDER = "2/h"
    foi = sent_request()
    for _message in range(3):
        receive(reply_mail(foi.reply_address, sender="spam@mup.example"))
    states = list(InboundMail.objects.order_by("pk").values_list("state", flat=True))
    assert states == [InboundState.DELIVERED, InboundState.DELIVERED, InboundState.HELD]
    assert "too many messages" in InboundMail.objects.order_by("pk").last().problem


def test_the_privacy_page_states_the_settings_in_force(client, settings):
    settings.AXES_FAILURE_LIMIT = 7
    page = client.get(reverse("records:privacy")).content.decode()
    assert "after 7 failures" in page and "not written to the database" in page
    assert reverse("records:privacy") in client.get(reverse("records:home")).content.decode()


def test_behind_a_proxy_the_client_address_is_the_one_the_proxy_appended(settings):
    from django.test import RequestFactory

    from archive.client_ip import client_ip

    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.7"  # the spoofed first entry is ignored
    settings.PROXY_COUNT = 2  # two proxies: the client is the second entry from the end
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.9", REMOTE_ADDR="10.0.0.2"
    )
    assert client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize(
    "forwarded", ["", "not-an-address", "1.2.3.4, ,", "999.1.1.1", "\x00", "a" * 5000]
)
def test_a_malformed_forwarded_header_is_ignored_and_search_still_answers(
    client, settings, forwarded
):
    from django.test import RequestFactory

    from archive.client_ip import client_ip

    settings.PROXY_COUNT = 1
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "10.0.0.2"
    answer = client.get(reverse("records:search"), {"q": "kamere"}, HTTP_X_FORWARDED_FOR=forwarded)
    assert answer.status_code == 200


def test_without_a_proxy_a_forwarded_header_is_never_trusted(client, settings):
    settings.PROXY_COUNT = 0
    settings.SEARCH_RATE = "2/m"
    codes = [
        client.get(
            reverse("records:search"), {"q": "x"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]  # a new claimed address per request changes nothing


def test_behind_a_proxy_failed_log_ins_lock_out_only_the_client_that_made_them(client, settings):
    """Five failures on an account from one client behind the proxy lock that account for
    that client only, not for everyone else who comes through the same proxy (axes used to
    count the proxy's address)."""
    settings.PROXY_COUNT = 1
    requester("honest@example.org")
    login = reverse("accounts:login")
    for _attempt in range(5):
        client.post(
            login,
            {"username": "honest@example.org", "password": "nope"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
            REMOTE_ADDR="10.0.0.2",
        )
    locked = client.post(
        login,
        {"username": "honest@example.org", "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        REMOTE_ADDR="10.0.0.2",
    )
    assert locked.status_code == 429 and "Log-in locked" in locked.content.decode()
    from django.test import Client

    other = Client()
    answer = other.post(
        login,
        {"username": "honest@example.org", "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        REMOTE_ADDR="10.0.0.2",
    )
    assert answer.status_code == 302  # signed in: another client is not locked out


def test_an_unchanged_page_or_feed_answers_304_to_a_conditional_get(client):
    DocumentFactory(title="Javni dokument")
    for url in (reverse("records:home"), reverse("records:search") + "?q=dokument&format=atom"):
        first = client.get(url)
        assert first.status_code == 200 and first.has_header("ETag")
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
