"""The JSON Lines interchange: export, all-or-nothing import, the commands and the public dump.

Round trips go through the real entry points (the management commands writing and reading
files) because that is how an editor backs up and restores the archive.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import records
from records.models import (
    Action,
    Actor,
    ActorKind,
    Document,
    DocumentType,
    Language,
    Link,
    Record,
    Relation,
    ResponseType,
    Revision,
    Role,
    Status,
    Tag,
)
from records.records.services import ImportFailed, export_jsonl, import_jsonl
from tests.factories import (
    ActorFactory,
    DocumentFactory,
    FOIRequestFactory,
    LinkFactory,
    ResponseFactory,
    StatementFactory,
    TagFactory,
    safe_city_graph,
)

pytestmark = pytest.mark.django_db

DEMO_FILE = Path(records.__file__).resolve().parent / "demo" / "safe-city.jsonl"
DEMO_LINES = [line for line in DEMO_FILE.read_text(encoding="utf-8").split("\n") if line.strip()]


# --- helpers -----------------------------------------------------------------------------


def record_data(public_id, *, kind="document", **fields):
    """A valid record in JSON form; ``fields`` override or add keys."""
    data = {
        "id": public_id,
        "kind": kind,
        "title": f"Record {public_id}",
        "summary": "",
        "body": "",
        "date": "2019-03",
        "language": "en",
        "status": "published",
        "tags": [],
        "source_url": None,
        "actors": [],
        "links": [],
    }
    data.update(fields)
    return data


def record_line(public_id, **fields):
    return json.dumps(record_data(public_id, **fields), ensure_ascii=False)


def as_file(*lines):
    """Lines as the import command reads them: a binary stream, one record per line."""
    return io.BytesIO(
        b"".join(
            (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines
        )
    )


def jsonl_lines(text):
    """JSON Lines are split on "\n" only (str.splitlines would also split on U+2028)."""
    return [line for line in text.split("\n") if line]


def export_all():
    return "".join(export_jsonl(Record.objects.all()))


def export_command_to(path):
    call_command("export_records", "--output", str(path), stderr=io.StringIO())
    return path.read_bytes()


def import_command(path):
    out = io.StringIO()
    call_command("import_records", str(path), stdout=out)
    return out.getvalue()


def wipe_archive():
    """Leave an empty archive: no records (links and roles go with them), actors or tags."""
    Record.objects.all().delete()
    Actor.objects.all().delete()
    Tag.objects.all().delete()
    assert not Record.objects.exists() and not Link.objects.exists()


def archive_state():
    """What a failed import must leave untouched."""
    return {
        "records": Record.objects.count(),
        "titles": dict(Record.objects.values_list("public_id", "title")),
        "links": Link.objects.count(),
        "actors": Actor.objects.count(),
        "tags": Tag.objects.count(),
        "revisions": Revision.objects.count(),
    }


def rich_factory_graph():
    """Every kind with its extra fields, drafts and a record in review, Cyrillic text,
    dates of all three precisions (and none), links in and out of drafts, notes."""
    graph = safe_city_graph()
    grad = ActorFactory(name="Град Београд", kind=ActorKind.PUBLIC_BODY)
    huawei = ActorFactory(name="Huawei", kind=ActorKind.COMPANY)
    law = DocumentFactory(
        public_id="zakon-o-policiji",
        title="Закон о полицији",
        summary="Члан 42: „обрада података“ — ћирилица, čćžšđ",
        body="## Члан 42\n\nТекст закона.\u2028Line separator inside a line.",
        language=Language.SR_CYRL,
        date="2016-01-01",
        date_precision=1,  # year
        document_type=DocumentType.LAW,
        source_url="https://www.paragraf.rs/propisi/zakon_o_policiji.html",
        tags=["закон", "policija"],
        actors=[(grad, Role.AUTHOR), (huawei, Role.SUBJECT)],
    )
    foi = FOIRequestFactory(
        public_id="foi-grad-kamere",
        title="Захтев за приступ информацијама: камере",
        language=Language.SR_CYRL,
        date="2019-05-01",
        date_precision=2,  # month
        status=Status.REVIEW,
        actors=[(grad, Role.ADDRESSEE), (graph["share"], Role.AUTHOR)],
    )
    quote = StatementFactory(
        public_id="ministar-citat",
        title="Министар о камерама",
        venue="Скупштина Србије",
        quote="„Камере ће бити свуда.“\nДруги ред.",
        language=Language.SR_CYRL,
        date="2019-02-09",
        date_precision=3,  # day
        actors=[(graph["mup"], Role.SPEAKER)],
    )
    undated = ResponseFactory(
        public_id="undated-response",
        title="Undated open letter",
        date=None,
        date_precision=None,
        response_type=ResponseType.OPEN_LETTER,
        status=Status.DRAFT,
    )
    LinkFactory(source=foi, target=law, relation=Relation.CITES, note="Члан 42")
    LinkFactory(source=quote, target=graph["draft"], relation=Relation.FOLLOWS_UP)
    LinkFactory(source=undated, target=quote, relation=Relation.CONTRADICTS, note="Не.")
    LinkFactory(source=graph["analysis"], target=law, relation=Relation.CITES)
    graph["analysis"].response_type = ResponseType.ANALYSIS
    graph["analysis"].save()
    return graph


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.slow
def test_demo_file_export_import_into_empty_archive_export_is_byte_identical(tmp_path):
    import_command(DEMO_FILE)
    assert Record.objects.count() == len(DEMO_LINES)
    first = export_command_to(tmp_path / "first.jsonl")

    wipe_archive()
    import_command(tmp_path / "first.jsonl")
    second = export_command_to(tmp_path / "second.jsonl")

    assert second == first
    assert len(first.splitlines()) == len(DEMO_LINES)


def test_factory_graph_with_drafts_cyrillic_partial_dates_and_all_kinds_round_trips_byte_identical(
    tmp_path,
):
    rich_factory_graph()
    first = export_command_to(tmp_path / "first.jsonl")
    text = first.decode("utf-8")
    # The export really holds what this test claims to round-trip.
    for fragment in (
        '"status": "draft"',
        '"status": "review"',
        '"date": "2016"',
        '"date": "2019-05"',
        '"date": "2019-02-09"',
        '"date": null',
        '"kind": "foi_request"',
        '"document": {"document_type": "law"}',
        '"response": {"response_type": "open_letter"}',
        '"statement": {"venue": "Скупштина Србије", '
        '"quote": "„Камере ће бити свуда.“\\nДруги ред."}',
        "Закон о полицији",
        '"target": "secret-draft"',
    ):
        assert fragment in text, fragment

    wipe_archive()
    import_command(tmp_path / "first.jsonl")
    second = export_command_to(tmp_path / "second.jsonl")

    assert second == first


def test_export_service_output_is_byte_identical_after_import_into_empty_archive():
    rich_factory_graph()
    first = export_all()
    wipe_archive()
    result = import_jsonl(io.BytesIO(first.encode("utf-8")))
    assert len(result.created) == len(jsonl_lines(first))
    assert export_all() == first


# --- the commands ------------------------------------------------------------------------


def test_export_records_writes_every_record_including_drafts_to_stdout_by_default(capsys):
    graph = rich_factory_graph()
    call_command("export_records")
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in jsonl_lines(out)]
    assert len(lines) == Record.objects.count()
    assert {line["id"] for line in lines} == set(Record.objects.values_list("public_id", flat=True))
    statuses = {line["id"]: line["status"] for line in lines}
    assert statuses[graph["draft"].public_id] == "draft"
    assert statuses["foi-grad-kamere"] == "review"
    assert out == export_all()


def test_export_records_honours_the_stdout_given_to_call_command(capsys):
    """``call_command(..., stdout=stream)`` is how scripts capture a command's output."""
    safe_city_graph()
    stream = io.StringIO()
    call_command("export_records", stdout=stream)
    assert stream.getvalue() == export_all()
    assert capsys.readouterr().out == ""


def test_export_records_output_option_writes_the_same_file_and_leaves_no_partial_file(tmp_path):
    rich_factory_graph()
    target = tmp_path / "backup.jsonl"
    err = io.StringIO()
    call_command("export_records", "--output", str(target), stderr=err)
    assert target.read_text(encoding="utf-8") == export_all()
    assert [p.name for p in tmp_path.iterdir()] == ["backup.jsonl"]
    assert f"Exported {Record.objects.count()} records" in err.getvalue()


@pytest.mark.slow
def test_import_records_reports_created_updated_and_unchanged_counts(tmp_path):
    out = import_command(DEMO_FILE)
    assert f"{len(DEMO_LINES)} created, 0 updated, 0 unchanged" in out

    out = import_command(DEMO_FILE)
    assert f"0 created, 0 updated, {len(DEMO_LINES)} unchanged" in out

    changed = tmp_path / "changed.jsonl"
    data = json.loads(DEMO_LINES[0])
    data["title"] = "A corrected title"
    changed.write_text(
        "\n".join([json.dumps(data, ensure_ascii=False), *DEMO_LINES[1:]]) + "\n", encoding="utf-8"
    )
    out = import_command(changed)
    assert f"0 created, 1 updated, {len(DEMO_LINES) - 1} unchanged" in out


def test_import_records_bad_file_fails_with_command_error_naming_line_and_reason(tmp_path):
    DocumentFactory(public_id="existing-record", title="Original title")
    before = archive_state()
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        record_line("fine-one")
        + "\n"
        + record_line("bad-date", date="2019-02-30")
        + "\n"
        + record_line("fine-two")
        + "\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        import_command(bad)
    message = str(error.value)
    assert "line 2" in message
    assert "'2019-02-30' is not a real date" in message
    assert "Nothing was imported" in message
    assert archive_state() == before


def test_import_records_non_utf8_file_fails_with_command_error_naming_the_line(tmp_path):
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(
        record_line("fine-one").encode("utf-8")
        + b"\n"
        + record_line("cp1250", title="Zakon o zaštiti").encode("cp1250")
        + b"\n"
    )
    with pytest.raises(CommandError, match=r"line 2: not valid UTF-8"):
        import_command(bad)
    assert not Record.objects.exists()


def test_import_records_missing_file_is_a_command_error_not_a_traceback(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        import_command(tmp_path / "nope.jsonl")


# --- all or nothing ----------------------------------------------------------------------

LONG_TITLE = "Ж" * 301

BAD_LINES = {
    "invalid_json": ('{"id": "broken", "kind": "document", "title": ', "invalid JSON"),
    "unknown_kind": (record_line("memo-1", kind="memo"), "unknown kind 'memo'"),
    "link_to_missing_id": (
        record_line("dangling", links=[{"relation": "cites", "target": "no-such-record"}]),
        "link target 'no-such-record' exists neither in the archive nor in this file",
    ),
    "impossible_date": (
        record_line("feb-30", date="2019-02-30"),
        "'2019-02-30' is not a real date",
    ),
    "date_in_words": (
        record_line("in-words", date="March 2019"),
        "'March 2019' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "link_to_itself": (
        record_line("narcissus", links=[{"relation": "cites", "target": "narcissus"}]),
        "a record cannot link to itself",
    ),
    "duplicate_link": (
        record_line(
            "twice",
            links=[
                {"relation": "cites", "target": "existing-record", "note": ""},
                {"relation": "cites", "target": "existing-record", "note": "again"},
            ],
        ),
        "duplicate link: cites 'existing-record'",
    ),
    "title_of_301_characters": (
        record_line("too-long", title=LONG_TITLE),
        "at most 300 characters (it has 301)",
    ),
    "unknown_key": (record_line("extra-key", author="someone"), "unknown key(s): author"),
    "unknown_actor_role": (
        record_line("bad-role", actors=[{"name": "MUP", "kind": "public_body", "role": "owner"}]),
        "unknown role 'owner'",
    ),
    "same_id_as_line_1": (
        record_line("new-one", title="Again"),
        "'new-one' is already used on line 1",
    ),
    "non_utf8_bytes": (
        record_line("cp1250", title="Zakon o zaštiti podataka").encode("cp1250"),
        "not valid UTF-8",
    ),
    # Refused only when saving (after earlier lines were written): exercises the rollback.
    "kind_differs_from_stored_record": (
        record_line("stored-statement", kind="document"),
        "exists as a statement; a record's kind cannot change",
    ),
}


@pytest.fixture
def existing_record():
    StatementFactory(public_id="stored-statement", title="Stored statement")
    return DocumentFactory(public_id="existing-record", title="Original title")


def _assert_failed_without_changes(lines, *, line_number, reason, before):
    with pytest.raises(ImportFailed) as error:
        import_jsonl(as_file(*lines))
    assert error.value.line == line_number
    assert reason in error.value.reason
    assert f"line {line_number}: " in str(error.value)
    assert archive_state() == before
    assert Record.objects.get(public_id="existing-record").title == "Original title"
    assert Record.objects.get(public_id="stored-statement").kind == "statement"
    assert not Record.objects.filter(public_id="new-one").exists()


@pytest.mark.parametrize("bad_line, reason", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_line_in_the_middle_fails_whole_import_with_line_number_and_reason_and_changes_nothing(
    existing_record, bad_line, reason
):
    before = archive_state()
    lines = [
        record_line("new-one"),
        record_line("existing-record", title="Changed title"),
        bad_line,
        record_line("new-two"),
    ]
    _assert_failed_without_changes(lines, line_number=3, reason=reason, before=before)
    assert not Record.objects.filter(public_id="new-two").exists()


@pytest.mark.parametrize("bad_line, reason", BAD_LINES.values(), ids=BAD_LINES.keys())
def test_bad_last_line_fails_whole_import_and_earlier_good_lines_are_not_saved(
    existing_record, bad_line, reason
):
    before = archive_state()
    lines = [
        record_line(
            "new-one",
            tags=["new tag"],
            actors=[{"name": "New body", "kind": "public_body", "role": "author"}],
        ),
        record_line(
            "existing-record",
            title="Changed title",
            links=[{"relation": "cites", "target": "new-one", "note": ""}],
        ),
        bad_line,
    ]
    _assert_failed_without_changes(lines, line_number=3, reason=reason, before=before)
    assert not Tag.objects.filter(name="new tag").exists()
    assert not Actor.objects.filter(name="New body").exists()


def test_title_of_exactly_300_characters_is_accepted():
    import_jsonl(as_file(record_line("long-enough", title="Ж" * 300)))
    assert Record.objects.get(public_id="long-enough").title == "Ж" * 300


@pytest.mark.parametrize("content", [b"", b"\n\n   \n"], ids=["empty", "blank_lines_only"])
def test_empty_file_fails_with_a_reason_and_changes_nothing(existing_record, content):
    before = archive_state()
    with pytest.raises(ImportFailed) as error:
        import_jsonl(io.BytesIO(content))
    assert "holds no records" in error.value.reason
    assert archive_state() == before


def test_empty_file_makes_import_records_fail(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="holds no records"):
        import_command(empty)


def test_blank_lines_are_skipped_but_still_counted_in_line_numbers(existing_record):
    with pytest.raises(ImportFailed) as error:
        import_jsonl(as_file(record_line("new-one"), "", "   ", record_line("x", kind="memo")))
    assert error.value.line == 4


# --- links -------------------------------------------------------------------------------


def test_link_target_defined_later_in_the_same_file_is_linked():
    result = import_jsonl(
        as_file(
            record_line(
                "reply",
                kind="response",
                links=[{"relation": "responds_to", "target": "later", "note": "n"}],
            ),
            record_line("later", kind="statement"),
        )
    )
    assert sorted(result.created) == ["later", "reply"]
    link = Link.objects.get()
    assert (link.source.public_id, link.relation, link.target.public_id, link.note) == (
        "reply",
        "responds_to",
        "later",
        "n",
    )


def test_link_to_a_record_already_in_the_archive_is_linked(existing_record):
    import_jsonl(
        as_file(record_line("citer", links=[{"relation": "cites", "target": "existing-record"}]))
    )
    link = Link.objects.get()
    assert link.source.public_id == "citer"
    assert link.target == Record.objects.get(public_id="existing-record")
    assert link.relation == Relation.CITES


# --- re-import ---------------------------------------------------------------------------


@pytest.mark.slow
def test_reimporting_the_same_file_changes_nothing_and_writes_no_revisions():
    first = import_jsonl(io.BytesIO(DEMO_FILE.read_bytes()))
    assert len(first.created) == len(DEMO_LINES)
    revisions = Revision.objects.count()
    stamps = dict(Record.objects.values_list("public_id", "updated_at"))
    exported = export_all()

    second = import_jsonl(io.BytesIO(DEMO_FILE.read_bytes()))

    assert (len(second.created), len(second.updated), len(second.unchanged)) == (
        0,
        0,
        len(DEMO_LINES),
    )
    assert Revision.objects.count() == revisions
    assert dict(Record.objects.values_list("public_id", "updated_at")) == stamps
    assert export_all() == exported


@pytest.mark.slow
def test_reimporting_a_changed_title_updates_the_record_and_writes_an_imported_revision():
    import_jsonl(io.BytesIO(DEMO_FILE.read_bytes()))
    data = json.loads(DEMO_LINES[3])
    record = Record.objects.get(public_id=data["id"])
    old_title, pk, count = record.title, record.pk, Record.objects.count()
    data["title"] = "Закон о заштити података о личности (пречишћен текст)"
    lines = [*DEMO_LINES[:3], json.dumps(data, ensure_ascii=False), *DEMO_LINES[4:]]

    result = import_jsonl(as_file(*lines))

    assert (result.created, result.updated) == ([], [data["id"]])
    assert len(result.unchanged) == len(DEMO_LINES) - 1
    record = Record.objects.get(public_id=data["id"])
    assert (record.pk, record.title) == (pk, data["title"])
    assert Record.objects.count() == count
    revision = Revision.objects.filter(record=record).order_by("-pk").first()
    assert revision.action == Action.IMPORTED
    assert revision.record_public_id == data["id"]
    assert revision.changes == {"title": [old_title, data["title"]]}


def test_line_whose_kind_differs_from_the_stored_record_is_refused(existing_record):
    before = archive_state()
    with pytest.raises(ImportFailed) as error:
        import_jsonl(as_file(record_line("existing-record", kind="statement")))
    assert error.value.line == 1
    assert "exists as a document" in error.value.reason
    assert archive_state() == before
    assert Record.objects.get(public_id="existing-record").kind == "document"


# --- actors, tags and text -----------------------------------------------------------------


def test_actors_are_matched_by_name_and_kind_and_tags_by_name_without_duplicates():
    share = ActorFactory(name="SHARE Fondacija", kind=ActorKind.CIVIL_SOCIETY)
    cameras = TagFactory(name="safe city")
    actors = [
        {"name": "SHARE Fondacija", "kind": "civil_society", "role": "author"},
        {"name": "Ministarstvo   unutrašnjih poslova", "kind": "public_body", "role": "addressee"},
        # Same name, other kind: a different actor.
        {"name": "SHARE Fondacija", "kind": "company", "role": "subject"},
    ]
    lines = [
        record_line("one", actors=actors, tags=["safe city", "  safe   city ", "Камере"]),
        record_line("two", kind="response", actors=actors[:2], tags=["safe city"]),
    ]
    import_jsonl(as_file(*lines))
    import_jsonl(as_file(*lines))  # again: nothing is created twice
    import_jsonl(as_file(record_line("three", actors=actors[1:2], tags=["Камере"])))

    assert Actor.objects.count() == 3
    assert Actor.objects.get(name="SHARE Fondacija", kind="civil_society").pk == share.pk
    mup = Actor.objects.get(name="Ministarstvo unutrašnjih poslova")
    assert set(mup.records.values_list("public_id", flat=True)) == {"one", "two", "three"}
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["safe city", "Камере"]
    assert Tag.objects.get(name="safe city").pk == cameras.pk
    one = Record.objects.get(public_id="one")
    assert sorted(one.tags.values_list("name", flat=True)) == ["safe city", "Камере"]
    assert one.actor_roles.count() == 3


def test_html_and_script_in_title_and_body_are_stored_verbatim_and_shown_escaped(client):
    title = '<script>alert("title")</script> & <b>bold</b>'
    body = '<script>alert("body")</script>\n\n<img src=x onerror="alert(2)">'
    import_jsonl(as_file(record_line("html-in-text", title=title, body=body)))

    record = Document.objects.get(public_id="html-in-text")
    assert (record.title, record.body) == (title, body)

    page = client.get("/r/html-in-text/").content.decode()
    assert '<script>alert("title")</script>' not in page
    assert '<script>alert("body")</script>' not in page
    assert "<img src=x" not in page
    assert (
        "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
        in page
    )
    assert '&lt;script&gt;alert("body")&lt;/script&gt;' in page
    # And the export gives the text back exactly as imported.
    assert json.loads(export_all())["title"] == title


# --- the public download -------------------------------------------------------------------


def _public_export(client, query=""):
    response = client.get(f"/api/export.jsonl{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    return b"".join(response.streaming_content).decode("utf-8")


def test_public_export_holds_published_records_only_and_no_links_to_unpublished_ones(client):
    rich_factory_graph()
    text = _public_export(client)
    lines = [json.loads(line) for line in jsonl_lines(text)]

    published = set(Record.objects.published().values_list("public_id", flat=True))
    assert {line["id"] for line in lines} == published
    assert len(lines) == len(published)
    assert {line["status"] for line in lines} == {"published"}
    for unpublished in ("secret-draft", "foi-grad-kamere", "undated-response"):
        assert unpublished not in text
    links = {line["id"]: line["links"] for line in lines}
    assert links["share-analysis"] == [
        {"relation": "cites", "target": "zakon-o-policiji", "note": "", "note_sr": ""},
        {"relation": "responds_to", "target": "commissioner-opinion", "note": "", "note_sr": ""},
    ]
    assert links["ministar-citat"] == []  # its only link is to a draft


def test_public_export_lines_import_cleanly_into_an_empty_archive(client):
    rich_factory_graph()
    text = _public_export(client)
    wipe_archive()

    result = import_jsonl(as_file(*jsonl_lines(text)))

    assert len(result.created) == len(jsonl_lines(text))
    assert not Record.objects.exclude(status=Status.PUBLISHED).exists()
    assert _public_export(client) == text


def test_public_export_narrowed_by_a_list_filter_keeps_the_public_rules(client):
    safe_city_graph()
    lines = [json.loads(line) for line in jsonl_lines(_public_export(client, "?kind=document"))]
    assert [line["id"] for line in lines] == ["commissioner-opinion"]


def test_a_nul_character_in_any_value_fails_the_import_with_its_line(db):
    from records.records.services import ImportFailed, import_jsonl

    good = '{"id": "a", "kind": "document", "title": "A", "language": "en"}'
    bad = (
        '{"id": "b", "kind": "document", "title": "B", "language": "en",'
        ' "links": [{"relation": "cites", "target": "a", "note": "x\\u0000y"}]}'
    )
    with pytest.raises(ImportFailed) as failure:
        import_jsonl([good, bad])
    assert failure.value.line == 2 and "NUL" in failure.value.reason
