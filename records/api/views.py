from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from records.api.schema import (
    FILTER_ERRORS,
    FILTER_PARAMETERS,
    JSON_LINES,
    NOT_FOUND,
    PAGE_PARAMETER,
    ErrorSerializer,
    RecordPagination,
)
from records.api.search import search_response
from records.api.serializers import RecordDetailSerializer, RecordSerializer
from records.models import KIND_MODELS, Record
from records.records.filters import RecordFilter
from records.records.selectors import public_records, record_links
from records.records.services import export_jsonl

# Search results come in pages of the search page's size, so page N is the same list.
SEARCH_PAGE_SIZE = 20


@extend_schema(
    summary="List or search published records",
    filters=False,  # the parameters below say more than introspecting the FilterSet could
    parameters=[*FILTER_PARAMETERS, PAGE_PARAMETER],
    responses={200: RecordSerializer(many=True), 400: FILTER_ERRORS, 404: NOT_FOUND},
)
class RecordListAPIView(generics.ListAPIView):
    """Published records, newest first, narrowed by the same filters as the list page.

    With ``q`` it is the search: the query language of the search page, the same order
    (relevance by default), and each result's ``snippet``, plus ``facets``.
    """

    serializer_class = RecordSerializer
    filterset_class = RecordFilter
    pagination_class = RecordPagination

    def get_queryset(self):
        return public_records()

    def list(self, request, *args, **kwargs):
        if not request.query_params.get("q"):
            return super().list(request, *args, **kwargs)
        filterset = RecordFilter(request.query_params, queryset=Record.objects.published())
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        return search_response(request, filterset, per_page=SEARCH_PAGE_SIZE)


@extend_schema(
    summary="One published record",
    responses={
        200: RecordDetailSerializer,
        400: OpenApiResponse(ErrorSerializer, description="The id holds a NUL character."),
        404: NOT_FOUND,
    },
)
class RecordDetailAPIView(generics.RetrieveAPIView):
    """One published record with its body and its links in both directions."""

    serializer_class = RecordDetailSerializer

    def get_object(self):
        record = get_object_or_404(Record.objects.published(), public_id=self.kwargs["public_id"])
        self.links = record_links(record)
        return (
            KIND_MODELS[record.kind]
            .objects.prefetch_related("tags", "actor_roles__actor")
            .get(pk=record.pk)
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "links": getattr(self, "links", [])}


class _JSONLinesRenderer(JSONRenderer):
    """Names the export's media type; the export streams its lines itself."""

    media_type = "application/x-ndjson"


class _AnyAccept(BaseContentNegotiation):
    """The export is JSON Lines whatever the client asks for (a download, not a resource)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """The published archive as JSON Lines, narrowed by the list filters if any are given."""

    renderer_classes = [_JSONLinesRenderer]
    content_negotiation_class = _AnyAccept
    filter_backends = []

    @extend_schema(
        summary="Export published records as JSON Lines",
        operation_id="records_export",
        tags=["records"],
        parameters=FILTER_PARAMETERS,
        responses={
            (200, "application/x-ndjson"): JSON_LINES,
            (400, "application/json"): FILTER_ERRORS,
        },
    )
    def get(self, request):
        filterset = RecordFilter(request.GET or None, queryset=Record.objects.published())
        if filterset.is_bound and not filterset.is_valid():
            return JsonResponse(filterset.errors, status=400)
        response = StreamingHttpResponse(
            export_jsonl(filterset.qs, public=True),
            content_type="application/x-ndjson; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="nadzor-export.jsonl"'
        return response


export_view = ExportView.as_view()
