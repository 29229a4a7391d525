import unicodedata

import polib
import pytest
from django.core.management import CommandError, call_command

from records.core.transliteration import cyrillic_to_latin, latin_to_cyrillic

SERBIAN_WORDS = [
    "Љубовија",
    "Њујорк",
    "Џак",
    "Ђорђевић",
    "Ћуприја",
    "Жабаљ",
    "Чачак",
    "Шабац",
    "џеп",
    "љубав",
    "њушка",
    "нађи",
    "Министарство унутрашњих послова",
    "Захтев за приступ информацијама од јавног значаја",
    "Повереник је објавио мишљење о процени утицаја.",
    "ЉУБОВИЈА",
    "НЕЗАВИСНОСТ",
    "МУП",
]


# Cyrillic → Latin


def test_cyrillic_to_latin_maps_the_whole_alphabet():
    cyrillic = "абвгдђежзијклљмнњопрстћуфхцчџш"
    latin = "abvgdđežzijklljmnnjoprstćufhcčdžš"
    assert cyrillic_to_latin(cyrillic) == latin
    assert cyrillic_to_latin(cyrillic.upper()) == latin.upper()


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубовија", "Ljubovija"),
        ("ЉУБОВИЈА", "LJUBOVIJA"),
        ("Њујорк", "Njujork"),
        ("ЊУЈОРК", "NJUJORK"),
        ("Џак", "Džak"),
        ("ЏАК", "DŽAK"),
        ("Ђорђевић", "Đorđević"),
        ("ЂОРЂЕВИЋ", "ĐORĐEVIĆ"),
        ("ШЉ", "ŠLJ"),  # a capital digraph at the end of an ALL-CAPS word
        ("Љ", "Lj"),
        ("Љ. Петровић", "Lj. Petrović"),
        ("Жабаљ, Чачак, Шабац, Ћуприја", "Žabalj, Čačak, Šabac, Ćuprija"),
    ],
)
def test_cyrillic_to_latin_capitalises_digraphs_like_the_word(cyrillic, latin):
    assert cyrillic_to_latin(cyrillic) == latin


def test_cyrillic_to_latin_leaves_everything_else_alone():
    text = 'Huawei, %(count)s, {{ x }}, <a href="/r/x/">ok</a> 2019. — „x“'
    assert cyrillic_to_latin(text) == text


# Latin → Cyrillic


@pytest.mark.parametrize("cyrillic", SERBIAN_WORDS)
def test_round_trip_cyrillic_latin_cyrillic(cyrillic):
    assert latin_to_cyrillic(cyrillic_to_latin(cyrillic)) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ljubovija", "Љубовија"),
        ("LJUBOVIJA", "ЉУБОВИЈА"),
        ("ljubav", "љубав"),
        ("Njujork", "Њујорк"),
        ("NJEGOŠ", "ЊЕГОШ"),
        ("Džak", "Џак"),
        ("DŽAK", "ЏАК"),
        ("džep", "џеп"),
        ("Đorđević", "Ђорђевић"),
        ("ǈubav ǌuška ǆep Ǆ", "Љубав њушка џеп Џ"),  # the Unicode ligatures
    ],
)
def test_latin_digraphs_become_one_letter(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("nadživeti", "надживети"),
        ("Nadživeti", "Надживети"),
        ("podžanr", "поджанр"),
        ("odžaliti", "оджалити"),
        ("injekcija", "инјекција"),
        ("Injekcija", "Инјекција"),
        ("konjunkcija", "конјункција"),
        ("konjugacija", "конјугација"),
        ("vanjezički", "ванјезички"),
        # ordinary words that start the same way still join their pairs
        ("odžak", "оџак"),
        ("konj", "коњ"),
        ("nadzor", "надзор"),
    ],
)
def test_known_words_where_a_latin_pair_is_two_letters(latin, cyrillic):
    assert latin_to_cyrillic(latin) == cyrillic


def test_rare_words_outside_the_known_list_are_best_effort():
    # "tanjir" is ordinary (тањир); "injunkcija" (in-junkcija, инјункција) is not
    # in the list and comes out wrong: a translator fixes such a word by hand.
    assert latin_to_cyrillic("tanjir") == "тањир"
    assert latin_to_cyrillic("injunkcija") == "ињункција"


@pytest.mark.parametrize(
    "kept",
    [
        "%(count)s",
        "%(date)s",
        "%s",
        "%d",
        "%.2f",
        "%%",
        "{name}",
        "{0}",
        "{}",
        "{{ var }}",
        "{{ record.title|default:'x' }}",
        "{% url 'records:home' %}",
        '<a href="https://nadzor.example/r/abc/" class="link" title="naslov">',
        "</a>",
        "<br>",
        "<!-- napomena -->",
        "&amp;",
        "&nbsp;",
        "&#8212;",
        "&#x2014;",
        "https://www.share-foundation.org/hiljade-kamera/",
        "http://example.org/a?b=c&d=e#f",
        "www.nadzor.rs",
        "mailto:info@nadzor.rs",
        "info@nadzor.rs",
        "ime.prezime+nadzor@primer.co.rs",
        "nadzor.rs",
        "export.jsonl",
        "/api/export.jsonl",
        "/sr-latn/",
        "`manage.py demo`",
        "Huawei",
        "Windows",
        "Markdown",
        "Twitter",
        "Müller",
        "iPhone",
        "GitHub",
        "JSON",
        "API",
        "FOI",
        "URL",
        "DPIA",
        "SHARE",
    ],
)
def test_placeholders_markup_addresses_and_foreign_words_are_untouched(kept):
    assert latin_to_cyrillic(kept) == kept
    assert latin_to_cyrillic(f"Vidi {kept} ovde.") == f"Види {kept} овде."


def test_serbian_acronyms_are_transliterated():
    assert latin_to_cyrillic("MUP i BIA") == "МУП и БИА"
    assert latin_to_cyrillic("ŠTAB") == "ШТАБ"  # an ALL-CAPS word with Š is Serbian


def test_a_sentence_with_placeholders_and_markup():
    latin = (
        'Zapis „%(title)s“ je objavljen: <a href="%(url)s">pogledajte ga</a> ili pišite '
        "na info@nadzor.rs &mdash; {count} izmena, {{ n }} veza, JSON API."
    )
    cyrillic = (
        'Запис „%(title)s“ је објављен: <a href="%(url)s">погледајте га</a> или пишите '
        "на info@nadzor.rs &mdash; {count} измена, {{ n }} веза, JSON API."
    )
    assert latin_to_cyrillic(latin) == cyrillic


def test_a_percent_sign_that_is_no_placeholder_does_not_protect_a_word():
    assert latin_to_cyrillic("100% sigurno, 50% kamera") == "100% сигурно, 50% камера"


def test_decomposed_latin_letters_transliterate_like_the_letters_they_look_like():
    decomposed = unicodedata.normalize("NFD", "Šabić i Đorđević, žalba")
    assert decomposed != "Šabić i Đorđević, žalba"
    assert latin_to_cyrillic(decomposed) == "Шабић и Ђорђевић, жалба"


def test_latin_to_cyrillic_leaves_cyrillic_digits_and_punctuation_alone():
    text = "Већ ћирилица: 1.000 камера (2019–2021) — „да“!"
    assert latin_to_cyrillic(text) == text
    assert latin_to_cyrillic("") == ""


# Writing the Cyrillic catalogue (read and written with polib)


SAMPLE_PO = r"""# Serbian translation.
#
msgid ""
msgstr ""
"Project-Id-Version: nadzor\n"
"Language: sr_Latn\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
"n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\n"

#: templates/base.html:25
msgid "Records"
msgstr "Zapisi"

#: templates/records/home.html:11
#, python-format
msgid "%(total)s published record"
msgid_plural "%(total)s published records"
msgstr[0] "%(total)s objavljen zapis"
msgstr[1] "%(total)s objavljena zapisa"
msgstr[2] "%(total)s objavljenih zapisa"

#. Translators: a long one
#: templates/records/home.html:6
msgid ""
"Nadzor keeps the public record — documents, freedom-of-information requests "
"and more."
msgstr ""
"Nadzor čuva javni trag — dokumente, zahteve za pristup informacijama i "
"\"ostalo\" na <a href=\"https://nadzor.example/\">nadzor.example</a>.\n"
"Ljubovija, Njegoš, Džak."

#, fuzzy
#| msgid "Old tag"
msgid "Tag"
msgstr "Oznaka"

msgctxt "month name"
msgid "May"
msgstr "maj"

#: templates/base.html:40
msgid "Download the archive (JSON Lines)"
msgstr "Preuzmite arhivu (JSON Lines)"

#~ msgid "Obsolete"
#~ msgstr "Zastarelo"
"""


def entries_of(path):
    """``{(obsolete, context, msgid): entry}`` of the PO file at ``path``."""
    return {(e.obsolete, e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}


def test_cyrillize_messages_writes_the_cyrillic_po(tmp_path):
    source = tmp_path / "sr_Latn.po"
    destination = tmp_path / "out" / "sr.po"
    source.write_text(SAMPLE_PO, encoding="utf-8")

    call_command("cyrillize_messages", source=source, destination=destination)

    catalogue = polib.pofile(str(destination))
    entries = entries_of(destination)
    assert catalogue.metadata["Language"] == "sr"
    assert catalogue.metadata["Project-Id-Version"] == "nadzor"
    assert catalogue.metadata["Plural-Forms"].startswith("nplurals=3; plural=(n%10==1")
    assert catalogue.header.startswith("Serbian translation.")
    assert entries[(False, None, "Records")].msgstr == "Записи"
    plural = entries[(False, None, "%(total)s published record")]
    assert plural.msgid_plural == "%(total)s published records"
    assert [plural.msgstr_plural[n] for n in range(3)] == [
        "%(total)s објављен запис",
        "%(total)s објављена записа",
        "%(total)s објављених записа",
    ]
    assert plural.flags == ["python-format"]
    long = entries[(False, None, "Nadzor keeps the public record — documents, "
                    "freedom-of-information requests and more.")]  # fmt: skip
    assert long.msgstr == (
        "Надзор чува јавни траг — документе, захтеве за приступ информацијама и "
        '"остало" на <a href="https://nadzor.example/">nadzor.example</a>.\n'
        "Љубовија, Његош, Џак."
    )
    assert long.comment == "Translators: a long one"
    assert long.occurrences == [("templates/records/home.html", "6")]
    fuzzy = entries[(False, None, "Tag")]
    assert fuzzy.fuzzy and fuzzy.previous_msgid == "Old tag"
    assert fuzzy.msgstr == "Ознака"
    assert entries[(False, "month name", "May")].msgstr == "мај"
    assert entries[(True, None, "Obsolete")].msgstr == "Застарело"
    # every msgid is kept, and nothing but the msgstrs and the language changed
    source = entries_of(tmp_path / "sr_Latn.po")
    assert set(source) == set(entries)
    for key, entry in source.items():
        assert (entry.msgid_plural, entry.occurrences, entry.flags, entry.comment) == (
            entries[key].msgid_plural,
            entries[key].occurrences,
            entries[key].flags,
            entries[key].comment,
        )


def test_cyrillize_messages_keeps_hand_made_cyrillic_and_checks(tmp_path):
    source = tmp_path / "sr_Latn.po"
    destination = tmp_path / "sr.po"
    source.write_text(SAMPLE_PO, encoding="utf-8")
    call_command("cyrillize_messages", source=source, destination=destination)
    call_command("cyrillize_messages", source=source, destination=destination, check=True)

    # "Lines" has only letters Serbian has too, so it came out as "Линес": fix it by hand.
    text = destination.read_text(encoding="utf-8")
    assert 'msgstr "Преузмите архиву (JSON Линес)"' in text
    text = text.replace(
        '#: templates/base.html:40\nmsgid "Download the archive (JSON Lines)"\n'
        'msgstr "Преузмите архиву (JSON Линес)"',
        "# cyrillize: keep (JSON Lines is a name)\n#: templates/base.html:40\n"
        'msgid "Download the archive (JSON Lines)"\nmsgstr "Преузмите архиву (JSON Lines)"',
    )
    destination.write_text(text, encoding="utf-8")

    call_command("cyrillize_messages", source=source, destination=destination)

    entry = entries_of(destination)[(False, None, "Download the archive (JSON Lines)")]
    assert entry.msgstr == "Преузмите архиву (JSON Lines)"
    assert entry.tcomment == "cyrillize: keep (JSON Lines is a name)"
    call_command("cyrillize_messages", source=source, destination=destination, check=True)

    # The Latin file changes and the command is not run: --check fails.
    source.write_text(SAMPLE_PO.replace('msgstr "Zapisi"', 'msgstr "Svi zapisi"'), "utf-8")
    with pytest.raises(CommandError, match=r"(?s)out of date.*'Records'"):
        call_command("cyrillize_messages", source=source, destination=destination, check=True)


def test_cyrillize_messages_reports_a_broken_po(tmp_path):
    source = tmp_path / "broken.po"
    source.write_text('msgid "a"\nmsgstr "b\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"broken.po:\d+: end-of-line within string"):
        call_command("cyrillize_messages", source=source, destination=tmp_path / "out.po")
    assert not (tmp_path / "out.po").exists()
