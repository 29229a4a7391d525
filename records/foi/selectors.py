"""Which FOI requests count, in one place: every page that lists or counts requests (the
home page, the FOI section, a body's page, the charts, the questions, the API) reads them
from here, so they all agree."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy

from records.foi.directory import public_bodies
from records.models import FOIRequest, FOIStatus, Kind, Record

# Sample letters in the demo carry this tag: they show how a request reads, but were never
# sent, so they are never counted as requests.
EXAMPLE_TAG = "example"


def real_requests():
    """Published requests that are not samples tagged ``example`` (the questions' ledger
    counts these, saying which were not sent)."""
    return FOIRequest.objects.published().exclude(tags__name=EXAMPLE_TAG)


def sent_requests():
    """The requests the archive counts: public (``FOIRequest.objects.public()``) and real
    (not a sample tagged ``example``). A request filed on the site is among them at once."""
    return FOIRequest.objects.public().exclude(tags__name=EXAMPLE_TAG)


def public_requests():
    """``sent_requests`` with what the lists show of each."""
    return sent_requests().select_related("public_body", "requester__profile")


def counted_records():
    """The published records the archive's counts and charts are made of: FOI requests
    only as ``sent_requests`` has them."""
    return Record.objects.published().filter(
        ~Q(kind=Kind.FOI_REQUEST) | Q(pk__in=sent_requests().values("pk"))
    )


def in_story(records):
    """``records`` without the FOI requests that are not part of the curated story (those
    filed on the site, until an editor features them): the home page's latest and the
    timeline read from here."""
    return records.exclude(kind=Kind.FOI_REQUEST, foirequest__in_story=False)


def is_example(record):
    return any(tag.name == EXAMPLE_TAG for tag in record.tags.all())


class FOIRequestFilter(django_filters.FilterSet):
    body = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Public body"),
        field_name="public_body",
        queryset=public_bodies(),
        to_field_name="slug",
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), field_name="foi_status", choices=FOIStatus.choices[1:]
    )
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("Deadline"),
        method="filter_overdue",
        empty_label=gettext_lazy("Any"),
        choices=[
            ("true", gettext_lazy("Overdue")),
            ("false", gettext_lazy("Not overdue")),
        ],
    )
    year = django_filters.NumberFilter(
        label=gettext_lazy("Year sent"),
        field_name="sent_on",
        lookup_expr="year",
        # Year 0 or 10000 is no date: the database lookup would fail (a server error).
        min_value=1,
        max_value=9999,
        decimal_places=0,
    )

    class Meta:
        model = FOIRequest
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value == "true" else queryset.not_overdue()
