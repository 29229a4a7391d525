"""Citing a record: the text in the reader's language, the downloads reference managers
import (read back here with citeproc-py, bibtexparser and rispy, the parsers Zotero's
formats are checked against), the page metadata, and a page of a file."""

import json
import re
from html import unescape

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.core.files.base import ContentFile
from django.utils import timezone

from records.files.storage import attach
from records.management.commands.demo import DEMO_FILE
from records.models import Record, Status
from records.records.services import import_jsonl
from tests import samples
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

REBIC = "2019-02-09-rebic-1000-cameras-800-locations"


@pytest.fixture
def demo():
    with DEMO_FILE.open(encoding="utf-8") as lines:
        import_jsonl(lines)


def _download(client, fmt, language="", **params):
    response = client.get(f"{language}/r/{REBIC}/cite.{fmt}", params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response


def test_the_csl_json_download_reads_back_in_citeproc_with_every_field(client, demo):
    response = _download(client, "csl.json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    source = CiteProcJSON(json.loads(response.content))
    item = source[REBIC.lower()]
    assert str(item["title"]) == "Ребић: око 1.000 камера на 800 локација у наредне две године"
    # A statement is cited by its speaker, as a person (family and given name).
    assert [(str(a["family"]), str(a["given"])) for a in item["author"]] == [("Rebić", "Vladimir")]
    assert (item["issued"]["year"], item["issued"]["month"], item["issued"]["day"]) == (
        2019,
        2,
        9,
    )
    assert str(item["URL"]).endswith(f"/r/{REBIC}/")
    accessed = timezone.localdate()
    assert item["accessed"]["year"] == accessed.year
    assert "novosti.rs" in str(item["note"])
    # And citeproc formats it in a real style.
    style = CitationStylesStyle("chicago-author-date", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(REBIC.lower())]))
    text = str(bibliography.bibliography()[0])
    assert "Rebić" in text and "2019" in text and "Ребић" in text


def test_the_bibtex_download_reads_back_in_bibtexparser(client, demo):
    response = _download(client, "bib")
    library = bibtexparser.parse_string(
        response.content.decode(),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc" and entry.key == f"nadzor-{REBIC}"
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == "Ребић: око 1.000 камера на 800 локација у наредне две године"
    (author,) = fields["author"]
    assert (author.last, author.first) == (["Rebić"], ["Vladimir"])
    assert (fields["year"], fields["month"], fields["date"]) == ("2019", "2", "2019-02-09")
    assert fields["url"].endswith(f"/r/{REBIC}/")
    assert fields["urldate"] == timezone.localdate().isoformat()
    assert fields["type"] == "Government statement"


def test_the_ris_download_reads_back_in_rispy(client, demo):
    response = _download(client, "ris")
    (entry,) = rispy.loads(response.content.decode())
    assert entry["title"] == "Ребић: око 1.000 камера на 800 локација у наредне две године"
    assert entry["authors"] == ["Rebić, Vladimir"]
    assert entry["year"] == "2019" and entry["date"] == "2019/02/09/"
    assert entry["urls"][0].endswith(f"/r/{REBIC}/")
    assert entry["access_date"] == timezone.localdate().strftime("%Y/%m/%d")
    assert "novosti.rs" in entry["notes"][0]


def test_an_organisations_name_stays_whole_in_every_format(client, demo):
    opinion = "2019-03-27-commissioner-opinion-camera-system"
    csl = json.loads(client.get(f"/r/{opinion}/cite.csl.json").content)[0]
    english = "Commissioner for Information of Public Importance and Personal Data Protection"
    assert csl["author"] == [{"literal": english}]
    assert "{" + english + "}" in client.get(f"/r/{opinion}/cite.bib").content.decode()
    ris = rispy.loads(client.get(f"/sr/r/{opinion}/cite.ris").content.decode())[0]
    assert ris["authors"] == [
        "Повереник за информације од јавног значаја и заштиту података о личности"
    ]


def test_the_citation_text_follows_the_readers_language_and_typography(client, demo):
    english = unescape(client.get(f"/r/{REBIC}/").content.decode())
    cyrillic = unescape(client.get(f"/sr/r/{REBIC}/").content.decode())
    latin = unescape(client.get(f"/sr-latn/r/{REBIC}/").content.decode())

    def citation(html):
        return re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)

    assert citation(english).startswith(
        "Vladimir Rebić. “Ребић: око 1.000 камера на 800 локација у наредне две године.” "
        "Government statement, Feb. 9, 2019. Original source: http://www.novosti.rs/"
    )
    assert "(accessed " in citation(english)
    assert citation(cyrillic).startswith(
        "Владимир Ребић. „Ребић: око 1.000 камера на 800 локација у наредне две године.“ "
        "Изјава власти, 9. фебруар 2019. Првобитни извор: http://www.novosti.rs/"
    )
    assert "(приступљено " in citation(cyrillic) and "”" not in citation(cyrillic)
    assert citation(latin).startswith("Vladimir Rebić. „Rebić: oko 1.000 kamera")
    assert "(pristupljeno " in citation(latin)


def test_the_page_carries_the_metadata_reference_managers_read(client, demo):
    html = unescape(client.get(f"/r/{REBIC}/").content.decode())
    meta = dict(re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html))
    assert meta["citation_title"].startswith("Ребић: око 1.000 камера")
    assert meta["citation_author"] == "Vladimir Rebić"
    assert meta["citation_date"] == "2019/02/09"
    assert meta["citation_public_url"].endswith(f"/r/{REBIC}/")
    for fmt in ("ris", "bib", "csl.json"):
        assert f'href="/r/{REBIC}/cite.{fmt}"' in html


def test_the_record_shows_its_own_date_apart_from_when_the_archive_added_it(client, demo):
    html = client.get(f"/r/{REBIC}/").content.decode()
    assert "<dt>Date of the statement</dt>" in html
    assert '<time datetime="2019-02-09">Feb. 9, 2019</time>' in html
    added = Record.objects.get(public_id=REBIC).published_at
    assert "<dt>Added to the archive</dt>" in html and f'datetime="{added:%Y-%m-%d}' in html
    assert "<dt>Last changed</dt>" in html
    assert "<dt>Published</dt>" not in html


def test_citing_a_page_of_a_file_names_the_page(client, demo, django_capture_on_commit_callbacks):
    record = Record.objects.get(public_id=REBIC)
    pdf = ContentFile(samples.text_pdf(["Prva strana", "Druga strana"]))
    with django_capture_on_commit_callbacks(execute=True):
        attachment = attach(record, pdf, name="izjava.pdf")
    html = unescape(client.get(attachment.get_text_url(), {"page": 2}).content.decode())
    text = re.search(r'<p class="citation">(.*?)</p>', html, re.S).group(1)
    assert "Feb. 9, 2019, p. 2." in text
    assert f"{attachment.get_text_url()}#page-2" in text
    assert '<meta name="citation_firstpage" content="2">' in html
    ris = client.get(f"/r/{REBIC}/cite.ris", {"file": attachment.pk, "page": 2}).content
    assert rispy.loads(ris.decode())[0]["start_page"] == "2"
    # A page the file does not have is not cited.
    assert (
        '<p class="citation">'
        not in client.get(attachment.get_text_url(), {"page": 9}).content.decode()
    )


def test_an_unknown_format_or_a_draft_is_not_found(client, demo):
    assert client.get(f"/r/{REBIC}/cite.docx").status_code == 404
    draft = DocumentFactory(status=Status.DRAFT)
    assert client.get(f"/r/{draft.public_id}/cite.bib").status_code == 404
