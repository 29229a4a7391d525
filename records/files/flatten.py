"""Redacted copies made safe: every page turned into an image, as Froide's redaction does.

Boxes drawn over a PDF hide its words on screen only: the text layer under them still
holds them, to select, copy and search. So a redacted copy is checked and then flattened
when it is uploaded:

1. ``covered_words`` reads its text layer page by page and looks at the page as it is
   drawn: a word whose characters sit under a box of one flat colour (black, white or
   any) is a word someone meant to hide, and the copy is refused, naming the pages.
2. ``flatten`` draws every page to pixels (pypdfium2, ``FLATTEN_DPI``) and writes a new
   PDF of those images only: no text layer, no fonts, no metadata, no attachments, no
   annotations, no hidden layers survive. The archive's extraction then reads the new
   file by OCR, so the public text is what the pages show.

An image uploaded as a copy is re-encoded (its metadata dropped); other types are
refused, since they cannot be flattened.
"""

import io

import pypdfium2 as pdfium
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from records.files import sniffing
from records.files.extraction import words_in

# Pages are drawn at this resolution: enough for OCR and for reading on screen.
FLATTEN_DPI = 200
# Longer copies are refused: flattening runs while the uploader waits.
MAX_PAGES = 100
# The check draws pages at this scale (144 dpi) to look under each character.
CHECK_SCALE = 2
# A character's box whose darkest and lightest pixels differ by less than this is one
# flat colour: nothing of the glyph shows, so something was drawn over it.
FLAT = 24


class CannotFlatten(ValueError):
    """A copy that cannot be made safe, with the reason to show."""


def _document(data):
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise CannotFlatten(_("This PDF cannot be read (damaged or password-protected).")) from None


def covered_words(data):
    """``[(page number, text)]``: the runs of characters of the PDF ``data``'s text layer
    that are drawn over by a box of one colour (or drawn nowhere visible)."""
    found = []
    document = _document(data)
    try:
        for number in range(min(len(document), MAX_PAGES)):
            page = document[number]
            textpage = page.get_textpage()
            # Drawn unrotated, so that the characters' boxes (in the page's own
            # coordinates) fall on the pixels drawn for them.
            page.set_rotation(0)
            image = page.render(scale=CHECK_SCALE, grayscale=True).to_pil().convert("L")
            # The box pdfium draws (the crop box, as it resolves it).
            crop_left, _bottom, _right, crop_top = page.get_bbox()
            hidden = ""  # the covered characters of the current run
            for index in range(textpage.count_chars()):
                char = textpage.get_text_range(index, 1)
                covered = char.isalnum() and _flat(
                    image, textpage.get_charbox(index), crop_left, crop_top
                )
                if covered:
                    hidden += char
                elif hidden:
                    found.append((number + 1, hidden))
                    hidden = ""
            if hidden:
                found.append((number + 1, hidden))
    finally:
        document.close()
    return found


def _flat(image, charbox, crop_left, crop_top):
    """Whether the pixels drawn where a character's glyph is, and a pixel around it,
    are one flat colour: a visible glyph has ink and background there."""
    left, bottom, right, top = charbox
    box = (
        int((left - crop_left) * CHECK_SCALE) - 1,
        int((crop_top - top) * CHECK_SCALE) - 1,
        int((right - crop_left) * CHECK_SCALE) + 2,
        int((crop_top - bottom) * CHECK_SCALE) + 2,
    )
    low, high = image.crop(box).getextrema()
    return high - low < FLAT


def text_layer_words(data):
    """The words (lower case) of the PDF ``data``'s text layer."""
    words = set()
    document = _document(data)
    try:
        for number in range(min(len(document), MAX_PAGES)):
            words |= words_in(document[number].get_textpage().get_text_bounded())
    finally:
        document.close()
    return words


def covered_message(found):
    pages = sorted({page for page, _word in found})
    return ngettext(
        "Words are still in the text layer under the boxes on page %(pages)s: anyone can "
        "select, copy or search them. Use a redaction tool that removes the text, or print "
        "the file to an image, and upload that.",
        "Words are still in the text layer under the boxes on pages %(pages)s: anyone can "
        "select, copy or search them. Use a redaction tool that removes the text, or print "
        "the file to an image, and upload that.",
        len(pages),
    ) % {"pages": ", ".join(str(page) for page in pages[:10])}


def flatten_pdf(data):
    """The PDF ``data`` with every page drawn to an image, and nothing else."""
    document = _document(data)
    output = io.BytesIO()
    try:
        if len(document) > MAX_PAGES:
            raise CannotFlatten(
                _("A redacted copy may have at most %(n)s pages.") % {"n": MAX_PAGES}
            )
        pdf = canvas.Canvas(output, pageCompression=1)
        pdf.setAuthor("")
        pdf.setTitle("")
        pdf.setProducer("Nadzor")
        pdf.setCreator("Nadzor")
        for page in document:
            width, height = page.get_size()
            if width * height * (FLATTEN_DPI / 72) ** 2 > settings.MAX_IMAGE_PIXELS:
                raise CannotFlatten(_("A page of this copy is too large to draw."))
            image = page.render(scale=FLATTEN_DPI / 72, grayscale=True).to_pil().convert("L")
            pdf.setPageSize((width, height))
            pdf.drawImage(ImageReader(image), 0, 0, width=width, height=height)
            pdf.showPage()
        pdf.save()
    finally:
        document.close()
    return output.getvalue()


def reencode_image(data):
    """An uploaded image's pixels, re-encoded as PNG (its metadata dropped)."""
    Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            buffer = io.BytesIO()
            image.convert("RGB" if image.mode not in ("L", "RGB") else image.mode).save(
                buffer, format="PNG"
            )
    except (OSError, Image.DecompressionBombError):
        raise CannotFlatten(_("This image cannot be read.")) from None
    return buffer.getvalue()


def safe_copy(upload, content_type):
    """``upload`` (a redacted copy of type ``content_type``) checked and flattened, as a
    new file to store; ``CannotFlatten`` with the reason otherwise."""
    upload.seek(0)
    data = upload.read()
    name = upload.name or "copy"
    if content_type == sniffing.PDF:
        found = covered_words(data)
        if found:
            raise CannotFlatten(covered_message(found))
        return ContentFile(flatten_pdf(data), name=name)
    if content_type.startswith("image/"):
        return ContentFile(reencode_image(data), name=name)
    raise CannotFlatten(
        _("A redacted copy must be a PDF or an image, so that it can be drawn to pixels.")
    )
