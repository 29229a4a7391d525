"""Attached files: the bytes, and their text page by page.

Both go through ``Attachment.objects.visible_to``: a file on a draft is as hidden as the
draft, and a reply's file held for review is seen only by the requester and editors. The
storage path is derived from the file's hash, never from anything in the request.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.generic import DetailView

from records.models import Attachment
from records.records.views.citations import CITATION_FORMATS, citation_of


def _attachment(request, public_id, pk):
    return get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related("file", "record"),
        record__public_id=public_id,
        pk=pk,
    )


def _delivered(stored, *, filename, inline):
    """The response that hands over the file's bytes, as ``FILE_DELIVERY`` says: streamed by
    this process, sent by nginx from disk (``X-Accel-Redirect`` to ``FILE_ACCEL_PREFIX``), or
    fetched by the browser from the bucket through a short-lived signed URL."""
    disposition = content_disposition_header(not inline, filename)
    if settings.FILE_DELIVERY == "x-accel":
        response = HttpResponse(content_type=stored.content_type)
        response["X-Accel-Redirect"] = settings.FILE_ACCEL_PREFIX + quote(stored.blob.name)
        response["Content-Disposition"] = disposition
        return response
    if settings.FILE_DELIVERY == "redirect":
        url = stored.blob.storage.url(
            stored.blob.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": stored.content_type,
            },
            expire=settings.FILE_URL_EXPIRY,
        )
        return HttpResponseRedirect(url)
    return FileResponse(
        stored.blob.open("rb"),
        as_attachment=not inline,
        filename=filename,
        content_type=stored.content_type,
    )


def file_view(request, public_id, pk, name=None):
    attachment = _attachment(request, public_id, pk)
    stored = attachment.file
    inline = stored.opens_in_browser and not request.GET.get("download")
    response = _delivered(stored, filename=attachment.name, inline=inline)
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
        record = self.object.record
        page = _cited_page_number(self.request, self.object)
        return super().get_context_data(
            record=record,
            pages=self.object.file.page_texts.all(),
            cited_page=page,
            citation=citation_of(self.request, record, attachment=self.object, page=page)
            if page
            else None,
            citation_formats=CITATION_FORMATS,
            **kwargs,
        )


def _cited_page_number(request, attachment):
    """The page the reader cites (``?page=``), if it is one of the file's."""
    try:
        page = int(request.GET.get("page", ""))
    except ValueError:
        return None
    return page if 1 <= page <= (attachment.file.pages or 0) else None
