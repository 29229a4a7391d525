"""The open questions: the list, a question's page and feed, who sees what, and the demo's
seven questions. A question's state and counts come from its published records only."""

import json
import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from records.management.commands.demo import load_questions
from records.models import (
    FOIStatus,
    Language,
    Question,
    QuestionLink,
    QuestionRelation,
    QuestionState,
    Status,
)
from tests.factories import (
    DocumentFactory,
    FOIRequestFactory,
    QuestionFactory,
    QuestionLinkFactory,
    ResponseFactory,
    StatementFactory,
    UserFactory,
)
from tests.foi_helpers import body

pytestmark = pytest.mark.django_db

ASKS = QuestionRelation.ASKS
IN_PART = QuestionRelation.ANSWERS_IN_PART
ANSWERS = QuestionRelation.ANSWERS


def text_of(response):
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"\s+", " ", unescape(strip_tags(main)))


def link(question, record, relation=ASKS, note="", note_sr=""):
    return QuestionLinkFactory(
        question=question, record=record, relation=relation, note_en=note, note_sr=note_sr
    )


def refused(**fields):
    return FOIRequestFactory(foi_status=FOIStatus.REFUSED, **fields)


def overdue(**fields):
    long_ago = timezone.localdate() - timedelta(days=30)
    return FOIRequestFactory(
        foi_status=FOIStatus.AWAITING_RESPONSE, sent_on=long_ago, received_on=long_ago, **fields
    )


def badge(html, state):
    """The words of the first state badge of ``state`` in ``html``: symbol and name."""
    found = re.search(
        rf'<span class="state state-{state}"><span class="state-icon" aria-hidden="true">'
        r"(.)</span> ([^<]+)</span>",
        html,
    )
    assert found, f"no {state} badge"
    return f"{found.group(1)} {found.group(2)}"


# The list


def test_the_list_shows_each_question_with_its_state_in_words_and_its_counts_by_position(client):
    later = QuestionFactory(title_en="How many cameras are there?", position=2)
    first = QuestionFactory(title_en="Where is the data stored?", position=1)
    for record in (refused(), overdue(), StatementFactory()):
        link(later, record)
    link(later, StatementFactory(), IN_PART)
    page = client.get("/questions/")
    text = text_of(page)
    assert text.index("Where is the data stored?") < text.index("How many cameras are there?")
    html = page.content.decode()
    assert badge(html, "open") == "○ Still open"
    assert badge(html, "answered_in_part") == "◐ Answered in part"
    assert "Asked in 2 FOI requests and 1 other record · 1 partial answer" in text
    assert "No published record asks or answers it yet." in text  # the first question
    assert f'href="{first.get_absolute_url()}"' in html
    assert "○ Still open 1 question ◐ Answered in part 1 question ● Answered 0 questions" in text


def test_a_question_answered_in_full_says_so_on_the_list(client):
    question = QuestionFactory(title_en="Who processes the data?")
    link(question, DocumentFactory(), ANSWERS)
    link(question, DocumentFactory(), IN_PART)
    page = client.get("/questions/")
    assert badge(page.content.decode(), "answered") == "● Answered"
    assert "1 partial answer · 1 full answer" in text_of(page)


def _add_questions(n):
    mup = body()
    for _ in range(n):
        question = QuestionFactory()
        link(question, refused(public_body=mup))
        link(question, StatementFactory(), IN_PART)
        link(question, DocumentFactory(), ANSWERS)
        link(question, DocumentFactory(status=Status.DRAFT), ANSWERS)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_the_list_takes_one_query_however_many_questions(client, django_assert_max_num_queries):
    _add_questions(2)
    assert _queries(client, "/questions/") == 1  # the questions with their counts
    _add_questions(25)
    with django_assert_max_num_queries(1):
        page = client.get("/questions/")
    assert page.content.decode().count('class="question-item"') == 27


def test_a_question_page_and_feed_take_two_queries_however_many_records(
    client, django_assert_max_num_queries
):
    question = QuestionFactory()
    url = question.get_absolute_url()
    mup = body()

    def add(n):
        for _ in range(n):
            link(question, refused(public_body=mup))
            link(question, overdue(public_body=mup))
            link(question, StatementFactory(), IN_PART)
            link(question, DocumentFactory(), ANSWERS)

    add(1)
    # The question; its links with records and bodies; which of them are sent requests.
    assert _queries(client, url) == 3
    add(15)
    with django_assert_max_num_queries(3):
        assert "Asked in 32 FOI requests" in text_of(client.get(url))
    with django_assert_max_num_queries(2):
        assert client.get(f"{url}feed/").status_code == 200


# A question's page


def test_an_open_question_says_how_its_requests_ended_and_that_nothing_answers_it(client):
    question = QuestionFactory(title_en="Where is the data stored?")
    mup = body()
    link(question, refused(public_body=mup, title="Request one"))
    link(question, refused(public_body=mup, title="Request two"))
    link(question, overdue(public_body=mup, title="Request three"))
    page = client.get(question.get_absolute_url())
    text = text_of(page)
    assert badge(page.content.decode(), "open") == "○ Still open"
    assert (
        "Still open Asked in 3 FOI requests; 2 were refused, 1 is overdue; "
        "no published record answers it." in text
    )
    assert "No published record answers this question yet." in text
    head = page.content.decode().split("</head>")[0]
    assert (
        '<meta name="description" content="Still open: asked in 3 FOI requests; 2 were '
        'refused, 1 is overdue; no published record answers it.">' in head
    )


def test_answers_come_full_then_partial_with_the_editors_notes(client):
    question = QuestionFactory()
    link(question, DocumentFactory(title="The partial one"), IN_PART, note="Gives a number.")
    link(question, ResponseFactory(title="The full one"), ANSWERS, note="Says it all.")
    link(question, StatementFactory(title="The asking one"), ASKS, note="Asked at a briefing.")
    text = text_of(client.get(question.get_absolute_url()))
    assert (
        "Answered No FOI request in the archive asks it yet; 1 other record asks it too; "
        "1 published record answers it; 1 published record answers it in part." in text
    )
    answers = text[text.index("Answers") : text.index("Asked in")]
    assert answers.index("The full one") < answers.index("Says it all.")
    assert answers.index("Says it all.") < answers.index("The partial one")
    assert answers.index("The partial one") < answers.index("Gives a number.")
    assert "Records that answer it Civil-society response" in answers
    asked = text[text.index("Asked in") :]
    assert "Statements, documents and responses" in asked
    assert "The asking one Asked at a briefing." in asked


def test_an_answer_in_part_alone_says_that_none_answers_it_in_full(client):
    question = QuestionFactory()
    link(question, refused(), ASKS)
    link(question, StatementFactory(), IN_PART)
    link(question, StatementFactory(), IN_PART)
    page = client.get(question.get_absolute_url())
    assert badge(page.content.decode(), "answered_in_part") == "◐ Answered in part"
    assert (
        "Asked in 1 FOI request; 1 was refused; 2 published records answer it in part; "
        "none answers it in full." in text_of(page)
    )


def test_every_request_outcome_has_its_words(client):
    question = QuestionFactory()
    statuses = [
        FOIStatus.NOT_HELD,
        FOIStatus.AWAITING_RESPONSE,
        FOIStatus.CLARIFICATION_REQUESTED,
        FOIStatus.APPEALED,
        FOIStatus.APPEAL_DECIDED,
        FOIStatus.PARTIALLY_SUCCESSFUL,
        FOIStatus.SUCCESSFUL,
        FOIStatus.WITHDRAWN,
        FOIStatus.DRAFT,
        FOIStatus.DRAFT,
    ]
    for status in statuses:
        link(question, FOIRequestFactory(foi_status=status))
    text = text_of(client.get(question.get_absolute_url()))
    assert (
        "Asked in 10 FOI requests; 1 got the reply that the information is not held, "
        "1 is awaiting an answer, 1 is on hold: the body asked for a clarification, "
        "1 is under appeal, 1 had an appeal decided, 1 was answered in part, 1 was answered, "
        "1 was withdrawn, 2 have not been sent; no published record answers it." in text
    )


def test_asked_in_lists_each_request_with_its_status_body_and_dates(client):
    question = QuestionFactory()
    mup = body("Ministarstvo unutrašnjih poslova")
    request = refused(
        public_body=mup,
        title="Where are the recordings kept?",
        sent_on=date(2019, 3, 1),
        answered_on=date(2019, 3, 20),
    )
    link(question, request, note="Asked it word for word.")
    link(question, overdue(public_body=mup, title="A late one"))
    page = client.get(question.get_absolute_url())
    html = page.content.decode()
    text = text_of(page)
    asked = text[text.index("Asked in FOI requests") :]
    assert (
        "FOI request · March 21, 2019 · Refused · to Ministarstvo unutrašnjih poslova "
        "Where are the recordings kept? Sent on March 1, 2019 · first answered on "
        "March 20, 2019 Asked it word for word." in asked
    )
    assert "A late one" in asked and "Overdue by" in asked
    assert f'href="{request.get_absolute_url()}"' in html
    assert f'href="{mup.get_body_url()}"' in html
    assert '<span class="foi-status status-refused">Refused</span>' in html


def test_a_question_page_offers_a_request_with_the_question_as_its_subject(client):
    question = QuestionFactory(title_en="Where is the data stored?")
    html = client.get(question.get_absolute_url()).content.decode()
    href = re.search(r'<a class="button" href="([^"]+)">File a request about this</a>', html)
    assert href, "no link to file a request"
    url = href.group(1).replace("&amp;", "&")
    assert urlsplit(url).path == reverse("foi:new")
    assert parse_qs(urlsplit(url).query) == {
        "title": ["Where is the data stored?"],
        "language": ["en"],
    }
    client.force_login(UserFactory())
    form = client.get(url).content.decode()
    assert re.search(r'<input[^>]+name="title"[^>]+value="Where is the data stored\?"', form)


def test_the_filing_form_escapes_a_subject_from_the_address_and_still_checks_it(client):
    client.force_login(UserFactory())
    form = client.get(reverse("foi:new"), {"title": '"><script>alert(1)</script>'}).content
    assert b"<script>alert(1)</script>" not in form
    assert b"&quot;&gt;&lt;script&gt;" in form
    # A subject in the address is only a starting value: a submission without one fails.
    response = client.post(reverse("foi:new") + "?title=Prefilled", {"action": "preview"})
    assert 'name="title"' in response.content.decode()
    assert "This field is required." in response.content.decode()


def test_the_question_is_shown_in_the_readers_language_and_script(client):
    question = QuestionFactory(
        title_sr="Gde se čuvaju podaci?",
        title_en="Where is the data stored?",
        description_sr="Zašto je **važno**.",
        description_en="Why it **matters**.",
    )
    record = DocumentFactory(title="Ljubovija i Njegoš", language=Language.SR_LATN)
    link(question, record, IN_PART)
    url = question.get_absolute_url()  # in English: a Serbian request leaves Serbian active
    english = client.get(url).content.decode()
    assert '<h1 lang="en">Where is the data stored?</h1>' in english
    assert "Why it <strong>matters</strong>." in english
    latin = client.get(f"/sr-latn{url}").content.decode()
    assert '<h1 lang="sr-Latn">Gde se čuvaju podaci?</h1>' in latin
    assert "Zašto je <strong>važno</strong>." in latin
    cyrillic = client.get(f"/sr{url}").content.decode()
    assert '<h1 lang="sr-Cyrl">Где се чувају подаци?</h1>' in cyrillic
    assert "Зашто је <strong>важно</strong>." in cyrillic
    assert '<a href="/sr/r/' in cyrillic and 'lang="sr-Cyrl">Љубовија и Његош</a>' in cyrillic
    listing = client.get("/sr/questions/").content.decode()
    assert 'lang="sr-Cyrl">Где се чувају подаци?</a>' in listing
    # The filing link carries the subject as the reader reads it.
    assert "?title=%D0%93%D0%B4%D0%B5" in cyrillic and "language=sr-Cyrl" in cyrillic


def test_state_and_sentence_follow_the_interface_language(client):
    question = QuestionFactory()
    link(question, refused())
    url = question.get_absolute_url()
    for prefix, language in [("/sr-latn", "sr-latn"), ("/sr", "sr")]:
        with translation.override(language):
            label = str(QuestionState.OPEN.label)
            facts = "%s; %s; %s." % (  # noqa: UP031 (the catalogue's own format strings)
                translation.ngettext(
                    "asked in %(count)d FOI request", "asked in %(count)d FOI requests", 1
                )
                % {"count": 1},
                translation.ngettext("%(count)d was refused", "%(count)d were refused", 1)
                % {"count": 1},
                translation.gettext("no published record answers it"),
            )
        page = client.get(f"{prefix}{url}")
        assert badge(page.content.decode(), "open").endswith(label)
        assert facts[0].upper() + facts[1:] in text_of(page)
        assert f'<html lang="{"sr-Latn" if language == "sr-latn" else "sr-Cyrl"}">' in (
            page.content.decode()
        )


def test_a_question_written_only_in_serbian_is_shown_in_serbian_to_english_readers(client):
    question = QuestionFactory(title_sr="Ко обрађује податке?", title_en="")
    url = question.get_absolute_url()
    html = client.get(url).content.decode()
    assert '<h1 lang="sr-Cyrl">Ко обрађује податке?</h1>' in html
    latin = client.get(f"/sr-latn{url}").content.decode()
    assert '<h1 lang="sr-Latn">Ko obrađuje podatke?</h1>' in latin


# Who sees what


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.EMBARGOED])
def test_unpublished_records_never_show_or_count_on_list_page_or_feed(client, status):
    question = QuestionFactory(title_en="Where is the data stored?")
    link(question, refused(title="The public request"))
    hidden = [
        link(question, DocumentFactory(title="Hidden answer", status=status), ANSWERS),
        link(question, StatementFactory(title="Hidden half", status=status), IN_PART),
        link(question, refused(title="Hidden request", status=status)),
        link(question, StatementFactory(title="Hidden asker", status=status)),
    ]
    listing = client.get("/questions/")
    assert badge(listing.content.decode(), "open") == "○ Still open"
    assert "Asked in 1 FOI request" in text_of(listing)
    assert "partial answer" not in text_of(listing) and "other record" not in text_of(listing)
    page = client.get(question.get_absolute_url())
    text = text_of(page)
    assert "Asked in 1 FOI request; 1 was refused; no published record answers it." in text
    assert "The public request" in text
    for hidden_link in hidden:
        assert hidden_link.record.title not in text
        assert hidden_link.record.get_absolute_url() not in page.content.decode()
    feed = feedparser.parse(client.get(f"{question.get_absolute_url()}feed/").content)
    assert [entry.title for entry in feed.entries] == ["Asks it: The public request"]
    # Staff previewing see the same: a preview shows what publishing would show.
    assert Question.objects.get().state == QuestionState.OPEN


def test_staff_previewing_a_draft_question_see_only_published_records_too(editor_client):
    question = QuestionFactory(status=Status.DRAFT)
    link(question, DocumentFactory(title="Hidden answer", status=Status.DRAFT), ANSWERS)
    text = text_of(editor_client.get(question.get_absolute_url()))
    assert "Hidden answer" not in text and "Still open" in text


def test_a_draft_question_is_404_for_the_public_and_absent_from_the_list(client):
    draft = QuestionFactory(status=Status.DRAFT, title_en="A question in the works")
    url = draft.get_absolute_url()
    assert client.get(f"{url}feed/").status_code == 404
    assert client.get(url).status_code == 404
    assert client.get(f"/sr{url}").status_code == 404
    assert "A question in the works" not in client.get("/questions/").content.decode()
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "A question in the works" not in client.get("/questions/").content.decode()


def test_staff_without_the_second_factor_do_not_see_draft_questions(client, editor):
    draft = QuestionFactory(status=Status.DRAFT)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_verified_staff_preview_a_draft_question_with_a_banner(editor_client):
    draft = QuestionFactory(status=Status.DRAFT, title_en="A question in the works")
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "Preview: this question is a draft and is not public." in page
    assert 'type="application/atom+xml"' not in page  # a draft has no public feed
    listing = text_of(editor_client.get("/questions/"))
    assert "A question in the works ○ Still open Draft: not public" in listing
    assert editor_client.get(f"{draft.get_absolute_url()}feed/").status_code == 404


def test_a_record_page_names_only_published_questions(client):
    record = DocumentFactory()
    link(QuestionFactory(title_en="The public question"), record, IN_PART)
    link(QuestionFactory(title_en="The draft question", status=Status.DRAFT), record, IN_PART)
    html = client.get(record.get_absolute_url()).content.decode()
    assert "The public question" in html and "The draft question" not in html


# The feed


def test_a_question_has_an_atom_feed_of_its_records_linked_from_its_page(client):
    question = QuestionFactory(title_en="How many cameras are there?")
    older = StatementFactory(title="About 1,000 cameras", summary="Announced.")
    older.published_at = timezone.now() - timedelta(days=3)
    older.save()
    newer = DocumentFactory(title="8,000 planned")
    newer.published_at = timezone.now()
    newer.save()
    link(question, older, IN_PART, note="The first figure.")
    link(question, newer, IN_PART)
    feed_url = f"{question.get_absolute_url()}feed/"
    page = client.get(question.get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="' in page
    assert f'href="{feed_url}">' in page
    response = client.get(feed_url)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert feed.feed.title == "Nadzor: records on “How many cameras are there?”"
    assert [entry.title for entry in feed.entries] == [
        "Answers it in part: 8,000 planned",
        "Answers it in part: About 1,000 cameras",
    ]
    assert feed.entries[1].link == f"http://testserver{older.get_absolute_url()}"
    assert "The first figure." in feed.entries[1].summary
    assert len({entry.id for entry in feed.entries}) == 2


def _questions_file(tmp_path, questions):
    path = tmp_path / "questions.json"
    path.write_text(
        questions if isinstance(questions, str) else json.dumps({"questions": questions})
    )
    return path


def test_each_reader_sees_the_note_in_their_language_and_script(client):
    question = QuestionFactory(title_sr="Gde su kamere?", title_en="Where are the cameras?")
    record = DocumentFactory(title="Spisak lokacija", language="sr-Latn")
    link(question, record, IN_PART, note="Gives 61 sites.", note_sr="Navodi 61 lokaciju.")
    only_english = link(question, StatementFactory(title="Izjava"), ASKS, note="Asked it.")

    with translation.override("en"):
        question_url, record_url = question.get_absolute_url(), record.get_absolute_url()
    english = client.get(question_url).content.decode()
    cyrillic = client.get("/sr" + question_url).content.decode()
    latin = client.get("/sr-latn" + question_url).content.decode()
    on_record = client.get("/sr" + record_url).content.decode()

    assert '<p class="link-note" lang="en">Gives 61 sites.</p>' in english
    assert '<p class="link-note" lang="sr-Cyrl">Наводи 61 локацију.</p>' in cyrillic
    assert '<p class="link-note" lang="sr-Latn">Navodi 61 lokaciju.</p>' in latin
    assert '<p class="link-note" lang="sr-Cyrl">Наводи 61 локацију.</p>' in on_record
    # Where only one version is written, every reader sees it, tagged as what it is.
    assert '<p class="link-note" lang="en">Asked it.</p>' in cyrillic
    assert only_english.note_in("sr") == ("Asked it.", "en")


def test_the_migration_makes_serbian_notes_serbian_and_keeps_the_rest_english(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("records.migrations.0021_question_link_notes_in_two_languages")
    question = QuestionFactory()
    notes = ["Odbijen zahtev za pristup.", "Наводи број камера.", "Refused.", "Traži spisak."]
    links = [link(question, DocumentFactory(), ASKS, note=note) for note in notes]

    migration.split_notes(apps, None)

    assert [QuestionLink.objects.get(pk=item.pk).notes for item in links] == [
        ("", "Odbijen zahtev za pristup."),  # Serbian with no Serbian letter: cannot be told
        ("Наводи број камера.", ""),
        ("", "Refused."),
        ("Traži spisak.", ""),
    ]


def test_loading_questions_sets_each_ones_links_to_exactly_those_of_the_file(tmp_path):
    first, second = DocumentFactory(public_id="first"), DocumentFactory(public_id="second")
    entry = {"slug": "q", "title_en": "Where?", "position": 1}
    load_questions(
        _questions_file(tmp_path, [{**entry, "links": [{"record": "first", "relation": "asks"}]}])
    )
    summary = load_questions(
        _questions_file(
            tmp_path,
            [
                {
                    **entry,
                    "links": [
                        {
                            "record": "second",
                            "relation": "answers",
                            "note": "Yes.",
                            "note_sr": "Da.",
                        }
                    ],
                }
            ],
        )
    )
    assert summary == "0 created, 1 updated, 0 unchanged, 1 links added, 1 links removed"
    (only,) = Question.objects.get(slug="q").links.all()
    assert (only.record_id, only.relation, only.notes) == (second.pk, "answers", ("Da.", "Yes."))
    assert Question.objects.get(slug="q").state == QuestionState.ANSWERED
    assert first.question_links.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"questions": [', "questions.json: not valid JSON at line 1, column"),
        ("[]", 'questions.json: top level: expected an object with a "questions" list'),
        ([{"title_en": "No slug"}], 'question 1 (no slug): a "slug" is required'),
        ([{"slug": "a", "title_en": "A", "colour": "red"}], "unknown field(s) colour"),
        ([{"slug": "a"}], "question 1 (a): __all__: Write the question in Serbian"),
        (
            [{"slug": "a", "title_en": "A"}, {"slug": "a", "title_en": "B"}],
            "question 2 (a): the slug appears twice",
        ),
        (
            [{"slug": "a", "title_en": "A", "links": [{"record": "nowhere", "relation": "asks"}]}],
            "question 1 (a), link 1: no record with id 'nowhere'",
        ),
        (
            [{"slug": "a", "title_en": "A", "links": [{"record": "r", "relation": "solves"}]}],
            "question 1 (a), link 1: relation 'solves' is not one of asks, answers_in_part",
        ),
    ],
)
def test_a_bad_questions_file_fails_with_a_clear_error_and_loads_nothing(
    tmp_path, content, message
):
    DocumentFactory(public_id="r")
    good = {"slug": "good", "title_en": "Fine", "links": [{"record": "r", "relation": "asks"}]}
    questions = content if isinstance(content, str) else [good, *content]
    if not isinstance(content, str):
        message = re.sub(r"question (\d)", lambda m: f"question {int(m.group(1)) + 1}", message)
    with pytest.raises(CommandError) as error:
        load_questions(_questions_file(tmp_path, questions))
    assert message in str(error.value)
    assert not Question.objects.exists() and not QuestionLink.objects.exists()
