"""Deployments of surveillance technology: a list that works without a map, and the map."""

from django.views.generic import ListView

from records.models import Deployment
from records.selectors import for_listing


def public_deployments():
    return for_listing(Deployment.objects.published()).order_by("place", "date", "pk")


class DeploymentMapView(ListView):
    """The deployments as a table (always) and on a map (where scripts and tiles load)."""

    template_name = "records/deployment_map.html"
    context_object_name = "deployments"

    def get_queryset(self):
        return public_deployments()
