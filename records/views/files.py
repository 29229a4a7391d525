"""Attached files: the bytes, and their text page by page.

Both go through the record's visibility (``Record.objects.visible_to``), so a file on a
draft is as hidden as the draft. The storage path is derived from the file's hash, never
from anything in the request.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from records.models import Attachment, Record


def _attachment(request, public_id, pk):
    record = get_object_or_404(Record.objects.visible_to(request.user), public_id=public_id)
    return get_object_or_404(
        Attachment.objects.select_related("file", "record"), record=record, pk=pk
    )


def file_view(request, public_id, pk, name=None):
    attachment = _attachment(request, public_id, pk)
    stored = attachment.file
    inline = stored.opens_in_browser and not request.GET.get("download")
    response = FileResponse(
        stored.blob.open("rb"),
        as_attachment=not inline,
        filename=attachment.name,
        content_type=stored.content_type,
    )
    # Only PDFs and images (their type sniffed from their bytes) open in the browser;
    # everything else downloads, and no browser second-guesses the type.
    response["X-Content-Type-Options"] = "nosniff"
    return response


class FileTextView(DetailView):
    template_name = "records/file_text.html"
    context_object_name = "attachment"

    def get_object(self, queryset=None):
        return _attachment(self.request, self.kwargs["public_id"], self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.object.record, pages=self.object.file.page_texts.all(), **kwargs
        )
