"""Atom feeds: every search can be followed as "new records matching X"."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from records.core.transliteration import in_reader_script

FEED_SIZE = 50


class SearchFeed(Feed):
    """The newest published records matching a search, newest publication first."""

    feed_type = Atom1Feed

    def get_object(self, request, filterset):
        self.request = request
        return filterset

    def title(self, filterset):
        words = filterset.form.cleaned_data.get("q") or ""
        if words:
            return _("Nadzor: records matching “%(words)s”") % {"words": words}
        return _("Nadzor: new records")

    def subtitle(self, filterset):
        return _("New and updated records in the Nadzor archive that match this search.")

    def link(self, filterset):
        params = self.request.GET.copy()
        params.pop("format", None)
        return f"{self.request.path}?{params.urlencode()}" if params else self.request.path

    def feed_url(self, filterset):
        return self.request.get_full_path()

    def items(self, filterset):
        return (
            filterset.qs.order_by("-published_at", "-pk")
            .select_related(None)
            .prefetch_related("actor_roles__actor")[:FEED_SIZE]
        )

    # The feed is per language (its URL carries the reader's, its title is translated):
    # Serbian records read in that language's script, as on the search page.
    def item_title(self, record):
        return in_reader_script(record.title, record.language, get_language())

    def item_description(self, record):
        # Atom's summary is typed "html": the plain text is escaped once for HTML.
        return escape(in_reader_script(record.summary, record.language, get_language()))

    def item_link(self, record):
        return record.get_absolute_url()

    def item_guid(self, record):
        return self.request.build_absolute_uri(record.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, record):
        return record.published_at or record.created_at

    def item_updateddate(self, record):
        return record.updated_at

    def item_author_name(self, record):
        names = [ra.actor.name for ra in record.actor_roles.all()]
        return ", ".join(names) or None

    def item_categories(self, record):
        return [record.get_kind_display()]


class RequestFeed(Feed):
    """A public request's timeline: each message and status change, newest first."""

    feed_type = Atom1Feed

    def get_object(self, request, public_id):
        from django.shortcuts import get_object_or_404

        from records.foi.selectors import public_requests

        self.request = request
        return get_object_or_404(public_requests(), public_id=public_id)

    def title(self, foi):
        return _("Nadzor: FOI request “%(title)s”") % {"title": foi.title}

    def link(self, foi):
        return foi.get_absolute_url()

    def subtitle(self, foi):
        return _("Messages and status changes of this request.")

    def items(self, foi):
        return foi.events.select_related("message").order_by("-at", "-pk")[:FEED_SIZE]

    def item_title(self, event):
        from records.models import EventKind, FOIStatus

        if event.kind == EventKind.STATUS:
            return _("Status: %(status)s") % {"status": FOIStatus(event.status_after).label}
        if event.message_id:
            return event.message.subject or event.get_kind_display()
        return event.get_kind_display()

    def item_description(self, event):
        return escape(event.message.public_text[:2000]) if event.message_id else ""

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
        from django.shortcuts import get_object_or_404

        from records.foi.views.bodies import listed_bodies

        self.request = request
        return get_object_or_404(listed_bodies(), slug=slug)

    def title(self, body):
        return _("Nadzor: FOI requests to %(body)s") % {"body": body.name}

    def link(self, body):
        return body.get_body_url()

    def subtitle(self, body):
        return _("New messages in the public FOI requests to this body.")

    def items(self, body):
        from records.models import FOIMessage, FOIStatus, Status

        return (
            FOIMessage.objects.filter(request__public_body=body, request__status=Status.PUBLISHED)
            .exclude(request__foi_status=FOIStatus.DRAFT)
            .select_related("request")
            .order_by("-sent_at", "-pk")[:FEED_SIZE]
        )

    def item_title(self, message):
        return f"{message.request.title}: {message.subject or message.get_direction_display()}"

    def item_description(self, message):
        return escape(message.public_text[:2000])

    def item_link(self, message):
        return f"{message.request.get_absolute_url()}#message-{message.pk}"

    def item_guid(self, message):
        return self.request.build_absolute_uri(self.item_link(message))

    def item_pubdate(self, message):
        return message.sent_at
