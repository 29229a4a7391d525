"""The FOI side of the API: requests with their thread and deadlines, and the directory of
public bodies. Visibility is the pages' (``records.foi.selectors``, ``visible_to``)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound

from records.api.schema import FILTER_ERRORS, NOT_FOUND, PAGE_PARAMETER, RecordPagination
from records.foi.directory import BodyFilter, listed_bodies
from records.foi.selectors import FOIRequestFilter, public_requests
from records.foi.stats import BodyStats, body_statistics
from records.foi.thread import EVENT_ACTORS, thread_prefetch, thread_to_dict
from records.models import (
    Attachment,
    BodyKind,
    Direction,
    EventKind,
    FOIRequest,
    FOIStatus,
    MessageKind,
    Record,
    SentVia,
)


class BodyRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, body) -> str:
        return self.context["request"].build_absolute_uri(body.get_body_url())


class BodyStatsSerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    answered_in_time = serializers.IntegerField()
    answered_late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    refused = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)


class BodySerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The body's name (in Serbian).")
    name_en = serializers.CharField(allow_blank=True)
    slug = serializers.CharField()
    url = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(source="body_kind", choices=BodyKind.choices, allow_blank=True)
    foi_email = serializers.CharField(allow_blank=True, help_text="Empty: requests go by post.")
    postal_address = serializers.CharField(allow_blank=True)
    website = serializers.CharField(allow_blank=True)
    parent = BodyRefSerializer(allow_null=True)
    appeals_to_commissioner = serializers.BooleanField(
        help_text="False for the six bodies of Art. 22(2): an administrative dispute instead."
    )
    contact_source = serializers.CharField(allow_blank=True)
    contact_checked_on = serializers.DateField(allow_null=True)
    is_test = serializers.BooleanField(help_text="A test body (the demo's), not a real one.")
    statistics = serializers.SerializerMethodField()

    def get_url(self, body) -> str:
        return self.context["request"].build_absolute_uri(body.get_body_url())

    @extend_schema_field(BodyStatsSerializer)
    def get_statistics(self, body):
        stats = self.context["statistics"].get(body.pk) or BodyStats()
        return BodyStatsSerializer(stats).data


class ThreadFileSerializer(serializers.Serializer):
    name = serializers.CharField()
    names = serializers.ListField(
        child=serializers.CharField(),
        help_text="The names this message gave the file (the same bytes may have come "
        "under another name in another message).",
    )
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.URLField()


class MessageSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=Direction.choices)
    via = serializers.ChoiceField(choices=SentVia.choices)
    sent_at = serializers.DateTimeField()
    sender = serializers.ChoiceField(choices=["requester", "body"])
    kind = serializers.ChoiceField(
        choices=MessageKind.choices,
        help_text="A letter (answer), a bounce of one of the requester's messages, or an "
        "automatic reply (neither of the last two is the body's answer).",
    )
    subject = serializers.CharField(allow_blank=True)
    text = serializers.CharField(
        allow_blank=True,
        help_text="The text as the public reads it: the requester's details taken out and "
        "the editors' redaction rules applied.",
    )
    classified_as = serializers.ChoiceField(choices=FOIStatus.choices, allow_null=True)
    files = ThreadFileSerializer(many=True)
    skipped_files = serializers.ListField(child=serializers.JSONField())


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=EventKind.choices)
    by = serializers.ChoiceField(choices=EVENT_ACTORS)
    status_before = serializers.ChoiceField(choices=FOIStatus.choices, allow_null=True)
    status_after = serializers.ChoiceField(choices=FOIStatus.choices, allow_null=True)
    note = serializers.CharField(allow_blank=True)
    message = serializers.IntegerField(
        allow_null=True, help_text="The position of its message in `messages`, from 0."
    )


class DeadlinesSerializer(serializers.Serializer):
    due_on = serializers.DateField(allow_null=True, help_text="The answer is due (Art. 16).")
    final_due_on = serializers.DateField(
        allow_null=True, help_text="The latest lawful answer date (40 days)."
    )
    overdue = serializers.BooleanField()
    very_overdue = serializers.BooleanField()
    days_left = serializers.IntegerField(allow_null=True)
    appeal_due_on = serializers.DateField(allow_null=True)


class RequestSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    language = serializers.CharField()
    public_body = BodyRefSerializer(allow_null=True)
    status = serializers.ChoiceField(source="foi_status", choices=FOIStatus.choices)
    status_label = serializers.CharField(source="get_foi_status_display")
    requester = serializers.CharField(
        source="requester_name", help_text="The requester's public name, never their real one."
    )
    urgent = serializers.BooleanField()
    sent_via = serializers.ChoiceField(choices=SentVia.choices, allow_blank=True)
    sent_on = serializers.DateField(allow_null=True)
    received_on = serializers.DateField(allow_null=True)
    deadlines = serializers.SerializerMethodField()

    def get_url(self, foi) -> str:
        return self.context["request"].build_absolute_uri(foi.get_absolute_url())

    @extend_schema_field(DeadlinesSerializer)
    def get_deadlines(self, foi):
        return DeadlinesSerializer(
            {
                "due_on": foi.due_on,
                "final_due_on": foi.final_due_on,
                "overdue": foi.is_overdue(),
                "very_overdue": foi.is_very_overdue(),
                "days_left": foi.days_left(),
                "appeal_due_on": foi.appeal_due_on,
            }
        ).data


class RequestDetailSerializer(RequestSerializer):
    letter = serializers.CharField(source="body")
    messages = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def _thread(self, foi):
        if not hasattr(foi, "_api_thread"):
            request = self.context["request"]
            foi._api_thread = thread_to_dict(
                foi,
                public=True,
                file_url=lambda a: request.build_absolute_uri(a.get_absolute_url()),
            )
        return foi._api_thread

    @extend_schema_field(MessageSerializer(many=True))
    def get_messages(self, foi):
        return MessageSerializer(self._thread(foi)["messages"], many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, foi):
        return EventSerializer(self._thread(foi)["events"], many=True).data


# The views


class StrictPagination(RecordPagination):
    """A ``page`` that is not a whole number (an empty one too) is a 404, as the schema
    says it is an integer from 1; DRF would read an empty one as page 1."""

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and not (raw.isascii() and raw.isdigit()):
            raise NotFound(_("Invalid page."))
        return super().get_page_number(request, paginator)


@extend_schema(
    summary="List the public FOI requests",
    filters=False,
    parameters=[
        OpenApiParameter("body", str, description="Only requests to this body (its slug)."),
        OpenApiParameter(
            "status", str, enum=[*FOIStatus.values[1:], ""], description="Only this status."
        ),
        OpenApiParameter(
            "overdue",
            str,
            enum=["true", "false", ""],
            description="Only overdue requests, or none.",
        ),
        OpenApiParameter(
            "year",
            {"type": "integer", "minimum": 1, "maximum": 9999},
            description="Only requests sent in this year.",
        ),
        PAGE_PARAMETER,
    ],
    responses={200: RequestSerializer(many=True), 400: FILTER_ERRORS, 404: NOT_FOUND},
)
class RequestListAPIView(generics.ListAPIView):
    """The requests the FOI section lists (published, sent, not samples), newest first."""

    serializer_class = RequestSerializer
    filterset_class = FOIRequestFilter
    pagination_class = StrictPagination

    def get_queryset(self):
        return public_requests().order_by("-sent_on", "-pk")


@extend_schema(
    summary="One FOI request with its correspondence, timeline and deadlines",
    responses={200: RequestDetailSerializer, 404: NOT_FOUND},
)
class RequestDetailAPIView(generics.RetrieveAPIView):
    """A request as its page shows it to the caller: published ones to anyone; the
    requester's own drafts and embargoed ones to the requester; files held for review only
    to those who may review them."""

    serializer_class = RequestDetailSerializer

    def get_object(self):
        user = self.request.user
        files = Attachment.objects.visible_to(user)
        visible = FOIRequest.objects.filter(
            pk__in=Record.objects.visible_to(user).values("pk")
        ).select_related("public_body", "requester__profile")
        return get_object_or_404(
            visible.prefetch_related(*thread_prefetch(public=True, files=files)),
            public_id=self.kwargs["public_id"],
        )


@extend_schema(
    summary="The directory of public bodies",
    filters=False,
    parameters=[
        OpenApiParameter(
            "q",
            str,
            description="Words of the name, in either script, with or without diacritics, "
            "in Serbian or English.",
        ),
        OpenApiParameter("kind", str, enum=[*BodyKind.values, ""], description="Only this kind."),
        PAGE_PARAMETER,
    ],
    responses={200: BodySerializer(many=True), 400: FILTER_ERRORS, 404: NOT_FOUND},
)
class BodyListAPIView(generics.ListAPIView):
    """The bodies the directory lists, by name, with where requests go and their record."""

    serializer_class = BodySerializer
    filterset_class = BodyFilter
    pagination_class = StrictPagination

    def get_queryset(self):
        return listed_bodies().select_related("parent").order_by("name", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "statistics": body_statistics()}
