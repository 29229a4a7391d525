"""The search side of ``/api/records/``: what a request with ``q`` returns."""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.api.serializers import RecordSerializer
from records.search.engine import search


def search_response(request, filterset, *, per_page):
    # As the list without ``q`` (DRF's paginator): a page that is not a page number, or
    # lies beyond the last, is a 404, so the ``page`` parameter means one thing in both.
    try:
        page = int(request.query_params.get("page", 1))
    except ValueError:
        page = 0
    if page < 1:
        raise NotFound(PageNumberPagination.invalid_page_message)
    results = search(filterset, page=page, per_page=per_page)
    if page > results.num_pages:
        raise NotFound(PageNumberPagination.invalid_page_message)
    url = request.build_absolute_uri()
    serializer = RecordSerializer(
        [hit.record for hit in results.hits], many=True, context={"request": request}
    )
    rows = []
    for hit, row in zip(results.hits, serializer.data, strict=True):
        in_file = None
        if hit.in_file:
            in_file = {
                "name": hit.in_file.name,
                "page": hit.in_file.page,
                "url": request.build_absolute_uri(hit.in_file.url),
            }
        rows.append(
            {
                **row,
                "title_html": str(hit.title_html),
                "snippet": str(hit.snippet_html),
                "in_file": in_file,
            }
        )
    return Response(
        {
            "count": results.count,
            "count_is_estimate": results.count_is_estimate,
            "ranked_among": results.ranked_among,
            "next": replace_query_param(url, "page", page + 1) if results.has_next else None,
            "previous": (
                None
                if page == 1
                else remove_query_param(url, "page")
                if page == 2
                else replace_query_param(url, "page", page - 1)
            ),
            "facets": {
                facet.name: [
                    {"value": value.value, "label": value.label, "count": value.count}
                    for value in facet.values
                ]
                for facet in results.facets
            },
            "facets_are_estimates": results.facets_are_estimates,
            "results": rows,
        }
    )
