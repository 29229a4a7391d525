"""The one FilterSet behind the record list, the API, feeds and exports."""

import calendar

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from records.dates import PartialDate, Precision
from records.models import Actor, Kind, Language, Record, Tag


class PartialDateField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date as YYYY, YYYY-MM or YYYY-MM-DD."), code="invalid"
            ) from None


class PartialDateFilter(django_filters.Filter):
    field_class = PartialDateField


def _period_end(partial):
    """The last day a partial date covers: "2019" ends on 31 December 2019."""
    start = partial.start
    if partial.precision == Precision.YEAR:
        return start.replace(month=12, day=31)
    if partial.precision == Precision.MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


class RecordFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Any kind")
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Actor"),
        field_name="actors",
        to_field_name="slug",
        queryset=Actor.objects.in_public_records(),
        empty_label=_("Any actor"),
        distinct=True,
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        field_name="tags",
        to_field_name="slug",
        queryset=Tag.objects.in_public_records(),
        empty_label=_("Any tag"),
        distinct=True,
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("Any language")
    )
    date_from = PartialDateFilter(
        label=_("From"), method="filter_date_from", help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    date_to = PartialDateFilter(
        label=_("To"), method="filter_date_to", help_text=_("YYYY, YYYY-MM or YYYY-MM-DD")
    )
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        empty_label=None,
        fields=(("date", "date"), ("title", "title")),
        field_labels={
            "date": _("Oldest first"),
            "-date": _("Newest first"),
            "title": _("Title, A–Z"),
            "-title": _("Title, Z–A"),
        },
        method="sort_records",
    )

    class Meta:
        model = Record
        fields = ["kind", "actor", "tag", "language"]

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(date__gte=value.start)

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(date__lte=_period_end(value))

    def sort_records(self, queryset, name, value):
        choice = value[0] if value else "-date"
        if choice in ("title", "-title"):
            return queryset.order_by(choice, "pk" if choice == "title" else "-pk")
        return queryset.in_date_order(newest_first=choice != "date")
