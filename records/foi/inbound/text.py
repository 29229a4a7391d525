"""Text from mail parts: the right charset, HTML made readable, link addresses kept.

Mail software lies about charsets. The rules, in order:

- A part that declares nothing (or US-ASCII) but has 8-bit bytes: UTF-8 if the bytes are
  valid UTF-8, else the charset ``charset-normalizer`` finds (Serbian offices send
  windows-1250 undeclared).
- "ISO-8859-1" is read as windows-1252, as every browser does (the WHATWG encoding
  standard): the C1 bytes are then the dashes and quotes the sender typed. If the text
  reads better as windows-1250 (Serbian and other Central European letters), it is that.
- A declared charset the bytes are not valid in is detected in the same way.
"""

import re

import html2text
from charset_normalizer import from_bytes
from django.utils.html import strip_tags

# Charsets that the Western/Central European offices we hear from actually use.
CANDIDATES = ["utf_8", "cp1250", "cp1252", "iso8859_2", "cp1251", "iso8859_5", "koi8_r"]
_LATIN1 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso_8859-1", "cp819"}
_ASCII = {"us-ascii", "ascii", "ansi_x3.4-1968", "646"}
# Letters of Serbian Latin and of neighbouring languages that windows-1252 has no place for:
# read as windows-1252, their windows-1250 bytes become these.
_CP1250_AS_CP1252 = set("èæðÈÆÐŠšŽž")
_CP1250_LETTERS = set("čćđČĆĐšžŠŽ")


def decode(data: bytes, declared: str | None) -> str:
    """``data`` as text, whatever ``declared`` (a part's charset parameter) says."""
    declared = (declared or "").strip().strip('"').lower()
    if not data:
        return ""
    if declared in _ASCII or not declared:
        if data.isascii():
            return data.decode("ascii")
        return _detect(data)
    if declared not in {"utf-8", "utf8"} and not data.isascii():
        # Valid UTF-8 with 8-bit bytes is not chance: the label is wrong (Outlook and
        # webmail label UTF-8 "ISO-8859-1" often).
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if declared in _LATIN1 or declared in {"windows-1252", "cp1252"}:
        return _western(data)
    try:
        return data.decode(declared)
    except LookupError:
        return _detect(data)
    except UnicodeDecodeError:
        return _detect(data)


def _western(data):
    as_1252 = data.decode("cp1252", errors="replace")
    if _looks_central_european(data, as_1252):
        return data.decode("cp1250", errors="replace")
    return as_1252


def _looks_central_european(data, as_1252):
    """Whether bytes said to be windows-1252 are really windows-1250 (č, ć, đ read as
    è, æ, ð): more such letters than Western ones in the text, and it decodes cleanly."""
    suspicious = sum(1 for ch in as_1252 if ch in _CP1250_AS_CP1252)
    if suspicious < 2:
        return False
    try:
        as_1250 = data.decode("cp1250")
    except UnicodeDecodeError:
        return False
    return sum(1 for ch in as_1250 if ch in _CP1250_LETTERS) >= suspicious


def _detect(data):
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=CANDIDATES).best()
    encoding = best.encoding if best is not None else "cp1252"
    if encoding in {"cp1252", "iso8859_1", "latin_1"}:
        return _western(data)
    return data.decode(encoding, errors="replace")


_HTML_TAGS = re.compile(
    r"<\s*(/?(p|br|div|span|table|tr|td|html|body|font|b|i|a)\b[^>]*|!doctype[^>]*)>", re.I
)


def looks_like_html(text: str) -> bool:
    """Whether a text/plain part is really HTML (some mail software sends it so)."""
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html", "<body", "<head")):
        return True
    return len(_HTML_TAGS.findall(text[:20000])) >= 3


_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(<?([^)\s>]+)>?(?: \"[^\"]*\")?\)")
_HEADING = re.compile(r"^#{1,6} +", re.M)


def html_to_text(html: str) -> str:
    """Readable text from HTML, keeping each link's address after its words:
    "our portal ( https://… )". Images and scripts go; nothing is fetched."""
    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.unicode_snob = True
    converter.ignore_images = True
    converter.ignore_tables = True
    converter.emphasis_mark = "*"
    converter.strong_mark = "*"
    converter.single_line_break = False
    try:
        text = converter.handle(html)
    except Exception:  # a broken page still shows its words
        text = strip_tags(html)

    def link(match):
        words, address = match.group(1).strip(), match.group(2)
        if address.startswith(("cid:", "#", "javascript:")):
            return words
        if not words or words == address or address == f"mailto:{words}":
            return words or address
        return f"{words} ( {address} )"

    text = _MARKDOWN_LINK.sub(link, text)
    text = _HEADING.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def clean(text: str) -> str:
    """Line ends unified, NULs and trailing blanks gone."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()
