from django.db.models import Count, Q
from django.views.generic import TemplateView

from records.models import Actor, Record, Status
from records.selectors import counts_by_kind, public_records


class HomeView(TemplateView):
    template_name = "records/home.html"

    def get_context_data(self, **kwargs):
        published = Record.objects.published()
        return super().get_context_data(
            counts=counts_by_kind(published),
            total=published.count(),
            latest=public_records().in_date_order(newest_first=True)[:8],
            recently_added=public_records().order_by("-published_at", "-pk")[:5],
            actors=Actor.objects.annotate(
                n=Count("records", filter=Q(records__status=Status.PUBLISHED), distinct=True)
            )
            .filter(n__gt=0)
            .order_by("-n", "name")[:8],
            **kwargs,
        )
