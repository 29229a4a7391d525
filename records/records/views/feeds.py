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
        names = [ra.actor.shown_name for ra in record.actor_roles.all()]
        return ", ".join(names) or None

    def item_categories(self, record):
        return [record.get_kind_display()]
