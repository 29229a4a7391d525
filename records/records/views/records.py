from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView

from records.core.pagination import RecordPaginator
from records.files.views.captures import visible_captures
from records.foi.selectors import in_story, is_example
from records.foi.views.requests import request_context
from records.models import KIND_MODELS, Attachment, CaptureState, Kind, Question, Record
from records.records.filters import RecordFilter
from records.records.graph import link_graph
from records.records.selectors import for_listing, grouped_links, public_records, record_links
from records.records.views.citations import CITATION_FORMATS, citation_of


class FilteredRecordsMixin:
    """A paginated list of published records narrowed by the shared ``RecordFilter``.

    Search words go to the search page, which ranks and highlights; lists are in date or
    title order, so "most relevant" is not offered here.
    """

    paginate_by = 25
    paginator_class = RecordPaginator

    def get(self, request, *args, **kwargs):
        if request.GET.get("q", "").strip():
            return redirect(f"{reverse('records:search')}?{request.GET.urlencode()}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = RecordFilter(self.request.GET or None, queryset=self.base_queryset())
        sort = self.filterset.form.fields["sort"]
        sort.choices = [(value, label) for value, label in sort.choices if value != "relevance"]
        queryset = self.filterset.qs
        if not self.request.GET.get("sort"):
            queryset = queryset.in_date_order(newest_first=self.newest_first)
        return queryset

    def base_queryset(self):
        return public_records()

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            filter=self.filterset, query_without_page=query.urlencode(), **kwargs
        )


class RecordListView(FilteredRecordsMixin, ListView):
    template_name = "records/record_list.html"
    newest_first = True


class TimelineView(FilteredRecordsMixin, ListView):
    """Every published record in date order, grouped by year in the template."""

    template_name = "records/timeline.html"
    paginate_by = 50
    newest_first = False

    def base_queryset(self):
        # The curated story: an entry shows no tags.
        return for_listing(in_story(Record.objects.published()), tags=False)


class RecordDetailView(DetailView):
    template_name = "records/record_detail.html"
    context_object_name = "record"

    def get_object(self, queryset=None):
        visible = Record.objects.visible_to(self.request.user)
        record = get_object_or_404(visible, public_id=self.kwargs["public_id"])
        specific_model = KIND_MODELS.get(record.kind)
        if specific_model is None:
            raise Http404
        return (
            specific_model.objects.filter(pk=record.pk)
            .prefetch_related("tags", "actor_roles__actor")
            .get()
        )

    def get_context_data(self, **kwargs):
        record = self.object
        if record.kind == Kind.FOI_REQUEST:
            kwargs.update(request_context(record, self.request.user))
        links = record_links(record)  # one list for both the text list and the diagram
        return super().get_context_data(
            link_groups=grouped_links(links),
            graph=link_graph(record, links, reader=get_language()),
            citation=citation_of(self.request, record),
            citation_formats=CITATION_FORMATS,
            question_links=record.question_links.filter(
                question__in=Question.objects.published()
            ).select_related("question"),
            is_example=is_example(record),
            attachments=Attachment.objects.visible_to(self.request.user)
            .filter(record=record)
            .select_related("file"),
            source_captures=(
                visible_captures(self.request.user)
                .filter(url=record.source_url, state=CaptureState.DONE)
                .order_by("-captured_at")
                if record.source_url
                else []
            ),
            **kwargs,
        )
