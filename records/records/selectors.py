"""Reads shared by pages, the API and exports. Public reads start from ``published()``."""

from itertools import groupby

from django.db import connection
from django.db.models import BigIntegerField, Count, F, Func, Prefetch

from records.models import Link, Record, RecordActor, Relation

# How many published records, drawn in a fixed random order, stand for all of them when
# counting every record would cost too much (see ``frequent``).
SAMPLE_SIZE = 1000


def for_listing(queryset, *, tags=True):
    """Fetch what a list row shows (actors and, unless ``tags=False``, tags) in a fixed
    number of queries."""
    actor_roles = Prefetch(
        "actor_roles",
        queryset=RecordActor.objects.select_related("actor").order_by("role", "actor__name"),
    )
    return queryset.prefetch_related(*(["tags"] if tags else []), actor_roles)


def public_records():
    return for_listing(Record.objects.published())


def record_links(record):
    """Both directions of ``record``'s links to published records.

    Returns ``[(direction, label, link, other_record)]``: outgoing links read with the
    relation's label ("contradicts"), incoming ones with its inverse ("is contradicted by").
    """
    published = Record.objects.published()
    outgoing = (
        Link.objects.filter(source=record, target__in=published)
        .select_related("target")
        .order_by("relation", "target__date", "pk")
    )
    incoming = (
        Link.objects.filter(target=record, source__in=published)
        .select_related("source")
        .order_by("relation", "source__date", "pk")
    )
    return [
        *(("outgoing", Relation(link.relation).label, link, link.target) for link in outgoing),
        *(
            ("incoming", Relation(link.relation).inverse_label, link, link.source)
            for link in incoming
        ),
    ]


def grouped_links(links):
    """``record_links`` grouped by how they read: ``[(label, [(link, other), ...])]``."""
    return [
        (label, [(link, other) for _direction, _label, link, other in group])
        for (_direction, label), group in groupby(links, key=lambda item: (item[0], item[1]))
    ]


def _shuffle_key():
    """``backends.shuffled``'s order (a hash of the id, which PostgreSQL has an index of,
    ``record_published_shuffle``) as an expression that also works in a subquery."""
    if connection.vendor == "postgresql":
        return Func(F("pk"), function="hashint8", output_field=BigIntegerField()).asc()
    return ((F("pk") * 2654435761).bitand(4294967295)).asc()


def sample():
    """The ids of ``SAMPLE_SIZE`` published records in a fixed random order: a fair sample
    of the archive, read from an index (a subquery)."""
    return Record.objects.published().order_by(_shuffle_key(), "pk").values("pk")[:SAMPLE_SIZE]


def frequent(model, relation, limit):
    """The ids of the ``limit`` rows of ``model`` (actors, tags) that the most published
    records name through ``relation`` (the record's field: "actors", "tags"), counted in a
    fair sample of ``SAMPLE_SIZE`` published records (``backends.shuffled``, read from its
    index: the cost does not grow with the archive). ``(id, records in the sample)``
    rows, the most named first."""
    field = Record._meta.get_field(relation)
    assert field.related_model is model
    record_column, other_column = field.m2m_field_name(), field.m2m_reverse_field_name()
    return (
        field.remote_field.through.objects.filter(**{f"{record_column}__in": sample()})
        .values(other_column)
        .annotate(n=Count(record_column, distinct=True))
        .order_by("-n", other_column)[:limit]
        .values_list(other_column, "n")
    )


def frequent_ids(model, relation, limit):
    """``frequent`` as a subquery of the ids alone."""
    top = frequent(model, relation, limit)
    return top.values_list(top.query.values_select[0], flat=True)
