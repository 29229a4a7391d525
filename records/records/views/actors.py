import collections

from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from records.models import Actor, ActorKind, Record, RecordActor, Role, published_q
from records.records.selectors import sample
from records.records.views.records import FilteredRecordsMixin


class ActorListView(ListView):
    template_name = "records/actor_list.html"
    context_object_name = "actors"
    paginate_by = 100

    def get_queryset(self):
        actors = Actor.objects.annotate(
            n=Count("records", filter=published_q("records__"), distinct=True)
        ).filter(n__gt=0)
        kind = self.request.GET.get("kind")
        if kind in ActorKind.values:
            actors = actors.filter(kind=kind)
        return actors.order_by("kind", "name")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            kinds=ActorKind.choices,
            current_kind=self.request.GET.get("kind"),
            query_without_page=query.urlencode(),
            **kwargs,
        )


class ActorDetailView(FilteredRecordsMixin, ListView):
    """An actor and the published records they appear in, with their roles."""

    template_name = "records/actor_detail.html"
    newest_first = True

    def base_queryset(self):
        self.actor = get_object_or_404(Actor.objects.in_public_records(), slug=self.kwargs["slug"])
        # EXISTS, not a join with DISTINCT: the newest of an actor's 250,000 records are
        # then read from the date index, not all of them sorted. The list shows no tags
        # or other actors: nothing to prefetch.
        roles = RecordActor.objects.filter(record=OuterRef("pk"), actor=self.actor)
        return Record.objects.published().filter(Exists(roles))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(actor=self.actor, **kwargs)
        page_ids = [record.pk for record in context["object_list"]]
        roles = {}
        for ra in RecordActor.objects.filter(actor=self.actor, record_id__in=page_ids):
            roles.setdefault(ra.record_id, []).append(ra.get_role_display())
        context["rows"] = [(record, roles.get(record.pk, [])) for record in context["object_list"]]
        context["role_counts"], context["role_counts_are_estimates"] = self.role_counts(
            context["paginator"]
        )
        return context

    def role_counts(self, paginator):
        """``[(role, records)]`` and whether the numbers are estimates: exact while the
        actor's records are few enough to count (``max_listed``); past that, the shares of
        each role among the actor's records in the archive's sample (``selectors.sample``)
        times their estimated number (counting 250,000 records costs 100 ms and more)."""
        if paginator is None or paginator.count <= paginator.max_listed:
            counts = (
                RecordActor.objects.filter(published_q("record__"), actor=self.actor)
                .values_list("role")
                .annotate(n=Count("pk"))
                .order_by("role")
            )
            return [(Role(role).label, n) for role, n in counts], False
        rows = RecordActor.objects.filter(actor=self.actor, record__in=sample()).values_list(
            "record", "role"
        )
        records, counts = set(), collections.Counter()
        for record, role in rows:
            records.add(record)
            counts[role] += 1
        share = paginator.count / max(1, len(records))
        return [(Role(role).label, round(n * share)) for role, n in sorted(counts.items())], True
