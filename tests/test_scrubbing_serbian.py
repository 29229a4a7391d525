"""Scrubbing that knows Serbian (issue #14): a requester's name in every grammatical case,
in both scripts, with and without diacritics, their postal address and their e-mail
address in obfuscated forms are taken out of text; ordinary words and a body's own
address stay.

The declension table below was written out by hand from Serbian grammar (not generated
by the library the code uses), so it tests ``deklinacija`` and our handling of it.
"""

import pytest
from django.utils.translation import override

from records.core import placeholders
from records.core.transliteration import latin_to_cyrillic
from records.foi import identity as ids
from records.foi.scrubbing import scrub_with as stored_scrub


def scrub_with(text, identity, **kwargs):
    """The scrubbed text as an English reader reads it: the stored text holds
    language-neutral markers (``records.core.placeholders``)."""
    return placeholders.render(stored_scrub(text, identity, **kwargs))


CASES = ("nominative", "genitive", "dative", "accusative", "vocative", "instrumental", "locative")

# For each full name, the seven cases (N, G, D, A, V, I, L) of its first name, then of its
# surname, written out by hand. A woman's surname in -ić or a consonant does not decline.
TABLE = """
Petar Realdatić  | Petar Petra Petru Petra Petre Petrom Petru
                 | Realdatić Realdatića Realdatiću Realdatića Realdatiću Realdatićem Realdatiću
Marko Jovanović  | Marko Marka Marku Marka Marko Markom Marku
                 | Jovanović Jovanovića Jovanoviću Jovanovića Jovanoviću Jovanovićem Jovanoviću
Nikola Tesla     | Nikola Nikole Nikoli Nikolu Nikola Nikolom Nikoli
                 | Tesla Tesle Tesli Teslu Teslo Teslom Tesli
Miloš Kovačević  | Miloš Miloša Milošu Miloša Milošu Milošem Milošu
                 | Kovačević Kovačevića Kovačeviću Kovačevića Kovačeviću Kovačevićem Kovačeviću
Đorđe Nikolić    | Đorđe Đorđa Đorđu Đorđa Đorđe Đorđem Đorđu
                 | Nikolić Nikolića Nikoliću Nikolića Nikoliću Nikolićem Nikoliću
Aleksandar Savić | Aleksandar Aleksandra Aleksandru Aleksandra Aleksandre Aleksandrom Aleksandru
                 | Savić Savića Saviću Savića Saviću Savićem Saviću
Stefan Kovačevski| Stefan Stefana Stefanu Stefana Stefane Stefanom Stefanu
                 | Kovačevski Kovačevskog Kovačevskom Kovačevskog Kovačevski Kovačevskim Kovačevskom
Ivan Petrov      | Ivan Ivana Ivanu Ivana Ivane Ivanom Ivanu
                 | Petrov Petrova Petrovu Petrova Petrove Petrovom Petrovu
Jelena Marković  | Jelena Jelene Jeleni Jelenu Jeleno Jelenom Jeleni
                 | Marković Marković Marković Marković Marković Marković Marković
Milica Petrović  | Milica Milice Milici Milicu Milice Milicom Milici
                 | Petrović Petrović Petrović Petrović Petrović Petrović Petrović
Dragana Stojković| Dragana Dragane Dragani Draganu Dragana Draganom Dragani
                 | Stojković Stojković Stojković Stojković Stojković Stojković Stojković
Jasmina Kovač    | Jasmina Jasmine Jasmini Jasminu Jasmina Jasminom Jasmini
                 | Kovač Kovač Kovač Kovač Kovač Kovač Kovač
"""


def declension_table():
    """``{full name: [first name's cases, surname's cases]}`` from ``TABLE``."""
    table, name = {}, None
    for line in TABLE.strip().splitlines():
        label, forms = (cell.strip() for cell in line.split("|"))
        name = label or name
        table.setdefault(name, []).append(forms.split())
    return table


DECLENSIONS = declension_table()

SENTENCE = "Poštovani {form}, u vezi sa Vašim zahtevom obaveštavamo Vas o sledećem."


def identity_for(real_name="", postal_address="", emails=()):
    stored = ids.new_identity()
    ids.add_forms(
        stored, ids.forms_of(real_name=real_name, postal_address=postal_address, emails=emails)
    )
    return ids.Identity(stored)


def fold(text):
    return text.translate(str.maketrans("čćšžđČĆŠŽĐ", "ccszdCCSZD"))


def spellings(form):
    """A form as a body may write it: Latin, Cyrillic, no diacritics, capitals."""
    return {form, latin_to_cyrillic(form), fold(form), form.upper()}


def table_rows():
    for name, parts in DECLENSIONS.items():
        for index, case in enumerate(CASES):
            yield pytest.param(name, parts, index, id=f"{name}-{case}")


@pytest.mark.parametrize(("name", "parts", "index"), list(table_rows()))
def test_every_case_of_a_name_in_both_scripts_and_without_diacritics_is_replaced(
    name, parts, index
):
    identity = identity_for(name)
    full = " ".join(part[index] for part in parts)
    forms = [full, " ".join(reversed(full.split()))]
    forms += [part[index] for part in parts if len(part[index]) >= ids.MIN_ALONE]
    for form in forms:
        for written in spellings(form):
            text = scrub_with(SENTENCE.format(form=written), identity)
            assert text == SENTENCE.format(form="[requester]"), (written, text)


def test_a_name_broken_across_lines_or_by_a_hyphen_is_replaced():
    identity = identity_for("Petar Realdatić")
    for written in ("Petar\nRealdatić", "Petru\r\n   Realdatiću", "Petar Real-\ndatić"):
        assert scrub_with(f"Gospodin {written} je tražio", identity) == (
            "Gospodin [requester] je tražio"
        )


def test_a_short_first_name_is_replaced_only_next_to_the_surname():
    identity = identity_for("Ana Anić")
    assert scrub_with("Poštovana Ani Anić,", identity) == "Poštovana [requester],"
    assert scrub_with("Анић Ана", identity) == "[requester]"
    # "ana" and "ani" are syllables and words of other names: alone they stay.
    assert scrub_with("Ana Brnabić i ani", identity) == "Ana Brnabić i ani"


def test_the_postal_address_in_either_script_is_replaced_but_not_the_bodys_city():
    identity = identity_for("Petar Realdatić", "Bulevar kralja Aleksandra 73/5\n11000 Beograd")
    for written in (
        "Bulevar kralja Aleksandra 73/5, 11000 Beograd",
        "Булевар краља Александра 73/5, 11000 Београд",
        "bulevar kralja aleksandra br. 73/5",
        "Bulevar kralja\nAleksandra 73/5",
    ):
        assert scrub_with(f"Adresa: {written}.", identity) == "Adresa: [requester's address].", (
            written
        )
    letterhead = "MUP Srbije, Kneza Miloša 103, 11000 Beograd"
    assert scrub_with(letterhead, identity) == letterhead


def test_obfuscated_e_mail_addresses_are_replaced():
    identity = identity_for("Petar Realdatić", emails=["p.realdatic85@example.org"])
    for written in (
        "p.realdatic85@example.org",
        "P.Realdatic85@Example.org",
        "p.realdatic85(at)example.org",
        "p.realdatic85 [at] example [dot] org",
        "p.realdatic85 at example dot org",
        "p.realdatic85 @ example . org",
    ):
        text = scrub_with(f"Pisali ste sa {written}. Hvala.", identity)
        assert text == "Pisali ste sa [requester's e-mail address]. Hvala.", (written, text)
    other = "Pišite na pisarnica@mup.gov.rs ili pisarnica(at)mup.gov.rs."
    assert scrub_with(other, identity) == other


def test_a_file_name_loses_the_name_and_address():
    identity = identity_for("Petar Realdatić", "Ulica 1\n11000 Beograd")
    assert scrub_with("Resenje Petar Realdatić Ulica 1.pdf", identity) == (
        "Resenje [requester] [requester's address].pdf"
    )


def test_the_stored_identity_holds_no_readable_name_or_address():
    stored = ids.new_identity()
    ids.add_forms(
        stored,
        ids.forms_of(
            real_name="Petar Realdatić", postal_address="Ulica 1", emails=["petar@example.org"]
        ),
    )
    dump = str(stored).lower()
    for secret in ("petar", "realdati", "ulica", "example"):
        assert secret not in dump
    # Another request of the same person has another salt: the hashes do not link them.
    other = ids.new_identity()
    ids.add_forms(other, ids.forms_of(real_name="Petar Realdatić"))
    assert not set(stored["forms"]) & set(other["forms"])


def test_ordinary_text_is_left_alone():
    identity = identity_for("Petar Realdatić", "Ulica 1\n11000 Beograd", ["petar@example.org"])
    text = (
        "Rešenjem br. 07-00-123/2019-05 od 12. 3. 2019. Ministarstvo unutrašnjih poslova, "
        "Kneza Miloša 103, 11000 Beograd, odbija zahtev. Predsednik Petrovaradina."
    )
    assert scrub_with(text, identity) == text


def test_foreign_names_with_apostrophes_and_hyphens_are_replaced():
    identity = identity_for("Seán O'Brien-Marić")
    text = "Dear Mr O’Brien-Marić, Mr O'Brien and Gospodinu Mariću."
    assert scrub_with(text, identity) == (
        "Dear Mr [requester], Mr [requester] and Gospodinu [requester]."
    )


def test_a_long_unbroken_text_is_scrubbed_in_linear_time():
    """A 200 kB run of dots and letters (a pasted base64 blob) does not make the e-mail
    pattern backtrack: the result is checked, the speed is in bench/."""
    identity = identity_for("Petar Realdatić", emails=["petar@example.org"])
    blob = "a." * 100_000 + " petar(at)example.org"
    assert scrub_with(blob, identity).endswith(" [requester's e-mail address]")


def test_what_is_taken_out_is_stored_as_markers_read_in_each_readers_language():
    identity = identity_for("Petar Realdatić", "Ulica 1, Beograd", ["petar@example.org"])
    stored = stored_scrub(
        "Poštovani Petre Realdatiću, Ulica 1, Beograd (petar [at] example [dot] org)", identity
    )
    assert stored == ("Poštovani ⟦requester⟧, ⟦requester-address⟧ (⟦requester-email⟧)"), stored
    with override("en"):
        assert placeholders.render(stored) == (
            "Poštovani [requester], [requester's address] ([requester's e-mail address])"
        )
    with override("sr-latn"):
        assert placeholders.render(stored) == (
            "Poštovani [tražilac], [adresa tražioca] ([adresa e-pošte tražioca])"
        )
    with override("sr"):
        assert "[адреса тражиоца]" in placeholders.render(stored)
