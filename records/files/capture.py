"""Web captures: fetch a page as it is now and keep it as a WARC file, with its text.

Only http and https are fetched, within a timeout and a size cap, following at most
``CAPTURE_MAX_REDIRECTS`` redirects, each of which is recorded. In production no private,
loopback, link-local or special-purpose (NAT64, 6to4, Teredo) address is fetched, checked
at every hop: a name is resolved once, its addresses are checked, and the connection goes
to that very address (resolving again could give another one: DNS rebinding). The WARC
(warcio) holds each hop's request and response; its SHA-256 and the content's SHA-256
are kept, and the text is extracted for search and for comparing captures of the same
address over time.
"""

import difflib
import hashlib
import ipaddress
import socket
from html.parser import HTMLParser
from io import BytesIO
from urllib.parse import urljoin, urlsplit, urlunsplit

import pypdf
import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from requests.adapters import HTTPAdapter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from records.files.extraction import pdf_limits
from records.models import CaptureState, WebCapture

CHUNK = 64 * 1024


class CaptureRefused(Exception):
    """The address may not or could not be captured; the message says why."""


# Special-purpose ranges that ``ipaddress`` counts as global but that lead to private
# addresses: NAT64 (RFC 6052, RFC 8215) embeds any IPv4 address, 6to4 and Teredo tunnel to
# one.
SPECIAL_PURPOSE = [
    ipaddress.ip_network("64:ff9b::/96"),
    ipaddress.ip_network("64:ff9b:1::/48"),
    ipaddress.ip_network("2002::/16"),
    ipaddress.ip_network("2001::/32"),
]


def is_public_address(address):
    """Whether ``address`` (an ``ipaddress`` object) is a public unicast address."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        return is_public_address(mapped)
    if address.is_multicast or not address.is_global:
        return False
    return not any(address in network for network in SPECIAL_PURPOSE if network.version == 6)


def check_address(url):
    """The address ``url``'s host resolves to, checked: the fetch then connects to exactly
    that address (resolving again could give another: DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise CaptureRefused(_("Only http and https addresses can be captured."))
    if not parts.hostname:
        raise CaptureRefused(_("The address has no host name."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError):
        raise CaptureRefused(
            _("The host name %(host)s does not resolve.") % {"host": parts.hostname}
        ) from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not settings.CAPTURE_ALLOW_PRIVATE and not all(map(is_public_address, addresses)):
        raise CaptureRefused(
            _("%(host)s is a private or local address, which is not captured.")
            % {"host": parts.hostname}
        )
    return addresses[0]


class _PinnedAdapter(HTTPAdapter):
    """Connects to the address given in the URL, while TLS checks the certificate (and
    sends SNI) for the real host name."""

    def __init__(self, hostname, **kwargs):
        self.hostname = hostname
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["server_hostname"] = self.hostname
        kwargs["assert_hostname"] = self.hostname
        super().init_poolmanager(*args, **kwargs)


def _pinned_get(url, address, headers):
    """GET ``url`` from ``address`` and no other: the host name is not resolved again."""
    parts = urlsplit(url)
    host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{host}:{parts.port}" if parts.port else host
    pinned_url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    session = requests.Session()
    session.trust_env = False  # no proxy from the environment: it would resolve the name
    session.mount(f"{parts.scheme}://", _PinnedAdapter(parts.hostname))
    host_header = parts.hostname if not parts.port else f"{parts.hostname}:{parts.port}"
    return session.get(
        pinned_url, headers={**headers, "Host": host_header}, allow_redirects=False,
        stream=True, timeout=settings.CAPTURE_TIMEOUT,
    )  # fmt: skip


def _fetch(url):
    """``[(url, response, body)]`` for each hop, the last one being the page itself."""
    hops, current = [], url
    headers = {
        "User-Agent": f"Nadzor web archive ({settings.SITE_URL})",
        # The bytes kept are the bytes sent: no compression to undo.
        "Accept-Encoding": "identity",
    }
    for _hop in range(settings.CAPTURE_MAX_REDIRECTS + 1):
        address = check_address(current)
        try:
            response = _pinned_get(current, address, headers)
        except requests.Timeout:
            raise CaptureRefused(_("The server did not answer in time.")) from None
        except requests.RequestException as error:
            raise CaptureRefused(
                _("The page could not be fetched: %(error)s") % {"error": error}
            ) from None
        body = _read_capped(response)
        hops.append((current, response, body))
        if response.is_redirect and response.headers.get("Location"):
            current = urljoin(current, response.headers["Location"])
            continue
        return hops
    raise CaptureRefused(_("Too many redirects."))


def _read_capped(response):
    limit, chunks, size = settings.CAPTURE_MAX_BYTES, [], 0
    try:
        for chunk in response.raw.stream(CHUNK, decode_content=False):
            size += len(chunk)
            if size > limit:
                raise CaptureRefused(_("The page is larger than the capture limit."))
            chunks.append(chunk)
    except requests.exceptions.ReadTimeout:
        raise CaptureRefused(_("The server did not answer in time.")) from None
    except OSError as error:
        if "timed out" in str(error):
            raise CaptureRefused(_("The server did not answer in time.")) from None
        raise
    finally:
        response.close()
    return b"".join(chunks)


def _warc(hops):
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, response, body in hops:
        request_headers = StatusAndHeaders(
            f"GET {urlsplit(url).path or '/'} HTTP/1.1",
            list(response.request.headers.items()),
            is_http_request=True,
        )
        writer.write_record(writer.create_warc_record(url, "request", http_headers=request_headers))
        version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(response.raw.version, "HTTP/1.1")
        http_headers = StatusAndHeaders(
            f"{response.status_code} {response.reason or ''}".strip(),
            list(response.raw.headers.items()),
            protocol=version,
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=http_headers
            )
        )
    return buffer.getvalue()


class _TextParser(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def page_text(body, content_type):
    """The readable text of a captured body."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/pdf":
        texts, size = [], 0
        try:
            with pdf_limits():  # a captured PDF is as untrusted as an uploaded one
                reader = pypdf.PdfReader(BytesIO(body))
                for index in range(min(len(reader.pages), settings.PDF_MAX_PAGES)):
                    try:
                        texts.append((reader.pages[index].extract_text() or "").strip())
                    except pypdf.errors.LimitReachedError:
                        continue  # a page too large to read safely
                    size += len(texts[-1])
                    if size > settings.MAX_FILE_TEXT:
                        break
        except Exception:
            return ""
        return "\n\n".join(texts)[: settings.MAX_FILE_TEXT]
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
    try:
        text = body.decode(charset, "replace")
    except LookupError:
        text = body.decode("utf-8", "replace")
    if kind in ("text/html", "application/xhtml+xml"):
        parser = _TextParser()
        parser.feed(text)
        text = "".join(parser.parts)
    lines = (" ".join(line.split()) for line in text.replace("\x00", "").splitlines())
    return "\n".join(line for line in lines if line)[: settings.MAX_FILE_TEXT]


def _changes(capture, previous):
    if previous is None:
        return _("First capture of this address.")
    when = date_format(timezone.localtime(previous.captured_at), "DATETIME_FORMAT")
    if previous.payload_sha256 == capture.payload_sha256:
        return _("Identical to the capture of %(when)s.") % {"when": when}
    before, after = previous.text.splitlines(), capture.text.splitlines()
    added = removed = 0
    for line in difflib.ndiff(before, after):
        if line.startswith("+ "):
            added += 1
        elif line.startswith("- "):
            removed += 1
    return _("Changed since %(when)s: %(added)s lines added, %(removed)s removed.") % {
        "when": when,
        "added": added,
        "removed": removed,
    }


def capture(web_capture):
    """Fetch ``web_capture.url`` and fill in the capture; never raises for a bad page."""
    try:
        hops = _fetch(web_capture.url)
    except CaptureRefused as error:
        _fail(web_capture, str(error))
        return web_capture
    final_url, response, body = hops[-1]
    warc = _warc(hops)
    warc_sha256 = hashlib.sha256(warc).hexdigest()
    name = f"captures/{warc_sha256[:2]}/{warc_sha256}.warc.gz"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(warc))
    web_capture.captured_at = timezone.now()
    web_capture.final_url = final_url
    web_capture.redirects = [[url, r.status_code] for url, r, _body in hops[:-1]]
    web_capture.status_code = response.status_code
    web_capture.content_type = response.headers.get("Content-Type", "")[:200]
    web_capture.warc = name
    web_capture.warc_sha256 = warc_sha256
    web_capture.payload_sha256 = hashlib.sha256(body).hexdigest()
    web_capture.size = len(body)
    web_capture.text = page_text(body, web_capture.content_type)
    previous = (
        WebCapture.objects.filter(url=web_capture.url, state=CaptureState.DONE)
        .exclude(pk=web_capture.pk)
        .order_by("-captured_at")
        .first()
    )
    web_capture.changes = _changes(web_capture, previous)[:300]
    web_capture.state = CaptureState.DONE
    web_capture.problem = ""
    web_capture.save()
    return web_capture


def _fail(web_capture, problem):
    web_capture.state = CaptureState.FAILED
    web_capture.problem = problem
    web_capture.save(update_fields=["state", "problem"])
