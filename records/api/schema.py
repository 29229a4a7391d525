"""What the OpenAPI schema (/api/schema/) says about the API, where introspection cannot tell.

The list answers in two shapes that share one page structure: without ``q`` a plain page of
records; with ``q`` the search, whose page adds counts that may be estimates, facets, and a
title, snippet and file hit per result. ``RecordPagination`` describes both, so a response of
either shape is checked against one schema (tests/test_api_contract.py runs schemathesis).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from records.models import Kind, Language, Relation
from records.records.filters import SORT_CHOICES

_DATE_HELP = "A date written YYYY, YYYY-MM or YYYY-MM-DD."

# The list's filters: the same FilterSet as the record list page (records/records/filters.py). As
# in the page's form, an empty value is no filter ("any kind").
FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description=(
            "Search words in the query language of the search page: all words must match, "
            '"an exact phrase", `a OR b`, `-excluded`. Any text is accepted. With `q` the '
            "results come in relevance order (unless `sort` says otherwise) with facets and "
            "snippets."
        ),
    ),
    OpenApiParameter(
        "kind", str, enum=[*Kind.values, ""], description="Only records of this kind."
    ),
    OpenApiParameter("actor", str, description="Only records with this actor (the actor's slug)."),
    OpenApiParameter("tag", str, description="Only records with this tag (the tag's slug)."),
    OpenApiParameter(
        "language",
        str,
        enum=[*Language.values, ""],
        description="Only records in this language.",
    ),
    OpenApiParameter("date_from", str, description=f"Records dated on or after this. {_DATE_HELP}"),
    OpenApiParameter(
        "date_to", str, description=f"Records dated on or before the end of this. {_DATE_HELP}"
    ),
    OpenApiParameter(
        "sort",
        str,
        enum=[*(value for value, _label in SORT_CHOICES), ""],
        description="The order: `relevance` (the default with `q`), `-date` (the default "
        "without `q`), `date`, `title`, `-title`.",
    ),
]
PAGE_PARAMETER = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1},
    description="The page number, from 1 (50 records a page; 20 with `q`). A page that does "
    "not exist is a 404.",
)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# A filter that does not validate answers 400 with the reasons, per parameter.
FILTER_ERRORS = OpenApiResponse(
    response={
        "type": "object",
        "description": "Each invalid parameter with its reasons, or `detail`.",
        "additionalProperties": {
            "oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
        },
    },
    description="A parameter is invalid (an unknown kind, actor or tag, a malformed date).",
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such published record or page.")


_FACET_VALUES = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["value", "label", "count"],
        "properties": {
            "value": {
                "type": "string",
                "description": "The value to filter by (a kind, slug, language or year).",
            },
            "label": {"type": "string"},
            "count": {"type": "integer"},
        },
    },
}
# What a search adds to each result (only with ``q``).
_SEARCH_HIT = {
    "type": "object",
    "properties": {
        "title_html": {
            "type": "string",
            "description": "The title, HTML-escaped, with the matched words in <mark>.",
        },
        "snippet": {
            "type": "string",
            "description": "An HTML-escaped extract around the matches, in <mark>.",
        },
        "in_file": {
            "type": "object",
            "nullable": True,
            "description": "When the words were found in an attached file: where.",
            "required": ["name", "page", "url"],
            "properties": {
                "name": {"type": "string"},
                "page": {"type": "integer"},
                "url": {"type": "string", "format": "uri"},
            },
        },
    },
}


class LinkedRecordSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField()
    url = serializers.URLField()


class LinkSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["outgoing", "incoming"])
    relation = serializers.ChoiceField(choices=Relation.choices)
    label = serializers.CharField(help_text="How the link reads from this record's side.")
    note = serializers.CharField(allow_blank=True)
    record = LinkedRecordSerializer()


links_field = extend_schema_field(LinkSerializer(many=True))


class RecordPagination(PageNumberPagination):
    """DRF's page-number pagination, whose schema also describes the search's page."""

    def get_paginated_response_schema(self, schema):
        page = super().get_paginated_response_schema(schema)
        page["required"] = ["count", "next", "previous", "results"]
        page["properties"]["results"] = {
            "type": "array",
            "items": {
                "allOf": [schema["items"], _SEARCH_HIT],
                "description": "A record; with `q`, also its title_html, snippet and in_file.",
            },
        }
        page["properties"].update(
            {
                "count_is_estimate": {
                    "type": "boolean",
                    "description": "Only with `q`: whether `count` is the database's estimate.",
                },
                "ranked_among": {
                    "type": "integer",
                    "nullable": True,
                    "description": "Only with `q`: how many matches the relevance order "
                    "ranked, when not all of them.",
                },
                "facets": {
                    "type": "object",
                    "properties": {
                        name: _FACET_VALUES for name in ("kind", "actor", "tag", "language", "year")
                    },
                    "description": "Only with `q`: counts of the results by kind, actor, "
                    "tag, language and year (a facet with no values is left out).",
                },
                "facets_are_estimates": {
                    "type": "boolean",
                    "description": "Only with `q`: whether the facets are scaled from a sample.",
                },
            }
        )
        return page


JSON_LINES = OpenApiResponse(
    response=OpenApiTypes.STR,
    description="One JSON object per line: each published record in the import/export form.",
)
