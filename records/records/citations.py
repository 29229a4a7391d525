"""How to cite a record: one set of facts, written as text and as the files reference
managers import (CSL-JSON, BibTeX, RIS), and as the ``citation_*`` tags they read on a page.

A citation names who wrote or said it, its title, its kind, the record's own date (when
the statement was made or the document issued, not when the archive got it), the
original source with its archived capture, the archive's permalink and the day the
reader accessed it. Everything is in the reader's language: names in their language
and script, the title in their script, the text in their language's typography
(„…“ in Serbian, “…” in English).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext, pgettext

from records.core.dates import Precision
from records.core.transliteration import in_reader_script, shown_language
from records.models import ActorKind, Role

# Who a record is cited as being by (see ``cite``).
CITED_ROLES = (Role.AUTHOR, Role.SPEAKER)

FORMATS = {
    "csl.json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "to_csl_json"),
    "bib": ("application/x-bibtex; charset=utf-8", "to_bibtex"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "to_ris"),
}

_CSL_TYPES = {
    "law": "legislation",
    "rulebook": "legislation",
    "draft_law": "bill",
    "report": "report",
    "analysis": "report",
    "case_study": "report",
    "letter": "personal_communication",
}
_RIS_TYPES = {"legislation": "STAT", "bill": "BILL", "report": "RPRT", "speech": "GEN"}


@dataclass
class Author:
    name: str
    is_person: bool

    @property
    def family_given(self):
        """(family, given) of a person's name ("Vladimir Rebić" -> Rebić, Vladimir)."""
        given, _space, family = self.name.rpartition(" ")
        return family, given


@dataclass
class Citation:
    public_id: str
    title: str
    kind: str
    csl_type: str
    authors: list
    date_parts: list  # [year], [year, month] or [year, month, day]; empty when unknown
    date_text: str
    language: str
    permalink: str
    accessed: date
    source_url: str = ""
    capture_url: str = ""
    captured_at: object = None
    page: int | None = None
    keywords: list = field(default_factory=list)

    # -- text ------------------------------------------------------------------------
    def to_text(self):
        """Chicago style (notes and bibliography, web source), in the reader's language."""
        parts = []
        if self.authors:
            parts.append(_join_names([a.name for a in self.authors]) + ".")
        # Translators: a cited title in the language's quotation marks, the full stop inside.
        parts.append(gettext("“%(title)s.”") % {"title": self.title.rstrip(".")})
        kind = self.kind
        if self.date_text:
            kind = f"{kind}, {self.date_text}"
        if self.page:
            kind = f"{kind}, " + gettext("p. %(page)s") % {"page": self.page}
        parts.append(kind.rstrip(".") + ".")  # a Serbian date ends with its own full stop
        if self.source_url:
            source = gettext("Original source: %(url)s") % {"url": self.source_url}
            if self.capture_url:
                source += ", " + gettext("archived on %(date)s at %(url)s") % {
                    "date": _day(self.captured_at),
                    "url": self.capture_url,
                }
            parts.append(source + ".")
        parts.append(
            gettext("Nadzor, %(url)s (accessed %(date)s).")
            % {"url": self.permalink, "date": _day(self.accessed)}
        )
        return " ".join(parts)

    # -- CSL-JSON (Zotero, Mendeley, citeproc) ----------------------------------------
    def to_csl(self):
        item = {
            "id": self.public_id,
            "type": self.csl_type,
            "title": self.title,
            "genre": self.kind,
            "URL": self.permalink,
            "accessed": {"date-parts": [[*_ymd(self.accessed)]]},
            "publisher": "Nadzor",
            "archive": "Nadzor",
            "archive_location": self.public_id,
            "language": self.language,
        }
        if self.authors:
            item["author"] = [
                {"family": a.family_given[0], "given": a.family_given[1]}
                if a.is_person and a.family_given[1]
                else {"literal": a.name}
                for a in self.authors
            ]
        if self.date_parts:
            item["issued"] = {"date-parts": [self.date_parts]}
        if self.page:
            item["page"] = str(self.page)
        if self.source_url:
            item["source"] = self.source_url
            item["note"] = self._source_note()
        if self.keywords:
            item["keyword"] = ", ".join(self.keywords)
        return item

    def to_csl_json(self):
        return json.dumps([self.to_csl()], ensure_ascii=False, indent=2) + "\n"

    # -- BibTeX -----------------------------------------------------------------------
    def to_bibtex(self):
        fields = [("title", _bib(self.title))]
        if self.authors:
            fields.append(
                (
                    "author",
                    " and ".join(
                        _bib(f"{a.family_given[0]}, {a.family_given[1]}")
                        if a.is_person and a.family_given[1]
                        else "{" + _bib(a.name) + "}"
                        for a in self.authors
                    ),
                )
            )
        if self.date_parts:
            fields.append(("year", str(self.date_parts[0])))
            fields.append(("date", "-".join(f"{p:02d}" for p in self.date_parts)))
            if len(self.date_parts) > 1:
                fields.append(("month", str(self.date_parts[1])))
        fields += [
            ("type", _bib(self.kind)),
            ("howpublished", "\\url{" + _bib_url(self.permalink) + "}"),
            ("url", _bib_url(self.permalink)),
            ("urldate", self.accessed.isoformat()),
            ("publisher", "Nadzor"),
            ("language", self.language),
        ]
        if self.page:
            fields.append(("pages", str(self.page)))
        if self.source_url:
            fields.append(("note", _bib(self._source_note())))
        if self.keywords:
            fields.append(("keywords", _bib(", ".join(self.keywords))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{nadzor-{self.public_id},\n{body}\n}}\n"

    # -- RIS (EndNote, Zotero, Citavi) --------------------------------------------------
    def to_ris(self):
        lines = [("TY", _RIS_TYPES.get(self.csl_type, "GEN")), ("TI", _one_line(self.title))]
        for author in self.authors:
            family, given = author.family_given
            lines.append(
                ("AU", f"{family}, {given}" if author.is_person and given else author.name)
            )
        if self.date_parts:
            lines.append(("PY", str(self.date_parts[0])))
            year, month, day = [*self.date_parts, None, None][:3]
            parts = [f"{year:04d}", f"{month:02d}" if month else "", f"{day:02d}" if day else ""]
            lines.append(("DA", "/".join(parts) + "/"))
        lines += [
            ("M3", self.kind),
            ("UR", self.permalink),
            ("Y2", self.accessed.strftime("%Y/%m/%d")),
            ("DB", "Nadzor"),
            ("AN", self.public_id),
            ("LA", self.language),
        ]
        if self.page:
            lines.append(("SP", str(self.page)))
        if self.source_url:
            lines.append(("N1", _one_line(self._source_note())))
        lines += [("KW", _one_line(keyword)) for keyword in self.keywords]
        lines.append(("ER", ""))
        return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)

    # -- page metadata (Highwire Press tags, read by Zotero and Google Scholar) ---------
    def meta_tags(self):
        tags = [("citation_title", self.title)]
        tags += [("citation_author", a.name) for a in self.authors]
        if self.date_parts:
            tags.append(("citation_date", "/".join(f"{p:02d}" for p in self.date_parts)))
        tags += [
            ("citation_public_url", self.permalink),
            ("citation_publisher", "Nadzor"),
            ("citation_language", self.language),
        ]
        if self.page:
            tags.append(("citation_firstpage", str(self.page)))
        tags += [("citation_keywords", keyword) for keyword in self.keywords]
        return tags

    def _source_note(self):
        note = gettext("Original source: %(url)s") % {"url": self.source_url}
        if self.capture_url:
            note += "; " + gettext("archived on %(date)s at %(url)s") % {
                "date": _day(self.captured_at),
                "url": self.capture_url,
            }
        return note


def cite(record, *, accessed, capture=None, page=None, file_url=None):
    """The citation of ``record`` (with its tags and actor roles prefetched) for the
    reader of the active language; ``capture`` is the latest archived copy of its
    source, ``page`` a page of one of its files (whose URL is then ``file_url``)."""
    reader = get_language() or "en"
    specific = record.specific
    authors = []
    # A statement is cited by who said it, anything else by who wrote it; failing those,
    # by the other.
    roles = CITED_ROLES[::-1] if record.kind == "statement" else CITED_ROLES
    for role in roles:
        authors = [
            Author(ra.actor.name_in(reader)[0], ra.actor.kind == ActorKind.PERSON)
            for ra in record.actor_roles.all()
            if ra.role == role
        ]
        if authors:
            break
    partial = record.partial_date
    date_parts = []
    if partial:
        date_parts = [partial.start.year, partial.start.month, partial.start.day][
            : {Precision.YEAR: 1, Precision.MONTH: 2}.get(partial.precision, 3)
        ]
    csl_type = {"statement": "speech"}.get(record.kind, "document")
    if record.kind == "document":
        csl_type = _CSL_TYPES.get(specific.document_type, "document")
    site = settings.SITE_URL.rstrip("/")
    return Citation(
        public_id=record.public_id,
        title=in_reader_script(record.title, record.language, reader),
        kind=str(record.get_kind_display()),
        csl_type=csl_type,
        authors=_unique(authors),
        date_parts=date_parts,
        date_text=partial.display() if partial else "",
        language=shown_language(record.language, reader),
        permalink=f"{site}{file_url or record.get_absolute_url()}",
        accessed=accessed,
        source_url=record.source_url,
        capture_url=f"{site}{capture.get_absolute_url()}" if capture else "",
        captured_at=capture.captured_at if capture else None,
        page=page,
        keywords=[tag.shown_name for tag in record.tags.all()],
    )


def _unique(authors):
    seen, unique = set(), []
    for author in authors:
        if author.name not in seen:
            seen.add(author.name)
            unique.append(author)
    return unique


def _join_names(names):
    if len(names) == 1:
        return names[0]
    # Translators: joins the last two authors of a citation ("A, B and C").
    return ", ".join(names[:-1]) + pgettext("last of a list", " and ") + names[-1]


def _day(value):
    if value is None:
        return ""
    if hasattr(value, "astimezone"):
        value = localtime(value).date()
    return date_format(value, "DATE_FORMAT")


def _ymd(day):
    return [day.year, day.month, day.day]


def _one_line(text):
    return " ".join(str(text).split())


_BIB_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bib(text):
    """``text`` safe inside a BibTeX braced value: LaTeX specials escaped, one line."""
    return _BIB_SPECIAL.sub(
        lambda m: {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(
            m.group(1), "\\" + m.group(1)
        ),
        _one_line(text),
    )


def _bib_url(url):
    """A URL inside a BibTeX value: only braces and percent signs need escaping."""
    return url.replace("%", r"\%").replace("{", "%7B").replace("}", "%7D")
