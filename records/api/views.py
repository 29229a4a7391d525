from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from rest_framework import generics
from rest_framework.response import Response

from records.api.search import search_response
from records.api.serializers import RecordDetailSerializer, RecordSerializer
from records.filters import RecordFilter
from records.models import KIND_MODELS, Record
from records.selectors import public_records, record_links
from records.services import export_jsonl

# Search results come in pages of the search page's size, so page N is the same list.
SEARCH_PAGE_SIZE = 20


class RecordListAPIView(generics.ListAPIView):
    """Published records, newest first, narrowed by the same filters as the list page.

    With ``q`` it is the search: the query language of the search page, the same order
    (relevance by default), and each result's ``snippet``, plus ``facets``.
    """

    serializer_class = RecordSerializer
    filterset_class = RecordFilter

    def get_queryset(self):
        return public_records()

    def list(self, request, *args, **kwargs):
        if not request.query_params.get("q"):
            return super().list(request, *args, **kwargs)
        filterset = RecordFilter(request.query_params, queryset=Record.objects.published())
        if not filterset.is_valid():
            return Response(filterset.errors, status=400)
        return search_response(request, filterset, per_page=SEARCH_PAGE_SIZE)


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


@require_GET
def export_view(request):
    """The published archive as JSON Lines, narrowed by the list filters if any are given."""
    filterset = RecordFilter(request.GET or None, queryset=Record.objects.published())
    if filterset.is_bound and not filterset.is_valid():
        return JsonResponse(filterset.errors, status=400)
    response = StreamingHttpResponse(
        export_jsonl(filterset.qs, public=True), content_type="application/x-ndjson; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="nadzor-export.jsonl"'
    return response
