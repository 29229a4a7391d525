"""Folding quoted text and signatures: a reply shows what the body wrote, and the quoted
request and the footer are one click away (a ``<details>`` on the page).

``quotequail`` finds the quote headers mail programs write in English and German ("On …
wrote:", "Am … schrieb …:", "-----Original Message-----", Outlook's "From:/Sent:"
block) and ">" quotes. Serbian mail programs' headers ("… je napisao/la:", "Dana … je
…", "-----Originalna poruka-----", "Od:/Poslato:") and the "-- " signature separator
are added here.
"""

import re

import quotequail

_SERBIAN_HEADER = re.compile(
    r"^(.{0,200}\b(je\s+)?napisa(o|la)(\s+je)?\s*:"
    r"|.{0,200}\b(је\s+)?написа(о|ла)(\s+је)?\s*:"
    r"|-{2,}\s*(originalna poruka|оригинална порука|prosle[dđ]ena poruka|прослеђена порука)\s*-{2,}"
    r"|(od|од)\s*:\s.+\n\s*(poslato|послато|datum|датум|sent)\s*:)",
    re.I | re.M,
)
_SIGNATURE = re.compile(r"^-- ?$", re.M)
MIN_SHOWN = 1  # a reply that is all quote shows it all


def fold(text):
    """``(shown, folded)``: the text to show, and the quoted/signature rest ("" if none)."""
    if not text:
        return "", ""
    cut = _cut(text)
    if cut is None:
        return text, ""
    shown, folded = text[:cut].rstrip(), text[cut:].strip("\n")
    if len(shown.strip()) < MIN_SHOWN:
        return text, ""
    return shown, folded


def _cut(text):
    cuts = []
    try:
        parts = quotequail.quote(text, limit=10000)
    except Exception:  # an odd text is shown whole
        parts = [(True, text)]
    if len(parts) > 1 and parts[0][0]:
        shown = parts[0][1]
        # quotequail keeps the quote header in the shown part: fold it too.
        lines = shown.rstrip("\n").split("\n")
        header_line = lines[-1] if lines else ""
        cut = len(shown.rstrip("\n")) - len(header_line)
        if _looks_like_header(header_line):
            cuts.append(cut)
        else:
            cuts.append(len(shown))
    match = _SERBIAN_HEADER.search(text)
    if match:
        cuts.append(match.start())
    match = _SIGNATURE.search(text)
    if match:
        cuts.append(match.start())
    cuts = [c for c in cuts if c > 0]
    return min(cuts) if cuts else None


def _looks_like_header(line):
    return bool(
        re.search(r"(wrote|schrieb|napisa|написа|original message|ursprüngliche)", line, re.I)
        or line.strip().startswith("-----")
    )
