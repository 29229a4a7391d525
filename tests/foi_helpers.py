"""Builders for FOI tests: requesters, public bodies, sent requests and real RFC 822 mail."""

from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone

from records.foi import services
from records.models import ActorKind, Profile, SentVia
from tests.factories import ActorFactory, UserFactory


def requester(email="ana@example.org", *, display_name="Kamerolovac", real_name="Ana Anić"):
    user = UserFactory(username=email, email=email)
    Profile.objects.create(
        user=user, display_name=display_name, real_name=real_name, postal_address="Ulica 1"
    )
    return user


def body(name="Ministarstvo unutrašnjih poslova", *, email="foi@mup.example", **fields):
    return ActorFactory(name=name, kind=ActorKind.PUBLIC_BODY, foi_email=email, **fields)


def sent_request(user=None, public_body=None, *, days_ago=0, via=SentVia.EMAIL, **fields):
    """A request filed and sent ``days_ago`` days ago (by post when in the past)."""
    user = user or requester()
    public_body = public_body or body()
    foi = services.create_request(
        user=user,
        public_body=public_body,
        title=fields.pop("title", "Gde se čuvaju snimci kamera?"),
        letter=fields.pop("letter", "Tražim informacije o čuvanju snimaka sa kamera."),
        language=fields.pop("language", "sr-Latn"),
        **fields,
    )
    if days_ago:
        via = SentVia.POST
    sent_on = timezone.localdate() - timedelta(days=days_ago)
    return services.send_request(foi, user=user, via=via, sent_on=sent_on)


def reply_mail(
    to,
    *,
    subject="Odgovor na zahtev",
    text="Poštovana, u prilogu dostavljamo traženi dokument.",
    charset="utf-8",
    attachments=(),
    sender="Pisarnica MUP <pisarnica@mup.example>",
    date=None,
):
    """A real RFC 822 message as a body's mail server would send it, as bytes."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<reply-1@mup.example>"
    message["Date"] = format_datetime(date or timezone.now())
    message.set_content(text, charset=charset)
    for name, data, content_type in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def receive(raw, *recipients):
    """Pipe ``raw`` into ``manage.py receive_email`` as a mail server would."""
    import io

    stdout = io.StringIO()
    args = [arg for recipient in recipients for arg in ("--recipient", recipient)]
    # As in production, notifications and text extraction run once the delivery commits.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("receive_email", *args, stdin=io.BytesIO(raw), stdout=stdout)
    return stdout.getvalue()
