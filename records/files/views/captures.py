"""Web captures: an archived copy's text and its WARC file.

A capture is public when the record it belongs to is; the captured page itself is never
served as HTML from this site (it could run scripts): readers get its text and the WARC.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView

from records.core import permissions
from records.models import CaptureState, WebCapture


def visible_captures(user):
    return permissions.visible_captures(WebCapture.objects.all(), user)


class CaptureView(DetailView):
    template_name = "records/capture.html"
    context_object_name = "capture"

    def get_object(self, queryset=None):
        return get_object_or_404(visible_captures(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        history = (
            visible_captures(self.request.user)
            .filter(url=self.object.url, state=CaptureState.DONE)
            .order_by("-captured_at", "-pk")
        )
        return super().get_context_data(history=history, **kwargs)


def capture_warc(request, pk):
    web_capture = get_object_or_404(
        visible_captures(request.user).filter(state=CaptureState.DONE), pk=pk
    )
    response = FileResponse(
        web_capture.warc.open("rb"),
        as_attachment=True,
        filename=f"capture-{web_capture.pk}.warc.gz",
        content_type="application/warc",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
