"""Deployments of surveillance technology: a table that works without a map, the map, and
the same rows as GeoJSON (RFC 7946) and CSV downloads.

Everything starts from ``Deployment.objects.published()`` and goes through one filter
(technology, actor), so the page, the map and both downloads always show the same set.
"""

import csv

import django_filters
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.generic import ListView

from records.core.spreadsheet import safe_cell
from records.models import Actor, Deployment, RecordActor, Role, Technology
from records.records.filters import RecordFilter
from records.records.selectors import for_listing
from records.templatetags.nadzor import in_reader_script, shown_language

# Natural Earth's names in static/geo/serbia-region.geojson, as the map writes them.
COUNTRY_NAMES = {
    "Albania": _("Albania"),
    "Bosnia and Herz.": _("Bosnia and Herzegovina"),
    "Bulgaria": _("Bulgaria"),
    "Croatia": _("Croatia"),
    "Hungary": _("Hungary"),
    "Kosovo": _("Kosovo"),
    "Macedonia": _("North Macedonia"),
    "Montenegro": _("Montenegro"),
    "Romania": _("Romania"),
    "Serbia": _("Serbia"),
}
# Columns of the CSV download (the GeoJSON has the same, lists kept as lists).
CSV_COLUMNS = [
    "id",
    "title",
    "language",
    "technology",
    "technology_label",
    "place",
    "latitude",
    "longitude",
    "device_count",
    "count_basis",
    "count_basis_label",
    "date",
    "operators",
    "vendors",
    "url",
    "source_url",
]


def public_deployments():
    """Published deployments, oldest first (the order the figures were given in)."""
    return for_listing(Deployment.objects.published()).in_date_order()


def _actors_of_public_deployments():
    roles = RecordActor.objects.filter(
        actor=OuterRef("pk"), record__in=Deployment.objects.published()
    )
    return Actor.objects.filter(Exists(roles)).order_by("name")


class DeploymentFilter(django_filters.FilterSet):
    """What the map page and its downloads may be narrowed by."""

    technology = django_filters.ChoiceFilter(
        label=_("Technology"), choices=Technology.choices, empty_label=_("Any technology")
    )
    actor = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("deployment filter", "Operator, vendor or other actor"),
        to_field_name="slug",
        queryset=_actors_of_public_deployments(),
        empty_label=_("Any actor"),
        method="filter_actor",
    )

    class Meta:
        model = Deployment
        fields = ["technology", "actor"]

    # The record list's own actor filter: any role, EXISTS rather than a join.
    filter_actor = RecordFilter.filter_actor


def filtered_deployments(request):
    """``(filterset, deployments)`` for ``request``'s filters."""
    filterset = DeploymentFilter(request.GET or None, queryset=public_deployments())
    return filterset, filterset.qs


def _names(deployment, role):
    return [ra.actor.shown_name for ra in deployment.actor_roles.all() if ra.role == role]


def _count_text(deployment):
    if deployment.device_count is None:
        return ""
    count = intcomma(deployment.device_count)
    if deployment.count_basis:
        return f"{count} ({deployment.get_count_basis_display()})"
    return count


def _places(deployments):
    """The map's markers: one per pair of coordinates, listing every deployment there,
    with the text the table shows (the reader's language and script)."""
    places = {}
    for d in deployments:
        if not d.has_coordinates:
            continue
        place = places.setdefault(
            (d.latitude, d.longitude),
            {"lat": float(d.latitude), "lon": float(d.longitude), "names": [], "items": []},
        )
        name = in_reader_script(d.place, d.language)
        if name and name not in place["names"]:
            place["names"].append(name)
        date = d.partial_date
        place["items"].append(
            {
                "id": d.public_id,
                "url": d.get_absolute_url(),
                "title": in_reader_script(d.title, d.language),
                "lang": shown_language(d.language),
                "technology": str(d.get_technology_display()),
                "count": _count_text(d),
                "date": date.display() if date else "",
            }
        )
    for place in places.values():
        name = " / ".join(place.pop("names")) or str(_("Unnamed place"))
        count = len(place["items"])
        place["name"] = name
        place["label"] = ngettext(
            "%(place)s: %(count)d deployment", "%(place)s: %(count)d deployments", count
        ) % {"place": name, "count": count}
    return list(places.values())


class DeploymentMapView(ListView):
    """The deployments as a table (always) and on a map (where scripts run)."""

    template_name = "records/deployment_map.html"
    context_object_name = "deployments"

    def get_queryset(self):
        self.filterset, deployments = filtered_deployments(self.request)
        return deployments

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deployments = context["deployments"]
        for d in deployments:
            d.operator_names, d.vendor_names = _names(d, Role.OPERATOR), _names(d, Role.VENDOR)
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        context.update(
            filter=self.filterset,
            places=_places(deployments),
            unmapped=sum(1 for d in deployments if not d.has_coordinates),
            geojson_url=reverse("records:deployments-geojson") + suffix,
            csv_url=reverse("records:deployments-csv") + suffix,
            map_config={
                "tileUrl": settings.MAP_TILE_URL,
                "tileAttribution": settings.MAP_TILE_ATTRIBUTION,
                "outlineUrl": static("geo/serbia-region.geojson"),
                "countries": {name: str(label) for name, label in COUNTRY_NAMES.items()},
                "zoomIn": str(_("Zoom in")),
                "zoomOut": str(_("Zoom out")),
                "closePopup": str(_("Close")),
                "outlineAttribution": str(_("Outlines: Natural Earth")),
            },
        )
        return context


def _row(request, d):
    """One deployment as the downloads give it: ids and labels, numbers as numbers."""
    date = d.partial_date
    return {
        "id": d.public_id,
        "title": d.title,
        "language": d.language,
        "technology": d.technology,
        "technology_label": str(d.get_technology_display()),
        "place": d.place,
        "latitude": float(d.latitude) if d.latitude is not None else None,
        "longitude": float(d.longitude) if d.longitude is not None else None,
        "device_count": d.device_count,
        "count_basis": d.count_basis or None,
        "count_basis_label": str(d.get_count_basis_display()) if d.count_basis else None,
        "date": str(date) if date else None,
        "operators": _names(d, Role.OPERATOR),
        "vendors": _names(d, Role.VENDOR),
        "url": request.build_absolute_uri(d.get_absolute_url()),
        "source_url": d.source_url or None,
    }


def _filter_errors(filterset):
    if filterset.is_bound and not filterset.is_valid():
        messages = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponse(
            "\n".join(messages) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )
    return None


def deployments_geojson(request):
    """The mapped deployments as a GeoJSON FeatureCollection ([longitude, latitude])."""
    filterset, deployments = filtered_deployments(request)
    if error := _filter_errors(filterset):
        return error
    features = []
    for d in deployments:
        if not d.has_coordinates:
            continue
        properties = _row(request, d)
        lat, lon = properties.pop("latitude"), properties.pop("longitude")
        features.append(
            {
                "type": "Feature",
                "id": d.public_id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }
        )
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features},
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = 'inline; filename="nadzor-deployments.geojson"'
    return response


def deployments_csv(request):
    """Every deployment, mapped or not, as CSV (UTF-8, a header row, one row each)."""
    filterset, deployments = filtered_deployments(request)
    if error := _filter_errors(filterset):
        return error
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nadzor-deployments.csv"'
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for d in deployments:
        writer.writerow({key: safe_cell(value) for key, value in _row(request, d).items()})
    return response
