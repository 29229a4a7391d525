from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from records.models import Actor, ActorKind, RecordActor, Role, Status
from records.selectors import public_records
from records.views.records import FilteredRecordsMixin


class ActorListView(ListView):
    template_name = "records/actor_list.html"
    context_object_name = "actors"
    paginate_by = 100

    def get_queryset(self):
        actors = Actor.objects.annotate(
            n=Count("records", filter=Q(records__status=Status.PUBLISHED), distinct=True)
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
        return public_records().filter(actor_roles__actor=self.actor).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(actor=self.actor, **kwargs)
        page_ids = [record.pk for record in context["object_list"]]
        roles = {}
        for ra in RecordActor.objects.filter(actor=self.actor, record_id__in=page_ids):
            roles.setdefault(ra.record_id, []).append(ra.get_role_display())
        context["rows"] = [(record, roles.get(record.pk, [])) for record in context["object_list"]]
        context["role_counts"] = [
            (Role(role).label, n)
            for role, n in RecordActor.objects.filter(
                actor=self.actor, record__status=Status.PUBLISHED
            )
            .values_list("role")
            .annotate(n=Count("pk"))
            .order_by("role")
        ]
        return context
