"""A reproducible synthetic corpus of Nadzor records, for the search benchmark.

    uv run python bench/corpus.py 1000 --seed 1 > corpus.jsonl

prints N records in the JSON Lines form of ``records.records.interchange`` (one object a line).
The same ``(N, seed)`` always gives the same records, and record ``i`` does not depend on
N or on how the range is split into chunks: every record draws from its own generator,
seeded from ``(seed, i)``, so ``bench/search.py load`` can build records in parallel.

The vocabulary is meant to make a search index work the way a real one does:

- **Zipf.** Content words are drawn from a Zipf distribution (exponent ``ZIPF_S``) over
  40,000 Serbian and 20,000 English lemmas: a few hundred real words at the head, then
  made-up stems built from Serbian (or English) syllables. One content token in a
  hundred comes instead from a long tail of 60,000 Serbian and 30,000 English rare
  lemmas, each in about 0.002 % of records. About a third of the tokens are function
  words (i, u, je, da / the, of, and).
- **Inflection.** Every Serbian lemma has a declension or conjugation class and is
  written in one of its forms (kamera, kamere, kameri, kameru, kamerom, kamerama), so a
  query has to be stemmed to find it. English lemmas get -s / -ed / -ing.
- **Scripts.** 45 % of records are Serbian in Latin script, 30 % Serbian in Cyrillic
  (the Latin text converted word by word with ``records.core.transliteration.latin_to_cyrillic``),
  25 % English.
- **Domain terms** (``DOMAIN``) are put into a record with a fixed probability each, so
  their document frequency is known: some are in 20-30 % of records (nadzor, kamere, MUP,
  Beograd, podaci), some in about 1 % (Šabić, Đorđević, biometrija), some in fewer than
  0.01 % (Pegasus, Cellebrite).

``Corpus.query_terms`` picks, from the same model, words whose *expected* document
frequency falls in a band, which is how the benchmark builds its query classes.
"""

import argparse
import bisect
import datetime
import functools
import itertools
import json
import math
import random
import sys
from dataclasses import dataclass

ZIPF_S = 1.07
SERBIAN_LEMMAS = 40_000
ENGLISH_LEMMAS = 20_000
SERBIAN_TAIL = 60_000
ENGLISH_TAIL = 30_000
TAIL_SHARE = 0.01
FUNCTION_SHARE = 0.34
LANGUAGES = (("sr-Latn", 0.45), ("sr-Cyrl", 0.30), ("en", 0.25))
KINDS = (("document", 0.40), ("foi_request", 0.25), ("statement", 0.20), ("response", 0.15))
N_TAGS = 300
N_ACTORS = 2_000

# -- words --------------------------------------------------------------------------

SR_FUNCTION = [
    "i",
    "u",
    "je",
    "da",
    "se",
    "na",
    "za",
    "od",
    "sa",
    "ne",
    "su",
    "što",
    "to",
    "kao",
    "iz",
    "o",
    "a",
    "ali",
    "ili",
    "po",
    "koji",
    "koja",
    "koje",
    "bi",
    "će",
    "biti",
    "bio",
    "bilo",
    "kada",
    "ova",
    "ovaj",
    "tog",
    "tom",
    "nije",
    "već",
    "samo",
    "prema",
    "kroz",
    "do",
    "pre",
    "posle",
    "između",
    "pod",
    "nad",
    "jer",
    "ako",
    "kako",
    "gde",
    "sve",
    "svi",
    "još",
    "može",
    "mogu",
    "treba",
    "ima",
    "nema",
    "ga",
    "mu",
    "njihov",
    "njegov",
    "takođe",
    "odnosno",
    "zbog",
    "tokom",
    "radi",
    "koliko",
    "više",
    "manje",
]
EN_FUNCTION = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "was",
    "are",
    "it",
    "be",
    "this",
    "from",
    "at",
    "or",
    "has",
    "have",
    "not",
    "which",
    "an",
    "were",
    "its",
    "their",
    "also",
    "but",
    "been",
    "had",
    "will",
    "would",
    "can",
    "they",
    "more",
    "after",
    "about",
    "than",
    "other",
    "into",
    "there",
    "when",
    "all",
    "who",
    "only",
    "over",
    "such",
    "some",
    "these",
    "those",
    "may",
]

# Serbian endings by class: (ending, weight). The stem is the lemma minus its ending.
SR_CLASSES = {
    # zahtev, zahteva, zahtevu, zahtevom, zahtevi, zahteve, zahtevima
    "m": (("", 5), ("a", 5), ("u", 3), ("om", 2), ("i", 3), ("e", 2), ("ima", 2)),
    # kamera, kamere, kameri, kameru, kamerom, kamerama
    "f": (("a", 5), ("e", 5), ("i", 2), ("u", 3), ("om", 2), ("ama", 2)),
    # pravo / pitanje: -o or -e in the lemma
    "n": (("o", 5), ("a", 5), ("u", 3), ("om", 2), ("ima", 2)),
    "ne": (("e", 5), ("a", 5), ("u", 3), ("em", 2), ("ima", 2)),
    # javni, javna, javno, javnog, javnom, javne, javnih, javnim, javnu
    "adj": (
        ("i", 5),
        ("a", 4),
        ("o", 3),
        ("og", 3),
        ("om", 2),
        ("e", 3),
        ("ih", 3),
        ("im", 2),
        ("u", 2),
        ("oj", 2),
    ),
    # tražiti, traži, traže, tražio, tražila, tražili, tražimo
    "vi": (("iti", 3), ("i", 4), ("e", 3), ("io", 3), ("ila", 2), ("ili", 3), ("imo", 1)),
    # objavljivati style -ati verbs: pisati... here regular ones: postavljati
    "va": (("ati", 3), ("a", 4), ("aju", 3), ("ao", 3), ("ala", 2), ("ali", 3), ("amo", 1)),
}
EN_CLASSES = {
    "n": (("", 6), ("s", 4)),
    "v": (("", 4), ("s", 2), ("ed", 3), ("ing", 2)),
    "a": (("", 1),),
}

# Real Serbian content words (lemma stem, class), at the head of the Zipf ranking.
SR_REAL = {
    "m": "zakon grad sistem sud ugovor predmet rok odgovor dokument izveštaj pristup organ "
    "član savet nalog broj prostor rad uređaj softver servis trg put problem razlog "
    "slučaj nadležan proces rezultat period plan cilj smisao stav izbor propis osnov "
    "podatak kontekst nivo deo model predlog razgovor zaključak dogovor",
    "f": "odluk vlad uprav služb opštin ulic mrež baz oprem analiz nabavk kontrol primen "
    "zaštit obrad tehnologij adres jedinic institucij agencij organizacij komisij "
    "skupštin strank lokacij procen sednic naredb presud tužb pretrag "
    "infrastruktur strategij evidencij dozvol kazn mer snag nedelj godin",
    "n": "prav mest telo sredstv ministarstv preduzeć",
    "ne": "pitanj rešenj snimanj prepoznavanj istraživanj obaveštenj saopštenj mišljenj "
    "odobrenj ovlašćenj postavljanj korišćenj praćenj upozorenj izvešć",
    "adj": "javn lični nov državn gradsk policijsk bezbednosn tehničk pravn nadležn "
    "zvanič ustavn elektronsk digitaln privatn srpsk evropsk kinesk posebn ceo "
    "jasn važn velik mal ukupn",
    "vi": "traž dostav objav odb odgovor korist postav prover potvrd zatraž "
    "obavest uključ ispit naruš izjav",
    "va": "instalir prikupl obrađiv analizir snim sprovod prat koment finansir",
}
EN_REAL = {
    "n": "government ministry city system law court report decision contract citizen "
    "information access privacy protection technology company project installation "
    "footage analysis document response letter official statement minister agreement "
    "procurement security right human authority commissioner network database "
    "equipment software location camera policy regulation council office budget year "
    "month police street square question answer study investigation evidence",
    "v": "request install collect process publish refuse respond use confirm deny "
    "claim report monitor record announce review ask appeal order analyse",
    "a": "public personal new national local legal digital private serbian european "
    "chinese official biometric technical constitutional independent unlawful",
}

SR_ONSETS = [
    "b",
    "c",
    "č",
    "ć",
    "d",
    "đ",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "lj",
    "m",
    "n",
    "nj",
    "p",
    "r",
    "s",
    "š",
    "t",
    "v",
    "z",
    "ž",
    "br",
    "dr",
    "gr",
    "kr",
    "pr",
    "tr",
    "st",
    "sl",
    "sv",
    "zv",
    "pl",
    "kl",
    "sk",
    "sp",
    "dž",
]
SR_VOWELS = ["a", "e", "i", "o", "u", "a", "e", "i", "o"]
SR_CODAS = ["n", "r", "l", "s", "k", "t", "v", "m", "j"]
EN_ONSETS = [
    "b",
    "c",
    "d",
    "f",
    "g",
    "h",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "w",
    "br",
    "cl",
    "cr",
    "fl",
    "gr",
    "pl",
    "pr",
    "st",
    "str",
    "th",
    "tr",
    "sh",
    "ch",
]
EN_VOWELS = ["a", "e", "i", "o", "u", "ea", "ou", "ai", "ee", "oo"]
EN_CODAS = ["n", "r", "l", "s", "t", "st", "nd", "rt", "ck", "m", "ng"]


@dataclass(frozen=True)
class Term:
    """A domain term: its forms in Serbian (Latin) and English, and how often it occurs.

    ``p`` is the probability that a record contains it; ``kinds`` multiplies that for a
    kind of record (an FOI request says "zahtev" far more often than a statement).
    """

    key: str
    sr: tuple[str, ...]
    en: tuple[str, ...]
    p: float
    kinds: tuple[tuple[str, float], ...] = ()

    def probability(self, kind):
        return min(1.0, self.p * dict(self.kinds).get(kind, 1.0))


def _t(key, sr, en, p, **kinds):
    return Term(key, tuple(sr.split("|")), tuple(en.split("|")), p, tuple(kinds.items()))


DOMAIN = (
    # In 20 % of records or more.
    _t("nadzor", "nadzor|nadzora|nadzoru|nadzorom", "surveillance", 0.30),
    _t("kamera", "kamera|kamere|kamerama|kameru|kamerom|kameri", "camera|cameras", 0.27),
    _t(
        "mup",
        "MUP|MUP-a|Ministarstvo unutrašnjih poslova|Ministarstva unutrašnjih poslova",
        "Ministry of Interior|MUP",
        0.22,
    ),
    _t("beograd", "Beograd|Beograda|Beogradu|Beogradom", "Belgrade", 0.24),
    _t("podaci", "podaci|podataka|podatke|podacima", "data", 0.22),
    _t(
        "zahtev",
        "zahtev|zahteva|zahtevu|zahtevom|zahtevi",
        "request|requests",
        0.12,
        foi_request=4.0,
    ),
    _t("policija", "policija|policije|policiji|policiju", "police", 0.20),
    # A few percent.
    _t("prepoznavanje", "prepoznavanje lica|prepoznavanja lica", "facial recognition", 0.08),
    _t("huawei", "Huawei|Huawei-a|Huaweiom", "Huawei", 0.06),
    _t("safecity", "Safe City|Sigurni grad", "Safe City", 0.05),
    _t("zalba", "žalba|žalbe|žalbu|žalbom", "appeal|appeals", 0.03, foi_request=4.0),
    _t("poverenik", "Poverenik|Poverenika|Povereniku|Poverenikom", "Commissioner", 0.05),
    _t("zastita", "zaštita podataka|zaštite podataka|zaštitu podataka", "data protection", 0.05),
    _t("videonadzor", "video nadzor|video nadzora|video nadzoru", "video surveillance", 0.05),
    _t("javniprostor", "javni prostor|javnom prostoru|javnog prostora", "public space", 0.03),
    _t(
        "zspi",
        "Zakon o slobodnom pristupu informacijama|slobodan pristup informacijama",
        "Freedom of Information Act|freedom of information",
        0.03,
        foi_request=3.0,
    ),
    # About 1 %.
    _t("sabic", "Šabić|Šabića|Šabiću|Šabićem", "Šabić", 0.010),
    _t("djordjevic", "Đorđević|Đorđevića|Đorđeviću", "Đorđević", 0.011),
    _t(
        "biometrija",
        "biometrija|biometrije|biometrijski|biometrijskih",
        "biometric|biometrics",
        0.012,
    ),
    _t("procena", "procena uticaja|procene uticaja|procenu uticaja", "impact assessment", 0.010),
    _t("share", "SHARE Fondacija|SHARE Fondacije", "SHARE Foundation", 0.010),
    _t("hikvision", "Hikvision|Hikvisiona", "Hikvision", 0.009),
    _t("zzpl", "ZZPL|Zakon o zaštiti podataka o ličnosti", "Personal Data Protection Act", 0.012),
    _t("dpia", "DPIA", "DPIA", 0.008),
    # Fewer than 0.01 %.
    _t("pegasus", "Pegasus|Pegasusa", "Pegasus", 0.00006),
    _t("cellebrite", "Cellebrite|Cellebritea", "Cellebrite", 0.00005),
    _t("palantir", "Palantir|Palantira", "Palantir", 0.00004),
    _t("dahua", "Dahua|Dahue", "Dahua", 0.00008),
    _t("clearview", "Clearview", "Clearview", 0.00003),
    _t("imsi", "IMSI hvatač|IMSI hvatača", "IMSI catcher", 0.00005),
)

TOWNS = [
    "Beograd",
    "Novi",
    "Sad",
    "Niš",
    "Kragujevac",
    "Subotica",
    "Zrenjanin",
    "Pančevo",
    "Čačak",
    "Kraljevo",
    "Novi",
    "Pazar",
    "Smederevo",
    "Leskovac",
    "Užice",
    "Vranje",
    "Valjevo",
    "Šabac",
    "Sombor",
    "Požarevac",
    "Pirot",
    "Zaječar",
    "Kikinda",
    "Sremska",
    "Mitrovica",
    "Jagodina",
    "Vršac",
    "Bor",
    "Prokuplje",
    "Loznica",
    "Ćuprija",
    "Aranđelovac",
    "Paraćin",
    "Obrenovac",
    "Lazarevac",
    "Mladenovac",
    "Zemun",
    "Palilula",
    "Zvezdara",
    "Voždovac",
    "Čukarica",
    "Rakovica",
    "Vračar",
    "Savski",
    "venac",
    "Stari",
    "grad",
    "Surčin",
    "Grocka",
    "Barajevo",
    "Sopot",
    "Inđija",
    "Ruma",
    "Stara",
    "Pazova",
    "Bačka",
    "Palanka",
    "Vrbas",
    "Bečej",
    "Senta",
    "Kanjiža",
    "Apatin",
    "Kula",
    "Temerin",
    "Titel",
    "Žabalj",
    "Knjaževac",
    "Negotin",
    "Kladovo",
    "Majdanpek",
    "Aleksinac",
    "Svrljig",
    "Soko",
    "Banja",
    "Kuršumlija",
    "Blace",
    "Trstenik",
    "Kruševac",
    "Varvarin",
    "Ivanjica",
    "Arilje",
    "Požega",
    "Kosjerić",
    "Bajina",
    "Bašta",
    "Priboj",
    "Prijepolje",
    "Sjenica",
    "Tutin",
    "Raška",
    "Vrnjačka",
    "Banja",
    "Gornji",
    "Milanovac",
    "Lajkovac",
    "Ljig",
    "Mionica",
    "Ub",
    "Osečina",
]
FIRST_NAMES = [
    "Milan",
    "Marko",
    "Nikola",
    "Stefan",
    "Aleksandar",
    "Nemanja",
    "Dragan",
    "Zoran",
    "Vladimir",
    "Ivan",
    "Miloš",
    "Dušan",
    "Jovan",
    "Petar",
    "Bojan",
    "Goran",
    "Nenad",
    "Dejan",
    "Vesna",
    "Jelena",
    "Marija",
    "Milica",
    "Ana",
    "Ivana",
    "Tijana",
    "Snežana",
    "Dragana",
    "Jasmina",
    "Danijela",
    "Sanja",
    "Tamara",
    "Maja",
    "Katarina",
    "Biljana",
    "Gordana",
    "Branka",
    "Ljiljana",
    "Nataša",
    "Svetlana",
    "Radmila",
    "Đorđe",
    "Luka",
    "Filip",
    "Vuk",
    "Lazar",
    "Uroš",
    "Strahinja",
    "Teodora",
    "Sofija",
    "Anđela",
    "Nevena",
    "Mirjana",
    "Slobodan",
    "Rodoljub",
    "Branislav",
    "Vojislav",
    "Predrag",
    "Srđan",
]
LAST_NAMES = [
    "Jovanović",
    "Petrović",
    "Nikolić",
    "Marković",
    "Đorđević",
    "Stojanović",
    "Ilić",
    "Stanković",
    "Pavlović",
    "Milošević",
    "Popović",
    "Đokić",
    "Živković",
    "Todorović",
    "Kostić",
    "Ristić",
    "Milovanović",
    "Mitrović",
    "Savić",
    "Lazić",
    "Vasić",
    "Tomić",
    "Kovačević",
    "Radović",
    "Filipović",
    "Lukić",
    "Obradović",
    "Janković",
    "Perić",
    "Simić",
    "Krstić",
    "Marinković",
    "Stević",
    "Mladenović",
    "Antić",
    "Babić",
    "Vuković",
    "Gajić",
    "Bogdanović",
    "Šabić",
    "Ćirić",
    "Čolić",
    "Šarić",
    "Žarković",
    "Mihajlović",
    "Aleksić",
    "Nedeljković",
    "Stojković",
    "Jović",
    "Despotović",
    "Ranković",
    "Dimitrijević",
    "Milenković",
    "Radosavljević",
    "Veselinović",
    "Zdravković",
]
PUBLIC_BODIES = (
    "Ministarstvo unutrašnjih poslova|Vlada Republike Srbije|Grad Beograd|Narodna skupština"
    "|Poverenik za informacije od javnog značaja i zaštitu podataka o ličnosti|Ustavni sud"
    "|Upravni sud|Zaštitnik građana|Policijska uprava za grad Beograd|Ministarstvo pravde"
    "|Bezbednosno-informativna agencija|Ministarstvo finansija|Kancelarija za javne nabavke"
    "|Kancelarija za informacione tehnologije i elektronsku upravu|Državna revizorska institucija"
    "|Ministarstvo državne uprave i lokalne samouprave|Sekretarijat za saobraćaj"
)
COMPANIES = "Huawei|Hikvision|Dahua|Telekom Srbija|Huawei Technologies Srbija|Vivo Systems"
CIVIL_SOCIETY = (
    "SHARE Fondacija|Partneri Srbija|CRTA|BIRN Srbija|Beogradski centar za ljudska prava"
    "|Transparentnost Srbija|Inicijativa Hiljade kamera|Beogradski centar za bezbednosnu politiku"
    "|Komitet pravnika za ljudska prava|Fondacija Slavko Ćuruvija"
)
REAL_TAGS = (
    "nadzor|kamere|prepoznavanje lica|Safe City|Huawei|biometrija|zaštita podataka|privatnost"
    "|slobodan pristup informacijama|javne nabavke|policija|Beograd|ljudska prava"
    "|procena uticaja|Poverenik|zakonodavstvo|ustavnost|Kina|saobraćaj|lokalna samouprava"
    "|mediji|transparentnost|bezbednost|tehnologija|sudski postupak|žalba|odbijen zahtev"
    "|delimično odgovoreno|bez odgovora|EU integracije|Nacrt zakona o unutrašnjim poslovima"
    "|video nadzor|javni prostor|protesti|novinari|građanske slobode"
)
VENUES = [
    "Narodna skupština",
    "konferencija za medije",
    "RTS",
    "TV Pink",
    "N1",
    "saopštenje za javnost",
    "Instagram",
    "X (Twitter)",
    "gostovanje na televiziji",
    "intervju za Politiku",
]
DOCUMENT_TYPES = [
    "law",
    "rulebook",
    "draft_law",
    "agreement",
    "report",
    "analysis",
    "case_study",
    "press_release",
    "letter",
    "decision",
    "other",
]
RESPONSE_TYPES = ["analysis", "opinion", "inspection", "open_letter", "article", "appeal", "other"]


# -- helpers ------------------------------------------------------------------------


def _weighted(rng, pairs):
    """One value from ``((value, weight), ...)``."""
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def _expand(pairs, slots=24):
    """A list in which each value appears in proportion to its weight: pick with one
    random index instead of a weighted draw."""
    total = sum(w for _v, w in pairs)
    out = []
    for value, weight in pairs:
        out.extend([value] * max(1, round(slots * weight / total)))
    return out


def _zipf_cum_weights(n, s=ZIPF_S):
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


@functools.lru_cache(maxsize=300_000)
def _cyrillic(word):
    from records.core.transliteration import latin_to_cyrillic

    return latin_to_cyrillic(word)


def _word(rng, syllables, onsets, vowels, codas, coda_p):
    """A made-up stem: after a closed syllable the next one starts with one consonant."""
    out, closed = [], False
    for _ in range(syllables):
        onset = rng.choice(onsets)
        while closed and len(onset) > 1 and onset not in ("lj", "nj", "dž"):
            onset = rng.choice(onsets)
        out.append(onset + rng.choice(vowels))
        closed = rng.random() < coda_p
        if closed:
            out.append(rng.choice(codas))
    return "".join(out)


class _Lexicon:
    """Lemmas of one language: ``forms[i]`` is a list to pick a form from uniformly.

    The first ``head`` lemmas follow the Zipf distribution; the rest are a long tail of
    rare words, each as likely as the next, that make up ``TAIL_SHARE`` of the tokens
    (a real archive keeps meeting words it has seen only a handful of times).
    """

    def __init__(self, forms, bases, head):
        self.forms = forms
        self.bases = bases
        self.head = head
        self.tail = len(forms) - head
        self.cum_weights = _zipf_cum_weights(head)
        self.total = self.cum_weights[-1]
        self.n = len(forms)

    def sample(self, rng, k):
        """``k`` lemma indexes: Zipf over the head, uniform over the tail."""
        cw, total, hi, rand = self.cum_weights, self.total, self.head - 1, rng.random
        head, tail, share = self.head, self.tail, TAIL_SHARE
        out = []
        for _ in range(k):
            roll = rand()
            if roll < share:
                out.append(head + int(roll / share * tail))
            else:
                out.append(bisect.bisect(cw, rand() * total, 0, hi))
        return out

    def probability(self, index):
        """The chance that one content token is lemma ``index``."""
        if index >= self.head:
            return TAIL_SHARE / self.tail
        previous = self.cum_weights[index - 1] if index else 0.0
        return (1 - TAIL_SHARE) * (self.cum_weights[index] - previous) / self.total


def _serbian_lexicon(rng, n):
    seen, forms, bases = set(), [], []

    def add(stem, cls):
        lemma_forms = [stem + ending for ending, _w in SR_CLASSES[cls]]
        if stem in seen or any(f in seen for f in lemma_forms):
            return
        seen.add(stem)
        seen.update(lemma_forms)
        forms.append(_expand([(stem + e, w) for e, w in SR_CLASSES[cls]]))
        bases.append(lemma_forms[0])

    real = [(stem, cls) for cls, stems in SR_REAL.items() for stem in stems.split()]
    rng.shuffle(real)
    for stem, cls in real:
        add(stem, cls)
    classes = _expand(
        [("m", 30), ("f", 25), ("n", 5), ("ne", 8), ("adj", 17), ("vi", 8), ("va", 7)]
    )
    while len(forms) < n:
        cls = rng.choice(classes)
        stem = _word(rng, rng.randint(2, 3), SR_ONSETS, SR_VOWELS, SR_CODAS, 0.2)
        if cls == "m" and stem[-1] in "aeiou":
            stem += rng.choice(SR_CODAS)
        elif cls in ("adj", "vi", "va", "f", "n", "ne") and stem[-1] in "aeiou":
            stem = stem[:-1] + rng.choice("knlrtvsm")
        add(stem, cls)
    # The real words get the head of the ranking, in shuffled order, then the rest.
    return forms, bases


def _english_form(stem, ending):
    """``stem`` + ``ending`` with English spelling: cities, uses, used, using, boxes."""
    if ending == "s":
        if stem.endswith("y") and stem[-2:-1] not in "aeiou":
            return stem[:-1] + "ies"
        if stem.endswith(("s", "sh", "ch", "x")):
            return stem + "es"
    elif ending in ("ed", "ing") and stem.endswith("e"):
        return stem[:-1] + ending
    elif ending == "ed" and stem.endswith("y") and stem[-2:-1] not in "aeiou":
        return stem[:-1] + "ied"
    return stem + ending


def _english_lexicon(rng, n):
    seen, forms, bases = set(), [], []

    def add(stem, cls):
        if stem in seen:
            return
        seen.add(stem)
        endings = EN_CLASSES[cls]
        forms.append(_expand([(_english_form(stem, e), w) for e, w in endings]))
        bases.append(stem)

    real = [(stem, cls) for cls, stems in EN_REAL.items() for stem in stems.split()]
    rng.shuffle(real)
    for stem, cls in real:
        add(stem, cls)
    classes = _expand([("n", 55), ("v", 30), ("a", 15)])
    while len(forms) < n:
        stem = _word(rng, rng.randint(1, 3), EN_ONSETS, EN_VOWELS, EN_CODAS, 0.4)
        if len(stem) >= 4:
            add(stem, rng.choice(classes))
    return forms, bases


# -- the corpus ---------------------------------------------------------------------


class Corpus:
    """The synthetic archive for one seed: vocabulary, actors, tags, and records."""

    def __init__(self, seed=1):
        self.seed = seed
        rng = random.Random(f"nadzor-bench-vocabulary-{seed}")
        sr_forms, sr_bases = _serbian_lexicon(rng, SERBIAN_LEMMAS + SERBIAN_TAIL)
        en_forms, en_bases = _english_lexicon(rng, ENGLISH_LEMMAS + ENGLISH_TAIL)
        self.sr = _Lexicon(sr_forms, sr_bases, SERBIAN_LEMMAS)
        self.en = _Lexicon(en_forms, en_bases, ENGLISH_LEMMAS)
        self.actors = self._make_actors(rng)
        self.tags = self._make_tags(rng)
        by_kind = {}
        for index, actor in enumerate(self.actors):
            by_kind.setdefault(actor["kind"], []).append(index)
        self._actors_by_kind = {
            kind: (ids, _zipf_cum_weights(len(ids), 1.0)) for kind, ids in by_kind.items()
        }
        self._tag_weights = _zipf_cum_weights(len(self.tags), 1.0)

    # actors and tags ---------------------------------------------------------------

    def _make_actors(self, rng):
        actors, seen = [], set()

        def add(name, kind):
            if (name, kind) not in seen and len(actors) < N_ACTORS:
                seen.add((name, kind))
                actors.append({"name": name, "kind": kind})

        for name in PUBLIC_BODIES.split("|"):
            add(name, "public_body")
        for name in COMPANIES.split("|"):
            add(name, "company")
        for name in CIVIL_SOCIETY.split("|"):
            add(name, "civil_society")
        add("Rodoljub Šabić", "person")
        add("Milan Đorđević", "person")
        patterns = [
            "Opština {t}",
            "Grad {t}",
            "Policijska uprava {t}",
            "Osnovni sud u {t}",
            "Viši sud u {t}",
            "JKP Informatika {t}",
            "Dom zdravlja {t}",
            "Gradska uprava {t}",
        ]
        for pattern in patterns:
            for town in TOWNS:
                add(pattern.format(t=town), "public_body")
                if len(actors) >= 500:
                    break
        while len(actors) < 800:
            stem = self.sr.bases[rng.randrange(200, 20_000)].capitalize()
            suffix = rng.choice(("d.o.o.", "Tech", "Solutions", "Sistemi", "Security", "Group"))
            add(f"{stem} {suffix}", "company")
        while len(actors) < 1_000:
            words = self.sr.bases[rng.randrange(200, 20_000)]
            pattern = rng.choice(("Udruženje {w}", "Centar za {w}", "Inicijativa {w}", "Mreža {w}"))
            add(pattern.format(w=words), "civil_society")
        while len(actors) < N_ACTORS:
            add(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", "person")
        rng.shuffle(actors)
        return actors

    def _make_tags(self, rng):
        tags = list(dict.fromkeys(REAL_TAGS.split("|")))
        while len(tags) < N_TAGS:
            name = self.sr.bases[rng.randrange(100, 5_000)]
            if rng.random() < 0.3:
                name += " " + self.sr.bases[rng.randrange(100, 5_000)]
            if name not in tags:
                tags.append(name)
        return tags

    # expected document frequency ---------------------------------------------------

    def expected_df(self, language, index):
        """The expected share of all records that contain lemma ``index`` of
        ``language`` ("sr" or "en"), from the model (not counted)."""
        lexicon = self.sr if language == "sr" else self.en
        share = 0.75 if language == "sr" else 0.25
        p = lexicon.probability(index)
        # Content tokens per record: title + summary + body, without function words.
        lengths = [(1 - FUNCTION_SHARE) * (8.5 + 30 + body) for body in range(80, 251, 17)]
        return share * sum(1 - math.exp(-length * p) for length in lengths) / len(lengths)

    def query_terms(self, rng, low, high, k, *, language="sr", skip_head=0):
        """``k`` lemma indexes of ``language`` whose expected df is within [low, high]."""
        lexicon = self.sr if language == "sr" else self.en
        dfs = [self.expected_df(language, i) for i in range(lexicon.n)]
        candidates = [i for i, df in enumerate(dfs) if low <= df <= high and i >= skip_head]
        return rng.sample(candidates, max(0, min(k, len(candidates))))

    def word_form(self, rng, language, index, *, script="latin"):
        """One inflected form of a lemma, as a person might type it."""
        lexicon = self.sr if language == "sr" else self.en
        form = rng.choice(lexicon.forms[index])
        return _cyrillic(form) if script == "cyrillic" else form

    # records -----------------------------------------------------------------------

    def record(self, number):
        """Record ``number`` (1-based) as a dict in the JSON Lines form of the importer."""
        rng = random.Random(self.seed * 10_000_019 + number)
        language = _weighted(rng, LANGUAGES)
        kind = _weighted(rng, KINDS)
        english = language == "en"
        terms = [t for t in DOMAIN if rng.random() < t.probability(kind)]
        title_terms = [t for t in terms if rng.random() < 0.25]
        summary_terms = [t for t in terms if rng.random() < 0.35]

        title = self._sentence(rng, rng.randint(5, 12), english, title_terms, function=0.2)
        title = title.rstrip(".")
        summary = " ".join(
            self._sentence(rng, n, english, summary_terms if i == 0 else ())
            for i, n in enumerate(self._split(rng, rng.randint(20, 40)))
        )
        body = self._body(rng, rng.randint(80, 250), english, terms)
        if language == "sr-Cyrl":
            title, summary, body = (self._to_cyrillic(text) for text in (title, summary, body))

        data = {
            "id": f"nzb-{number}",
            "kind": kind,
            "title": title[:300],
            "summary": summary[:2000],
            "body": body,
            "date": self._date(rng),
            "language": language,
            "status": "published",
            "tags": sorted({self.tags[i] for i in self._tag_indexes(rng)}),
            "source_url": (f"https://example.org/{kind}/{number}" if rng.random() < 0.5 else None),
            "actors": self._record_actors(rng, kind),
            "links": [],
        }
        if kind == "document":
            data["document"] = {"document_type": rng.choice(DOCUMENT_TYPES)}
        elif kind == "statement":
            quote = self._sentence(rng, rng.randint(10, 25), english, terms[:1])
            if language == "sr-Cyrl":
                quote = self._to_cyrillic(quote)
            data["statement"] = {"venue": rng.choice(VENUES), "quote": quote}
        elif kind == "response":
            data["response"] = {"response_type": rng.choice(RESPONSE_TYPES)}
        return data

    def records(self, start, stop):
        """Records ``start`` to ``stop - 1`` (1-based)."""
        for number in range(start, stop):
            yield self.record(number)

    # pieces of a record ------------------------------------------------------------

    @staticmethod
    def _split(rng, words):
        """Sentence lengths that add up to ``words``."""
        out = []
        while words > 0:
            n = min(words, rng.randint(6, 18))
            if words - n < 4:
                n = words
            out.append(n)
            words -= n
        return out

    def _tokens(self, rng, n, english, function):
        lexicon, function_words = (self.en, EN_FUNCTION) if english else (self.sr, SR_FUNCTION)
        draws = lexicon.sample(rng, n)
        rand, choice, forms = rng.random, rng.choice, lexicon.forms
        return [
            choice(function_words) if rand() < function else choice(forms[index]) for index in draws
        ]

    def _sentence(self, rng, n, english, terms, function=FUNCTION_SHARE):
        words = self._tokens(rng, n, english, function)
        for term in terms:
            words.insert(rng.randrange(len(words) + 1), rng.choice(term.en if english else term.sr))
        if rng.random() < 0.3 and len(words) > 6:
            cut = rng.randrange(2, len(words) - 2)
            words[cut] += ","
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def _body(self, rng, n, english, terms):
        # Each term of the record appears in the body one to three times.
        placed = [t for t in terms for _ in range(rng.randint(1, 3))]
        sentences = self._split(rng, n)
        per_sentence = [[] for _ in sentences]
        for term in placed:
            per_sentence[rng.randrange(len(sentences))].append(term)
        paragraphs, current = [], []
        for length, sentence_terms in zip(sentences, per_sentence, strict=True):
            current.append(self._sentence(rng, length, english, sentence_terms))
            if len(current) >= rng.randint(2, 4):
                paragraphs.append(" ".join(current))
                current = []
        if current:
            paragraphs.append(" ".join(current))
        if rng.random() < 0.15:  # a little Markdown now and then
            heading = self._sentence(rng, rng.randint(2, 5), english, ()).rstrip(".")
            paragraphs.insert(rng.randrange(len(paragraphs) + 1), "## " + heading)
            items = [self._sentence(rng, rng.randint(3, 7), english, ()) for _ in range(3)]
            paragraphs.append("\n".join("- " + item for item in items))
        if rng.random() < 0.1:
            word = self._tokens(rng, 1, english, 0.0)[0]
            paragraphs[-1] += f" [{word}](https://example.org/{word}) **{word}**."
        return "\n\n".join(paragraphs)

    @staticmethod
    def _to_cyrillic(text):
        # Word by word, through the project's own transliteration (each word cached):
        # a URL in a Markdown link is a "word" of its own here and stays as it is.
        return " ".join(_cyrillic(part) for part in text.split(" "))

    @staticmethod
    def _date(rng):
        if rng.random() < 0.01:
            return None
        # More records in recent years, as in a growing archive.
        year = _weighted(rng, [(y, 1 + (y - 2010) * 0.4) for y in range(2010, 2027)])
        precision = _weighted(rng, (("day", 70), ("month", 20), ("year", 10)))
        if precision == "year":
            return f"{year}"
        month = rng.randint(1, 6 if year == 2026 else 12)
        if precision == "month":
            return f"{year}-{month:02d}"
        start = datetime.date(year, month, 1)
        day = rng.randint(1, 28)
        return (start + datetime.timedelta(days=day - 1)).isoformat()

    def _tag_indexes(self, rng):
        n = _weighted(rng, ((0, 15), (1, 30), (2, 30), (3, 15), (4, 10)))
        return {
            bisect.bisect(self._tag_weights, rng.random() * self._tag_weights[-1]) for _ in range(n)
        }

    def _pick_actor(self, rng, kind):
        ids, cum = self._actors_by_kind[kind]
        return ids[bisect.bisect(cum, rng.random() * cum[-1], 0, len(ids) - 1)]

    def _record_actors(self, rng, kind):
        """1-3 actors, with a role that suits the kind of record."""
        plans = {
            "foi_request": (("civil_society", "author"), ("public_body", "addressee")),
            "statement": (("person", "speaker"), ("public_body", "author")),
            "response": (("civil_society", "author"), ("public_body", "subject")),
            "document": (("public_body", "author"), ("company", "subject")),
        }[kind]
        out, used = [], set()
        for actor_kind, role in plans[: rng.randint(1, 2)]:
            index = self._pick_actor(rng, actor_kind)
            used.add(index)
            out.append((index, role))
        if rng.random() < 0.35:
            actor_kind = rng.choice(("person", "company", "public_body", "civil_society"))
            index = self._pick_actor(rng, actor_kind)
            if index not in used:
                out.append((index, "subject"))
        return [
            {"name": self.actors[i]["name"], "kind": self.actors[i]["kind"], "role": role}
            for i, role in out
        ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=int, help="how many records")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    corpus = Corpus(args.seed)
    out = sys.stdout
    for record in corpus.records(1, args.records + 1):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))
    main()
