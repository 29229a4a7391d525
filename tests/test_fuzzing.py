"""Hostile input for the importer, the query language, the e-mail receiver and the deadlines.

Each takes input from outside: an import file, a search box, a mail server, a date typed by
a requester. Hypothesis feeds them random and mangled input; none may crash, and each must
fail the way it promises: the importer with ``ImportFailed`` and nothing stored, the
receiver by keeping the bytes and holding the mail, the query language by parsing anything
into a query the database accepts. (tests/test_search_properties.py already checks that any
text parses to safe tokens and that the search pages answer it; here the input is built from
the query language's own operators and quotes, and each rendering goes to the database.)
Example counts stay small: the file runs in well under a minute.
"""

import json
from datetime import date, timedelta

import pytest
from django.core.files.storage import default_storage
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from records.foi import deadlines
from records.foi.receiving import receive
from records.models import (
    Actor,
    InboundMail,
    InboundState,
    Kind,
    Language,
    Link,
    Record,
    Revision,
    StoredFile,
    Tag,
)
from records.records.interchange import TOP_LEVEL_KEYS
from records.records.services import ImportFailed, import_jsonl
from records.search import backends
from records.search.query import parse
from tests.factories import DocumentFactory
from tests.foi_helpers import reply_mail, sent_request

pytestmark = pytest.mark.slow

# Hypothesis runs many examples in one test: fixtures (the database, settings) are shared
# by the examples of a test on purpose.
fuzz = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- the JSON Lines importer ---------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and Infinity too: Python's json reads them
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
dates = st.sampled_from(
    ["2019", "2019-03", "2019-03-21", "2019-02-30", "0001-01-01", "9999-12-31", "19", ""]
)
iso_days = st.sampled_from(
    ["2026-03-02", "0001-01-01", "9999-12-31", "9999-12-20", "2026-02-30", "2026-3-2"]
)
# Text without NUL (which the importer refuses outright) most of the time, so lines get far.
hostile_text = st.text(st.characters(exclude_characters="\x00"), max_size=40) | st.sampled_from(
    ["", " ", "\x00", "<script>alert(1)</script>", "ʼ" * 301, "Šabić", "-", '"']
)
some_ids = st.sampled_from(["a", "b", "same", "../x", "x" * 80, "", "Ω"]) | hostile_text


def mostly(valid, hostile=json_values):
    """Usually a value the importer takes, sometimes anything: so that some lines get far."""
    return st.one_of(valid, valid, valid, hostile)


foi_fields = st.fixed_dictionaries(
    {},
    optional={
        "public_body": mostly(st.sampled_from(["Ministarstvo", "Grad Beograd"]), hostile_text),
        "received_on": mostly(iso_days),
        "extended_to": mostly(iso_days),
        "urgent": mostly(st.booleans()),
        "status": st.sampled_from(["awaiting_response", "successful", "extended", "nope"]),
    },
)
common_fields = {
    "id": mostly(some_ids),
    "summary": mostly(hostile_text),
    "body": hostile_text,
    "date": mostly(dates),
    "status": st.sampled_from(["published", "draft", "review", "embargoed", "gone"]),
    "tags": mostly(st.lists(hostile_text, max_size=4)),
    "source_url": mostly(
        st.sampled_from(["https://example.org/a", "javascript:alert(1)", "http://", "ftp://x"])
    ),
    "actors": mostly(
        st.lists(
            st.fixed_dictionaries(
                {"name": hostile_text},
                optional={
                    "kind": st.sampled_from(["public_body", "person", "nobody"]),
                    "role": st.sampled_from(["author", "subject", "speaker", "nobody"]),
                },
            ),
            max_size=3,
        )
    ),
    "links": mostly(
        st.lists(
            st.fixed_dictionaries(
                {"target": some_ids},
                optional={
                    "relation": st.sampled_from(["cites", "answers", "loves"]),
                    "note": hostile_text,
                },
            ),
            max_size=2,
        )
    ),
    "files": st.lists(
        st.fixed_dictionaries(
            {"name": hostile_text},
            optional={
                "sha256": st.sampled_from(["0" * 64, "f" * 63, "../../etc/passwd"]),
                "path": st.sampled_from(["a.pdf", "../../etc/passwd", "/etc/passwd"]),
            },
        ),
        max_size=1,
    ),
}
# Each kind with its own fields (and, rarely, another kind's or none of them).
kind_fields = {
    "foi_request": {"foi": mostly(foi_fields)},
    "document": {
        "document": mostly(st.fixed_dictionaries({}, optional={"document_type": hostile_text}))
    },
    "statement": {
        "statement": mostly(
            st.fixed_dictionaries({}, optional={"venue": hostile_text, "quote": hostile_text})
        )
    },
    "response": {"response": json_values},
}
record_like = st.sampled_from([*Kind.values, "unknown"]).flatmap(
    lambda kind: st.fixed_dictionaries(
        {
            "kind": st.just(kind),
            "title": mostly(st.text(min_size=1, max_size=40), hostile_text),
            "language": mostly(st.sampled_from(Language.values), st.sampled_from(["sr", "xx"])),
        },
        optional={**common_fields, **kind_fields.get(kind, {"foi": foi_fields})},
    )
)
lines = st.one_of(
    record_like.map(json.dumps),
    record_like.map(json.dumps),
    record_like.map(lambda data: json.dumps(data).encode()),
    json_values.map(json.dumps),
    st.binary(max_size=80),
    st.text(max_size=80),
)


def stored_state():
    return (
        Record.objects.count(),
        Revision.objects.count(),
        Link.objects.count(),
        Tag.objects.count(),
        Actor.objects.count(),
        StoredFile.objects.count(),
        sorted(default_storage.listdir("")[1]) if default_storage.exists("") else [],
    )


@pytest.mark.django_db
@fuzz
@given(st.lists(lines, min_size=1, max_size=4))
def test_the_importer_imports_or_fails_cleanly_and_then_stores_nothing(lines):
    assert {"id", "kind", "title", "foi", "files"} <= TOP_LEVEL_KEYS
    before = stored_state()
    try:
        import_jsonl(lines)
    except ImportFailed as error:
        assert str(error)
        assert stored_state() == before


@pytest.mark.django_db
@fuzz
@given(st.lists(lines, min_size=1, max_size=3))
def test_an_imported_file_can_be_exported_and_shown(client, lines):
    """What the importer accepts, the archive can show: the record's page, the API and
    the export (which compute deadlines, render Markdown, list links) all answer it."""
    try:
        result = import_jsonl(lines)
    except ImportFailed:
        return
    for public_id in result.created + result.updated:
        record = Record.objects.get(public_id=public_id)
        record.status = "published"
        record.save(update_fields=["status"])
        assert client.get(f"/r/{public_id}/").status_code == 200
        assert client.get(f"/api/records/{public_id}/").status_code == 200
    export = client.get("/api/export.jsonl")
    assert export.status_code == 200
    b"".join(export.streaming_content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_on", "extended_to"), [("9999-12-20", None), ("2026-03-02", "9999-12-31")]
)
def test_a_request_received_in_the_future_is_refused_and_a_far_extension_is_capped(
    client, received_on, extended_to
):
    """Found by fuzzing: an import could set received_on near the year 9999, and then the
    request's page, the API and the export failed computing its deadline."""
    foi = {"received_on": received_on, "extended_to": extended_to}
    line = json.dumps(
        {"id": "far", "kind": "foi_request", "title": "T", "language": "en", "foi": foi}
    )
    if extended_to is None:
        with pytest.raises(ImportFailed, match="in the future"):
            import_jsonl([line])
        return
    import_jsonl([line])
    Record.objects.filter(public_id="far").update(status="published")
    assert client.get("/r/far/").status_code == 200
    assert client.get("/api/records/far/").status_code == 200
    [exported] = [json.loads(row) for row in client.get("/api/export.jsonl").streaming_content]
    assert exported["foi"]["due_on"] == deadlines.final_limit(date(2026, 3, 2)).isoformat()


# --- the query language ---------------------------------------------------------------------

query_pieces = st.sampled_from(
    [
        "kamere", "Šabić", "ђорђевић", "OR", "|", "or", "-", "--", '"', "-\"", "“", "”", "„",
        "«", "»", "(", ")", "*", ":", "^", "NEAR", "AND", "NOT", "&", "!", "<->", "'", "\\",
        "\x00", "\x1b", "\u200b", "\ufeff", "\t", "\n", "\r", " ", "𝔨𝔞𝔪𝔢𝔯𝔢", "ǅ", "İ", "ß",
        "1e9", "0x1F", "a" * 70,
    ]
)  # fmt: skip
hostile_queries = st.lists(query_pieces | st.text(max_size=5), max_size=40).map("".join)


@pytest.mark.django_db
@fuzz
@given(hostile_queries)
def test_any_query_renders_to_an_expression_the_database_accepts(text):
    if not Record.objects.filter(public_id="anchor").exists():
        DocumentFactory(public_id="anchor", title="Kamere Šabić")
    query = parse(text)
    tsquery, fts5 = query.to_tsquery(), query.to_fts5()
    query.to_tsquery(positive_only=True), query.to_fts5(positive_only=True)
    assert bool(query) == bool(tsquery) == bool(fts5)
    if query:
        # The real search: a syntax error in either rendering would be an error here.
        list(Record.objects.published().filter(backends.matches(query)).values_list("pk"))
        list(Record.objects.filter(backends.matches(query, head_only=True)).values_list("pk"))


# --- the e-mail receiver --------------------------------------------------------------------


def mutate(raw, edits):
    """Apply byte edits (flip, delete, insert) at positions taken modulo the length."""
    data = bytearray(raw)
    for action, position, payload in edits:
        at = position % (len(data) + 1)
        if action == "flip" and at < len(data):
            data[at] ^= payload[0] if payload else 0xFF
        elif action == "delete":
            del data[at : at + len(payload) + 1]
        elif action == "insert":
            data[at:at] = payload
        elif action == "truncate":
            del data[at:]
    return bytes(data)


edits = st.lists(
    st.tuples(
        st.sampled_from(["flip", "delete", "insert", "truncate"]),
        st.integers(min_value=0, max_value=10_000),
        st.binary(max_size=12)
        | st.sampled_from(
            [
                b"\r\n",
                b"\r\n\r\n",
                b"=?utf-8?b?////?=",
                b"Content-Type: multipart/mixed; boundary=\r\n",
                b"charset=x-unknown",
                b"Content-Transfer-Encoding: base64\r\n",
                b"Date: Mon, 99 Foo 99999 99:99:99 +9999\r\n",
                b"\x00",
            ]
        ),
    ),
    min_size=1,
    max_size=6,
)


def assert_kept(raw, inbound, count_before):
    assert InboundMail.objects.count() == count_before + 1
    inbound.refresh_from_db()
    assert inbound.state in (InboundState.DELIVERED, InboundState.HELD)
    with default_storage.open(inbound.raw.name, "rb") as handle:
        assert handle.read() == raw
    assert inbound.size == len(raw)


@pytest.mark.django_db
@fuzz
@given(st.binary(max_size=3000))
def test_any_bytes_from_the_mail_server_are_kept_and_held(raw):
    count = InboundMail.objects.count()
    inbound = receive(raw, recipients=["request-1-x@nadzor.example"])
    assert_kept(raw, inbound, count)
    assert inbound.state == InboundState.HELD


@pytest.fixture
def foi_request(db):
    return sent_request()


@pytest.mark.django_db
@fuzz
@given(edits=edits, envelope=st.booleans(), with_attachment=st.booleans())
def test_a_mangled_reply_is_kept_and_delivered_or_held(
    foi_request, edits, envelope, with_attachment
):
    attachments = [("odgovor.txt", b"Odgovor: 1.000 kamera.\n", "text/plain")]
    real = reply_mail(foi_request.reply_address, attachments=attachments if with_attachment else ())
    raw = mutate(real, edits)
    count = InboundMail.objects.count()
    recipients = [foi_request.reply_address] if envelope else []
    inbound = receive(raw, recipients=recipients)
    assert_kept(raw, inbound, count)


# --- the deadline calculator ---------------------------------------------------------------

# The days a request can be received on: the archive's years, with room on both sides.
received_days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@fuzz
@given(
    received=received_days,
    urgent=st.booleans(),
    extension=st.none() | st.integers(-60, 400) | st.just("far"),
)
def test_answer_deadlines_keep_the_law_on_any_day(received, urgent, extension):
    if extension == "far":  # a typo'd year: 9999
        extended_to = received.replace(year=9999, month=12, day=31)
    else:
        extended_to = None if extension is None else received + timedelta(days=extension)
    due = deadlines.answer_due(received, urgent=urgent, extended_to=extended_to)
    if urgent:
        assert due == received + timedelta(days=deadlines.URGENT_DAYS)
        return
    assert due >= received + timedelta(days=deadlines.ANSWER_DAYS)
    assert deadlines.is_working_day(due)
    assert due <= deadlines.final_limit(received)
    assert due >= deadlines.answer_due(received)  # an extension never brings it forward
    assert deadlines.final_limit(received) >= received + timedelta(days=40)


@fuzz
@given(decision=received_days)
def test_an_appeal_is_due_on_a_working_day_15_days_or_more_after_the_decision(decision):
    due = deadlines.appeal_due(decision)
    assert deadlines.is_working_day(due)
    assert decision + timedelta(days=15) <= due < decision + timedelta(days=15 + 10)
