"""Name and date-of-birth normalisation for identity resolution.

The same person's name reaches European registries written by different authorities in
different scripts and transliteration conventions: Arabic محمد becomes Mohammed (English),
Mohamed (French, Egyptian), Muhammad (scholarly), Mouhamed (francophone West Africa) or just
``mhmd`` when transliterated letter by letter, because Arabic script writes no short vowels.
Cyrillic Дмитрий becomes Dmitriy, Dmitry, Dmitrii or Dmitrij; Tigrinya ገብረመድህን becomes
Gebremedhin, Ghebremedhin or Gebre Medhin. Each rule below folds one family of such variants
and is named so that an explanation can cite it.

Transliteration of other scripts uses ``anyascii`` (a maintained, table-driven transliterator
covering Arabic, Perso-Arabic, Cyrillic and Ethiopic scripts). ICU transforms would do the same
job but PyICU is not a dependency of the platform. The variant folding is written here because no
library folds the conventions of migration registries; each rule documents the examples it was
written for, and ``tests/unit/identity/test_normalise.py`` checks every one.

Two forms come out of a name:

* the *folded* form keeps vowels (``mohammed`` -> ``muhamed``) and is compared with string
  similarity;
* the *key* (consonant skeleton, ``mhmd``) drops vowels and semivowels so that a name written in
  Arabic script and its Latin transliterations meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# --- rule: script_to_latin -------------------------------------------------------------------

_APOSTROPHES = re.compile(r"[`'\u2018\u2019\u02bb\u02bc\u02be\u02bf\u0060\u00b4]")
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def script_to_latin(text: str) -> str:
    """Rule ``script_to_latin``: any script to lower-case ASCII letters and single spaces.

    Arabic ``محمد`` -> ``mhmd``; Cyrillic ``Дмитрий`` -> ``dmitriy``; Ethiopic ``ተስፋይ`` ->
    ``tesfay``; ``Şükrü`` -> ``sukru``. Apostrophes that stand for ayn and hamza (``Sa'id``,
    ```Abd``) are dropped; hyphens and other punctuation separate words.
    """
    text = unicodedata.normalize("NFKC", text or "")
    latin = anyascii(text).lower()
    latin = _APOSTROPHES.sub("", latin)
    latin = _NON_LETTERS.sub(" ", latin)
    return _SPACES.sub(" ", latin).strip()


# --- rule: compound_names --------------------------------------------------------------------

#: Articles written as separate words (al-Hassan, el Sayed, ul Haq).
ARTICLES = frozenset({"al", "el", "ul", "oul", "ol", "il", "ad", "ed", "ar", "er", "as", "es", "at", "an", "az", "ash", "ech", "ach"})
#: Words that form one name with the word that follows (Abd al-Rahman, Abu Bakr, Gebre Medhin).
PREFIXES = frozenset(
    {
        "abd", "abdel", "abdul", "abdal", "abdol", "abdur", "abdu", "abde", "bd", "abdoul", "abdou",
        "abu", "abou", "abo", "bu", "bw", "abw",
        "gebre", "ghebre", "gebra", "gabre", "gbre", "gbr",
        "wolde", "welde", "walda", "wolda", "weld", "wold",
        "habte", "hapte", "tekle", "tecle", "zera", "kidane",
        "nur", "noor", "nour", "zein", "zain", "saif", "seif", "sayf", "shams", "ghulam", "gholam", "ghoulam",
    }
)
#: Words that form one name with the word before them (Rahmat Ullah, Ahmad Zai, Noor Khel).
SUFFIXES = frozenset(
    {"ullah", "ulla", "ulah", "allah", "alla", "olla", "ollah", "llah", "llh",
     "zai", "zay", "khel", "kheil", "khail", "kel", "zada", "zadeh", "zade", "din", "deen", "eddin", "uddin", "ouddin", "addin", "dine"}
)


#: The Pashto ``Khel`` (clan) as other conventions write it: Kheil and Khail (Pakistani
#: spellings), Kel (Italian, which has no kh); German Chel and Spanish Jel are read back to Khel by
#: ``authority_reading``.
_KHEL = {"kheil": "khel", "khail": "khel", "kel": "khel"}


def compound_names(tokens: list[str]) -> list[str]:
    """Rule ``compound_names``: join the parts of a compound name into one word.

    ``abd al rahman`` -> ``abdrahman`` (the article after Abd/Abu is dropped: Abdel Rahman,
    Abdul Rahman, Abd al-Rahman, Abdurrahman all become one form), ``abu bakr`` -> ``abubakr``,
    ``gebre medhin`` -> ``gebremedhin``, ``rahmat ullah`` -> ``rahmatullah``, ``ahmad zai`` ->
    ``ahmadzai``, ``nur ad din`` -> ``nurdin``. A free-standing article before a name is dropped
    (``al hassan`` -> ``hassan``), as registries keep or drop it at random.
    """
    tokens = ["abd" if t == "bd" else _script_article(t) for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in PREFIXES and i + 1 < len(tokens):
            j = i + 1
            while j < len(tokens) - 1 and tokens[j] in ARTICLES:
                j += 1
            nxt = tokens[j]
            if nxt in ARTICLES:
                out.append(tok)
                i = j + 1
                continue
            if tok in _ABD_FORMS and len(nxt) > 3 and nxt[0] == "l" and nxt[1] not in "aeiou":
                nxt = nxt[1:]  # Arabic-script article written joined: bd lrhmn -> abd rhmn
            out.append(tok + nxt)
            i = j + 1
            continue
        if tok in ARTICLES and i + 1 < len(tokens):
            i += 1
            continue
        if tok in SUFFIXES and out:
            out[-1] = out[-1] + _KHEL.get(tok, tok)
            i += 1
            continue
        out.append(tok)
        i += 1
    return [_joined_article(_abd_article(t) if t.startswith("abd") else t) for t in out]


_SCRIPT_ARTICLE = re.compile(r"^l(?=[^aeiou]{3,}$)")


def _script_article(token: str) -> str:
    """The Arabic article transliterated from Arabic script is a bare ``l`` joined to the word
    (``الرضواني`` -> ``lrdwny``): drop it when the word has no written vowel."""
    return _SCRIPT_ARTICLE.sub("", token)


_JOINED_ARTICLE = re.compile(r"^(?:al|el)(?=[bcdfghjklmnpqrstvwxz][a-z]{3})")


def _joined_article(token: str) -> str:
    """The article written joined to a name: ``alhassan``/``elhassan`` -> ``hassan``
    (``alexander``, ``elena`` and ``alma`` are left alone: a vowel or too few letters follow)."""
    return _JOINED_ARTICLE.sub("", token)


_ABD_FORMS = frozenset({"abd", "abdel", "abdul", "abdal", "abdol", "abdur", "abdu", "abde", "abdoul", "abdou"})
# the article's l, or a sun letter it assimilated to (written doubled: Abdurrahman, Abdennour);
# a single consonant after the vowel is the name's own (Abdourahmane, Abdurahman)
_ABD = re.compile(r"^abd(?:(?:ou|[aeiou])(?:l|([rsnztd])(?=\1))?)?(?=[a-z]{3})")


def _abd_article(token: str) -> str:
    """Drop the article inside Abd-names: ``abdelaziz``/``abdulaziz``/``abdalaziz`` -> ``abdaziz``,
    ``abdurrahman`` -> ``abdrahman``; ``abdullah``/``abdallah`` -> ``abdlla`` (after the
    ``ullah`` rule)."""
    token = _ullah(token)
    return _ABD.sub("abd", token)


# --- rule: ullah_suffix ------------------------------------------------------------------------

_ULLAH = re.compile(r"(?:[aou]ll?ah|[aou]lla|llah|llh)$")


def _ullah(token: str) -> str:
    """Rule ``ullah_suffix``: -ullah, -ulla, -allah, -ollah, -llh -> ``ulla``
    (Rahmatullah, Rahmatulla, Rahmat Allah; Abdullah, Abdallah, Abdulla)."""
    if len(token) > 5:
        return _ULLAH.sub("ulla", token)
    return token


# --- rule: transliteration_variants ------------------------------------------------------------

# Ordered: longer patterns first. Each line: (pattern, replacement, example).
_FOLDS: tuple[tuple[str, str], ...] = (
    (r"shch", "sh"),  # Cyrillic Щ: Khrushchev / Chruschtschow
    (r"dsch", "j"),  # German for English j: Dschamal / Jamal, Dschihad / Jihad
    (r"sci(?=[aou])", "sh"),  # Italian: Hisciam / Hisham
    (r"sc(?=[ei])", "sh"),  # Italian: Scerif / Sherif
    (r"(?<![a-z])gi(?=[aou])", "j"),  # Italian: Giamal / Jamal, Giauad / Jawad (word start)
    (r"tsch", "sh"),  # German for Ч
    (r"chtch", "sh"),  # French for Щ: Khrouchtchev / Khrushchev
    (r"tch", "sh"),  # French for Ч: Tchernov / Chernov
    (r"sch", "sh"),  # German Schukri / English Shukri
    (r"ch", "sh"),  # French Chérif / English Sharif; Cyrillic Ч follows the same fold on all sides
    (r"kh", "h"),  # Khaled / Haled (Arabic خ, Cyrillic Х)
    (r"gh", "g"),  # Ghebre / Gebre, Ghulam / Gulam
    (r"dzh", "j"),  # Cyrillic Дж: Dzhamal / Jamal
    (r"dj", "j"),  # French Djamal / Jamal
    (r"zh", "j"),  # Cyrillic Ж: Zhanna / Janna
    (r"ph", "f"),
    (r"th", "t"),  # Othman / Osman stays apart; Mathew / Matew
    (r"dh", "d"),  # Gebremedhin / Gebremedin, Dhiab / Diab
    (r"ck", "k"),
    (r"q", "k"),  # Qasim / Kasim
    (r"c(?=[aoukr]|$)", "k"),  # Cadir / Kadir
    (r"x", "ks"),  # Alexander / Aleksandr
    (r"tz", "ts"),
    (r"ou", "u"),  # Mouhamed / Muhamed, Youssef / Yussef
    (r"oo", "u"),  # Noor / Nur
    (r"ee", "i"),  # Sameer / Samir
    (r"w", "u"),  # Walid / Oualid, Wolde / Welde
    (r"y", "i"),  # Yusuf / Iusuf, Dmitriy / Dmitrii, Tesfay / Tesfai
    (r"j$", "i"),  # Dmitrij / Dmitri
    (r"(?<=[aeiou])e$", ""),  # Tesfaye / Tesfai
    (r"(?<=[a-z]{2}[aeiou])h$", ""),  # Fatimah / Fatima, Sarah / Sara
    (r"(?<=[a-z][bdfgklmnprstvz])h$", ""),  # Arabic ta marbuta: ftmh / ftm
)
_FOLD_RES = tuple((re.compile(p), r) for p, r in _FOLDS)
_DOUBLE = re.compile(r"([a-z])\1+")


def fold_variants(token: str) -> str:
    """Rule ``transliteration_variants``: fold the common spelling variants of one word.

    ou/oo/u/w, kh/h (and German ch), sh/sch/ch (Italian sc/sci), dj/dzh/zh/dsch/j (Italian gi),
    q/k, ph/f, th/t, dh/d, gh/g,
    x/ks, y/i, -iy/-ii/-ij/-y endings, doubled letters (Mohammed/Mohamed). ``mohammed`` ->
    ``mohamed``; ``mouhamed`` -> ``muhamed``; ``dmitriy`` -> ``dmitri``.
    """
    for pattern, repl in _FOLD_RES:
        token = pattern.sub(repl, token)
    return _DOUBLE.sub(r"\1", token)


# --- rule: consonant_skeleton --------------------------------------------------------------------

_VOWELS = re.compile(r"[aeiou]")


def consonant_skeleton(folded: str) -> str:
    """Rule ``consonant_skeleton``: drop vowels and semivowels from a folded word.

    Arabic and Pashto script write no short vowels, so ``محمد`` transliterates to ``mhmd`` while
    Latin registries write Mohammed, Muhammad, Mohamed, Mouhamed: all give ``mhmd``. A word made
    only of vowels keeps its folded form (``ali`` -> ``l``; ``aia`` -> ``aia``).

    A word-initial ``j`` is dropped like the semivowel ``y``/``i`` when at least two consonants
    follow: German and Dutch write English y as j (Johannes / Yohannes, Jusuf / Yusuf, Jasmin /
    Yasmin), and the English j (Jamal, Djamal, Dschamal, Giamal, Arabic ج) loses it on every side
    alike, so both families keep one key (``jml`` -> ``ml``; ``jhns`` and ``hns`` -> ``hns``).
    """
    skeleton = _DOUBLE.sub(r"\1", _VOWELS.sub("", folded))
    if len(skeleton) > 2 and skeleton[0] == "j":
        skeleton = skeleton[1:]
    return skeleton or folded


# --- rule: authority_reading ----------------------------------------------------------------------

#: How the language of a recording authority writes, in Latin letters, the sounds that the
#: English-style romanisation of the other rules writes otherwise; each reading maps its letters
#: back to the English-style ones before the folds. ``ch`` is the hard case: it is kh in German,
#: Dutch, Polish, Czech, Slovak, Lithuanian, Swedish and Greek romanisation (Chruschtschow,
#: Chroesjtsjov, Chruszczow, Chruščov, Chrusjtjov; Chaled, Michail), sh in French (Chérif) and ch
#: in English and Spanish, so no single fold can be right for all of them. Sources: the national
#: transcription conventions of Russian (Duden for German; the Dutch, Polish, Czech, Swedish
#: press conventions), ELOT 743 (Greek: χ as ch), and the Spanish j for kh (Jrushchov, Jaled).
#: Each pair is (the letters as the language writes them, as a regular expression; the English-style
#: letters), longer ones first; they are applied in one pass, so a letter read once is not read
#: again. German and Polish end Russian names in -ow and -ew (Iwanow, Gorbatschow): read as -ov
#: and -ev at the end of a word; a w inside a word is left alone, as the same authorities keep w
#: for Arabic و (Walid, Dschawad).
READINGS: dict[str, tuple[tuple[str, str], ...]] = {
    # German: Dschamal, Chruschtschow, Jurij, Smirnow
    "de": (("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("ch", "kh"), ("j", "y"), (r"(?<=[aeiou])w\b", "v")),
    # Dutch: Dzjamal, Chroesjtsjov, Joeri
    "nl": (("dzj", "j"), ("tsj", "ch"), ("sj", "sh"), ("ch", "kh"), ("oe", "u"), ("j", "y")),
    # Polish: Chruszczow, Jurij, Rzeszow (rz as zh); dż loses its dot (dz) and stays
    "pl": (("szcz", "shch"), ("sz", "sh"), ("cz", "ch"), ("ch", "kh"), ("rz", "zh"), ("j", "y"),
           (r"(?<=[aeiou])w\b", "v")),
    # Czech, Slovak, Lithuanian: Chalid, Jurij (č and š lose their marks in script_to_latin, so
    # Chruščov is read chruscov: the háček is not recovered)
    "cs": (("ch", "kh"), ("j", "y")),
    # Swedish, Danish: Chrusjtjov, Jurij
    "sv": (("sj", "sh"), ("tj", "ch"), ("ch", "kh"), ("j", "y")),
    # Spanish: Jaled, Jrushchov (j is kh; ch and y as in English)
    "es": (("j", "kh"),),
    # Greek (ELOT 743): Chalil for Khalil
    "el": (("ch", "kh"),),
    # Finnish, Croatian, Slovene, Estonian, Latvian: Jurij, Jusuf (h already stands for kh)
    "j_is_y": (("j", "y"),),
}
#: The reading of each Member State's (and associated state's) authorities, by ISO 3166 alpha-2
#: code as the platform stores it (Greece as EL). States writing as English or French do (the
#: neutral reading of the folds) are absent.
STATE_READING: dict[str, str] = {
    "DE": "de", "AT": "de", "LI": "de", "CH": "de",
    "NL": "nl",
    "PL": "pl",
    "CZ": "cs", "SK": "cs", "LT": "cs",
    "SE": "sv", "DK": "sv", "NO": "sv",
    "ES": "es",
    "EL": "el", "CY": "el",
    "FI": "j_is_y", "HR": "j_is_y", "SI": "j_is_y", "EE": "j_is_y", "LV": "j_is_y",
}
_READING_RES: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {
    lang: (re.compile("|".join(f"({a})" for a, _ in pairs)), tuple(b for _, b in pairs))
    for lang, pairs in READINGS.items()
}


def _is_latin(text: str) -> bool:
    return text.isascii() or all(not c.isalpha() or unicodedata.name(c, "").startswith("LATIN") for c in text)


@lru_cache(maxsize=200_000)
def _read(text: str, reading: str) -> str | None:
    if not _is_latin(text):
        return None
    latin = script_to_latin(text)
    pattern, replacements = _READING_RES[reading]
    read = pattern.sub(lambda m: replacements[(m.lastindex or 1) - 1], latin)
    return read if read != latin else None


def authority_reading(text: str, member_state: str | None) -> str | None:
    """Rule ``authority_reading``: a name in Latin letters as the recording state's language reads
    them, written back in English-style letters (:data:`READINGS`), or ``None`` when the state
    has no reading of its own, the name is written in another script (the platform transliterated
    it, not the authority) or the reading changes nothing.

    German ``Chaled`` -> ``khaled``; ``Michail`` -> ``mikhail``; Polish ``Chruszczow`` ->
    ``khrushchov``; Spanish ``Jaled`` -> ``khaled``."""
    reading = STATE_READING.get((member_state or "").upper())
    if reading is None or not text:
        return None
    return _read(text, reading)


# --- public API ----------------------------------------------------------------------------------

#: Version of the rules that compute the search keys. A store's keys are those of the rules that
#: computed them; a row of another version is recomputed (``pactum.services.identity.index_stale``).
#: 2026.11.7: rule ``authority_reading``; Abdoul/Abdou, the article after Abd, Khel variants,
#: French tch/chtch. 2026.11.8: rule ``place_names`` (the stored features gain ``place_key``).
NORMALISATION_VERSION = "2026.11.8"

RULES: tuple[str, ...] = (
    "script_to_latin",
    "authority_reading",
    "compound_names",
    "ullah_suffix",
    "transliteration_variants",
    "consonant_skeleton",
    "name_order",
    "place_names",
    "partial_date_of_birth",
    "placeholder_date_of_birth",
)


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name after normalisation: folded words and consonant keys."""

    words: tuple[str, ...]  # folded words in recorded order
    keys: tuple[str, ...]  # consonant skeleton of each word

    @property
    def folded(self) -> str:
        return " ".join(self.words)

    @property
    def key(self) -> str:
        return " ".join(self.keys)

    @property
    def first_key(self) -> str:
        return self.keys[0] if self.keys else ""


def normalise_name(text: str | None) -> NormalisedName:
    """Apply the name rules in order: script_to_latin, compound_names (with ullah_suffix),
    transliteration_variants, consonant_skeleton."""
    latin = script_to_latin(text or "")
    if not latin:
        return NormalisedName((), ())
    tokens = compound_names(latin.split(" "))
    words = tuple(w for w in (fold_variants(_ullah(t)) for t in tokens) if w)
    return NormalisedName(words, tuple(consonant_skeleton(w) for w in words))


def name_order_key(*names: NormalisedName) -> str:
    """Rule ``name_order``: the sorted consonant keys of all name words.

    Given name and surname are swapped between registries (Ahmed Mohammed / Mohammed Ahmed) and
    split differently between the two fields; the sorted bag of words is the same.
    """
    return " ".join(sorted(k for n in names for k in n.keys))


def name_order_folded(*names: NormalisedName) -> str:
    """The sorted folded words of all names (for similarity that ignores order)."""
    return " ".join(sorted(w for n in names for w in n.words))


# --- dates of birth --------------------------------------------------------------------------------

_DOB = re.compile(r"^\s*(\d{4}|[xX0]{4})(?:[-/.](\d{1,2}|[xX]{2}))?(?:[-/.](\d{1,2}|[xX]{2}))?\s*$")

#: Days on which registries record a date of birth that is not known: 1 January is the usual
#: convention (UNHCR and most European registries); some registries use 31 December or 1 July.
PLACEHOLDER_DAYS: frozenset[tuple[int, int]] = frozenset({(1, 1), (12, 31), (7, 1)})


@dataclass(frozen=True, slots=True)
class BirthDate:
    """What a recorded date of birth tells: only the parts that carry information."""

    year: int | None
    month: int | None
    day: int | None
    placeholder: bool  # recorded as a full date that is a known placeholder (e.g. 1 January)

    @property
    def precision(self) -> str:
        if self.year is None:
            return "none"
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    @property
    def full(self) -> str | None:
        if self.day is None or self.month is None or self.year is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def year_month(self) -> str | None:
        if self.month is None or self.year is None:
            return None
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def month_day(self) -> str | None:
        """``MMDD`` for a full date, to recognise day and month swapped (03-07 vs 07-03)."""
        if self.day is None or self.month is None:
            return None
        return f"{self.month:02d}{self.day:02d}"

    @property
    def day_month(self) -> str | None:
        if self.day is None or self.month is None:
            return None
        return f"{self.day:02d}{self.month:02d}"


def parse_birth_date(text: str | None) -> BirthDate:
    """Rules ``partial_date_of_birth`` and ``placeholder_date_of_birth``.

    ``1990`` and ``1990-05`` are partial dates and compare only on what they say. ``1990-01-01``
    is the conventional placeholder for "born in 1990, day unknown": it is treated as the year
    only, so it neither confirms nor contradicts 1990-06-14. ``0000``/``XXXX`` and unreadable
    text mean unknown. Out-of-range parts are dropped rather than guessed.
    """
    if not text:
        return BirthDate(None, None, None, False)
    m = _DOB.match(text)
    if not m:
        return BirthDate(None, None, None, False)
    ys, ms, ds = m.groups()
    year = int(ys) if ys.isdigit() and int(ys) >= 1900 else None
    month = int(ms) if ms and ms.isdigit() and 1 <= int(ms) <= 12 else None
    day = int(ds) if ds and ds.isdigit() and 1 <= int(ds) <= 31 and month is not None else None
    if year is None:
        return BirthDate(None, None, None, False)
    if day is not None and month is not None and (month, day) in PLACEHOLDER_DAYS:
        return BirthDate(year, None, None, True)
    return BirthDate(year, month, day, False)


def normalise_text(text: str | None) -> str:
    """Folded form of a free-text field such as a place of birth: the fold removes script, case
    and spelling-convention noise (``Alep`` and ``Aleppo`` stay apart; the town's other names are
    rule ``place_names``, :func:`pactum.identity.features.place_key`)."""
    latin = script_to_latin(text or "")
    return " ".join(fold_variants(t) for t in latin.split(" ") if t)


_DOC = re.compile(r"[^A-Z0-9]")


def normalise_document_number(text: str | None) -> str:
    """Document numbers compare without spaces, dashes and case; ``O`` read as ``0``."""
    return _DOC.sub("", (text or "").upper()).replace("O", "0")
