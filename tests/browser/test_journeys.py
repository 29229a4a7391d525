"""The three journeys of issue 7's "Done when", driven in Debian's Chromium, each in the
three interface languages (English, Serbian in Latin script, Serbian in Cyrillic script):

- a journalist searches, narrows by a facet, opens a record, follows a link and cites it;
- an activist signs up, files an FOI request and tracks it to a refusal and an appeal;
- an editor logs in with a second factor, creates two records, links and publishes them.

Everything the person does goes through the pages (links, forms, buttons). The test plays
the other parties: it reads the e-mails the site sends (locmem outbox), delivers a public
body's reply as the mail server would (``records.foi.receiving.receive``), reads the
editor's one-time code off their authenticator key, and moves the clock with time-machine.

What a page says is checked in the page's language: the expected words come from the
project's own catalogs (``_t``), and a few words of the chrome are also written out
here, so a page that fell back to English would fail. Full-page screenshots are saved as
``<journey>-<language>-<step>.png`` in ``NADZOR_ARTIFACTS`` (default
$TMPDIR/nadzor-journey/), for people to look at.
"""

import contextlib
import re
from base64 import b32decode
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django_otp.oath import totp
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from records.foi import letters
from records.foi.receiving import receive
from records.foi.services import create_request, send_request
from records.management.commands.demo import DEMO_FILE
from records.models import (
    ActorKind,
    Direction,
    FOIRequest,
    FOIStatus,
    Kind,
    Link,
    Profile,
    Record,
    Relation,
    SentVia,
    Status,
)
from records.records.models.taxonomy import Actor
from records.records.services import import_jsonl
from tests.browser import SKIP_REASON, chromium_path
from tests.factories import UserFactory
from tests.foi_helpers import reply_mail
from tests.samples import text_pdf

if chromium_path() is None:
    pytest.skip(SKIP_REASON, allow_module_level=True)


@dataclass(frozen=True)
class Lang:
    code: str  # Django's language code
    tag: str  # BCP 47, as <html lang> says it; also names the screenshots
    prefix: str  # the URL prefix of its pages
    name: str  # how the language switcher offers it
    records: str  # the main menu's "Records", written out (not read from a catalog)
    browser: str  # a browser set to this language sends it as Accept-Language

    def __str__(self):
        return self.tag


LANGS = [
    Lang("en", "en", "", "English", "Records", "en-GB"),
    Lang("sr-latn", "sr-Latn", "/sr-latn", "Srpski", "Zapisi", "sr-Latn-RS"),
    Lang("sr", "sr-Cyrl", "/sr", "Српски", "Записи", "sr-Cyrl-RS"),
]
by_language = pytest.mark.parametrize("lang", LANGS, ids=str)


@pytest.fixture
def browser_locale(lang):
    """Each person's browser is set to their language (though / is English whatever the
    browser says: the language is in the URL)."""
    return lang.browser


def _t(lang, message, *, plural=None, count=None, context=None, **values):
    """``message`` as the site says it in ``lang`` (the project's and Django's catalogs)."""
    with translation.override(lang.code):
        if plural is not None:
            text = translation.ngettext(message, plural, count)
        elif context is not None:
            text = translation.pgettext(context, message)
        else:
            text = translation.gettext(message)
        return text % values if values else text


def _date(lang, day):
    """``day`` as the site writes it in ``lang`` (the ``DATE_FORMAT`` of templates)."""
    with translation.override(lang.code):
        return formats.date_format(day, "DATE_FORMAT")


def check_chrome(page, lang, heading=None):
    """The page is in ``lang``: its URL, ``<html lang>``, the menu, the language switcher,
    and (if given) its main heading."""
    if lang.prefix:
        expect(page).to_have_url(re.compile(f"^https?://[^/]+{re.escape(lang.prefix)}/"))
    else:
        expect(page).not_to_have_url(re.compile("^https?://[^/]+/sr(-latn)?/"))
    expect(page.locator("html")).to_have_attribute("lang", lang.tag)
    main_nav = page.get_by_role("navigation", name=_t(lang, "Main"))
    expect(main_nav.get_by_role("link", name=lang.records, exact=True)).to_be_visible()
    switcher = page.get_by_role("navigation", name=_t(lang, "Language"))
    expect(switcher.locator("[aria-current]")).to_have_text(lang.name)
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def site_link(text, live_server):
    """The first link to the site in an e-mail, made to point at the live server."""
    match = re.search(re.escape(settings.SITE_URL) + r"(/\S*)", text)
    assert match, f"no link to {settings.SITE_URL} in:\n{text}"
    return live_server.url + match.group(1)


def linked(links, lang, relation, href):
    """In the "Linked records" section ``links``, the link to ``href`` listed under the
    heading of ``relation`` (in English, as the model words it)."""
    heading = links.get_by_role("heading", name=capfirst(_t(lang, relation)), exact=True)
    return heading.locator("xpath=following-sibling::ul[1]").locator(f"a[href='{href}']")


def count_in(locator):
    """The number in a text such as "14 results" / "14 rezultata" / "14 резултата"."""
    return int(re.search(r"\d+", locator.inner_text()).group())


# --- The journalist ----------------------------------------------------------------------

REBIC = "2019-02-09-rebic-1000-cameras-800-locations"  # Cyrillic, "камера", supports:
STEFANOVIC = "2019-01-31-stefanovic-1000-cameras-facial-recognition"  # Latin
STEFANOVIC_TITLE = "Stefanović najavljuje oko 1.000 kamera sa prepoznavanjem lica"
STEFANOVIC_CYRILLIC = "Стефановић најављује око 1.000 камера са препознавањем лица"
SABIC = "2018-03-21-commissioner-inspection-mup-cameras"  # Latin, names Rodoljub Šabić


@by_language
def test_journalist_searches_narrows_opens_follows_a_link_and_cites(
    page, live_server, screenshot, lang
):
    with DEMO_FILE.open("rb") as demo:
        import_jsonl(demo)
    shot = lambda step: screenshot(f"journalist-{lang}-{step}")  # noqa: E731

    # The home page at / is in English; the reader picks their language there.
    page.goto("/")
    if lang.prefix:
        page.get_by_role("navigation", name="Language").get_by_role("link", name=lang.name).click()
    expect(page).to_have_url(re.compile(re.escape(lang.prefix) + "/$"))
    check_chrome(page, lang)
    shot("1-home")

    # The former Commissioner, typed without diacritics: "sabic" finds Šabić.
    header_search = page.get_by_role("search")
    header_search.get_by_role("searchbox", name=_t(lang, "Search the archive")).fill("sabic")
    header_search.get_by_role("button", name=_t(lang, "Search")).click()
    check_chrome(page, lang, heading=_t(lang, "Search the archive"))
    results = page.locator("ol.search-results")
    hit = results.locator("li", has=page.locator(f"a[href='{lang.prefix}/r/{SABIC}/']"))
    expect(hit.locator("mark").first).to_have_text(re.compile("Šabić|Шабић"))
    shot("2-search-sabic")

    # "kamere", in Latin, finds records written in Cyrillic (камера, камерама).
    search_box = page.get_by_role("searchbox", name=_t(lang, "Search words"))
    search_box.fill("kamere")
    search_box.press("Enter")
    count = page.locator("#results-heading")
    expect(count).to_have_text(re.compile(r"\d+"))
    found = count_in(count)
    # Marked in the script the record is shown in: Latin under /sr-latn/.
    expect(results.locator(f"a[href='{lang.prefix}/r/{REBIC}/'] mark")).to_have_text(
        "kamera" if lang.code == "sr-latn" else "камера"
    )
    check_chrome(page, lang, heading=_t(lang, "Search the archive"))
    shot("3-search-kamere")

    # Narrow to government statements by the kind facet.
    facets = page.get_by_role("complementary", name=_t(lang, "Narrow the results"))
    statement = _t(lang, "Government statement")
    facets.get_by_role("link", name=statement, exact=True).click()
    expect(facets.locator("[aria-current]")).to_have_text(statement)
    # The filter is also listed above the results, with a link that removes it.
    remove = page.locator(".active-filters").get_by_role("link")
    expect(remove).to_have_count(1)
    expect(remove).to_contain_text(f"{_t(lang, 'Kind')}: {statement}")  # the name, not "statement"
    narrowed = count_in(count)
    assert 0 < narrowed < found, (narrowed, found)
    expect(results.locator("li.record-item")).to_have_count(narrowed)
    expect(results.locator(".kind")).to_have_text([statement] * narrowed)
    check_chrome(page, lang, heading=_t(lang, "Search the archive"))
    shot("4-narrowed")

    # Open Rebić's statement: written in Cyrillic, read in Latin under /sr-latn/.
    results.locator(f"a[href='{lang.prefix}/r/{REBIC}/']").click()
    expect(page).to_have_url(re.compile(f"{re.escape(lang.prefix)}/r/{REBIC}/$"))
    title = "Rebić: oko 1.000 kamera na 800 lokacija u naredne dve godine"
    if lang.code != "sr-latn":
        title = "Ребић: око 1.000 камера на 800 локација у наредне две године"
    check_chrome(page, lang, heading=title)
    links = page.get_by_role("region", name=_t(lang, "Linked records"))
    expect(links).to_be_visible()
    shot("5-record")

    # Follow its typed link: it "supports" Stefanović's announcement.
    linked(links, lang, "supports", f"{lang.prefix}/r/{STEFANOVIC}/").click()
    expect(page).to_have_url(re.compile(f"{re.escape(lang.prefix)}/r/{STEFANOVIC}/$"))
    check_chrome(page, lang, heading=STEFANOVIC_CYRILLIC if lang.code == "sr" else STEFANOVIC_TITLE)
    # From this side the link reads the other way, back to where the reader came from.
    links = page.get_by_role("region", name=_t(lang, "Linked records"))
    expect(linked(links, lang, "is supported by", f"{lang.prefix}/r/{REBIC}/")).to_be_visible()
    shot("6-linked-record")

    # Cite it: the permalink (in the reader's language) and the citation text.
    cite = page.get_by_role("region", name=_t(lang, "Cite this record"))
    permalink = f"{settings.SITE_URL}{lang.prefix}/r/{STEFANOVIC}/"
    expect(page.locator(".facts").get_by_role("link", name=permalink)).to_be_visible()
    citation = cite.locator(".citation")
    # Chicago style in the reader's language: the speaker, the title in the language's
    # quotation marks, the kind and the statement's own date, the permalink.
    title = STEFANOVIC_CYRILLIC if lang.code == "sr" else STEFANOVIC_TITLE
    opening, closing = ("“", ".”") if lang.code == "en" else ("„", ".“")
    speaker = "Небојша Стефановић" if lang.code == "sr" else "Nebojša Stefanović"
    own_date = {"en": "Jan. 31, 2019", "sr-latn": "31. januar 2019", "sr": "31. јануар 2019"}
    for part in (
        f"{speaker}. {opening}{title}{closing}",
        f"{_t(lang, 'Government statement')}, {own_date[lang.code]}.",
        f"{permalink} (",
    ):
        expect(citation).to_contain_text(part)
    cite.scroll_into_view_if_needed()
    shot("7-cite")


# --- The activist ------------------------------------------------------------------------

BODY_NAME = "Ministarstvo unutrašnjih poslova"
BODY_EMAIL = "foi@mup.example"
EMAIL = "ana@example.org"
PASSWORD = "kamere-na-svakom-uglu-2026"
# The letter in the reader's language and script; its subject and the question.
LETTERS = {
    "en": (
        "en",
        "Where are the camera recordings kept?",
        "Where are the recordings of Belgrade's “Safe City” cameras kept, and for how long?",
    ),
    "sr-latn": (
        "sr-Latn",
        "Gde se čuvaju snimci kamera?",
        "Gde se čuvaju snimci kamera sistema „Bezbedan grad” u Beogradu i koliko dugo?",
    ),
    "sr": (
        "sr-Cyrl",
        "Где се чувају снимци камера?",
        "Где се чувају снимци камера система „Безбедан град” у Београду и колико дуго?",
    ),
}
REFUSAL = "Rešenjem broj 1/2026 odbija se Vaš zahtev: tražene informacije su poverljive."


@by_language
def test_activist_signs_up_files_a_request_and_tracks_it_to_a_refusal_and_appeal(
    page, live_server, screenshot, lang
):
    Actor.objects.create(name=BODY_NAME, kind=ActorKind.PUBLIC_BODY, foi_email=BODY_EMAIL)
    letter_language, subject, question = LETTERS[lang.code]
    shot = lambda step: screenshot(f"activist-{lang}-{step}")  # noqa: E731
    main_nav = page.get_by_role("navigation", name=_t(lang, "Main"))

    # A shared link in the activist's language; sign up from there.
    page.goto(f"{lang.prefix}/")
    main_nav.get_by_role("link", name=_t(lang, "Log in")).click()
    page.get_by_role("link", name=_t(lang, "Create an account")).click()
    check_chrome(page, lang, heading=_t(lang, "Create an account"))
    page.get_by_label(_t(lang, "E-mail address")).fill(EMAIL)
    page.get_by_label(_t(lang, "Public name")).fill("Kamerolovac")
    page.get_by_label(_t(lang, "Password")).fill(PASSWORD)
    page.get_by_role("button", name=_t(lang, "Create the account")).click()
    check_chrome(page, lang, heading=_t(lang, "Check your e-mail"))

    # The confirmation e-mail is in the same language, and so is its link.
    [confirmation] = mail.outbox
    assert confirmation.to == [EMAIL]
    assert confirmation.body.startswith(_t(lang, "Hello %(name)s,", name="Kamerolovac"))
    link = site_link(confirmation.body, live_server)
    assert urlsplit(link).path.startswith(f"{lang.prefix}/account/confirm/"), link
    page.goto(link)
    expect(page.locator(".messages")).to_have_text(
        _t(lang, "Your address is confirmed. Welcome to Nadzor.")
    )
    check_chrome(page, lang, heading=_t(lang, "Your account"))
    shot("1-confirmed")

    # File a request: the template letter for the body and language, the question.
    main_nav.get_by_role("link", name=_t(lang, "FOI requests")).click()
    page.get_by_role("link", name=_t(lang, "File a request")).click()
    check_chrome(page, lang, heading=_t(lang, "File an FOI request"))
    page.get_by_label(_t(lang, "Public body")).select_option(label=BODY_NAME)
    page.get_by_label(_t(lang, "Language of the letter")).select_option(letter_language)
    page.get_by_role(
        "button", name=_t(lang, "Fill in the letter for this body and language")
    ).click()
    letter = page.get_by_label(_t(lang, "Your request"))
    expect(letter).to_have_value(re.compile(re.escape(BODY_NAME)))
    placeholder = letters.LETTERS[letter_language]["placeholder"]
    letter.fill(letter.input_value().replace(placeholder, question))
    page.get_by_label(_t(lang, "Subject", context="of a letter"), exact=True).fill(subject)
    page.get_by_label(_t(lang, "Your full name (private)")).fill("Ana Anić")
    page.get_by_role("button", name=_t(lang, "Preview"), exact=True).click()
    preview = page.get_by_role("region", name=_t(lang, "Preview"))
    expect(preview).to_contain_text(question)
    expect(preview).to_contain_text("Ana Anić")  # in what the body receives only
    check_chrome(page, lang, heading=_t(lang, "File an FOI request"))
    shot("2-preview")

    # Send: the request's page, with its status and its deadline.
    page.get_by_role("button", name=_t(lang, "Send the request")).click()
    expect(page.locator(".messages")).to_contain_text(
        _t(lang, "Your request is sent. Replies will appear on this page.")
    )
    check_chrome(page, lang, heading=subject)
    foi = FOIRequest.objects.get()
    assert foi.foi_status == FOIStatus.AWAITING_RESPONSE
    status = page.locator(".foi-status-line .foi-status")
    expect(status).to_have_text(_t(lang, "Awaiting response"))
    left = foi.days_left()
    deadline = _t(
        lang,
        "%(days)s day left to answer.",
        plural="%(days)s days left to answer.",
        count=left,
        days=left,
    )
    due = _t(lang, "due %(date)s", date=_date(lang, foi.due_on))
    expect(page.locator(".foi-panel .deadline")).to_have_text(f"{deadline} ({due})")
    [sent] = [message for message in mail.outbox if BODY_EMAIL in message.to]
    assert question in sent.body and "Ana Anić" in sent.body
    shot("3-sent")

    # It went from the request's own address, which replies come back to.
    reply_to = f"request-{foi.pk}-{foi.reply_token}@{settings.FOI_EMAIL_DOMAIN}"
    assert re.fullmatch(r"request-\d+-[0-9a-z]+@nadzor\.example", reply_to)
    assert sent.from_email.endswith(f"<{reply_to}>") and sent.reply_to == [reply_to]

    # The body refuses, by e-mail with the decision attached; the mail server pipes it in.
    raw = reply_mail(
        reply_to,
        subject=f"Re: {subject}",
        text=REFUSAL,
        attachments=[("resenje.pdf", text_pdf(["Rešenje broj 1/2026"]), "application/pdf")],
    )
    inbound = receive(raw, recipients=[reply_to])
    assert inbound.request_id == foi.pk
    [notice] = [message for message in mail.outbox if message.to == [EMAIL]][1:]
    assert notice.subject == _t(lang, "New reply: %(title)s", title=subject)
    page.reload()
    reply = page.locator("article.message-in")
    expect(reply).to_contain_text(REFUSAL)
    expect(reply.get_by_role("link", name="resenje.pdf")).to_be_visible()
    expect(reply).to_contain_text(_t(lang, "What does this reply mean?"))
    timeline = page.get_by_role("region", name=_t(lang, "Timeline"))
    expect(timeline.get_by_role("listitem").last).to_contain_text(
        f"{_t(lang, 'Reply received')}: Re: {subject}"
    )
    check_chrome(page, lang, heading=subject)
    shot("4-reply")

    # The activist classifies it as a refusal: the page offers the appeal.
    reply.get_by_label(_t(lang, "This reply means")).select_option(label=_t(lang, "Refused"))
    reply.get_by_role("button", name=_t(lang, "Save")).click()
    expect(page.locator(".messages")).to_have_text(
        _t(lang, "Thank you: the request's status is updated.")
    )
    expect(status).to_have_text(_t(lang, "Refused"))
    assert foi.messages.get(direction=Direction.INCOMING).classified_as == FOIStatus.REFUSED
    foi.refresh_from_db()
    appeal_until = _t(
        lang,
        "An appeal against this decision is possible until %(date)s.",
        date=_date(lang, foi.appeal_due_on),
    )
    expect(page.locator(".foi-panel")).to_contain_text(appeal_until)
    expect(timeline).to_contain_text(
        _t(
            lang,
            "Status: %(before)s → %(after)s",
            before=_t(lang, "Awaiting response"),
            after=_t(lang, "Refused"),
        )
    )
    check_chrome(page, lang, heading=subject)
    shot("5-refused")

    page.get_by_role("link", name=_t(lang, "Appeal to the Commissioner")).click()
    check_chrome(page, lang, heading=_t(lang, "Appeal to the Commissioner"))
    appeal = page.get_by_label(_t(lang, "The appeal"), exact=True).input_value()
    assert BODY_NAME in appeal and question in appeal
    shot("6-appeal")
    page.get_by_role("button", name=_t(lang, "Record the appeal")).click()
    expect(status).to_have_text(_t(lang, "Appealed"))
    check_chrome(page, lang, heading=subject)
    foi.refresh_from_db()
    assert foi.foi_status == FOIStatus.APPEALED


@pytest.mark.parametrize("lang", LANGS[:1], ids=str)
def test_requester_logs_in_a_month_later_and_appeals_the_silence(
    page, live_server, screenshot, lang
):
    """No answer within the deadline: the request shows as overdue (the clock moves 30
    days, for the live server's thread too), and the requester, logged out by then, logs
    in, finds it on their account page and drafts the appeal against the silence."""
    body = Actor.objects.create(name=BODY_NAME, kind=ActorKind.PUBLIC_BODY, foi_email=BODY_EMAIL)
    user = UserFactory(username=EMAIL, email=EMAIL, password=PASSWORD)
    Profile.objects.create(user=user, display_name="Kamerolovac", real_name="Ana Anić")
    _language, subject, question = LETTERS["sr-latn"]
    letter = letters.request_letter(body_name=BODY_NAME, language="sr-Latn")
    foi = create_request(
        user=user,
        public_body=body,
        title=subject,
        letter=letter.replace(letters.LETTERS["sr-Latn"]["placeholder"], question),
        language="sr-Latn",
    )
    send_request(foi, user=user, via=SentVia.EMAIL)
    main_nav = page.get_by_role("navigation", name="Main")

    with time_machine.travel(timezone.now() + timedelta(days=30), tick=True):
        page.goto(foi.get_absolute_url())
        expect(page.locator(".foi-panel .deadline-overdue")).to_contain_text("Overdue by")
        main_nav.get_by_role("link", name="Log in").click()
        page.get_by_label("E-mail address").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
        expect(page.locator(".foi-item")).to_contain_text("Overdue by")
        page.get_by_role("link", name=subject).click()
        expect(page.locator(".foi-panel .deadline-overdue")).to_contain_text("Overdue by")
        screenshot(f"activist-{lang}-7-overdue")

        page.get_by_role("link", name="Appeal to the Commissioner").click()
        expect(page.get_by_text("Against this silence you can appeal now.")).to_be_visible()
        text = page.get_by_label("The appeal", exact=True).input_value()
        assert text.startswith("Povereniku za informacije od javnog značaja")
        assert BODY_NAME in text and question in text
        page.get_by_role("button", name="Record the appeal").click()
        expect(page.get_by_text("The appeal is recorded")).to_be_visible()
        expect(page.locator(".foi-status-line .foi-status")).to_have_text("Appealed")
        foi.refresh_from_db()
        assert foi.foi_status == FOIStatus.APPEALED
        assert foi.appealed_on == timezone.localdate()


# --- The editor --------------------------------------------------------------------------

EDITOR = "urednica"
EDITOR_PASSWORD = "dva-faktora-za-urednike-2026"
# (title as written in Latin, as shown in Cyrillic): "lj" and "nj" are one letter each.
STATEMENT = (
    "Ministar najavljuje nove kamere na 500 lokacija",
    "Министар најављује нове камере на 500 локација",
)
RESPONSE = (
    "Poverenik: lokacije kamera moraju biti javne",
    "Повереник: локације камера морају бити јавне",
)


def page_language(page):
    """The interface language the page declares in <html lang> (Django's admin writes its
    language code there, the public pages a BCP 47 tag)."""
    declared = page.locator("html").get_attribute("lang")
    return next(lang for lang in LANGS if declared in (lang.tag, lang.code))


def _in_reader_script(lang, title):
    latin, cyrillic = title
    return cyrillic if lang.code == "sr" else latin


@by_language
def test_editor_creates_links_and_publishes_two_records(
    page, live_server, screenshot, lang, editorial_groups
):
    user = UserFactory(username=EDITOR, password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    shot = lambda step: screenshot(f"editor-{lang}-{step}")  # noqa: E731

    def field(label):
        """The admin's field labelled ``label`` (the admin adds a colon)."""
        return page.get_by_label(re.compile(f"^{re.escape(label)}:?$"))

    # The test reads each page's language off <html lang> and expects the words of that
    # language (/admin/ is the English admin; the two-factor page it sends staff to is in
    # whichever language the site picks for it).
    page.goto("/admin/")
    ui = page_language(page)
    field(capfirst(_t(ui, "username"))).fill(EDITOR)
    field(_t(ui, "Password")).fill(EDITOR_PASSWORD)
    page.get_by_role("button", name=_t(ui, "Log in")).click()

    # The password is not enough: on first use, the editor sets up an authenticator app
    # from the key shown (the test is the app), then confirms a code from it.
    ui = page_language(page)
    check_chrome(page, ui, heading=_t(ui, "Set up two-factor log-in"))
    key = page.locator("figure.qr code").inner_text()
    # The whole QR code is drawn inside its box (a cropped one, without its corner
    # squares, would not scan).
    qr = page.locator("figure.qr svg")
    # Measured once laid out: read at once, the path was still at an unscaled 1,094 px
    # in one CI run. A code that never fits its box still fails below.
    page.wait_for_load_state("load")
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(
            """() => {
                const svg = document.querySelector("figure.qr svg");
                const box = svg.getBoundingClientRect();
                const path = svg.querySelector("path").getBoundingClientRect();
                return path.right <= box.right + 0.5 && path.bottom <= box.bottom + 0.5;
            }""",
            timeout=5_000,
        )
    drawn, shown = qr.locator("path").bounding_box(), qr.bounding_box()
    assert shown["width"] >= 150, shown
    assert drawn["x"] >= shown["x"] and drawn["y"] >= shown["y"], (drawn, shown)
    assert drawn["x"] + drawn["width"] <= shown["x"] + shown["width"] + 0.5, (drawn, shown)
    assert drawn["y"] + drawn["height"] <= shown["y"] + shown["height"] + 0.5, (drawn, shown)
    shot("1-two-factor")
    code = f"{totp(b32decode(key + '=' * (-len(key) % 8)), step=30, digits=6):06d}"
    page.get_by_label(_t(ui, "Code from your authenticator app")).fill(code)
    page.get_by_role("button", name=_t(ui, "Confirm")).click()
    ui = page_language(page)
    expect(page.locator(".messagelist")).to_contain_text(_t(ui, "Two-factor check passed."))
    expect(page.get_by_role("heading", level=1)).to_have_text(_t(ui, "Curate the archive"))

    # The first record, a government statement, as a draft.
    def add_record(kind, title, summary, when):
        page.goto("/admin/records/record/add/")
        page.get_by_role("link", name=_t(ui, Kind(kind).label), exact=True).click()
        field(capfirst(_t(ui, "title"))).fill(title)
        field(capfirst(_t(ui, "summary"))).fill(summary)
        field(_t(ui, "Date")).fill(when)
        field(capfirst(_t(ui, "language"))).select_option("sr-Latn")

    add_record(
        Kind.STATEMENT,
        STATEMENT[0],
        "Ministar unutrašnjih poslova najavljuje kamere sa prepoznavanjem lica.",
        "2026-03-02",
    )
    page.get_by_role("button", name=_t(ui, "Save"), exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    statement = Record.objects.get(title=STATEMENT[0])
    assert statement.status == Status.DRAFT

    # The second, a civil-society response, linked to the first: it "responds to" it.
    add_record(
        Kind.RESPONSE,
        RESPONSE[0],
        "Poverenik traži da se objave lokacije svih kamera.",
        "2026-03-05",
    )
    add_link = _t(
        ui, "Add another %(verbose_name)s", verbose_name=capfirst(_t(ui, "link from this record"))
    )
    page.get_by_role("button", name=add_link, exact=True).click()
    row = page.locator("tr.dynamic-outgoing_links")
    expect(row).to_have_count(1)
    row.locator("select[name$='-relation']").select_option(Relation.RESPONDS_TO.value)
    row.locator(".select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Ministar")
    page.locator(".select2-results__option", has_text=STATEMENT[0]).click()
    shot("2-link")
    page.get_by_role("button", name=_t(ui, "Save"), exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    response = Record.objects.get(title=RESPONSE[0])
    [link] = Link.objects.all()
    assert (link.source, link.relation, link.target) == (
        response,
        Relation.RESPONDS_TO,
        statement,
    )

    # Publish both from the list, with the bulk action.
    page.goto("/admin/records/record/")
    for record in (statement, response):
        page.locator(f"input[name='_selected_action'][value='{record.pk}']").check()
    page.locator("select[name='action']").select_option("publish")
    page.get_by_role("button", name=_t(ui, "Run"), exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text(
        _t(ui, "%d record published.", plural="%d records published.", count=2) % 2
    )
    shot("3-published")
    assert set(Record.objects.published().values_list("pk", flat=True)) == {
        statement.pk,
        response.pk,
    }

    # From the admin to the public page, then to the editor's language: the record, its
    # link and its graph.
    page.goto(f"/admin/records/response/{response.pk}/change/")
    page.get_by_role("link", name=_t(ui, "Open the public page")).click()
    if page_language(page) != lang:
        page.get_by_role("navigation", name=_t(page_language(page), "Language")).get_by_role(
            "link", name=lang.name
        ).click()
    expect(page).to_have_url(re.compile(f"{re.escape(lang.prefix)}/r/{response.public_id}/$"))
    check_chrome(page, lang, heading=_in_reader_script(lang, RESPONSE))
    links = page.get_by_role("region", name=_t(lang, "Linked records"))
    statement_url = f"{lang.prefix}/r/{statement.public_id}/"
    expect(links.locator("h3.relation")).to_have_count(1)
    expect(linked(links, lang, "responds to", statement_url)).to_be_visible()
    graph = links.locator("figure.link-graph")
    caption = _t(
        lang,
        "This record links to %(counter)s record.",
        plural="This record links to %(counter)s records.",
        count=1,
        counter=1,
    )
    expect(graph.locator("figcaption")).to_contain_text(caption)
    node = graph.locator(f"svg.graph-wide a[href='{statement_url}']")
    expect(node).to_be_visible()
    shot("4-public-response")

    # Through the graph to the statement, which shows the link from its side.
    node.click()
    expect(page).to_have_url(re.compile(re.escape(statement_url) + "$"))
    check_chrome(page, lang, heading=_in_reader_script(lang, STATEMENT))
    links = page.get_by_role("region", name=_t(lang, "Linked records"))
    response_url = f"{lang.prefix}/r/{response.public_id}/"
    expect(links.locator("h3.relation")).to_have_count(1)
    expect(linked(links, lang, "is responded to by", response_url)).to_be_visible()
    shot("5-public-statement")

    # And the public list shows both, newest first.
    page.get_by_role("navigation", name=_t(lang, "Main")).get_by_role(
        "link", name=lang.records, exact=True
    ).click()
    titles = page.locator(".record-list .record-title a")
    expect(titles).to_have_text(
        [_in_reader_script(lang, RESPONSE), _in_reader_script(lang, STATEMENT)]
    )
    check_chrome(page, lang)
    shot("6-public-list")
