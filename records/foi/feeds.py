"""Atom feeds of FOI requests: one request's timeline, and the new messages in the public
requests to one public body."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from records.core import placeholders
from records.core.transliteration import in_reader_script
from records.foi.views.bodies import listed_bodies
from records.models import FOIMessage, FOIRequest
from records.records.views.feeds import FEED_SIZE


class RequestFeed(Feed):
    """A public request's timeline: each message and status change, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, public_id):
        self.request = request
        return get_object_or_404(FOIRequest.objects.public(), public_id=public_id)

    def title(self, foi):
        title = in_reader_script(foi.title, foi.language, get_language())
        return _("Nadzor: FOI request “%(title)s”") % {"title": title}

    def link(self, foi):
        return foi.get_absolute_url()

    def subtitle(self, foi):
        return _("Messages and status changes of this request.")

    def items(self, foi):
        return foi.events.select_related("message").order_by("-at", "-pk")[:FEED_SIZE]

    def item_title(self, event):
        return event.describe()

    def item_description(self, event):
        if not event.message_id:
            return ""
        return escape(placeholders.render(event.message.public_text[:2000]))

    def item_link(self, event):
        return f"{event.request.get_absolute_url()}#event-{event.pk}"

    def item_guid(self, event):
        return self.request.build_absolute_uri(self.item_link(event))

    def item_pubdate(self, event):
        return event.at


class BodyFeed(Feed):
    """New messages in the public requests to one public body."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(listed_bodies(), slug=slug)

    def title(self, body):
        return _("Nadzor: FOI requests to %(body)s") % {"body": body.shown_name}

    def link(self, body):
        return body.get_body_url()

    def subtitle(self, body):
        return _("New messages in the public FOI requests to this body.")

    def items(self, body):
        return (
            FOIMessage.objects.filter(
                request__in=FOIRequest.objects.public().filter(public_body=body)
            )
            .select_related("request")
            .order_by("-sent_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, message):
        request = message.request
        title = in_reader_script(request.title, request.language, get_language())
        return f"{title}: {message.subject_for_reader() or message.get_direction_display()}"

    def item_description(self, message):
        return escape(placeholders.render(message.public_text[:2000]))

    def item_link(self, message):
        return f"{message.request.get_absolute_url()}#message-{message.pk}"

    def item_guid(self, message):
        return self.request.build_absolute_uri(self.item_link(message))

    def item_pubdate(self, message):
        return message.sent_at
