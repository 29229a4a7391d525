"""The largest request the archive reads (``MAX_REQUEST_SIZE``), refused before it is read.

A body whose ``Content-Length`` is over the limit is answered 413 at once, without
reading a byte of it. A body without one (chunked) or one that grows past the limit while
being read is cut off by the upload handler, which stops reading the connection; the view
never runs, so nothing half-sent is saved. The reverse proxy should refuse the same size
first (nginx ``client_max_body_size``), so the application is the second line.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import JsonResponse
from django.shortcuts import render


def request_too_large(request):
    limit = settings.MAX_REQUEST_SIZE
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": f"The request is larger than {limit} bytes, the most accepted."},
            status=413,
        )
    response = render(request, "413.html", {"limit": limit}, status=413)
    response["Connection"] = "close"
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_SIZE:
            return request_too_large(request)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        # The CSRF check before this has read the form (and its files), so an upload the
        # handler stopped is known here, before the view could save any of it.
        if request.method == "POST":
            request.POST  # noqa: B018 -- parse the body now, within the limit
        if getattr(request, "_upload_too_large", False):
            return request_too_large(request)
        return None


class SizeLimitUploadHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: counts the bytes of the files as they arrive and
    stops reading the connection once they pass ``MAX_REQUEST_SIZE``."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > settings.MAX_REQUEST_SIZE:
            self.request._upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
