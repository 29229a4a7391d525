"""Real files made for the tests: PDFs with and without a text layer, broken ones, mail."""

import io
import os
from pathlib import Path

import pypdf
import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Bitstream Vera ships with reportlab, so these files can be made on any machine.
VERA = os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
SHARED_PDFS = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdf-samples"


def text_pdf(pages, *, font_path=VERA):
    """A PDF with a text layer, one string per page."""
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
            y -= 20
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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
