"""The deployment files: nginx's sample configuration in front of gunicorn, for real.

NADZOR_REQUIRE_NGINX=1 (CI, which installs Debian's nginx) makes the smoke test fail instead
of skipping when nginx is missing. It needs PostgreSQL: gunicorn's processes read the test
database the test wrote to."""

import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from records.files.storage import attach
from tests import samples
from tests.factories import DocumentFactory

ROOT = Path(__file__).resolve().parent.parent
# Ports of this project's range for the smoke test (nginx HTTP, HTTPS, gunicorn).
HTTP_PORT, HTTPS_PORT, APP_PORT = (
    int(p) for p in os.environ.get("NADZOR_DEPLOY_TEST_PORTS", "8191,8192,8193").split(",")
)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(record, capture):
    with capture(execute=True):
        return attach(record, ContentFile(samples.text_pdf(["Ugovor"])), name="ugovor.pdf")


@pytest.mark.django_db
def test_with_x_accel_the_app_checks_access_and_nginx_sends_the_bytes(
    client, settings, media, django_capture_on_commit_callbacks
):
    settings.FILE_DELIVERY = "x-accel"
    attachment = _upload(DocumentFactory(public_id="ugovor"), django_capture_on_commit_callbacks)
    answer = client.get(attachment.get_absolute_url())
    assert answer.status_code == 200 and answer.content == b""
    assert answer["X-Accel-Redirect"] == "/protected-media/" + attachment.file.blob.name
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("inline")
    draft = DocumentFactory(public_id="nacrt", status="draft")
    hidden = _upload(draft, django_capture_on_commit_callbacks)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def _wait(url, *, context=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5, context=context) as answer:  # noqa: S310
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {seconds} s")


def _get(url, context, **headers):
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10, context=context) as answer:  # noqa: S310
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_nginx_sample_configuration_in_front_of_gunicorn(tmp_path, settings):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None or shutil.which("openssl") is None:
        if os.environ.get("NADZOR_REQUIRE_NGINX") == "1":
            pytest.fail("nginx (apt-get install nginx) and openssl are required")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    if not all(_free(port) for port in (HTTP_PORT, HTTPS_PORT, APP_PORT)):
        pytest.fail(f"ports {HTTP_PORT}, {HTTPS_PORT}, {APP_PORT} are taken")
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    static = tmp_path / "static"
    (static / "smoke").mkdir(parents=True)
    (static / "smoke" / "hello.txt").write_text("static from nginx")
    record = DocumentFactory(public_id="javni", title="Javni ugovor o kamerama")
    attachment = attach(record, ContentFile(samples.text_pdf(["Ugovor"])), name="ugovor.pdf")

    subprocess.run(  # noqa: S603 -- fixed arguments, openssl from PATH
        [
            shutil.which("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=nadzor.test",
            "-keyout",
            str(tmp_path / "key.pem"),
            "-out",
            str(tmp_path / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for name, value in {
        "@SERVER_NAME@": "nadzor.test",
        "@APP@": f"127.0.0.1:{APP_PORT}",
        "@CERT@": str(tmp_path / "cert.pem"),
        "@KEY@": str(tmp_path / "key.pem"),
        "@STATIC_ROOT@": str(static),
        "@MEDIA_ROOT@": str(media),
        "@MAINTENANCE@": str(ROOT / "deploy"),
        "@HTTP_PORT@": f"127.0.0.1:{HTTP_PORT}",
        "@HTTPS_PORT@": f"127.0.0.1:{HTTPS_PORT}",
    }.items():
        config = config.replace(name, value)
    assert not re.search(r"@[A-Z_]+@", re.sub(r"#.*", "", config))
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        # As root (CI), the workers run as root too: the test's files are in a private tmp.
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1; pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/error.log;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; access_log off;\n"
        f"client_body_temp_path {tmp_path}/body; proxy_temp_path {tmp_path}/proxy;\n"
        f"fastcgi_temp_path {tmp_path}/fcgi; uwsgi_temp_path {tmp_path}/uwsgi;\n"
        f"scgi_temp_path {tmp_path}/scgi;\n{config}\n}}\n"
    )
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        + "/"
        + connection.settings_dict["NAME"],
        "MEDIA_ROOT": str(media),
        "BEHIND_PROXY": "1",
        "FILE_DELIVERY": "x-accel",
        "ACCESS_LOG": "1",
        "LOG_FORMAT": "json",
    }
    environ.pop("DATABASE_REPLICA_URL", None)
    app = subprocess.Popen(  # noqa: S603 -- this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "gunicorn",
            "archive.wsgi",
            "--config",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{APP_PORT}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proxy = None
    https = f"https://127.0.0.1:{HTTPS_PORT}"
    context = ssl.create_default_context(cafile=str(tmp_path / "cert.pem"))
    context.check_hostname = False
    try:
        assert _wait(f"http://127.0.0.1:{APP_PORT}/healthz") == 200
        checked = subprocess.run(  # noqa: S603 -- fixed arguments
            [nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stderr
        proxy = subprocess.Popen(  # noqa: S603 -- fixed arguments
            [nginx, "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait(f"{https}/healthz", context=context)

        # Plain HTTP is sent to HTTPS.
        import http.client

        plain = http.client.HTTPConnection("127.0.0.1", HTTP_PORT, timeout=10)
        plain.request("GET", "/search/?q=x", headers={"Host": "nadzor.test"})
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location") == "https://nadzor.test/search/?q=x"
        plain.close()
        # Pages through TLS, with the app's security headers; the scheme is trusted.
        status, headers, body = _get(f"{https}/", context, Host="localhost")
        assert status == 200 and b"Javni ugovor o kamerama" in body, body[:500]
        assert "Strict-Transport-Security" in headers and "X-Request-ID" in headers
        # nginx's request id is the app's.
        status, headers, body = _get(f"{https}/search/?q=kamere", context, Host="localhost")
        assert status == 200 and len(headers["X-Request-ID"]) == 32
        # Static files from disk; /metrics is not public.
        status, _, body = _get(f"{https}/static/smoke/hello.txt", context, Host="localhost")
        assert status == 200 and body == b"static from nginx"
        assert _get(f"{https}/metrics", context, Host="localhost")[0] == 403
        # A file: the app decides, nginx sends the bytes.
        status, headers, body = _get(
            https + attachment.get_absolute_url(), context, Host="localhost"
        )
        assert status == 200 and body.startswith(b"%PDF-"), (status, body[:200])
        assert headers["Content-Type"] == "application/pdf"
        assert "X-Accel-Redirect" not in headers
        # The internal location is not reachable from outside.
        assert (
            _get(f"{https}/protected-media/{attachment.file.blob.name}", context, Host="localhost")[
                0
            ]
            == 404
        )
        # The client address the app saw is the one nginx appended, not a forged one.
        _get(f"{https}/about/", context, Host="localhost", **{"X-Forwarded-For": "6.6.6.6"})
        # With gunicorn gone, readers get the maintenance page.
        app.terminate()
        app.wait(timeout=40)
        status, headers, body = _get(f"{https}/", context, Host="localhost")
        assert status == 503 and b"Nadzor is briefly unavailable" in body
        assert headers.get("Retry-After") == "60"
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=20)
        if app.poll() is None:
            app.terminate()
            app.wait(timeout=40)
    import json

    lines = [json.loads(line) for line in app.stderr.read().splitlines() if line.startswith("{")]
    about = [line for line in lines if line.get("path") == "/about/"]
    assert about and about[0]["client_ip"] == "127.0.0.1"  # not the forged 6.6.6.6
    assert about[0]["request_id"] != "-"
