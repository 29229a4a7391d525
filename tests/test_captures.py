"""Web captures, against a local HTTP server started by the tests (never the internet)."""

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from warcio.archiveiterator import ArchiveIterator

from records.files.capture import capture, page_text
from records.files.tasks import request_capture
from records.models import CaptureState, Status, WebCapture
from tests import samples
from tests.admin_forms import form_values
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db


class Site(BaseHTTPRequestHandler):
    version = {"n": 1}

    def do_GET(self):
        if self.path == "/page":
            body = (
                "<html><head><script>var tracker = 1;</script><style>p{}</style></head>"
                f"<body><h1>Safe City</h1><p>Huawei case study, version {Site.version['n']}."
                "</p><p>Thousands of cameras.</p></body></html>"
            ).encode()
            self._send(200, body, "text/html; charset=utf-8")
        elif self.path == "/moved":
            self._redirect("/moved-again")
        elif self.path == "/moved-again":
            self._redirect("/page")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200, b"late", "text/plain")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CAPTURE_ALLOW_PRIVATE = True  # the test server is on loopback
    settings.CAPTURE_TIMEOUT = 1
    settings.CAPTURE_MAX_BYTES = 4000
    Site.version["n"] = 1


def run(url, record=None, *, capture_callbacks):
    with capture_callbacks(execute=True):
        web_capture = request_capture(url, record=record)
    web_capture.refresh_from_db()
    return web_capture


def test_a_page_is_kept_as_a_warc_with_its_text_and_hashes(
    site, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="huawei", source_url=f"{site}/page")
    web_capture = run(f"{site}/page", record, capture_callbacks=django_capture_on_commit_callbacks)
    assert web_capture.state == CaptureState.DONE, web_capture.problem
    assert web_capture.status_code == 200 and web_capture.captured_at
    assert "Huawei case study, version 1." in web_capture.text
    assert "tracker" not in web_capture.text
    assert len(web_capture.warc_sha256) == 64 and len(web_capture.payload_sha256) == 64
    with web_capture.warc.open("rb") as handle:
        records = list(ArchiveIterator(handle))
    assert [r.rec_type for r in records] == ["request", "response"]
    assert records[1].rec_headers.get_header("WARC-Target-URI") == f"{site}/page"
    assert web_capture.changes == "First capture of this address."


def test_redirects_are_followed_and_recorded(site, django_capture_on_commit_callbacks):
    web_capture = run(f"{site}/moved", capture_callbacks=django_capture_on_commit_callbacks)
    assert web_capture.state == CaptureState.DONE
    assert web_capture.redirects == [[f"{site}/moved", 302], [f"{site}/moved-again", 302]]
    assert web_capture.final_url == f"{site}/page"
    with web_capture.warc.open("rb") as handle:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(handle)]
    assert uris == [f"{site}/moved"] * 2 + [f"{site}/moved-again"] * 2 + [f"{site}/page"] * 2


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/loop", "Too many redirects."),
        ("/big", "The page is larger than the capture limit."),
        ("/slow", "The server did not answer in time."),
    ],
)
def test_limits_end_a_capture_with_the_reason(
    site, path, problem, django_capture_on_commit_callbacks
):
    web_capture = run(f"{site}{path}", capture_callbacks=django_capture_on_commit_callbacks)
    assert web_capture.state == CaptureState.FAILED
    assert web_capture.problem == problem
    assert not web_capture.warc


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://127.0.0.1:9/x", "127.0.0.1 is a private or local address, which is not captured."),
        ("http://localhost/x", "localhost is a private or local address, which is not captured."),
        ("http://10.1.2.3/x", "10.1.2.3 is a private or local address, which is not captured."),
        ("http://[::1]/x", "::1 is a private or local address, which is not captured."),
        ("file:///etc/passwd", "Only http and https addresses can be captured."),
        ("ftp://example.org/x", "Only http and https addresses can be captured."),
    ],
)
def test_production_refuses_private_addresses_and_other_schemes(settings, url, problem):
    settings.CAPTURE_ALLOW_PRIVATE = False
    web_capture = WebCapture.objects.create(url=url)
    capture(web_capture)
    assert web_capture.state == CaptureState.FAILED and web_capture.problem == problem


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(settings, site):
    settings.CAPTURE_ALLOW_PRIVATE = False
    # The first hop is already loopback here; what matters is that every hop is checked.
    web_capture = WebCapture.objects.create(url=f"{site}/moved")
    capture(web_capture)
    assert web_capture.state == CaptureState.FAILED
    assert "private or local address" in web_capture.problem


def test_captures_over_time_say_what_changed_and_the_record_shows_the_latest(
    client, site, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="over-time", source_url=f"{site}/page")
    first = run(f"{site}/page", record, capture_callbacks=django_capture_on_commit_callbacks)
    same = run(f"{site}/page", record, capture_callbacks=django_capture_on_commit_callbacks)
    assert same.changes.startswith("Identical to the capture of ")
    Site.version["n"] = 2
    changed = run(f"{site}/page", record, capture_callbacks=django_capture_on_commit_callbacks)
    assert changed.changes.endswith("1 lines added, 1 removed.")
    html = client.get("/r/over-time/").content.decode()
    assert f'href="/captures/{changed.pk}/">Archived copy, captured on ' in html
    assert "(3 captures)" in html
    page = client.get(f"/captures/{first.pk}/").content.decode()
    assert "All captures of this address" in page
    assert page.index(f"/captures/{changed.pk}/") < page.index(f"/captures/{same.pk}/")
    warc = client.get(f"/captures/{first.pk}/warc/")
    assert warc["Content-Disposition"].startswith("attachment")
    assert gzip.decompress(b"".join(warc.streaming_content)).startswith(b"WARC/1")


def test_captures_of_a_draft_are_hidden(site, django_capture_on_commit_callbacks):
    draft = DocumentFactory(status=Status.DRAFT)
    web_capture = run(f"{site}/page", draft, capture_callbacks=django_capture_on_commit_callbacks)
    anonymous = Client()
    assert anonymous.get(f"/captures/{web_capture.pk}/").status_code == 404
    assert anonymous.get(f"/captures/{web_capture.pk}/warc/").status_code == 404


def test_editors_capture_the_source_from_the_record_form_and_again_from_the_list(
    editor_client, site, django_capture_on_commit_callbacks
):
    record = DocumentFactory(public_id="admin-capture", source_url=f"{site}/page")
    url = f"/admin/records/document/{record.pk}/change/"
    data = form_values(editor_client, url)
    data["capture_source"] = ["on"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    first = WebCapture.objects.get()
    assert first.state == CaptureState.DONE and first.record_id == record.pk
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/records/webcapture/",
            {"action": "capture_again", "_selected_action": [first.pk]},
            follow=True,
        )
    assert "Queued 1 new capture." in response.content.decode()
    assert WebCapture.objects.filter(state=CaptureState.DONE).count() == 2


def test_a_captured_pdf_is_read_within_the_same_limits_as_an_attached_one(settings):
    settings.PDF_MAX_STREAM_BYTES = 8 * 1024 * 1024
    assert page_text(samples.stream_bomb_pdf(), "application/pdf") == "Before the bomb\n\nAfter it"
    settings.MAX_FILE_TEXT = 10
    assert page_text(samples.text_pdf(["Thousands of cameras"]), "application/pdf") == "Thousands "
    assert page_text(b"<p>Thousands of cameras</p>", "text/html") == "Thousands "
