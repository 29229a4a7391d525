"""Real files made for the tests: PDFs with and without a text layer, broken ones, mail."""

import functools
import io
import os
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import pypdf
import reportlab
from PIL import Image, ImageDraw, ImageFont
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject, StreamObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Bitstream Vera ships with reportlab, so these files can be made on any machine.
VERA = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SHARED_PDFS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdf-samples"


def text_pdf(pages, *, font_path=VERA, boxed=False):
    """A PDF with a text layer, one string per page (``boxed``: each line covered by a
    black box drawn over it)."""
    name = Path(font_path).stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(font_path)))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for text in pages:
        pdf.setFont(name, 14)
        y = 800
        for line in text.splitlines() or [""]:
            pdf.drawString(60, y, line)
            if boxed:
                pdf.rect(55, y - 5, 500, 20, stroke=0, fill=1)
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def boxed_pdf(pages):
    """A "redaction" made by drawing black boxes over the text: the pages look redacted,
    but their text layer still holds every word."""
    return text_pdf(pages, boxed=True)


def scanned_pdf(lines):
    """An image-only PDF, as a scanner makes it: one page, text drawn as pixels."""
    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(VERA, 64)
    for n, line in enumerate(lines):
        draw.text((120, 150 + n * 110), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()


def encrypted_pdf(password="secret"):  # noqa: S107 -- a test file's password
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf(["Locked words"])))
    writer.encrypt(user_password=password, owner_password=password)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def truncated_pdf():
    whole = text_pdf(["First page", "Second page"])
    return whole[: len(whole) // 2]


def _deflate_repeated(chunk, times):
    """``chunk * times``, deflated a piece at a time (never all in memory)."""
    compressor = zlib.compressobj(1)
    parts = [compressor.compress(chunk) for _ in range(times)]
    parts.append(compressor.flush())
    return b"".join(parts)


@functools.cache
def stream_bomb_pdf(megabytes=256):
    """Three pages; the second's content stream is a few kilobytes that inflate to
    ``megabytes`` MB (blanks, deflated twice: /Filter [/FlateDecode /FlateDecode])."""
    inner = _deflate_repeated(b" " * (1 << 20), megabytes)
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(text_pdf(["Before the bomb", "", "After it"])))
    bomb = StreamObject()
    bomb._data = zlib.compress(inner, 9)
    bomb[NameObject("/Filter")] = ArrayObject([NameObject("/FlateDecode")] * 2)
    writer.pages[1][NameObject("/Contents")] = writer._add_object(bomb)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def huge_image_pdf(width=100_000, height=100_000):
    """One page without text that draws an image declared ``width`` x ``height`` pixels
    (ten gigapixels by default) from a few bytes: rendering it for OCR would decode it."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    image = StreamObject()
    image._data = zlib.compress(b"\x00" * 4096)
    image.update({
        NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
        NameObject("/Width"): NumberObject(width), NameObject("/Height"): NumberObject(height),
        NameObject("/ColorSpace"): NameObject("/DeviceGray"),
        NameObject("/BitsPerComponent"): NumberObject(8),
        NameObject("/Filter"): NameObject("/FlateDecode"),
    })  # fmt: skip
    content = DecodedStreamObject()
    content.set_data(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = pypdf.generic.DictionaryObject(
        {NameObject("/XObject"): pypdf.generic.DictionaryObject(
            {NameObject("/Im0"): writer._add_object(image)})}
    )  # fmt: skip
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def page_tree_bomb_pdf(pages=120_000, per_node=30_000):
    """A PDF of a few hundred kilobytes that claims ``pages`` pages: its page tree names
    the same empty page again and again."""
    nodes = -(-pages // per_node)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{4 + n} 0 R" for n in range(nodes)).encode()
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages))
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
    for n in range(nodes):
        count = min(per_node, pages - n * per_node)
        objects.append(
            b"<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>" % (b"3 0 R " * count, count)
        )
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))  # fmt: skip
    return out.getvalue()


WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def billion_laughs_docx():
    """A Word document whose XML defines an entity that expands to a billion "lol"s."""
    entities = "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "lol"}">' for n in range(1, 10)
    )
    document = f'<?xml version="1.0"?><!DOCTYPE w [{entities}]><w:document xmlns:w="{WORD_NS}">'
    document += "<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    return _docx_with(document)


def docx(paragraphs, *, deleted="", text_box=""):
    """A Word document, as Word writes its parts: one paragraph per string (a tab
    stays a tab), optionally a tracked deletion and a text box inside the first paragraph."""
    runs = []
    for n, text in enumerate(paragraphs):
        parts = "<w:tab/>".join(
            f'<w:t xml:space="preserve">{escape(piece)}</w:t>' for piece in text.split("\t")
        )
        extra = ""
        if n == 0 and deleted:
            extra += f"<w:del><w:r><w:delText>{escape(deleted)}</w:delText></w:r></w:del>"
        if n == 0 and text_box:
            extra += (
                "<w:r><w:pict><v:textbox xmlns:v='urn:schemas-microsoft-com:vml'>"
                f"<w:txbxContent><w:p><w:r><w:t>{escape(text_box)}</w:t></w:r></w:p>"
                "</w:txbxContent></v:textbox></w:pict></w:r>"
            )
        runs.append(f"<w:p><w:r>{parts}</w:r>{extra}</w:p>")
    return _docx_with(
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{WORD_NS}"><w:body>{"".join(runs)}</w:body></w:document>'
    )


def _docx_with(document):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def odt(paragraphs, *, heading=""):
    """An OpenDocument text: an optional heading, then paragraphs; runs of spaces are
    written as ``text:s``, as LibreOffice does."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def paragraph(text):
        words = text.split("   ")
        spans = '<text:s text:c="3"/>'.join(f"<text:span>{escape(w)}</text:span>" for w in words)
        return f"<text:p>{spans}</text:p>"

    body = (f"<text:h>{escape(heading)}</text:h>" if heading else "") + "".join(
        paragraph(p) for p in paragraphs
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)

EMAIL = (
    b"From: Ministarstvo <pisarnica@mup.gov.rs>\r\n"
    b"To: request-12-abc@nadzor.example\r\n"
    b"Subject: =?utf-8?q?Odgovor_na_zahtev?=\r\n"
    b"Date: Mon, 4 Mar 2019 10:00:00 +0100\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"\r\n"
    b"Postovani, informacije o kamerama su klasifikovane.\r\n"
)
