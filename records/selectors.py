"""Reads shared by pages, the API and exports. Public reads start from ``published()``."""

from itertools import groupby

from django.db.models import Count, Prefetch

from records.models import Kind, Link, Record, RecordActor, Relation


def for_listing(queryset):
    """Fetch what a list row shows (actors and tags) in a fixed number of queries."""
    return queryset.prefetch_related(
        "tags",
        Prefetch(
            "actor_roles",
            queryset=RecordActor.objects.select_related("actor").order_by("role", "actor__name"),
        ),
    )


def public_records():
    return for_listing(Record.objects.published())


def counts_by_kind(queryset):
    """``[(kind, label, count)]`` for every kind, zeros included."""
    counts = dict(queryset.order_by().values_list("kind").annotate(n=Count("pk")))
    return [(kind, label, counts.get(kind, 0)) for kind, label in Kind.choices]


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
