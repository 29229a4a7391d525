"""The directory of public bodies, with where requests go and how each body answers."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import DetailView, ListView

from records.foi.forms import public_bodies
from records.foi.stats import BodyStats, body_statistics
from records.foi.views.requests import public_requests
from records.models import Follow, published_q


def listed_bodies():
    """Public bodies the directory shows: those editors gave FOI details, and those on
    published records (a body named only on a draft must not reveal the draft)."""
    return (
        public_bodies()
        .filter(published_q("records__") | ~Q(foi_email="") | ~Q(postal_address=""))
        .distinct()
    )


class BodyListView(ListView):
    template_name = "foi/body_list.html"
    context_object_name = "bodies"

    def get_queryset(self):
        return listed_bodies().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stats = body_statistics()
        context["rows"] = [(body, stats.get(body.pk) or BodyStats()) for body in context["bodies"]]
        return context


class BodyDetailView(DetailView):
    template_name = "foi/body_detail.html"
    context_object_name = "body"
    slug_url_kwarg = "slug"

    def get_object(self, queryset=None):
        return get_object_or_404(listed_bodies().select_related("parent"), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        body = self.object
        user = self.request.user
        return super().get_context_data(
            stats=body_statistics([body.pk]).get(body.pk),
            requests=public_requests().filter(public_body=body).order_by("-sent_on", "-pk")[:50],
            children=listed_bodies().filter(parent=body),
            following=user.is_authenticated
            and Follow.objects.filter(user=user, body=body).exists(),
            today=timezone.localdate(),
            **kwargs,
        )
