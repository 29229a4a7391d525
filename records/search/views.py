"""The search page, ``/search/?q=...``, and its Atom feed (``&format=atom``)."""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from records.core.ratelimits import over_limit, too_many_requests
from records.models import Record
from records.records.filters import SORT_CHOICES, RecordFilter
from records.records.views.feeds import SearchFeed
from records.search.engine import search
from records.search.suggestions import spelling_suggestion

PER_PAGE = 20
# The parameters that narrow a search, as opposed to the words, the order and the page.
FILTER_PARAMS = ("kind", "actor", "tag", "language", "date_from", "date_to")
# Which query parameters each facet sets.
FACET_PARAMS = {
    "kind": lambda value: {"kind": value},
    "actor": lambda value: {"actor": value},
    "tag": lambda value: {"tag": value},
    "language": lambda value: {"language": value},
    "year": lambda value: {"date_from": value, "date_to": value},
}


@dataclass
class Choice:
    label: str
    url: str
    current: bool
    count: int | None = None
    lang: str = ""


def _url(params, **changes):
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return reverse("records:search") + (f"?{encoded}" if encoded else "")


def _shown_value(filterset, name):
    """An active filter's value as the reader knows it: the kind's or the language's name,
    the actor's or the tag's name (the form already read them: no query), a date as the
    reader's language writes it."""
    value = filterset.form.cleaned_data.get(name)
    if name in ("kind", "language"):
        return dict(filterset.form.fields[name].choices).get(value, value)
    if name in ("date_from", "date_to"):
        return value.display()
    return getattr(value, "name", value)


class SearchView(TemplateView):
    template_name = "records/search.html"

    def get(self, request, *args, **kwargs):
        if over_limit(request, group="search", rate=settings.SEARCH_RATE):
            return too_many_requests(request)
        self.filterset = RecordFilter(request.GET or None, queryset=Record.objects.published())
        if request.GET.get("format") == "atom":
            if not self.filterset.is_valid():
                return HttpResponseBadRequest(
                    _("These search filters cannot be used."), content_type="text/plain"
                )
            return SearchFeed()(request, filterset=self.filterset)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filterset, params = self.filterset, self.request.GET.copy()
        params.pop("format", None)
        # The words as typed: they stay in the box even when a filter cannot be used.
        context = super().get_context_data(
            filter=filterset, words=self.request.GET.get("q", ""), **kwargs
        )
        if not filterset.is_bound or not filterset.is_valid():
            return context
        query = filterset.search_query
        context["query"] = query
        context["active_filters"] = [
            Choice(
                label=f"{filterset.form[name].label}: {_shown_value(filterset, name)}",
                url=_url(params, **{name: None}),
                current=True,
            )
            for name in FILTER_PARAMS
            if params.get(name)
        ]
        if not query:
            return context
        try:
            page = max(1, int(self.request.GET.get("page", 1)))
        except ValueError:
            page = 1
        results = search(filterset, page=page, per_page=PER_PAGE, reader=get_language())
        sort = filterset.form.cleaned_data.get("sort") or "relevance"
        context.update(
            results=results,
            sort_choices=[
                Choice(label=label, url=_url(params, sort=value), current=value == sort)
                for value, label in SORT_CHOICES
                if value in ("relevance", "-date", "date")
            ],
            facets=[
                (
                    facet,
                    [
                        Choice(
                            label=value.label,
                            url=_url(params, **FACET_PARAMS[facet.name](value.value)),
                            current=all(
                                params.get(k) == v
                                for k, v in FACET_PARAMS[facet.name](value.value).items()
                            ),
                            count=value.count,
                            lang=value.lang,
                        )
                        for value in facet.values
                    ],
                )
                for facet in results.facets
            ],
            previous_url=_url(params, page=str(page - 1)) if results.has_previous else None,
            next_url=_url(params, page=str(page + 1)) if results.has_next else None,
            feed_url=_url(params, format="atom", sort=None),
        )
        if not results.count:
            context.update(self._help_for_nothing_found(filterset, params, query))
        return context

    def _help_for_nothing_found(self, filterset, params, query):
        help_context = {}
        if any(params.get(name) for name in FILTER_PARAMS):
            unfiltered = RecordFilter({"q": params["q"]}, queryset=Record.objects.published())
            if unfiltered.is_valid():
                help_context["unfiltered_count"] = unfiltered.qs.count()
                help_context["unfiltered_url"] = _url(params, **dict.fromkeys(FILTER_PARAMS, None))
        suggestion = spelling_suggestion(query)
        if suggestion:
            suggested = RecordFilter(
                {**params.dict(), "q": suggestion}, queryset=Record.objects.published()
            )
            if suggested.is_valid() and suggested.qs.exists():
                help_context["suggestion"] = suggestion
                help_context["suggestion_url"] = _url(params, q=suggestion)
        return help_context
