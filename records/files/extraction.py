"""Text out of stored files, page by page: the PDF text layer, OCR where there is none.

PDFs are read with pypdf one page at a time, so a 500-page file needs the memory of one
page. A page without a text layer is rendered with pdfium (pypdfium2) and read by
Tesseract, when it is installed (see the README); otherwise it stays empty and the file
says why. Plain text and e-mail become one page. Nothing here raises for a bad file: it
ends ``failed`` with the reason, and the worker goes on.
"""

import email
import email.policy
import logging
import shutil
import subprocess
from io import BytesIO

import pypdf
import pypdfium2
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from records.files import sniffing
from records.models import FilePage, FileState, StoredFile

log = logging.getLogger(__name__)

# Render scanned pages at this resolution for OCR (Tesseract reads 300 dpi best).
OCR_DPI = 300
OCR_TIMEOUT = 180
# A page with fewer characters than this in its text layer is treated as scanned.
MIN_TEXT_CHARS = 8


def tesseract_available():
    return shutil.which("tesseract") is not None


def ocr_image(image):
    """The text Tesseract reads in a PIL ``image``."""
    buffer = BytesIO()
    image.convert("L").save(buffer, format="PNG")
    result = subprocess.run(  # noqa: S603 -- fixed program, arguments from settings
        ["tesseract", "stdin", "stdout", "-l", settings.OCR_LANGUAGES],  # noqa: S607
        input=buffer.getvalue(),
        capture_output=True,
        timeout=OCR_TIMEOUT,
        check=True,
    )
    return result.stdout.decode("utf-8", "replace").strip()


def extract(stored_file):
    """Extract ``stored_file``'s text into ``FilePage`` rows and set its state."""
    Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
    _set(stored_file, state=FileState.EXTRACTING, problem="", progress_done=0, progress_total=0)
    try:
        with stored_file.blob.open("rb") as handle:
            if stored_file.content_type == sniffing.PDF:
                _extract_pdf(stored_file, handle)
            elif stored_file.content_type == sniffing.PLAIN_TEXT:
                _save_pages(stored_file, [(_decode(handle.read()), False)])
            elif stored_file.content_type == sniffing.EMAIL:
                _save_pages(stored_file, [(_email_text(handle.read()), False)])
            elif stored_file.content_type in sniffing.IMAGES:
                _extract_image(stored_file, handle)
            else:
                _save_pages(stored_file, [])
                _set(stored_file, problem=_("no text is read from files of this type"))
    except Exception as error:  # a bad file must never stop the worker
        log.warning("Text extraction failed for %s: %r", stored_file.sha256, error)
        _set(stored_file, state=FileState.FAILED, problem=_describe(error))
        return stored_file
    _set(stored_file, state=FileState.DONE, extracted_at=timezone.now())
    return stored_file


def _set(stored_file, **fields):
    for name, value in fields.items():
        setattr(stored_file, name, value)
    StoredFile.objects.filter(pk=stored_file.pk).update(**fields)


def _save_pages(stored_file, pages):
    with transaction.atomic():
        FilePage.objects.filter(file=stored_file).delete()
        FilePage.objects.bulk_create(
            FilePage(file=stored_file, number=number, text=text, ocr=ocr)
            for number, (text, ocr) in enumerate(pages, start=1)
        )
    _set(stored_file, pages=len(pages) or None)


def _extract_pdf(stored_file, handle):
    reader = pypdf.PdfReader(handle)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception:
            opened = 0
        if not opened:
            _set(
                stored_file,
                encrypted=True,
                pages=_encrypted_page_count(reader),
                problem=_("encrypted, no text"),
            )
            FilePage.objects.filter(file=stored_file).delete()
            return
    FilePage.objects.filter(file=stored_file).delete()
    try:
        scanned = _save_text_layer(stored_file, _pypdf_pages(reader))
    except pypdf.errors.PdfReadError:
        # pypdf gives up on some damaged page trees that pdfium reads; try it before failing.
        FilePage.objects.filter(file=stored_file).delete()
        handle.seek(0)
        try:
            scanned = _save_text_layer(stored_file, _pdfium_pages(handle))
        except pypdfium2.PdfiumError:
            FilePage.objects.filter(file=stored_file).delete()
            raise
    if not scanned:
        return
    if not tesseract_available():
        _set(
            stored_file,
            problem=_("%(n)s page(s) without a text layer; OCR is not installed")
            % {"n": len(scanned)},
        )
        return
    _set(stored_file, state=FileState.OCR, progress_done=0, progress_total=len(scanned))
    handle.seek(0)
    document = pypdfium2.PdfDocument(handle)
    try:
        for done, number in enumerate(scanned, start=1):
            page = document[number - 1]
            width, height = page.get_size()
            scale = OCR_DPI / 72
            if width * height * scale * scale > settings.MAX_IMAGE_PIXELS:
                scale = (settings.MAX_IMAGE_PIXELS / (width * height)) ** 0.5
            image = page.render(scale=scale).to_pil()
            text = ocr_image(image)
            FilePage.objects.filter(file=stored_file, number=number).update(text=text, ocr=True)
            _set(stored_file, progress_done=done)
    finally:
        document.close()


def _pypdf_pages(reader):
    for page in reader.pages:
        yield page.extract_text() or ""


def _pdfium_pages(handle):
    document = pypdfium2.PdfDocument(handle)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                yield textpage.get_text_bounded()
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()


def _save_text_layer(stored_file, texts):
    """Save each page's text as it is read (one page in memory at a time); return the
    numbers of pages with no text layer to speak of."""
    scanned, total = [], 0
    for number, raw in enumerate(texts, start=1):
        text = raw.replace("\x00", "").strip()
        if len(text) < MIN_TEXT_CHARS:
            scanned.append(number)
        FilePage.objects.create(file=stored_file, number=number, text=text)
        total = number
    _set(stored_file, pages=total)
    return scanned


def _encrypted_page_count(reader):
    """The page count of a PDF we cannot open: the page tree's /Count is a plain number,
    never encrypted, so pypdf is told to read the structure without decrypting."""
    try:
        reader._override_encryption = True
        return int(reader.trailer["/Root"]["/Pages"]["/Count"])
    except Exception:
        return None
    finally:
        reader._override_encryption = False


def _extract_image(stored_file, handle):
    image = Image.open(handle)
    image.load()
    if not tesseract_available():
        _save_pages(stored_file, [("", False)])
        _set(stored_file, problem=_("OCR is not installed"))
        return
    _set(stored_file, state=FileState.OCR, progress_done=0, progress_total=1)
    _save_pages(stored_file, [(ocr_image(image), True)])
    _set(stored_file, progress_done=1)


def _decode(data):
    for encoding in ("utf-8", "cp1250"):
        try:
            return data.decode(encoding).replace("\x00", "")
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1").replace("\x00", "")


def _email_text(data):
    message = email.message_from_bytes(data, policy=email.policy.default)
    parts = [
        f"{name}: {message[name]}" for name in ("From", "To", "Date", "Subject") if message[name]
    ]
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        content = body.get_content()
        if body.get_content_type() == "text/html":
            from django.utils.html import strip_tags

            content = strip_tags(content)
        parts.append(content)
    return "\n".join(parts).replace("\x00", "").strip()


def _describe(error):
    if isinstance(error, pypdf.errors.PdfReadError | pypdf.errors.PdfStreamError):
        return _("the PDF is damaged or truncated (%(detail)s)") % {"detail": str(error)[:200]}
    if isinstance(error, Image.DecompressionBombError):
        return _("the image is too large to read safely")
    if isinstance(error, subprocess.TimeoutExpired):
        return _("OCR took too long")
    return _("the file could not be read (%(detail)s)") % {"detail": str(error)[:200]}
