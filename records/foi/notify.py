"""E-mails to people: the requester and everyone who follows a request or its body.

Each e-mail is written in its reader's language (their profile's), and names nobody but
the requester's public display name.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from records.models import Direction, Follow, MessageKind, Status


def send_to_user(user, template, context, *, subject_template=None):
    """Send ``emails/<template>.txt`` to ``user`` in their language; return the message."""
    profile = getattr(user, "profile", None)
    language = profile.language if profile else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, "user": user, **context}
        subject = render_to_string(subject_template or f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}.txt", context)
    message = EmailMessage(" ".join(subject.split()), body, to=[user.email])
    message.send()
    return message


def notify_new_message(message):
    """Tell the requester (of a reply) and every follower of the request or its body.

    An automatic reply tells nobody (it is no answer). A bounce tells the requester only,
    that their message did not arrive (``notify_bounce``)."""
    if message.kind == MessageKind.AUTO_REPLY:
        return
    if message.kind == MessageKind.BOUNCE:
        notify_bounce(message)
        return
    request = message.request
    readers = {}
    if message.direction == Direction.INCOMING and request.requester_id:
        readers[request.requester_id] = request.requester
    if request.status == Status.PUBLISHED:
        follows = Follow.objects.filter(request=request)
        if request.public_body_id:
            follows = follows | Follow.objects.filter(body_id=request.public_body_id)
        for follow in follows.select_related("user", "user__profile"):
            readers.setdefault(follow.user_id, follow.user)
    # Files held for review: the requester is told to read and publish them (followers
    # cannot see them, and are not told of them).
    held = message.attachments.filter(public=False).count()
    for user in readers.values():
        if user.is_active and user.email:
            is_requester = user.pk == request.requester_id
            send_to_user(
                user,
                "new_message",
                {
                    "request": request,
                    "message": message,
                    "is_requester": is_requester,
                    "held_files": held if is_requester else 0,
                },
            )


def notify_bounce(bounce):
    """Tell the requester that the mail server returned their message undelivered."""
    request = bounce.request
    requester = request.requester
    if requester is None or not requester.is_active or not requester.email:
        return
    send_to_user(
        requester,
        "message_bounced",
        {"request": request, "message": bounce, "returned": bounce.bounce_of},
    )
