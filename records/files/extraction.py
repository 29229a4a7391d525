"""Text out of stored files, page by page: the PDF text layer, OCR where there is none.

PDFs are read with pypdf one page at a time, so a 500-page file needs the memory of one
page. A page without a text layer is rendered with pdfium (pypdfium2) and read by
Tesseract, when it is installed (see the README); otherwise it stays empty and the file
says why. Plain text, e-mail and Word or OpenDocument text documents (``office``) become
one page. Nothing here raises for a bad file: it ends ``failed`` with the reason, and the
worker goes on.

Hostile files are read within limits (settings, from the environment): no PDF stream is
decompressed beyond ``PDF_MAX_STREAM_BYTES`` (a few kilobytes of nested FlateDecode can
claim hundreds of megabytes), at most ``PDF_MAX_PAGES`` pages are read, a page keeps at
most ``MAX_PAGE_TEXT`` characters and a file ``MAX_FILE_TEXT``, and no page whose images
exceed ``MAX_IMAGE_PIXELS`` is rendered for OCR. A page over a limit is skipped and the
file is done with a problem that names the pages; a file whose structure is over a limit
fails with the reason.
"""

import email
import email.policy
import logging
import os
import shutil
import subprocess
from contextlib import contextmanager
from io import BytesIO

import pypdf
import pypdfium2
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from PIL import Image

from records.files import office, sniffing
from records.models import FilePage, FileState, StoredFile
from records.search.normalise import WORD

log = logging.getLogger(__name__)

# Render scanned pages at this resolution for OCR (Tesseract reads 300 dpi best).
OCR_DPI = 300
OCR_TIMEOUT = 180
# A page with fewer characters than this in its text layer is treated as scanned.
MIN_TEXT_CHARS = 8
# pypdf's budget of operands and operators parsed in one content stream: a text page has
# thousands, a dense map tens of thousands; millions are an attack on memory.
PDF_MAX_PAGE_OPERATIONS = 1_000_000
# Pages named in a problem, at most (then "…").
LISTED_PAGES = 10


OFFICE_TEXT = {sniffing.DOCX: office.docx_text, sniffing.ODT: office.odt_text}


class PageTooLarge(Exception):
    """A page whose content is over a safety limit; it is skipped, not the whole file."""


@contextmanager
def pdf_limits():
    """Read PDFs with pypdf inside this block: no stream decompresses beyond
    ``PDF_MAX_STREAM_BYTES``, whatever its filters claim (pypdf raises
    ``LimitReachedError`` instead)."""
    most = settings.PDF_MAX_STREAM_BYTES
    with pypdf.apply_configuration(
        zlib_maximum_output_length=most,
        lzw_maximum_output_length=most,
        run_length_maximum_output_length=most,
        jbig2_maximum_output_length=most,
        brotli_maximum_output_length=most,
        array_based_stream_maximum_output_length=most,
        image_maximum_buffer_size=most,
        stream_decoding_work_maximum_length=2 * most,
        stream_parsing_work_maximum_count=PDF_MAX_PAGE_OPERATIONS,
    ):
        yield


def tesseract_available():
    return shutil.which("tesseract") is not None


def ocr_image(image):
    """The text Tesseract reads in a PIL ``image``.

    Tesseract runs on one thread unless ``OMP_THREAD_LIMIT`` says otherwise: its OpenMP
    threads spin against each other, and against other workers, on a busy machine (on
    the shared 2-core benchmark machine a page took 39 s with them, 6 s without).
    Parallelism comes from running several workers instead.
    """
    buffer = BytesIO()
    image.convert("L").save(buffer, format="PNG")
    result = subprocess.run(  # noqa: S603 -- fixed program, arguments from settings
        ["tesseract", "stdin", "stdout", "-l", settings.OCR_LANGUAGES],  # noqa: S607
        input=buffer.getvalue(),
        capture_output=True,
        timeout=OCR_TIMEOUT,
        check=True,
        env={**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT") or "1"},
    )
    return result.stdout.decode("utf-8", "replace").strip()


def extract(stored_file):
    """Extract ``stored_file``'s text into ``FilePage`` rows and set its state."""
    Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
    _set(stored_file, state=FileState.EXTRACTING, problem="", progress_done=0, progress_total=0)
    try:
        with stored_file.blob.open("rb") as handle:
            if stored_file.content_type == sniffing.PDF:
                with pdf_limits():
                    _extract_pdf(stored_file, handle)
            elif stored_file.content_type == sniffing.PLAIN_TEXT:
                text, cut = _read_text(handle)
                _save_whole_text(stored_file, text, cut=cut)
            elif stored_file.content_type == sniffing.EMAIL:
                text = _email_text(handle.read())
                _save_whole_text(stored_file, text, cut=len(text) > settings.MAX_FILE_TEXT)
            elif stored_file.content_type in OFFICE_TEXT:
                text = OFFICE_TEXT[stored_file.content_type](handle)
                _save_whole_text(stored_file, text, cut=len(text) > settings.MAX_FILE_TEXT)
                _set(stored_file, pages=None)  # laid out when shown: no pages in the file
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


def words_in(text):
    """The words of ``text``, in lower case (a set)."""
    return set(WORD.findall(text.lower()))


def pdf_words(stored_file, *, max_pages=50):
    """The words (lower case) of a PDF's text layer in its first ``max_pages`` pages, read
    now, within the same limits as ``extract``: an empty set if it has none, is not a
    PDF, or cannot be read."""
    if stored_file.content_type != sniffing.PDF:
        return set()
    words = set()
    try:
        with stored_file.blob.open("rb") as handle, pdf_limits():
            reader = pypdf.PdfReader(handle)
            if reader.is_encrypted:
                return set()
            pages = _pypdf_pages(reader)
            next(pages)  # the page count
            for _number, read in zip(range(max_pages), pages, strict=False):
                try:
                    words |= words_in(read())
                except PageTooLarge:
                    continue
    except Exception as error:  # a bad file is refused or read later, never a crash here
        log.info("No text layer read from %s: %r", stored_file.sha256, error)
        return set()
    return words


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


def _save_whole_text(stored_file, text, *, cut):
    """One page of text (plain text, e-mail), at most ``MAX_FILE_TEXT`` characters."""
    _save_pages(stored_file, [(text[: settings.MAX_FILE_TEXT], False)])
    if cut:
        _set(stored_file, problem=_cut_message())


def _cut_message():
    return _("text beyond %(limit)s characters was not kept") % {
        "limit": intcomma(settings.MAX_FILE_TEXT)
    }


def _pages_list(numbers):
    listed = ", ".join(str(n) for n in numbers[:LISTED_PAGES])
    return listed + (", …" if len(numbers) > LISTED_PAGES else "")


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
        layer = _save_text_layer(stored_file, _pypdf_pages(reader))
    except pypdf.errors.PdfReadError:
        # pypdf gives up on some damaged page trees that pdfium reads; try it before failing.
        FilePage.objects.filter(file=stored_file).delete()
        handle.seek(0)
        reader = None
        try:
            layer = _save_text_layer(stored_file, _pdfium_pages(handle))
        except pypdfium2.PdfiumError:
            FilePage.objects.filter(file=stored_file).delete()
            raise
    notes = layer.notes()
    scanned = layer.scanned
    if scanned and reader is not None:
        # pdfium would decode every image of a page to render it: none over the pixel limit.
        limit = settings.MAX_IMAGE_PIXELS
        too_large = [n for n in scanned if _image_pixels(reader.pages[n - 1]) > limit]
        if too_large:
            scanned = [n for n in scanned if n not in too_large]
            notes.append(
                _("page(s) %(pages)s not read by OCR: their images are too large to read safely")
                % {"pages": _pages_list(too_large)}
            )
    if scanned and not tesseract_available():
        notes.append(
            _("%(n)s page(s) without a text layer; OCR is not installed") % {"n": len(scanned)}
        )
        scanned = []
    _set(stored_file, problem="; ".join(notes))
    if not scanned:
        return
    _set(stored_file, state=FileState.OCR, progress_done=0, progress_total=len(scanned))
    handle.seek(0)
    document = pypdfium2.PdfDocument(handle)
    budget, cut = layer.budget, False
    try:
        for done, number in enumerate(scanned, start=1):
            page = document[number - 1]
            try:
                width, height = page.get_size()
                scale = OCR_DPI / 72
                if width * height * scale * scale > settings.MAX_IMAGE_PIXELS:
                    scale = (settings.MAX_IMAGE_PIXELS / (width * height)) ** 0.5
                image = page.render(scale=scale).to_pil()
            finally:
                page.close()
            text = ocr_image(image)[: settings.MAX_PAGE_TEXT]
            del image
            if len(text) > budget:
                text, cut = text[:budget], True
            budget -= len(text)
            FilePage.objects.filter(file=stored_file, number=number).update(text=text, ocr=True)
            _set(stored_file, progress_done=done)
            if cut:
                break
    finally:
        document.close()
    if cut and _cut_message() not in notes:
        _set(stored_file, problem="; ".join([*notes, _cut_message()]))


def _image_pixels(page, depth=0):
    """The pixels of the largest image a page draws (in its forms, too), by its declared
    size; never raises."""
    try:
        xobjects = _entry(_entry(page, "/Resources") or {}, "/XObject") or {}
        largest = 0
        for name in list(xobjects.keys())[:1000]:
            xobject = xobjects[name]
            if _entry(xobject, "/Subtype") == "/Image":
                pixels = int(xobject["/Width"]) * int(xobject["/Height"])
            elif _entry(xobject, "/Subtype") == "/Form" and depth < 3:
                pixels = _image_pixels(xobject, depth + 1)
            else:
                pixels = 0
            largest = max(largest, pixels)
        return largest
    except Exception:  # a page we cannot inspect is not rendered
        return float("inf")


def _entry(dictionary, key):
    """``dictionary[key]`` resolved (pypdf's ``get`` leaves indirect objects as they are)."""
    return dictionary[key] if key in dictionary else None  # noqa: SIM401


def _pypdf_pages(reader):
    """Each page's ``read()``, which gives its text or raises ``PageTooLarge``; the total
    number of pages goes first."""
    yield len(reader.pages)

    def reader_of(page):
        def read():
            try:
                return page.extract_text() or ""
            except pypdf.errors.LimitReachedError as error:
                raise PageTooLarge(str(error)) from None

        return read

    for index in range(min(len(reader.pages), settings.PDF_MAX_PAGES)):
        yield reader_of(reader.pages[index])


def _pdfium_pages(handle):
    document = pypdfium2.PdfDocument(handle)
    try:
        yield len(document)

        def reader_of(index):
            def read():
                page = document[index]
                textpage = page.get_textpage()
                try:
                    return textpage.get_text_bounded()
                finally:
                    textpage.close()
                    page.close()

            return read

        for index in range(min(len(document), settings.PDF_MAX_PAGES)):
            yield reader_of(index)
    finally:
        document.close()


class TextLayer:
    """What reading a PDF's text layer found: pages to OCR, pages skipped, limits met."""

    def __init__(self, total):
        self.total = total
        self.read = 0
        self.scanned, self.too_large, self.cut_pages = [], [], []
        self.budget = settings.MAX_FILE_TEXT
        self.out_of_budget = False

    def notes(self):
        notes = []
        if self.read < self.total:
            notes.append(
                _("only the first %(read)s of %(total)s pages were read")
                % {"read": intcomma(self.read), "total": intcomma(self.total)}
            )
        if self.too_large:
            notes.append(
                _("page(s) %(pages)s not read: their content is too large to read safely")
                % {"pages": _pages_list(self.too_large)}
            )
        if self.cut_pages:
            notes.append(
                _("the text of page(s) %(pages)s was cut at %(limit)s characters")
                % {"pages": _pages_list(self.cut_pages), "limit": intcomma(settings.MAX_PAGE_TEXT)}
            )
        if self.out_of_budget:
            notes.append(_cut_message())
        return notes


def _save_text_layer(stored_file, pages):
    """Save each page's text as it is read (one page in memory at a time), within the
    limits; ``pages`` gives the page count, then each page's ``read()``."""
    pages = iter(pages)
    layer = TextLayer(next(pages))
    for number, read in enumerate(pages, start=1):
        text = ""
        if layer.budget <= 0:
            layer.out_of_budget = True  # not even read: no text can be kept
        else:
            try:
                text = read().replace("\x00", "").strip()
            except PageTooLarge:
                layer.too_large.append(number)
            else:
                if len(text) < MIN_TEXT_CHARS:
                    layer.scanned.append(number)
                if len(text) > settings.MAX_PAGE_TEXT:
                    text = text[: settings.MAX_PAGE_TEXT]
                    layer.cut_pages.append(number)
                if len(text) > layer.budget:
                    text = text[: layer.budget]
                    layer.out_of_budget = True
                layer.budget -= len(text)
        FilePage.objects.create(file=stored_file, number=number, text=text)
        layer.read = number
    _set(stored_file, pages=layer.total)
    return layer


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
    _save_pages(stored_file, [(ocr_image(image)[: settings.MAX_PAGE_TEXT], True)])
    _set(stored_file, progress_done=1)


def _read_text(handle):
    """``(text, cut)`` of a plain text file, reading no more bytes than ``MAX_FILE_TEXT``
    characters can take (four each, in UTF-8); ``cut`` if there was more."""
    limit = settings.MAX_FILE_TEXT
    data = handle.read(4 * limit + 1)
    more = len(data) > 4 * limit
    text = _decode(data[: 4 * limit], cut=more)
    return text[:limit], more or len(text) > limit


def _decode(data, *, cut=False):
    """Text from bytes: UTF-8, else Windows Central European, else Latin-1. ``cut`` bytes
    may end inside a UTF-8 character, which is dropped."""
    try:
        return data.decode("utf-8").replace("\x00", "")
    except UnicodeDecodeError as error:
        if cut and error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return _decode(data[: error.start])
    try:
        return data.decode("cp1250").replace("\x00", "")
    except UnicodeDecodeError:
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
            content = strip_tags(content)
        parts.append(content)
    return "\n".join(parts).replace("\x00", "").strip()


def _describe(error):
    if isinstance(error, pypdf.errors.LimitReachedError):
        return _("the PDF is over a safety limit and was not read (%(detail)s)") % {
            "detail": str(error)[:200]
        }
    if isinstance(error, office.TooLarge):
        return _("the document is over a safety limit and was not read (%(detail)s)") % {
            "detail": str(error)[:200]
        }
    if isinstance(error, pypdf.errors.PdfReadError | pypdf.errors.PdfStreamError):
        return _("the PDF is damaged or truncated (%(detail)s)") % {"detail": str(error)[:200]}
    if isinstance(error, Image.DecompressionBombError):
        return _("the image is too large to read safely")
    if isinstance(error, subprocess.TimeoutExpired):
        return _("OCR took too long")
    return _("the file could not be read (%(detail)s)") % {"detail": str(error)[:200]}
