"""The directory of public bodies (#13, part 1): a requester finds a body by name in either
script, with or without diacritics, or by kind, and sees where requests go, the appeal
route and where the contact data come from; signed-in users suggest bodies and report
wrong details into an editors' queue, and nothing changes until an editor accepts; the CSV
import names a bad line and changes nothing, and the export gives the same CSV back."""

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from records.foi.bodies_csv import COLUMNS, export_bodies
from records.models import Actor, ActorKind, BodyKind, BodySuggestion, FOIRequest, SuggestionState
from tests.conftest import login_with_second_factor
from tests.foi_helpers import body, requester

pytestmark = pytest.mark.django_db

DEMO_BODIES = Path(__file__).resolve().parents[1] / "records" / "demo" / "public-bodies.csv"


def text_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main))).strip()


def listed(client, **params):
    """The bodies' names the directory lists for ``params``, in order."""
    page = client.get(reverse("foi:body-list"), params)
    assert page.status_code == 200
    return [b.name for b, _stats in page.context["rows"]]


@pytest.fixture
def editor_client_factory(editor):
    """A second browser, an editor's who passed the two-factor check."""
    return lambda: login_with_second_factor(Client(), editor)


@pytest.fixture
def directory():
    mup = body(
        "Ministarstvo unutrašnjih poslova",
        email="",
        name_en="Ministry of Interior",
        body_kind=BodyKind.MINISTRY,
    )
    police = body(
        "Policijska uprava za grad Beograd",
        email="pu.beograd@mup.example",
        body_kind=BodyKind.POLICE,
        parent=mup,
        postal_address="Savska 35\n11000 Beograd",
        contact_source="https://mup.example/kontakt",
        contact_checked_on=date(2026, 11, 30),
    )
    djordjevic = body(
        "Gradska opština Đorđevića Brdo", email="info@opstina.example", body_kind=BodyKind.CITY
    )
    assembly = body(
        "Narodna skupština",
        email="info@skupstina.example",
        appeals_to_commissioner=False,
        body_kind=BodyKind.GOVERNMENT,
    )
    return {"mup": mup, "police": police, "djordjevic": djordjevic, "assembly": assembly}


# Finding a body


@pytest.mark.parametrize(
    "query",
    ["unutrasnjih", "unutrašnjih", "УНУТРАШЊИХ", "министарство унутрашњих", "ministry interior"],
)
def test_a_body_is_found_by_name_in_either_script_with_or_without_diacritics_or_in_english(
    client, directory, query
):
    assert listed(client, q=query) == ["Ministarstvo unutrašnjih poslova"]


@pytest.mark.parametrize("query", ["djordjevica", "dordevica", "ђорђевића", "Đorđevića brdo"])
def test_dj_and_d_find_a_name_written_with_đ(client, directory, query):
    assert listed(client, q=query) == ["Gradska opština Đorđevića Brdo"]


def test_the_directory_filters_by_kind_and_says_when_nothing_matches(client, directory):
    assert listed(client, kind="police") == ["Policijska uprava za grad Beograd"]
    assert listed(client, kind="court") == []
    assert "No public body matches" in text_of(client.get("/bodies/", {"q": "nepostojeci"}))
    bad = client.get("/bodies/", {"kind": "bank"})
    assert "Select a valid choice" in bad.content.decode()


def test_a_body_page_shows_where_requests_go_its_parent_appeal_route_and_source(client, directory):
    text = text_of(client.get(directory["police"].get_body_url()))
    assert "Kind Police administration" in text
    assert "FOI e-mail pu.beograd@mup.example" in text
    assert "Postal address Savska 35 11000 Beograd" in text
    assert "Part of Ministry of Interior" in text  # the English name on English pages
    assert "Appeals to the Commissioner" in text
    assert "Source of the contact data https://mup.example/kontakt" in text
    assert "Last checked Nov. 30, 2026" in text
    assembly = text_of(client.get(directory["assembly"].get_body_url()))
    assert "no appeal to the Commissioner (Art. 22(2)): administrative dispute" in assembly
    assert "Source of the contact data not recorded Last checked never" in assembly


def test_serbian_pages_show_the_serbian_name_in_the_readers_script(client, directory):
    url = directory["mup"].get_body_url()  # before a Serbian page activates Serbian
    cyrillic = text_of(client.get("/sr" + url))
    assert "Министарство унутрашњих послова" in cyrillic
    latin = text_of(client.get("/sr-latn" + url))
    assert "Ministarstvo unutrašnjih poslova" in latin


def test_the_api_lists_the_directory_with_the_same_search_and_kinds(client, directory):
    found = client.get("/api/bodies/", {"q": "ђорђевића"}).json()
    assert [b["name"] for b in found["results"]] == ["Gradska opština Đorđevića Brdo"]
    [police] = client.get("/api/bodies/", {"kind": "police"}).json()["results"]
    assert police["foi_email"] == "pu.beograd@mup.example"
    assert police["parent"]["name"] == "Ministarstvo unutrašnjih poslova"
    assert police["contact_source"] == "https://mup.example/kontakt"
    assert police["contact_checked_on"] == "2026-11-30"
    assert police["appeals_to_commissioner"] is True
    assert police["statistics"]["requests"] == 0
    assert client.get("/api/bodies/", {"kind": "bank"}).status_code == 400


# Suggestions and corrections


def test_suggesting_needs_an_account(client, directory):
    page = client.get(reverse("foi:body-suggest"))
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert "Log in to suggest a body" in text_of(client.get("/bodies/"))


def test_a_suggested_body_waits_for_an_editor_and_appears_only_once_accepted(
    client, editor_client_factory
):
    ana = requester()
    client.force_login(ana)
    response = client.post(
        reverse("foi:body-suggest"),
        {
            "name": "Gradska uprava Grada Novog Sada",
            "body_kind": "city",
            "foi_email": "pristup@novisad.example",
            "source": "https://novisad.example/kontakt",
        },
        follow=True,
    )
    assert "An editor will check it" in text_of(response)
    suggestion = BodySuggestion.objects.get()
    assert suggestion.state == SuggestionState.PENDING and suggestion.user == ana
    assert not Actor.objects.filter(name="Gradska uprava Grada Novog Sada").exists()
    assert listed(client, q="novog sada") == []

    editor = editor_client_factory()
    queue = editor.get(reverse("admin:records_bodysuggestion_changelist"))
    assert "Gradska uprava Grada Novog Sada" in queue.content.decode()
    editor.post(
        reverse("admin:records_bodysuggestion_changelist"),
        {"action": "accept", "_selected_action": [suggestion.pk]},
    )
    added = Actor.objects.get(name="Gradska uprava Grada Novog Sada", kind=ActorKind.PUBLIC_BODY)
    assert added.foi_email == "pristup@novisad.example"
    assert added.body_kind == BodyKind.CITY
    assert added.contact_source == "https://novisad.example/kontakt"
    assert added.contact_checked_on is not None
    assert listed(client, q="novog sada") == ["Gradska uprava Grada Novog Sada"]
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.ACCEPTED and suggestion.body == added


def test_a_reported_wrong_address_changes_only_the_given_detail_once_accepted(
    client, directory, editor_client_factory
):
    police = directory["police"]
    client.force_login(requester())
    form = client.get(reverse("foi:body-correct", args=[police.slug]))
    assert "Report a wrong or missing detail" in text_of(form)
    client.post(
        reverse("foi:body-correct", args=[police.slug]),
        {"foi_email": "pristup@pu-beograd.example", "source": "Their letter of 2 Dec 2026"},
    )
    police.refresh_from_db()
    assert police.foi_email == "pu.beograd@mup.example"  # nothing changes yet

    editor = editor_client_factory()
    suggestion = BodySuggestion.objects.get()
    editor.post(
        reverse("admin:records_bodysuggestion_changelist"),
        {"action": "accept", "_selected_action": [suggestion.pk]},
    )
    police.refresh_from_db()
    assert police.foi_email == "pristup@pu-beograd.example"
    assert police.postal_address == "Savska 35\n11000 Beograd"  # left as it was
    assert police.contact_source == "Their letter of 2 Dec 2026"
    # Accepting twice changes nothing more and says so.
    response = editor.post(
        reverse("admin:records_bodysuggestion_changelist"),
        {"action": "accept", "_selected_action": [suggestion.pk]},
        follow=True,
    )
    assert "1 suggestion was already decided." in response.content.decode()


def test_a_rejected_suggestion_changes_nothing(client, directory, editor_client_factory):
    client.force_login(requester())
    client.post(
        reverse("foi:body-correct", args=[directory["mup"].slug]),
        {"postal_address": "Nepostojeća 1", "source": "a rumour"},
    )
    editor_client_factory().post(
        reverse("admin:records_bodysuggestion_changelist"),
        {"action": "reject", "_selected_action": [BodySuggestion.objects.get().pk]},
    )
    directory["mup"].refresh_from_db()
    assert directory["mup"].postal_address == ""
    assert BodySuggestion.objects.get().state == SuggestionState.REJECTED


@pytest.mark.parametrize(
    "data, message",
    [
        ({"source": "somewhere"}, "Give the correct detail, or say what is wrong."),
        ({"foi_email": "not an address", "source": "x"}, "Enter a valid email address."),
        ({"foi_email": "a@b.example"}, "This field is required."),
    ],
)
def test_a_bad_correction_is_explained_and_nothing_is_kept(client, directory, data, message):
    client.force_login(requester())
    response = client.post(reverse("foi:body-correct", args=[directory["mup"].slug]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not BodySuggestion.objects.exists()


def test_a_suggested_body_needs_a_name(client):
    client.force_login(requester())
    response = client.post(reverse("foi:body-suggest"), {"source": "x"})
    assert "This field is required." in response.content.decode()
    assert not BodySuggestion.objects.exists()


# Import and export


def write(tmp_path, text):
    path = tmp_path / "bodies.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_demo_csv_imports_and_exports_back_byte_for_byte(tmp_path):
    call_command("import_public_bodies", str(DEMO_BODIES))
    out = tmp_path / "export.csv"
    call_command("export_public_bodies", "--output", str(out))
    assert out.read_text(encoding="utf-8") == DEMO_BODIES.read_text(encoding="utf-8")
    assert export_bodies() == DEMO_BODIES.read_text(encoding="utf-8")


def test_an_import_sets_every_documented_column_and_a_second_run_changes_nothing(tmp_path, capsys):
    path = write(
        tmp_path,
        ",".join(COLUMNS)
        + "\n"
        + "Ministarstvo pravde,Ministry of Justice,ministry,pristup@mpravde.example,"
        '"Nemanjina 22-26\n11000 Beograd",https://mpravde.example/,,yes,'
        "https://mpravde.example/kontakt,2026-11-01,no\n"
        "Uprava za izvršenje krivičnih sankcija,,other,,,,Ministarstvo pravde,yes,,,no\n",
    )
    call_command("import_public_bodies", path)
    assert "2 public bodies created, 0 updated, 0 unchanged" in capsys.readouterr().out
    justice = Actor.objects.get(name="Ministarstvo pravde")
    assert justice.name_en == "Ministry of Justice"
    assert justice.postal_address == "Nemanjina 22-26\n11000 Beograd"
    assert justice.contact_checked_on == date(2026, 11, 1)
    assert Actor.objects.get(name__startswith="Uprava za").parent == justice
    call_command("import_public_bodies", path)
    assert "0 public bodies created, 0 updated, 2 unchanged" in capsys.readouterr().out


@pytest.mark.parametrize(
    "rows, problem",
    [
        (
            "Dobar organ,ok@x.example\nLoš organ,nije-adresa\n",
            "line 3: 'nije-adresa' is not an e-mail",
        ),
        (
            'Dobar organ,ok@x.example\n"Više\nredova",\n,x@y.example\n',
            "line 5: a body needs a name",
        ),
        ("Organ,a@b.example\nOrgan,c@d.example\n", "line 3: 'Organ' is already on line 2"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_imported(tmp_path, rows, problem):
    path = write(tmp_path, "name,foi_email\n" + rows)
    with pytest.raises(CommandError) as error:
        call_command("import_public_bodies", path)
    assert "nothing was imported" in str(error.value)
    assert problem in str(error.value)
    assert not Actor.objects.exists()


@pytest.mark.parametrize(
    "text, problem",
    [
        ("name,email\nX,a@b.example\n", "unknown column(s) 'email'"),
        ("name,kind\nX,bank\n", "kind 'bank' is not one of ministry"),
        ("name,contact_checked_on\nX,30.11.2026\n", "is not a date written YYYY-MM-DD"),
        ("name,parent\nX,Nepoznat\n", "parent body 'Nepoznat' is neither in the file nor known"),
        ("name,test\nX,maybe\n", "test must be yes or no"),
        ("", "the file is empty"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, text, problem):
    body("Postojeći organ", email="old@x.example")
    with pytest.raises(CommandError) as error:
        call_command("import_public_bodies", write(tmp_path, text))
    assert problem in str(error.value)
    assert list(Actor.objects.values_list("name", "foi_email")) == [
        ("Postojeći organ", "old@x.example")
    ]


# The demo


def test_the_demo_has_only_sourced_data_for_real_bodies_and_one_labelled_test_body(client):
    call_command("import_public_bodies", str(DEMO_BODIES))
    real = Actor.objects.filter(kind=ActorKind.PUBLIC_BODY, is_test=False)
    assert real.count() == 5
    for b in real:
        assert b.foi_email == "" and b.postal_address == ""  # none is sourced yet
        assert b.contact_source and b.contact_checked_on
    test_body = Actor.objects.get(is_test=True)
    assert test_body.name == "Testni organ (Nadzor demo)"
    assert test_body.foi_email == "zahtevi@testni-organ.example"
    url = test_body.get_body_url()
    text = text_of(client.get(url))
    assert "Test body (Nadzor demo)" in text
    assert "This is a test body, not a real authority." in text
    assert "Testni organ (Nadzor demo)" in text_of(client.get("/sr-latn" + url))
    assert "Тестни орган (Надзор демо)" in text_of(client.get("/sr" + url))


def test_a_newcomer_can_send_a_request_by_e_mail_to_the_demo_test_body(client):
    call_command("import_public_bodies", str(DEMO_BODIES))
    test_body = Actor.objects.get(is_test=True)
    client.force_login(requester())
    new = client.get(reverse("foi:new"), {"body": test_body.slug})
    assert "(by post only)" not in re.search(
        r'<option value="testni-organ[^"]*"[^>]*>([^<]*)<', new.content.decode()
    ).group(0)
    response = client.post(
        reverse("foi:new"),
        {
            "public_body": test_body.slug,
            "language": "sr-Latn",
            "title": "Probni zahtev",
            "letter": "Molim vas da mi dostavite probnu informaciju.",
            "real_name": "Ana Anić",
            "postal_address": "Ulica 1",
            "sent_via": "email",
            "submission_key": "4d3f6a54-3a0e-4d7e-8f0e-1a2b3c4d5e6f",
            "action": "send",
        },
    )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["zahtevi@testni-organ.example"]
    assert FOIRequest.objects.get().foi_status == "awaiting_response"
