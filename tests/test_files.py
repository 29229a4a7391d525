"""Files on records: stored once, typed by their bytes, read page by page, searchable."""

import hashlib
import io
import json
import shutil
import subprocess
import sys
import tracemalloc
from unittest.mock import ANY

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from PIL import Image

from records.files import sniffing
from records.files.extraction import extract, ocr_image
from records.files.storage import RejectedFile, attach, store
from records.files.tasks import extract_file_text
from records.models import Attachment, FilePage, FileState, Record, Status, StoredFile
from tests import samples
from tests.admin_forms import form_values
from tests.conftest import login_with_second_factor
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-srp "
    "tesseract-ocr-srp-latn); CI installs it",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(record, data, name, capture):
    with capture(execute=True):
        return attach(record, ContentFile(data), name=name)


def found(client, q):
    body = client.get("/api/records/", {"q": q}).json()
    return [(row["id"], row["in_file"]) for row in body["results"]]


def test_identical_bytes_are_stored_once(django_capture_on_commit_callbacks):
    data = samples.text_pdf(["Same bytes"])
    one, two = DocumentFactory(), DocumentFactory()
    first = upload(one, data, "a.pdf", django_capture_on_commit_callbacks)
    second = upload(two, data, "renamed.pdf", django_capture_on_commit_callbacks)
    assert first.file_id == second.file_id
    assert StoredFile.objects.count() == 1
    stored = first.file
    assert stored.blob.name == f"files/{stored.sha256[:2]}/{stored.sha256}"
    assert stored.size == len(data) and stored.content_type == "application/pdf"
    assert [first.name, second.name] == ["a.pdf", "renamed.pdf"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (samples.HTML_AS_PDF, "report.pdf", "Files of this type (text/html) cannot be attached."),
        (samples.SVG, "chart.pdf", "Files of this type (image/svg+xml) cannot be attached."),
        (b"", "empty.pdf", "The file is empty."),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "tool.pdf", "cannot be attached"),
    ],
)
def test_disguised_or_unwanted_files_are_refused_and_nothing_is_stored(
    data, name, message, settings
):
    record = DocumentFactory()
    with pytest.raises(RejectedFile) as refused:
        attach(record, ContentFile(data), name=name)
    assert message in str(refused.value)
    assert not StoredFile.objects.exists() and not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "files").exists()


def test_files_over_the_size_limit_are_refused(settings):
    settings.MAX_FILE_SIZE = 1000
    with pytest.raises(RejectedFile, match="larger than 1000"):
        store(ContentFile(samples.text_pdf(["x" * 50] * 3)))
    assert not StoredFile.objects.exists()


def test_a_pdf_is_read_page_by_page_and_a_word_only_in_it_is_found(
    client, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="with-pdf", title="Reply from the ministry")
    data = samples.text_pdf(["Cover letter", "The contract covers Hikvision equipment."])
    attachment = upload(record, data, "reply.pdf", django_capture_on_commit_callbacks)
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 2
    assert [p.number for p in FilePage.objects.all()] == [1, 2]
    assert "Hikvision" in FilePage.objects.get(number=2).text
    url = f"/r/with-pdf/files/{attachment.pk}/text/#page-2"
    assert found(client, "hikvision") == [
        ("with-pdf", {"name": "reply.pdf", "page": 2, "url": f"http://testserver{url}"})
    ]
    html = client.get("/search/", {"q": "hikvision"}).content.decode()
    assert f'href="{url}">reply.pdf, page 2</a>' in html
    text_page = client.get(url.split("#")[0]).content.decode()
    assert 'id="page-2"' in text_page and "Hikvision" in text_page


@needs_tesseract
def test_a_scanned_page_is_read_by_ocr(client, django_capture_on_commit_callbacks):
    record = DocumentFactory(public_id="scan", title="Scanned answer")
    upload(record, samples.scanned_pdf(["MINISTARSTVO", "Kamere nadzor 2019"]), "scan.pdf",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE, stored.status_text
    page = FilePage.objects.get()
    assert page.ocr is True
    assert "MINISTARSTVO" in page.text.upper()
    assert found(client, "ministarstvo")[0][0] == "scan"


def test_tesseract_runs_on_one_thread_unless_told_otherwise(monkeypatch):
    """OpenMP threads make Tesseract several times slower on a busy machine."""
    calls = []

    def run(command, **kwargs):
        calls.append(kwargs["env"]["OMP_THREAD_LIMIT"])
        return subprocess.CompletedProcess(command, 0, stdout=b"text", stderr=b"")

    monkeypatch.setattr("records.files.extraction.subprocess.run", run)
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    assert ocr_image(Image.new("L", (10, 10), 255)) == "text"
    monkeypatch.setenv("OMP_THREAD_LIMIT", "2")
    ocr_image(Image.new("L", (10, 10), 255))
    assert calls == ["1", "2"]


def test_without_tesseract_a_scanned_page_says_why_it_has_no_text(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("records.files.extraction.tesseract_available", lambda: False)
    upload(DocumentFactory(), samples.scanned_pdf(["Words"]), "scan.pdf",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE
    assert stored.status_text == "Done: 1 page(s) without a text layer; OCR is not installed"


def test_an_encrypted_pdf_is_kept_and_marked(django_capture_on_commit_callbacks):
    upload(
        DocumentFactory(), samples.encrypted_pdf(), "locked.pdf", django_capture_on_commit_callbacks
    )
    stored = StoredFile.objects.get()
    assert stored.encrypted and stored.state == FileState.DONE
    assert stored.status_text == "Done: encrypted, no text"
    assert not FilePage.objects.exists()


def test_a_truncated_pdf_is_kept_and_fails_with_a_reason(django_capture_on_commit_callbacks):
    upload(
        DocumentFactory(), samples.truncated_pdf(), "cut.pdf", django_capture_on_commit_callbacks
    )
    stored = StoredFile.objects.get()
    assert stored.state == FileState.FAILED
    assert stored.status_text.startswith("Failed: ")
    assert stored.blob.storage.exists(stored.blob.name)


def test_an_email_becomes_searchable_text(client, django_capture_on_commit_callbacks):
    upload(
        DocumentFactory(public_id="mail"),
        samples.EMAIL,
        "reply.eml",
        django_capture_on_commit_callbacks,
    )
    stored = StoredFile.objects.get()
    assert stored.content_type == "message/rfc822"
    text = FilePage.objects.get().text
    assert "Subject: Odgovor na zahtev" in text and "klasifikovane" in text
    assert found(client, "klasifikovane")[0][0] == "mail"


def test_the_same_file_queued_twice_is_extracted_once(django_capture_on_commit_callbacks):
    record = DocumentFactory()
    upload(record, samples.text_pdf(["Once"]), "once.pdf", django_capture_on_commit_callbacks)
    stored = StoredFile.objects.get()
    extracted_at = stored.extracted_at
    extract_file_text.enqueue(stored.pk)  # a second worker got the same job
    stored.refresh_from_db()
    assert stored.extracted_at == extracted_at and FilePage.objects.count() == 1


def test_the_record_page_lists_files_and_serves_them_safely(
    client, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="files")
    pdf = upload(
        record, samples.text_pdf(["One", "Two"]), "odgovor.pdf", django_capture_on_commit_callbacks
    )
    mail = upload(record, samples.EMAIL, "mail.eml", django_capture_on_commit_callbacks)
    html = client.get("/r/files/").content.decode()
    assert "odgovor.pdf" in html and "2 pages" in html and pdf.file.sha256 in html
    response = client.get(pdf.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    response = client.get(mail.get_absolute_url())
    assert response["Content-Disposition"].startswith("attachment")
    download = client.get(pdf.get_absolute_url() + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")


def test_files_of_a_draft_are_as_hidden_as_the_draft(editor, django_capture_on_commit_callbacks):
    draft = DocumentFactory(public_id="draft", status=Status.DRAFT)
    attachment = upload(
        draft, samples.text_pdf(["Secret"]), "leak.pdf", django_capture_on_commit_callbacks
    )
    anonymous = Client()
    assert anonymous.get(attachment.get_absolute_url()).status_code == 404
    assert anonymous.get(attachment.get_text_url()).status_code == 404
    assert found(anonymous, "secret") == []
    staff = login_with_second_factor(Client(), editor)
    assert staff.get(attachment.get_absolute_url()).status_code == 200


def test_editors_attach_several_files_at_once_in_the_admin(
    editor_client, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="admin-files", title="Attach here")
    url = f"/admin/records/document/{record.pk}/change/"
    assert 'type="file" name="new_files" multiple' in editor_client.get(url).content.decode()
    data = form_values(editor_client, url)
    data["new_files"] = [
        SimpleUploadedFile("one.pdf", samples.text_pdf(["First"])),
        SimpleUploadedFile("two.eml", samples.EMAIL),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302
    assert sorted(record.attachments.values_list("name", flat=True)) == ["one.pdf", "two.eml"]
    assert StoredFile.objects.filter(state=FileState.DONE).count() == 2


def test_a_refused_upload_in_the_admin_says_why_and_saves_nothing(editor_client):
    record = DocumentFactory(public_id="refused", title="Before")
    url = f"/admin/records/document/{record.pk}/change/"
    data = form_values(editor_client, url)
    data["title"] = ["After"]
    data["new_files"] = [
        SimpleUploadedFile("fine.pdf", samples.text_pdf(["Fine"])),
        SimpleUploadedFile("evil.pdf", samples.HTML_AS_PDF),
    ]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert (
        "evil.pdf: Files of this type (text/html) cannot be attached." in response.content.decode()
    )
    record.refresh_from_db()
    assert record.title == "Before" and not StoredFile.objects.exists()


def test_a_failed_file_can_be_retried_from_the_admin(
    editor_client, django_capture_on_commit_callbacks
):
    upload(
        DocumentFactory(), samples.truncated_pdf(), "cut.pdf", django_capture_on_commit_callbacks
    )
    stored = StoredFile.objects.get()
    assert stored.state == FileState.FAILED
    listing = editor_client.get("/admin/records/storedfile/").content.decode()
    assert "Failed: " in listing
    response = editor_client.post(
        "/admin/records/storedfile/",
        {"action": "retry_extraction", "_selected_action": [stored.pk]},
        follow=True,
    )
    assert "Queued 1 file for text extraction." in response.content.decode()
    stored.refresh_from_db()
    assert stored.state == FileState.FAILED  # read again, and still truncated


SHARED = samples.SHARED_PDFS
needs_shared = pytest.mark.skipif(
    not (SHARED / "files.json").exists(), reason="../shared/testdata/pdf-samples is not here"
)


# Neither pypdf 7.1 nor pdfium can read this file's page tree ("Invalid object in /Pages",
# "Data format error"): it is kept and marked failed with the reason, like any damaged PDF.
UNREADABLE = {"017-unreadable-meta-data/unreadablemetadata.pdf"}


@pytest.mark.slow
@needs_shared
def test_real_world_pdfs_give_their_recorded_page_counts(django_capture_on_commit_callbacks):
    recorded = json.loads((SHARED / "files.json").read_text())["data"]
    record = DocumentFactory()
    for entry in recorded:
        data = (SHARED / entry["path"]).read_bytes()
        try:
            upload(
                record, data, entry["path"].rsplit("/", 1)[-1], django_capture_on_commit_callbacks
            )
        except RejectedFile:
            pytest.fail(f"{entry['path']} was refused")
        stored = StoredFile.objects.get(sha256=hashlib.sha256(data).hexdigest())
        if entry["path"] in UNREADABLE:
            assert stored.state == FileState.FAILED and stored.problem, entry["path"]
            continue
        assert stored.encrypted is entry["encrypted"], entry["path"]
        if not entry["encrypted"]:
            assert stored.state == FileState.DONE, (entry["path"], stored.status_text)
        assert stored.pages == entry["pages"], entry["path"]


def test_extract_never_raises_for_garbage(settings):
    stored = store(ContentFile(b"%PDF-1.4\n" + bytes(range(256)) * 40))
    extract(stored)
    assert stored.state == FileState.FAILED


@pytest.mark.slow
def test_verify_files_reports_missing_and_altered_files(django_capture_on_commit_callbacks):
    record = DocumentFactory(public_id="fixity")
    good = upload(
        record, samples.text_pdf(["Good"]), "good.pdf", django_capture_on_commit_callbacks
    )
    gone = upload(
        record, samples.text_pdf(["Gone"]), "gone.pdf", django_capture_on_commit_callbacks
    )
    changed = upload(record, samples.EMAIL, "changed.eml", django_capture_on_commit_callbacks)
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_files", stdout=out, stderr=err)
    assert "Checked 3 files: 0 missing, 0 altered." in out.getvalue()
    assert "3/3" in err.getvalue()
    good.file.refresh_from_db()
    assert good.file.verified_at is not None
    first_check = good.file.verified_at

    gone.file.blob.storage.delete(gone.file.blob.name)
    with open(changed.file.blob.path, "ab") as handle:
        handle.write(b"tampered")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Checked 3 files: 1 missing, 1 altered\."):
        call_command("verify_files", stdout=out, stderr=io.StringIO())
    assert f"MISSING  {gone.file.sha256}" in out.getvalue() and "fixity/gone.pdf" in out.getvalue()
    assert f"ALTERED  {changed.file.sha256}" in out.getvalue()
    changed.file.refresh_from_db()
    assert changed.file.verified_at is not None  # the last *good* check is kept
    good.file.refresh_from_db()
    assert good.file.verified_at >= first_check


def _jsonl(tmp_path, *records):
    path = tmp_path / "import" / "records.jsonl"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return path


def test_the_importer_takes_files_by_path_and_the_export_describes_them(
    client, tmp_path, django_capture_on_commit_callbacks
):
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "scans").mkdir()
    (folder / "scans" / "reply.pdf").write_bytes(samples.text_pdf(["Page one", "Hikvision offer"]))
    path = _jsonl(tmp_path, {
        "id": "imported-with-file", "kind": "document", "title": "Reply", "language": "en",
        "status": "published", "files": [{"path": "scans/reply.pdf"}],
    })  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_records", str(path), stdout=io.StringIO())
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 2
    assert found(client, "hikvision")[0][0] == "imported-with-file"
    exported = json.loads(
        b"".join(client.get("/api/export.jsonl").streaming_content).decode().splitlines()[0]
    )
    assert exported["files"] == [
        {"name": "reply.pdf", "sha256": stored.sha256, "size": stored.size, "pages": 2,
         "content_type": "application/pdf"},
    ]  # fmt: skip
    # The export, imported again, changes nothing: files are matched by their bytes.
    again = _jsonl(tmp_path, exported)
    out = io.StringIO()
    call_command("import_records", str(again), stdout=out)
    assert "0 created, 0 updated, 1 unchanged" in out.getvalue()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([{"path": "../outside.pdf"}], "must be relative to the import file"),
        ([{"path": "/etc/passwd"}], "must be relative to the import file"),
        ([{"path": "missing.pdf"}], "cannot read file 'missing.pdf'"),
        ([{"path": "page.pdf"}], "file 'page.pdf': Files of this type (text/html)"),
        ([{"sha256": "a" * 64, "name": "x.pdf"}], "is not in the archive"),
        ([{"name": "x.pdf"}], "a file needs either a 'path' or a 'sha256'"),
    ],
)
def test_bad_files_in_an_import_name_the_line_and_import_nothing(tmp_path, files, message):
    folder = tmp_path / "import"
    folder.mkdir()
    (tmp_path / "outside.pdf").write_bytes(samples.text_pdf(["Outside"]))
    (folder / "page.pdf").write_bytes(samples.HTML_AS_PDF)
    good = {"id": "fine", "kind": "document", "title": "Fine", "language": "en"}
    bad = {"id": "bad", "kind": "document", "title": "Bad", "language": "en", "files": files}
    path = _jsonl(tmp_path, good, bad)
    with pytest.raises(CommandError) as failed:
        call_command("import_records", str(path), stdout=io.StringIO())
    assert "line 2" in str(failed.value) and message in str(failed.value)
    assert not Record.objects.exists() and not StoredFile.objects.exists()


class PathlessStorage(InMemoryStorage):
    """Files kept in memory, with no path on disk for anyone but the storage itself (as on
    S3, where ``path`` raises NotImplementedError; InMemoryStorage would give a path under
    MEDIA_ROOT, where nothing is)."""

    def path(self, name):
        if sys._getframe(1).f_globals.get("__name__") != InMemoryStorage.__module__:
            raise NotImplementedError("This storage has no paths on disk.")
        return super().path(name)


@pytest.fixture
def in_memory_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.test_files.PathlessStorage"},
    }
    from django.core.files.storage import default_storage

    assert isinstance(default_storage, PathlessStorage)
    return default_storage


@pytest.mark.slow
def test_files_work_in_a_storage_without_paths(
    in_memory_storage, client, settings, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="remote")
    pdf = upload(record, samples.text_pdf(["Cover", "Hikvision offer"]), "offer.pdf",
                 django_capture_on_commit_callbacks)  # fmt: skip
    upload(record, samples.truncated_pdf(), "cut.pdf", django_capture_on_commit_callbacks)
    upload(record, samples.EMAIL, "reply.eml", django_capture_on_commit_callbacks)
    assert not (settings.MEDIA_ROOT / "files").exists()  # nothing went to the disk
    assert in_memory_storage.exists(pdf.file.blob.name)
    with pytest.raises(NotImplementedError):
        in_memory_storage.path(pdf.file.blob.name)
    states = {a.name: a.file.state for a in record.attachments.select_related("file")}
    # The damaged PDF went through pypdf, then pdfium, reading the same in-memory handle.
    assert states == {"offer.pdf": "done", "cut.pdf": "failed", "reply.eml": "done"}
    assert "Hikvision" in FilePage.objects.get(file=pdf.file, number=2).text
    assert found(client, "hikvision")[0][0] == "remote"
    response = client.get(pdf.get_absolute_url())
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    out = io.StringIO()
    call_command("verify_files", stdout=out, stderr=io.StringIO())
    assert "Checked 3 files: 0 missing, 0 altered." in out.getvalue()
    in_memory_storage.delete(pdf.file.blob.name)
    in_memory_storage.save(pdf.file.blob.name, ContentFile(b"%PDF-1.4 tampered"))
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"0 missing, 1 altered"):
        call_command("verify_files", stdout=out, stderr=io.StringIO())
    assert f"ALTERED  {pdf.file.sha256}" in out.getvalue()


@pytest.mark.slow
@needs_tesseract
def test_ocr_works_in_a_storage_without_paths(
    in_memory_storage, django_capture_on_commit_callbacks
):
    upload(DocumentFactory(), samples.scanned_pdf(["MINISTARSTVO"]), "scan.pdf",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert in_memory_storage.exists(stored.blob.name)
    assert stored.state == FileState.DONE, stored.status_text
    assert "MINISTARSTVO" in FilePage.objects.get().text.upper()


def test_a_stream_bomb_is_skipped_within_the_memory_limit(
    settings, django_capture_on_commit_callbacks
):
    """A few kilobytes that inflate to 256 MB: pypdf stops at PDF_MAX_STREAM_BYTES, the
    page is skipped and named, the other pages keep their text."""
    settings.PDF_MAX_STREAM_BYTES = 8 * 1024 * 1024
    bomb = samples.stream_bomb_pdf()
    assert len(bomb) < 64 * 1024
    tracemalloc.start()
    try:
        upload(DocumentFactory(), bomb, "bomb.pdf", django_capture_on_commit_callbacks)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024 * 1024, f"peak {peak / 2**20:.0f} MiB"
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 3
    assert stored.status_text == (
        "Done: page(s) 2 not read: their content is too large to read safely"
    )
    texts = dict(FilePage.objects.values_list("number", "text"))
    assert texts == {1: "Before the bomb", 2: "", 3: "After it"}
    assert not FilePage.objects.filter(ocr=True).exists()  # the bomb is not rendered either


@pytest.mark.slow
def test_a_page_tree_of_absurd_size_fails_with_the_reason(django_capture_on_commit_callbacks):
    bomb = samples.page_tree_bomb_pdf()
    assert len(bomb) < 1024 * 1024
    upload(DocumentFactory(), bomb, "pages.pdf", django_capture_on_commit_callbacks)
    stored = StoredFile.objects.get()
    assert stored.state == FileState.FAILED
    assert stored.problem.startswith("the PDF is over a safety limit and was not read (")
    assert "page tree" in stored.problem
    assert not FilePage.objects.exists()


def test_only_the_first_pdf_max_pages_are_read(settings, django_capture_on_commit_callbacks):
    settings.PDF_MAX_PAGES = 2
    upload(DocumentFactory(), samples.text_pdf(["Page one", "Page two", "Page three"]),
           "long.pdf", django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 3
    assert stored.status_text == "Done: only the first 2 of 3 pages were read"
    assert list(FilePage.objects.values_list("number", flat=True)) == [1, 2]


def test_text_is_capped_per_page_and_per_file(settings, django_capture_on_commit_callbacks):
    settings.MAX_PAGE_TEXT = 30
    settings.MAX_FILE_TEXT = 70
    pages = [f"Page {n} " + "word " * 10 for n in range(1, 5)]  # 57 characters each
    upload(DocumentFactory(), samples.text_pdf(pages), "wordy.pdf",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 4
    texts = dict(FilePage.objects.values_list("number", "text"))
    assert [len(texts[n]) for n in (1, 2, 3, 4)] == [30, 30, 10, 0]
    assert texts[1] == pages[0][:30]
    assert stored.status_text == (
        "Done: the text of page(s) 1, 2, 3 was cut at 30 characters; "
        "text beyond 70 characters was not kept"
    )


def test_a_long_text_file_is_cut_at_the_file_limit(settings, django_capture_on_commit_callbacks):
    settings.MAX_FILE_TEXT = 100
    text = "Камере на улицама Београда. " * 50  # Cyrillic: two bytes a letter in UTF-8
    upload(DocumentFactory(), text.encode(), "long.txt", django_capture_on_commit_callbacks)
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE
    assert FilePage.objects.get().text == text[:100]
    assert stored.status_text == "Done: text beyond 100 characters was not kept"


def test_a_page_drawing_a_gigapixel_image_is_not_rendered_for_ocr(
    monkeypatch, django_capture_on_commit_callbacks
):
    def no_rendering(*args, **kwargs):
        raise AssertionError("a page over the pixel limit was rendered")

    monkeypatch.setattr("records.files.extraction.ocr_image", no_rendering)
    monkeypatch.setattr("pypdfium2.PdfDocument", no_rendering)
    monkeypatch.setattr("records.files.extraction.tesseract_available", lambda: True)
    upload(DocumentFactory(), samples.huge_image_pdf(), "huge.pdf",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and stored.pages == 1
    assert stored.status_text == (
        "Done: page(s) 1 not read by OCR: their images are too large to read safely"
    )


@pytest.mark.slow
def test_extract_files_reads_every_queued_file_with_a_progress_bar(client):
    """Files attached outside a captured transaction stay queued, as after a bulk import
    with no worker running; the command reads them through the task, as a worker would."""
    record = DocumentFactory(public_id="bulk")
    pdf = attach(record, ContentFile(samples.text_pdf(["Cover", "Hikvision"])), name="a.pdf")
    cut = attach(record, ContentFile(samples.truncated_pdf()), name="cut.pdf")
    mail = attach(record, ContentFile(samples.EMAIL), name="mail.eml")
    assert set(StoredFile.objects.values_list("state", flat=True)) == {FileState.QUEUED}
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("extract_files", stdout=out, stderr=err)
    assert str(failed.value) == "Read 3 files: 2 done (0 with a problem), 1 failed."
    assert f"FAILED  {cut.file.sha256}  the PDF is damaged or truncated (" in out.getvalue()
    assert "(bulk/cut.pdf)" in out.getvalue()
    assert "3/3" in err.getvalue() and "done=2, failed=1" in err.getvalue()
    states = {a.name: a.file.state for a in record.attachments.select_related("file")}
    assert states == {"a.pdf": "done", "cut.pdf": "failed", "mail.eml": "done"}
    assert "Hikvision" in FilePage.objects.get(file=pdf.file, number=2).text
    assert found(client, "hikvision") == [("bulk", {"name": "a.pdf", "page": 2, "url": ANY})]

    # Nothing is queued any more: a second run reads nothing.
    out = io.StringIO()
    call_command("extract_files", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "No files to read.\n"

    # --failed retries the failed file only; --all reads everything again.
    mail.file.refresh_from_db()
    first_read = mail.file.extracted_at
    with pytest.raises(CommandError, match=r"^Read 1 file: 0 done \(0 with a problem\), 1 failed"):
        call_command("extract_files", "--failed", stdout=io.StringIO(), stderr=io.StringIO())
    mail.file.refresh_from_db()
    assert mail.file.extracted_at == first_read
    with pytest.raises(CommandError, match=r"^Read 3 files: 2 done \(0 with a problem\), 1 f"):
        call_command("extract_files", "--all", stdout=io.StringIO(), stderr=io.StringIO())
    mail.file.refresh_from_db()
    assert mail.file.extracted_at > first_read
    assert FilePage.objects.filter(file=pdf.file).count() == 2  # read again, not added twice


def test_extract_files_leaves_a_file_a_worker_is_reading_alone(monkeypatch):
    record = DocumentFactory()
    first = attach(record, ContentFile(samples.text_pdf(["One"])), name="one.pdf")
    second = attach(record, ContentFile(samples.text_pdf(["Two"])), name="two.pdf")

    class RacingTask:
        """The task, with a worker claiming the second file while the first is read."""

        @staticmethod
        def call(pk):
            StoredFile.objects.filter(pk=second.file.pk).update(state=FileState.EXTRACTING)
            return extract_file_text.call(pk)

    monkeypatch.setattr("records.management.commands.extract_files.extract_file_text", RacingTask)
    out = io.StringIO()
    call_command("extract_files", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == (
        "Read 2 files: 1 done (0 with a problem), 0 failed, "
        "1 left to a worker that took them first.\n"
    )
    first.file.refresh_from_db()
    second.file.refresh_from_db()
    assert first.file.state == FileState.DONE and second.file.state == FileState.EXTRACTING


def test_word_and_opendocument_text_is_read_and_searchable(
    client, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="office")
    word = upload(
        record,
        samples.docx(["Ugovor o nabavci\tkamera", "Huawei Technologies d.o.o."],
                     deleted="izbrisan tekst", text_box="Okvir sa tekstom"),
        "ugovor.docx",
        django_capture_on_commit_callbacks,
    )  # fmt: skip
    odt = upload(
        record,
        samples.odt(["Prvi   pasus", "Drugi pasus o prepoznavanju lica"], heading="Naslov"),
        "dopis.odt",
        django_capture_on_commit_callbacks,
    )
    assert word.file.content_type == sniffing.DOCX and odt.file.content_type == sniffing.ODT
    for attachment in (word, odt):
        attachment.file.refresh_from_db()
        assert attachment.file.state == FileState.DONE, attachment.file.status_text
        assert attachment.file.pages is None  # neither format stores pages
    assert FilePage.objects.get(file=word.file).text == (
        "Okvir sa tekstom\nUgovor o nabavci\tkamera\nHuawei Technologies d.o.o."
    )  # the text box is read once, and tracked deletions are not read at all
    assert FilePage.objects.get(file=odt.file).text == (
        "Naslov\nPrvi   pasus\nDrugi pasus o prepoznavanju lica"
    )
    assert found(client, "huawei")[0][0] == "office"
    assert found(client, "prepoznavanju")[0][0] == "office"
    assert found(client, "izbrisan") == []


def test_an_office_document_is_read_within_the_limits(settings, django_capture_on_commit_callbacks):
    settings.MAX_FILE_TEXT = 30
    upload(DocumentFactory(), samples.docx(["Kamere " * 20]), "long.docx",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get()
    assert stored.state == FileState.DONE and len(FilePage.objects.get().text) == 30
    assert stored.status_text == "Done: text beyond 30 characters was not kept"

    upload(DocumentFactory(), samples.billion_laughs_docx(), "laughs.docx",
           django_capture_on_commit_callbacks)  # fmt: skip
    stored = StoredFile.objects.get(state=FileState.FAILED)
    assert "limit on input amplification factor" in stored.problem

    settings.PDF_MAX_STREAM_BYTES = 100_000  # a zip bomb: tiny file, huge XML
    bomb = samples.odt(["nadzor " * 50_000])
    assert len(bomb) < 10_000
    upload(DocumentFactory(), bomb, "bomb.odt", django_capture_on_commit_callbacks)
    stored = StoredFile.objects.get(content_type=sniffing.ODT)
    assert stored.state == FileState.FAILED
    assert stored.status_text.startswith(
        "Failed: the document is over a safety limit and was not read (content.xml inflates to "
    )
