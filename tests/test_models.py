"""Model rules: partial dates, public ids, links, constraints and citations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from records.core.dates import PartialDate, Precision
from records.models import Link, Record, Relation, Statement, Status
from records.records.citations import cite
from tests.factories import DocumentFactory, LinkFactory, StatementFactory


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("2019", datetime.date(2019, 1, 1), Precision.YEAR),
        ("2019-03", datetime.date(2019, 3, 1), Precision.MONTH),
        ("2019-03-21", datetime.date(2019, 3, 21), Precision.DAY),
        (" 2020-02-29 ", datetime.date(2020, 2, 29), Precision.DAY),
    ],
)
def test_partial_dates_parse_and_print_back(text, start, precision):
    parsed = PartialDate.parse(text)
    assert (parsed.start, parsed.precision) == (start, precision)
    assert str(parsed) == text.strip()


@pytest.mark.parametrize(
    "text", ["", "19", "2019-3", "2019-13", "2019-02-30", "March 2019", "2019/03/21", None, "0999"]
)
def test_malformed_partial_dates_are_refused_with_a_reason(text):
    with pytest.raises(ValueError, match=r"date|year"):
        PartialDate.parse(text)


def test_partial_dates_sort_year_before_month_before_day():
    dates = [PartialDate.parse(t) for t in ["2019-03-21", "2019", "2018-12", "2019-03"]]
    assert [str(d) for d in sorted(dates)] == ["2018-12", "2019", "2019-03", "2019-03-21"]


def test_partial_dates_display_in_the_readers_language():
    with translation.override("en"):
        assert PartialDate.parse("2019").display() == "2019"
        assert PartialDate.parse("2019-03").display() == "March 2019"
    with translation.override("sr-latn"):
        assert "mart" in PartialDate.parse("2019-03").display().lower()
    with translation.override("sr"):
        assert "март" in PartialDate.parse("2019-03-21").display().lower()


@pytest.mark.django_db
def test_records_sort_by_partial_date_with_undated_last():
    for date, precision in [("2019-03-21", 3), ("2019-01-01", 1), ("2018-12-01", 2)]:
        DocumentFactory(title=date + str(precision), date=date, date_precision=precision)
    DocumentFactory(title="undated", date=None, date_precision=None)
    oldest_first = list(Record.objects.in_date_order().values_list("title", flat=True))
    assert oldest_first == ["2018-12-012", "2019-01-011", "2019-03-213", "undated"]
    newest_first = list(
        Record.objects.in_date_order(newest_first=True).values_list("title", flat=True)
    )
    assert newest_first == ["2019-03-213", "2019-01-011", "2018-12-012", "undated"]


@pytest.mark.django_db
def test_new_records_get_a_readable_unique_public_id_and_permalink():
    a, b = DocumentFactory(), DocumentFactory()
    assert a.public_id != b.public_id
    assert a.public_id.startswith("nz-") and len(a.public_id) == 11
    assert a.get_absolute_url() == f"/r/{a.public_id}/"


@pytest.mark.django_db
def test_public_id_rejects_characters_that_do_not_belong_in_a_url():
    record = DocumentFactory.build(public_id="Has Spaces/and/slashes")
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "public_id" in error.value.message_dict


@pytest.mark.django_db
def test_kind_is_set_by_the_records_class_and_specific_returns_it():
    statement = StatementFactory(venue="Press conference")
    base = Record.objects.get(pk=statement.pk)
    assert base.kind == "statement"
    assert isinstance(base.specific, Statement) and base.specific.venue == "Press conference"


@pytest.mark.django_db
def test_a_bare_record_cannot_be_saved_without_a_kind():
    with pytest.raises(ValueError, match="kind"):
        Record(title="x", language="en").save()


@pytest.mark.django_db
def test_database_refuses_a_link_from_a_record_to_itself():
    record = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(source=record, target=record, relation=Relation.CITES)


@pytest.mark.django_db
def test_database_refuses_a_duplicate_link():
    link = LinkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Link.objects.create(source=link.source, target=link.target, relation=link.relation)
    # The same pair with another relation is a different statement, and allowed.
    Link.objects.create(source=link.source, target=link.target, relation=Relation.CONTRADICTS)


@pytest.mark.django_db
def test_link_validation_explains_a_self_link_to_the_editor():
    record = DocumentFactory()
    with pytest.raises(ValidationError, match="cannot link to itself"):
        Link(source=record, target=record, relation=Relation.CITES).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"), [("status", "secret"), ("language", "fr"), ("kind", "memo")]
)
def test_database_refuses_unknown_choices(field, value):
    record = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(**{field: value})


@pytest.mark.django_db
def test_database_refuses_a_date_without_precision():
    record = DocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=record.pk).update(date_precision=None)


def test_every_relation_has_an_inverse_label():
    for relation in Relation:
        assert relation.inverse_label and relation.inverse_label != relation.label


@pytest.mark.django_db
def test_citation_names_title_kind_date_permalink_and_access_date():
    record = StatementFactory(
        public_id="rebic-2019",
        title="Rebić: 1,000 cameras",
        date=datetime.date(2019, 2, 9),
        date_precision=3,
        status=Status.PUBLISHED,
    )
    citation = cite(record, accessed=datetime.date(2026, 11, 27)).to_text()
    assert citation == (
        "“Rebić: 1,000 cameras.” Government statement, Feb. 9, 2019. "
        "Nadzor, https://nadzor.example/r/rebic-2019/ (accessed Nov. 27, 2026)."
    )
