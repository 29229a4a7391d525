from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from records.models import Tag, published_q
from records.records.selectors import public_records
from records.records.views.records import FilteredRecordsMixin


class TagListView(ListView):
    template_name = "records/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return (
            Tag.objects.annotate(n=Count("records", filter=published_q("records__"), distinct=True))
            .filter(n__gt=0)
            .order_by("name")
        )


class TagDetailView(FilteredRecordsMixin, ListView):
    template_name = "records/tag_detail.html"
    newest_first = True

    def base_queryset(self):
        self.tag = get_object_or_404(Tag.objects.in_public_records(), slug=self.kwargs["slug"])
        return public_records().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
