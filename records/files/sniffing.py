"""What a file really is, judged from its bytes (never from its name or the browser).

Binary formats are recognised by their signatures with the ``filetype`` library; text is
told apart here (plain text, HTML, SVG, e-mail), because the dangerous case is text that
a browser would run: HTML or SVG renamed ``.pdf``.
"""

import re
import zipfile
from io import BytesIO

import filetype

PDF = "application/pdf"
PLAIN_TEXT = "text/plain"
HTML = "text/html"
SVG = "image/svg+xml"
EMAIL = "message/rfc822"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
IMAGES = {"image/png", "image/jpeg", "image/gif", "image/tiff", "image/webp"}

# What may be stored. SVG and HTML are not: a browser would run their scripts.
ALLOWED = {PDF, PLAIN_TEXT, EMAIL, DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS, *IMAGES}

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|script|iframe)\b",
                         re.IGNORECASE | re.DOTALL)  # fmt: skip
_SVG = re.compile(rb"<svg[\s>]", re.IGNORECASE)
_EMAIL_HEADER = re.compile(
    rb"^(from|to|subject|date|received|return-path|message-id|mime-version|delivered-to):",
    re.IGNORECASE | re.MULTILINE,
)
_HEAD = 8192


def sniff(head):
    """The content type of a file whose first bytes are ``head`` (give at least 8 KiB)."""
    head = head[:_HEAD]
    if head.startswith(b"%PDF-") or head[:1024].lstrip().startswith(b"%PDF-"):
        return PDF
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime == "application/zip":
            return _zip_type(head)
        if kind.mime == "application/x-ole-storage" or head.startswith(b"\xd0\xcf\x11\xe0"):
            return DOC
        return kind.mime
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return DOC
    if b"\x00" in head:
        return "application/octet-stream"
    if _HTML_START.search(head):
        return HTML
    if _SVG.search(head[:2048]):
        return SVG
    if len(_EMAIL_HEADER.findall(head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0])) >= 2:
        return EMAIL
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        if error.start < len(head) - 4:
            return "application/octet-stream"
    return PLAIN_TEXT


def _zip_type(head):
    """Office documents are zip files; which one is in their first member's name."""
    if b"[Content_Types].xml" in head:
        if b"word/" in head:
            return DOCX
        if b"xl/" in head:
            return XLSX
        if b"ppt/" in head:
            return PPTX
        return DOCX
    if b"mimetypeapplication/vnd.oasis.opendocument.text" in head:
        return ODT
    if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head:
        return ODS
    return "application/zip"


def office_type(data):
    """A closer look at a whole zip file, when its first bytes did not tell."""
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return "application/zip"
    if any(name.startswith("word/") for name in names):
        return DOCX
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("ppt/") for name in names):
        return PPTX
    return "application/zip"
