"""A record's citation as a download for reference managers (CSL-JSON, BibTeX, RIS)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from records.files.views.captures import visible_captures
from records.models import Attachment, CaptureState, Record
from records.records.citations import FORMATS, cite

# What the page offers to download, in order: (format in the URL, what the reader sees).
CITATION_FORMATS = [("ris", "RIS"), ("bib", "BibTeX"), ("csl.json", "CSL-JSON")]


def citation_of(request, record, *, attachment=None, page=None):
    """The citation of ``record`` for this reader: with the latest archived copy of its
    source they may see, and a page of ``attachment`` when they cite one."""
    capture = None
    if record.source_url:
        capture = (
            visible_captures(request.user)
            .filter(url=record.source_url, state=CaptureState.DONE)
            .order_by("-captured_at")
            .first()
        )
    file_url = None
    if attachment is not None and page:
        file_url = f"{attachment.get_text_url()}#page-{page}"
    return cite(
        record,
        accessed=timezone.localdate(),
        capture=capture,
        page=page if file_url else None,
        file_url=file_url,
    )


def cited_page(request, record):
    """(attachment, page) named by ``?file=&page=`` when they are a page of one of the
    record's files this reader may see; (None, None) otherwise."""
    try:
        pk, page = int(request.GET["file"]), int(request.GET["page"])
    except (KeyError, ValueError):
        return None, None
    attachment = (
        Attachment.objects.visible_to(request.user)
        .filter(record=record, pk=pk)
        .select_related("file")
        .first()
    )
    if attachment is None or not 1 <= page <= (attachment.file.pages or 0):
        return None, None
    return attachment, page


def record_citation(request, public_id, fmt):
    """``/r/<id>/cite.<fmt>``: the citation as a file to import in one click."""
    if fmt not in FORMATS:
        raise Http404
    record = get_object_or_404(
        Record.objects.visible_to(request.user).prefetch_related("tags", "actor_roles__actor"),
        public_id=public_id,
    )
    attachment, page = cited_page(request, record)
    citation = citation_of(request, record, attachment=attachment, page=page)
    content_type, method = FORMATS[fmt]
    response = HttpResponse(getattr(citation, method)(), content_type=content_type)
    name = f"{record.public_id}-p{page}" if page else record.public_id
    response["Content-Disposition"] = f'attachment; filename="nadzor-{name}.{fmt}"'
    if not record.is_published:
        response["Cache-Control"] = "private, no-store"
    return response
