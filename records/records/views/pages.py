from django.conf import settings
from django.urls import reverse
from django.views.generic import TemplateView

from records.core.pagination import counts
from records.foi.selectors import counted_records, in_story
from records.models import Actor, Kind, Record
from records.records.selectors import SAMPLE_SIZE, frequent, public_records


class PrivacyView(TemplateView):
    """What the archive keeps about whom, and for how long (the settings it quotes are the
    ones in force, so the page stays true when they change)."""

    template_name = "records/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockout_hours=settings.AXES_COOLOFF_TIME,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            **kwargs,
        )


class HomeView(TemplateView):
    template_name = "records/home.html"

    def get_context_data(self, **kwargs):
        by_kind, total, estimated = home_counts()
        return super().get_context_data(
            counts=by_kind,
            total=total,
            counts_are_estimates=estimated,
            latest=in_story(public_records()).in_date_order(newest_first=True)[:8],
            recently_added=Record.objects.published().order_by("-published_at", "-pk")[:5],
            actors=frequent_actors(8, total),
            **kwargs,
        )


def home_counts():
    """``([(kind, label, records, is_estimate, url)], total, any_estimate)`` for the published
    records (FOI requests as the FOI section counts them, ``counted_records``):
    counting a million of them costs 100 ms and more, so a kind with more than
    ``MAX_LISTED`` has PostgreSQL's estimate (``pagination.counts``)."""
    published = counted_records()
    by_kind, estimated = counts({kind: published.filter(kind=kind) for kind in Kind.values})
    return (
        [
            (kind, label, by_kind[kind], estimated[kind], _kind_url(kind))
            for kind, label in Kind.choices
        ],
        sum(by_kind.values()),
        any(estimated.values()),
    )


def _kind_url(kind):
    """Where a kind's count leads: FOI requests to the FOI section, which counts them alike."""
    if kind == Kind.FOI_REQUEST:
        return reverse("foi:request-list")
    return f"{reverse('records:record-list')}?kind={kind}"


def frequent_actors(limit, total):
    """The ``limit`` actors in the most published records, with their number of records,
    counted in the archive's sample (``selectors.frequent``): exact when the archive is no
    larger than the sample, else scaled up to ``total`` (and ``actor.n_is_estimate``)."""
    top = dict(frequent(Actor, "actors", limit))
    actors = sorted(
        Actor.objects.filter(pk__in=top), key=lambda actor: (-top[actor.pk], actor.name)
    )
    scale = total / SAMPLE_SIZE if total > SAMPLE_SIZE else 1
    for actor in actors:
        actor.n, actor.n_is_estimate = round(top[actor.pk] * scale), scale != 1
    return actors
