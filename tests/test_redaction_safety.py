"""Editors' redaction rules and redacted copies are safe (issue #14): a rule's replacement
is literal text, a pattern that backtracks catastrophically is refused when saved, and a
redacted PDF is refused while words sit under its boxes, then flattened to page images."""

import io
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError

from records.files.flatten import covered_words, flatten_pdf, text_layer_words
from records.foi.redaction_rules import check_pattern
from records.foi.scrubbing import RuleFailed, apply_rule
from records.models import RedactionRule
from tests.samples import boxed_pdf, scanned_pdf, text_pdf

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "pdf-samples"
FROIDE = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "redaction" / "froide"


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a|aa)+$", "(\\w+\\s?)*$", "([a-z]+)*$", "(x+x+)+y", "(a*)*b", "(.*a){2,}"],
)
def test_a_catastrophic_pattern_is_refused(pattern):
    assert check_pattern(pattern)
    rule = RedactionRule(text=pattern, is_pattern=True)
    with pytest.raises(ValidationError):
        rule.full_clean()


@pytest.mark.parametrize(
    "pattern",
    [
        r"\+?381[\d /-]{8,12}",
        r"Petar\s+Realdati[cć]\w*",
        r"JMBG:?\s*\d{13}",
        r"\b\d{3}-\d{2}-\d{2}\b",
        r"ul(ica|\.)\s+Kneza",
    ],
)
def test_an_ordinary_pattern_is_accepted(pattern):
    assert check_pattern(pattern) == ""


def test_a_pattern_that_is_not_valid_or_matches_nothing_is_refused():
    assert "Not a valid pattern" in check_pattern("(unclosed")
    assert "matches empty text" in check_pattern("x*")


@pytest.mark.parametrize("replacement", [r"\1", r"C:\new", r"[\g<0>]", "\\", r"[uklonjeno\]"])
def test_the_replacement_is_literal_text(replacement):
    rule = RedactionRule(text=r"Zoran\s+(Zorić)", is_pattern=True, replacement=replacement)
    assert apply_rule(rule, "Službenik Zoran Zorić, lokal 12.") == (
        f"Službenik {replacement}, lokal 12."
    )


def test_a_slow_pattern_stops_at_its_time_limit():
    rule = RedactionRule(text="(a|aa)+$", is_pattern=True)
    with pytest.raises(RuleFailed, match="took longer"):
        apply_rule(rule, "a" * 60 + "!")


@pytest.mark.django_db
def test_saving_a_rule_clears_its_failure():
    rule = RedactionRule.objects.create(text="x")
    RedactionRule.objects.filter(pk=rule.pk).update(failure="slow", failed_at="2026-01-01T00:00Z")
    rule.refresh_from_db()
    rule.save()
    rule.refresh_from_db()
    assert rule.failed_at is None and rule.failure == ""


def test_words_under_black_boxes_are_found_page_by_page():
    found = covered_words(boxed_pdf(["Petar Realdatic", "Strana dva\nUlica 1"]))
    assert found == [
        (1, "Petar"),
        (1, "Realdatic"),
        (2, "Strana"),
        (2, "dva"),
        (2, "Ulica"),
        (2, "1"),
    ]


def test_a_white_box_hides_words_too():
    buffer = io.BytesIO()
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawString(60, 800, "Vidljivo")
    pdf.drawString(60, 760, "Tajno ime")
    pdf.setFillColorRGB(1, 1, 1)
    pdf.rect(55, 755, 300, 18, stroke=0, fill=1)
    pdf.save()
    assert covered_words(buffer.getvalue()) == [(1, "Tajno"), (1, "ime")]


@pytest.mark.skipif(not SAMPLES.exists(), reason="the shared PDF corpus is absent")
def test_visible_text_in_real_pdfs_is_not_taken_for_hidden_text():
    """Across the PDF corpus, only text that really is invisible (outside the page, or
    painted over) counts as covered."""
    hidden_on_purpose = {"imagemagick-images.pdf"}  # "Background" under its images
    for path in sorted(SAMPLES.glob("*/*.pdf")):
        if path.name in hidden_on_purpose:
            continue
        try:
            found = covered_words(path.read_bytes())
        except Exception:  # noqa: S112 -- an unreadable sample is refused elsewhere
            continue
        assert found == [], (path.name, found[:5])


@pytest.mark.skipif(not FROIDE.exists(), reason="the shared redaction corpus is absent")
def test_text_outside_froides_crop_box_counts_as_hidden():
    found = covered_words((FROIDE / "redaction-test-cropbox.pdf").read_bytes())
    inside = text_layer_words((FROIDE / "redaction-test-cropbox.pdf").read_bytes())
    assert found and "cropbox" in {word.lower() for _page, word in found}
    assert "abcdefgh" in inside  # drawn inside the crop box: not counted
    assert all(word != "abcdefgh" for _page, word in found)


def test_flattening_keeps_the_pages_and_drops_text_layer_and_metadata():
    source = io.BytesIO()
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(boxed_pdf(["Petar Realdatic", "Dva"])))
    writer.add_metadata({"/Author": "Petar Realdatic"})
    writer.write(source)
    flat = flatten_pdf(source.getvalue())
    document = pdfium.PdfDocument(flat)
    assert len(document) == 2
    assert document[0].get_size() == pytest.approx(
        pdfium.PdfDocument(source.getvalue())[0].get_size(), abs=1
    )
    assert text_layer_words(flat) == set()
    assert b"Realdatic" not in flat
    assert pypdf.PdfReader(io.BytesIO(flat)).metadata.get("/Author") in (None, "")


def test_an_image_only_scan_has_nothing_under_boxes():
    assert covered_words(scanned_pdf(["Petar Realdatic"])) == []
    assert covered_words(text_pdf(["Petar Realdatic"])) == []
