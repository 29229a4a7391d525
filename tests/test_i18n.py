"""The interface in Serbian: pages in both scripts, and translation files complete."""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.factories import safe_city_graph

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LOCALES = ["sr_Latn", "sr"]
SERBIAN_PLURAL_FORMS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)
PLACEHOLDER = re.compile(r"%\([^)]+\)[a-z]|%[sd]|\{[^{}\s]*\}")

# URL prefix → <html lang>, the main navigation's labels.
INTERFACES = {
    "/": ("en", ["Records", "Timeline", "Actors", "Tags"]),
    "/sr-latn/": ("sr-Latn", ["Zapisi", "Hronologija", "Akteri", "Oznake"]),
    "/sr/": ("sr-Cyrl", ["Записи", "Хронологија", "Актери", "Ознаке"]),
}


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # LocaleMiddleware leaves the last request's language active in this thread; a
    # Serbian page must not turn the messages of tests that run later into Serbian.
    yield
    translation.deactivate()


def po_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def catalogue(locale):
    return polib.pofile(str(po_path(locale)))


def messages(locale):
    """The catalogue's entries (polib leaves the header out), obsolete ones left out."""
    return [entry for entry in catalogue(locale) if not entry.obsolete]


def msgstrs(entry):
    """An entry's translations: one, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# Pages


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", INTERFACES)
@pytest.mark.parametrize("page", ["", "records/"])
def test_pages_show_the_interface_in_the_language_of_the_url(client, prefix, page):
    safe_city_graph()
    response = client.get(prefix + page)
    assert response.status_code == 200
    html = response.content.decode()
    lang, labels = INTERFACES[prefix]
    assert f'<html lang="{lang}">' in html
    for label in labels:
        assert f">{label}</a>" in html, (prefix + page, label)
    for other, (_lang, other_labels) in INTERFACES.items():
        if other != prefix:
            assert f">{other_labels[0]}</a>" not in html, (prefix + page, other)


@pytest.mark.django_db
def test_serbian_pages_use_serbian_plural_forms(client):
    safe_city_graph()  # three published records
    assert "3 objavljena zapisa" in client.get("/sr-latn/").content.decode()
    assert "3 објављена записа" in client.get("/sr/").content.decode()
    assert "3 zapisa" in client.get("/sr-latn/records/").content.decode()
    assert "3 записа" in client.get("/sr/records/").content.decode()


@pytest.mark.django_db
def test_record_page_in_cyrillic_translates_labels_and_relations(client):
    safe_city_graph()
    html = client.get("/sr/r/commissioner-opinion/").content.decode()
    assert '<html lang="sr-Cyrl">' in html
    assert "Повезани записи" in html
    assert "Противречи" in html  # the relation "contradicts"
    assert "Цитирајте овај запис" in html
    html = client.get("/sr-latn/r/commissioner-opinion/").content.decode()
    assert "Povezani zapisi" in html
    assert "Protivreči" in html


# Translation files


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated_and_none_is_fuzzy(locale):
    entries = messages(locale)
    assert entries, f"no messages in {po_path(locale)}"
    untranslated = [
        entry.msgid
        for entry in entries
        if not msgstrs(entry) or any(not text.strip() for text in msgstrs(entry))
    ]
    assert not untranslated, f"untranslated in {locale}: {untranslated}"
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert not fuzzy, f"fuzzy in {locale}: {fuzzy}"


@pytest.mark.parametrize("locale", LOCALES)
def test_header_declares_the_language_and_serbian_plural_forms(locale):
    po = catalogue(locale)
    fields = po.metadata
    assert fields["Language"] == locale
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert " ".join(fields["Plural-Forms"].split()) == SERBIAN_PLURAL_FORMS
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_and_plural_forms(locale):
    for entry in messages(locale):
        msgid, plural = entry.msgid, entry.msgid_plural
        assert len(msgstrs(entry)) == (3 if plural else 1), msgid
        wanted = sorted(set(PLACEHOLDER.findall(msgid + plural)))
        for msgstr in msgstrs(entry):
            assert sorted(set(PLACEHOLDER.findall(msgstr))) == wanted, (msgid, msgstr)


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalog_matches_the_po_file(locale):
    """The .mo files are committed: they must hold what the .po files say."""
    mo = po_path(locale).with_suffix(".mo")
    assert mo.exists(), f"{mo} is missing: run manage.py compilemessages --ignore=.venv"
    with mo.open("rb") as stream:
        catalog = gettext.GNUTranslations(stream)
    for entry in messages(locale):
        msgid, context, plural = entry.msgid, entry.msgctxt, entry.msgid_plural
        if plural:
            # 1, 2 and 5 take Serbian plural forms 0, 1 and 2
            for n, msgstr in zip((1, 2, 5), msgstrs(entry), strict=True):
                got = (
                    catalog.npgettext(context, msgid, plural, n)
                    if context
                    else catalog.ngettext(msgid, plural, n)
                )
                assert got == msgstr, f"{mo} is stale for {msgid!r}: compilemessages"
        else:
            got = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
            assert got == entry.msgstr, f"{mo} is stale for {msgid!r}: compilemessages"


def test_both_scripts_translate_the_same_messages():
    def keys(locale):
        return {(entry.msgctxt, entry.msgid) for entry in messages(locale)}

    assert keys("sr") == keys("sr_Latn")


def test_cyrillic_po_is_written_from_the_latin_one():
    # Fails when sr_Latn was edited and `manage.py cyrillize_messages` not run.
    call_command("cyrillize_messages", check=True)
