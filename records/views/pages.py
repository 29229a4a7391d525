from django.db.models import Count, Q
from django.views.generic import TemplateView

from records.models import Actor, Record, Status
from records.selectors import counts_by_kind, public_records


class PrivacyView(TemplateView):
    """What the archive keeps about whom, and for how long (the settings it quotes are the
    ones in force, so the page stays true when they change)."""

    template_name = "records/privacy.html"

    def get_context_data(self, **kwargs):
        from django.conf import settings

        return super().get_context_data(
            lockout_hours=settings.AXES_COOLOFF_TIME,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            **kwargs,
        )


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
