"""The one FilterSet behind the record list, the API, feeds and exports."""

import calendar
import unicodedata

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from records.core.dates import PartialDate, Precision
from records.models import Actor, Kind, Language, Record, RecordActor, Tag
from records.records.selectors import frequent_ids
from records.search import backends
from records.search.query import parse


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


class FrequentChoicesSelect(forms.Select):
    """The ``<select>`` of a model choice filter that offers at most ``limit`` choices.

    A list of every actor (2,000 in a large archive) is unusable and weighs more than the
    rest of the page; past ``limit`` the list offers, under a heading that says so, the
    ``limit`` that the most published records name (``selectors.frequent``), in name
    order, and the chosen one. Any value the field's queryset holds is still accepted
    (from a link, an actor's page, the API). The choices are read only when the widget
    is drawn (the API, which never draws it, does not pay for them), and the most named
    are kept in the cache for ``CACHE_SECONDS``.
    """

    CACHE_SECONDS = 300

    def __init__(self, *, relation, heading, limit=50, attrs=None):
        super().__init__(attrs)
        self.relation, self.heading, self.limit = relation, heading, limit

    def optgroups(self, name, value, attrs=None):
        field_choices = self.choices
        self.choices = self.offered(field_choices, value)
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = field_choices

    def offered(self, field_choices, value):
        field, queryset = field_choices.field, field_choices.queryset
        key = field.to_field_name or "pk"
        names = ("name", *queryset.model.SEARCHED_NAMES)  # what the label is made of
        empty = [("", field.empty_label)] if field.empty_label is not None else []
        if queryset.model.objects.count() <= self.limit:  # all of them, drafts' too: few
            return [*empty, *self.options_of(queryset.only(key, *names), field, key)]
        # The most named change slowly and cost 10-20 ms at 1,000,000 records: kept in
        # the cache for CACHE_SECONDS.
        # Per language: the options are names as this reader reads them.
        cache_key = f"filter-choices:{self.relation}:{self.limit}:{get_language()}"
        options = cache.get(cache_key)
        if options is None:
            chosen = queryset.model.objects.filter(
                pk__in=frequent_ids(queryset.model, self.relation, self.limit)
            )
            options = self.options_of(chosen.only(key, *names).order_by("name", "pk"), field, key)
            cache.set(cache_key, options, self.CACHE_SECONDS)
        missing = [v for v in value if v and v not in {option for option, _ in options}]
        if missing:  # only if it is a choice at all: never a name from a draft
            extra = queryset.filter(**{f"{key}__in": missing}).only(key, *names)
            options = sorted(
                [*options, *self.options_of(extra, field, key)],
                key=lambda option: (collation_key(option[1]), option[0]),
            )
        return [*empty, (self.heading, options)]

    @staticmethod
    def options_of(items, field, key):
        return [(str(getattr(item, key)), OptionLabel.of(item)) for item in items]

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if getattr(label, "lang", ""):
            option["attrs"]["lang"] = label.lang
        return option


class OptionLabel(str):
    """An actor's or tag's name as an option reads it, with the ``lang`` to mark it with
    when it is in another language than the page (an English name on a Serbian page)."""

    lang = ""

    @classmethod
    def of(cls, named):
        reader = get_language() or "en"
        name, language = named.name_in(reader)
        label = cls(name)
        if language == "en" and not reader.startswith("en"):
            label.lang = "en"
        return label

    def __reduce__(self):  # kept in the cache with its lang
        return _option_label, (str(self), self.lang)


def _option_label(text, lang):
    label = OptionLabel(text)
    label.lang = lang
    return label


def collation_key(text):
    """Sort text roughly as the database does: letters before their accented forms."""
    return unicodedata.normalize("NFKD", text.casefold())


SORT_CHOICES = [
    ("relevance", _("Most relevant")),
    ("-date", _("Newest first")),
    ("date", _("Oldest first")),
    ("title", _("Title, A–Z")),
    ("-title", _("Title, Z–A")),
]


class RecordFilter(django_filters.FilterSet):
    """Search words, filters and the order; ``q`` takes the query language of
    ``records.search.query``. Relevance order is applied by ``records.search.engine``:
    here a search comes back newest first, the order its candidates are read in."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Kind.choices, empty_label=_("Any kind")
    )
    # EXISTS rather than a join: no duplicate rows, so no DISTINCT over a large result.
    actor = django_filters.ModelChoiceFilter(
        label=_("Actor"),
        to_field_name="slug",
        queryset=Actor.objects.in_public_records(),
        empty_label=_("Any actor"),
        method="filter_actor",
        widget=FrequentChoicesSelect(
            relation="actors", heading=_("The actors named in the most records")
        ),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"),
        to_field_name="slug",
        queryset=Tag.objects.in_public_records(),
        empty_label=_("Any tag"),
        method="filter_tag",
        widget=FrequentChoicesSelect(relation="tags", heading=_("The most used tags")),
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
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SORT_CHOICES, empty_label=None, method="sort_records"
    )

    class Meta:
        model = Record
        fields = ["kind", "actor", "tag", "language"]

    def filter_actor(self, queryset, name, value):
        roles = RecordActor.objects.filter(record=OuterRef("pk"), actor=value)
        return queryset.filter(Exists(roles))

    def filter_tag(self, queryset, name, value):
        tagged = Record.tags.through.objects.filter(record=OuterRef("pk"), tag=value)
        return queryset.filter(Exists(tagged))

    def filter_date_from(self, queryset, name, value):
        return queryset.filter(date__gte=value.start)

    def filter_date_to(self, queryset, name, value):
        return queryset.filter(date__lte=_period_end(value))

    @property
    def search_query(self):
        """The parsed ``q`` (falsy when there is nothing to search for)."""
        return parse(self.form.cleaned_data.get("q") or "")

    def filter_search(self, queryset, name, value):
        query = parse(value)
        if not query:
            # Only exclusions or no words at all: nothing to look for.
            return queryset.none()
        return queryset.filter(backends.matches(query))

    def filter_queryset(self, queryset):
        """Every filter, the search words last: PostgreSQL tests a row's conditions in the
        order written when it costs them alike, as it does a text match and a kind, and
        the text match reads (and decompresses) the record's whole word vector."""
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, data[name])
        if not data.get("sort"):
            queryset = self.sort_records(queryset, "sort", None)
        return queryset

    def sort_records(self, queryset, name, value):
        choice = value or "-date"
        if choice in ("title", "-title"):
            return queryset.order_by(choice, "pk" if choice == "title" else "-pk")
        return queryset.in_date_order(newest_first=choice != "date")
