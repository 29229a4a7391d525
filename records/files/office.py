"""The text of office documents: Word (.docx) and OpenDocument (.odt).

Both are zip files holding XML, read here with the standard library alone: ``zipfile``
and ``ElementTree`` (whose expat refuses entity-expansion bombs and resolves no external
entities). The XML is parsed as a stream, one paragraph in memory at a time, and no
member is read that declares more than ``PDF_MAX_STREAM_BYTES`` once inflated (zipfile
never inflates a member past its declared size), so a zip bomb stops before it starts.

The main text only, paragraph by paragraph: no headers, footers, notes or deleted text
of tracked changes. Neither format stores pages (they are laid out when shown), so the
text is one page, like an e-mail.
"""

import zipfile
from xml.etree import ElementTree

from django.conf import settings

WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


class TooLarge(ValueError):
    """A member whose XML inflates beyond the limit."""


def docx_text(handle):
    return _read(handle, "word/document.xml", WORD + "p", _word_paragraph)


def odt_text(handle):
    return _read(handle, "content.xml", (TEXT + "p", TEXT + "h"), _odt_paragraph)


def _read(handle, member, paragraph_tags, paragraph_text):
    paragraph_tags = paragraph_tags if isinstance(paragraph_tags, tuple) else (paragraph_tags,)
    with zipfile.ZipFile(handle) as archive:
        info = archive.getinfo(member)
        if info.file_size > settings.PDF_MAX_STREAM_BYTES:
            raise TooLarge(
                f"{member} inflates to {info.file_size} bytes, over {settings.PDF_MAX_STREAM_BYTES}"
            )
        paragraphs, size = [], 0
        with archive.open(info) as xml:
            # Safe with the expat Python ships (2.4.1 or later refuses entity expansion
            # bombs; ElementTree fetches no external entity), and the size is checked above.
            for _event, element in ElementTree.iterparse(xml, events=("end",)):  # noqa: S314
                if element.tag in paragraph_tags:
                    # A paragraph inside another (a text box) is read, then cleared, so the
                    # outer one does not repeat it.
                    paragraphs.append("".join(paragraph_text(element)).strip())
                    size += len(paragraphs[-1]) + 1
                    tail = element.tail
                    element.clear()
                    element.tail = tail
                    if size > settings.MAX_FILE_TEXT:
                        break
    return "\n".join(p for p in paragraphs if p)


def _word_paragraph(element):
    for node in element.iter():
        if node.tag == WORD + "t":
            yield node.text or ""
        elif node.tag == WORD + "tab":
            yield "\t"
        elif node.tag in (WORD + "br", WORD + "cr"):
            yield "\n"


def _odt_paragraph(element):
    """Text and tails in document order; ``text:s`` is ``c`` spaces."""
    if element.tag == TEXT + "s":
        count = element.get(TEXT + "c", "1")
        yield " " * (min(int(count), 1000) if count.isdigit() else 1)
    elif element.tag == TEXT + "tab":
        yield "\t"
    elif element.tag == TEXT + "line-break":
        yield "\n"
    if element.text:
        yield element.text
    for child in element:
        yield from _odt_paragraph(child)
        if child.tail:
            yield child.tail
