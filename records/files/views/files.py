"""Attached files: the bytes, and their text page by page.

Both go through ``Attachment.objects.visible_to``: a file on a draft is as hidden as the
draft, and a reply's file held for review is seen only by the requester and editors. The
storage path is derived from the file's hash, never from anything in the request.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from records.models import Attachment


def _attachment(request, public_id, pk):
    return get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("file", "record"),
        record__public_id=public_id,
        pk=pk,
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
    if attachment.held:
        # Seen by the requester and editors only: no shared cache may keep a copy.
        response["Cache-Control"] = "private, no-store"
    return response


class FileTextView(DetailView):
    template_name = "records/file_text.html"
    context_object_name = "attachment"

    def get_object(self, queryset=None):
        return _attachment(self.request, self.kwargs["public_id"], self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.object.held:
            response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=self.object.record,
            pages=self.object.file.page_texts.all(),
            **kwargs,
        )
