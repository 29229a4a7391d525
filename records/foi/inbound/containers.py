"""Opening what mail software wraps files in: TNEF ``winmail.dat``, uuencoded blocks,
ZIP archives and RTF documents. Each opener returns ``Unpacked``: the files found, the
text found (a TNEF message body), and what could not be kept with the reason.

ZIP archives are unpacked within ``MAX_FILE_SIZE`` per file and ``MAX_MAIL_SIZE`` for the
whole archive, at most ``ZIP_MAX_MEMBERS`` files, one level deep; a member is read only
up to its limit, whatever its header claims, so a zip bomb stops before it inflates.
"""

import binascii
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext_noop as _
from striprtf.striprtf import rtf_to_text
from tnefparse import TNEF

from records.foi.inbound.text import decode, html_to_text

ZIP_MAX_MEMBERS = 200
TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"


@dataclass
class Found:
    """A file found in a message or a container."""

    name: str
    data: bytes
    content_type: str = "application/octet-stream"
    contains: list = field(default_factory=list)  # an attached mail's own files, by name


@dataclass
class Unpacked:
    files: list = field(default_factory=list)
    text: str = ""
    not_kept: list = field(default_factory=list)  # (name, reason)


def is_tnef(name, content_type, data):
    return (
        content_type in {"application/ms-tnef", "application/vnd.ms-tnef"}
        or name.lower() == "winmail.dat"
    ) and data.startswith(TNEF_SIGNATURE)


def unpack_tnef(data):
    """The files and the body of a TNEF (Outlook "rich text") attachment."""
    tnef = TNEF(data)
    out = Unpacked()
    for number, attachment in enumerate(tnef.attachments, start=1):
        try:
            name = attachment.long_filename() or attachment.name
        except Exception:  # a broken name property: a name of our own
            name = ""
        if isinstance(name, bytes):
            name = decode(name, None)
        out.files.append(Found(name=str(name or f"winmail-{number}"), data=attachment.data))
    body = getattr(tnef, "body", None)
    html = getattr(tnef, "htmlbody", None)
    rtf = getattr(tnef, "rtfbody", None)
    if body:
        out.text = body if isinstance(body, str) else decode(body, None)
    elif html:
        out.text = html_to_text(html if isinstance(html, str) else decode(html, None))
    elif rtf:
        out.text = rtf_text(rtf)
    return out


def is_rtf(name, content_type, data):
    return (
        content_type in {"application/rtf", "text/rtf", "text/richtext"}
        or name.lower().endswith(".rtf")
    ) and data.lstrip()[:5] == b"{\\rtf"


def rtf_text(data):
    """The text of an RTF document (its ``\\ansicpg`` code page honoured)."""
    source = data.decode("latin-1") if isinstance(data, bytes) else data
    match = re.search(r"\\ansicpg(\d+)", source[:2000])
    encoding = f"cp{match.group(1)}" if match else "cp1252"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "cp1252"
    return rtf_to_text(source, encoding=encoding, errors="replace").strip()


_UU_BLOCK = re.compile(
    r"^begin(?:-base64)? [0-7]{3,4} ([^\r\n]+)\r?\n(.*?)^end[ \t]*$", re.M | re.S
)


def split_uuencoded(text):
    """``text`` without its uuencoded blocks, and the files they held.

    Old mail software puts files in the text itself ("begin 644 name … end"). The lines
    are decoded with ``binascii`` (Python's own uu codec), forgiving lines padded wrong as
    the old ``uu`` module did."""
    files = []

    def take(match):
        data = _decode_uu_lines(match.group(2).splitlines())
        if data is None:
            return match.group(0)
        files.append(Found(name=match.group(1).strip(), data=data))
        return ""

    if "begin " not in text:
        return text, []
    return _UU_BLOCK.sub(take, text), files


def _decode_uu_lines(lines):
    out = bytearray()
    for line in lines:
        line = line.rstrip("\r\n")
        if not line or line in {"`", " "}:
            continue
        raw = line.encode("latin-1", errors="replace")
        try:
            out += binascii.a2b_uu(raw)
        except binascii.Error:
            length = (((raw[0] - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(raw[:length])
            except binascii.Error:
                return None
    return bytes(out)


def is_zip(name, content_type, data):
    return data.startswith(b"PK\x03\x04") and (
        name.lower().endswith(".zip")
        or content_type in {"application/zip", "application/x-zip-compressed"}
    )


def unpack_zip(data):
    """The files of a ZIP archive, within the size limits; folders are flattened into
    names ("folder/file.pdf" becomes "folder_file.pdf")."""
    out = Unpacked()
    file_limit, total_limit = settings.MAX_FILE_SIZE, settings.MAX_MAIL_SIZE
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    total = 0
    for number, info in enumerate(members):
        name = info.filename
        if not info.flag_bits & 0x800:  # not flagged UTF-8: cp437 by the standard, but
            name = decode(name.encode("cp437", errors="replace"), None)  # usually ANSI
        name = name.replace("\\", "/").strip("/").replace("/", "_")
        if number >= ZIP_MAX_MEMBERS:
            out.not_kept.append((name, _("the archive has too many files")))
            continue
        if info.flag_bits & 0x1:
            out.not_kept.append((name, _("encrypted in the archive")))
            continue
        if info.file_size > file_limit:
            out.not_kept.append((name, _("larger than the limit for a file")))
            continue
        try:
            with archive.open(info) as member:
                content = member.read(file_limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            out.not_kept.append((name, _("damaged in the archive")))
            continue
        if len(content) > file_limit:
            out.not_kept.append((name, _("larger than the limit for a file")))
            continue
        total += len(content)
        if total > total_limit:
            out.not_kept.append((name, _("the archive unpacks to more than the limit")))
            break
        out.files.append(Found(name=name, data=content))
    return out
