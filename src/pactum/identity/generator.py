"""Labelled benchmark data for identity resolution, with the noise of real registries.

Persons are drawn from the main countries of origin of arrivals in the EU (Syria, Afghanistan,
Eritrea, Iraq, the Maghreb, Ukraine/Russia/Georgia, Bangladesh, Pakistan, Türkiye, West Africa).
Names are drawn with Zipf-like weights, so that many different people share the most common names
(Mohammed Ahmed, Ali Hassan), and surnames are often a father's given name, as in Arabic, Afghan
and Eritrean naming. Each person has one or more records made by different Member States; every
record passes through the noise of the recording authority:

* transliteration convention of the authority (English, French, German, Italian, Spanish,
  scholarly) or the name kept in its original script (Arabic, Cyrillic, Ethiopic);
* free vowel variation (Mohammed / Muhammad), doubled letters, the article (al-Hassan / Hassan),
  compound names split or joined (Abdel Rahman / Abdelrahman), ``-ullah`` forms;
* given name and surname swapped; the father's name recorded as surname;
* dates of birth unknown (recorded as 1 January of an estimated year), estimated (off by one or
  two years), with day and month swapped, a wrong digit, or missing;
* places of birth named by their region or district or by their other name (Halab for Aleppo);
* typing errors, missing fields, wrong or unknown nationality, document numbers with typos, and
  a second document (a passport beside an identity card) recorded instead of the first.

Given names are each culture's common names followed by the long tail its naming rules form
(Abdul Karim, Ehsanullah, Gebremariam; :mod:`pactum.identity.naming`), so that the most common
man's name is borne by one man in six or so, as documented, not one in four. Family names have a
long tail of their own (nisbas, tribes, -zai, -enko, the compounds of the Turkish Surname Law),
and the most common name of each culture is drawn with its documented share: Yılmaz for 1.4% of
Turks and Mehmet for 3% of Turkish men, as the population register counts them, where a short
list gave Yılmaz to 29% (``names="calibrated"``, the default). ``names="wide"`` keeps design
2026.11.5's population (long tail of given names, short lists of family names) and
``names="narrow"`` the first releases' (common names only), so that their figures can be
reproduced.

Every rate is a field of :class:`NoiseRates`; the generator is seeded, so that the model is tuned
on one seed and reported on another. Two named profiles: ``realistic`` (the default, calibrated
to what is documented about real registrations, with the source of each rate) and ``harsh`` (the
first release's noise, kept as a stress test).
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from pactum.identity import naming

# Names: canonical (English-style) romanisation and, where the benchmark writes it, the name in
# its original script.
_ARABIC_M = [
    ("Mohammed", "محمد"), ("Ahmed", "أحمد"), ("Ali", "علي"), ("Hassan", "حسن"), ("Hussein", "حسين"),
    ("Omar", "عمر"), ("Khaled", "خالد"), ("Youssef", "يوسف"), ("Ibrahim", "إبراهيم"),
    ("Mahmoud", "محمود"), ("Mustafa", "مصطفى"), ("Abdullah", "عبد الله"),
    ("Abdul Rahman", "عبد الرحمن"), ("Abdel Aziz", "عبد العزيز"), ("Said", "سعيد"), ("Walid", "وليد"),
    ("Karim", "كريم"), ("Samir", "سمير"), ("Tarek", "طارق"), ("Rami", "رامي"), ("Bilal", "بلال"),
    ("Hamza", "حمزة"), ("Jamal", "جمال"), ("Nabil", "نبيل"), ("Adel", "عادل"), ("Yasser", "ياسر"),
    ("Ayman", "أيمن"), ("Majed", "ماجد"), ("Fadi", "فادي"), ("Mazen", "مازن"), ("Sami", "سامي"),
    ("Salah", "صلاح"), ("Anas", "أنس"), ("Osama", "أسامة"), ("Ammar", "عمار"), ("Nour al-Din", "نور الدين"),
    ("Abu Bakr", "أبو بكر"), ("Sharif", "شريف"), ("Rashid", "رشيد"), ("Jihad", "جهاد"), ("Qasim", "قاسم"),
    ("Zakaria", "زكريا"), ("Marwan", "مروان"), ("Hisham", "هشام"), ("Fares", "فارس"), ("Ghassan", "غسان"),
    ("Mohannad", "مهند"), ("Radwan", "رضوان"), ("Suleiman", "سليمان"), ("Idris", "إدريس"),
]
_ARABIC_F = [
    ("Fatima", "فاطمة"), ("Aisha", "عائشة"), ("Maryam", "مريم"), ("Zainab", "زينب"), ("Khadija", "خديجة"),
    ("Amina", "أمينة"), ("Noor", "نور"), ("Sara", "سارة"), ("Huda", "هدى"), ("Rania", "رانيا"),
    ("Layla", "ليلى"), ("Yasmin", "ياسمين"), ("Samira", "سميرة"), ("Hanan", "حنان"), ("Rasha", "رشا"),
    ("Dalia", "داليا"), ("Salma", "سلمى"), ("Asma", "أسماء"), ("Reem", "ريم"), ("Shaima", "شيماء"),
]
_ARABIC_S = [
    ("Al-Hassan", "الحسن"), ("Al-Ahmad", "الأحمد"), ("Khalil", "خليل"), ("Haddad", "حداد"),
    ("Al-Khatib", "الخطيب"), ("Mansour", "منصور"), ("Saleh", "صالح"), ("Al-Ali", "العلي"),
    ("Abdallah", "عبد الله"), ("Othman", "عثمان"), ("Darwish", "درويش"), ("Nasser", "ناصر"),
    ("Al-Masri", "المصري"), ("Shami", "شامي"), ("Hamdan", "حمدان"), ("Kassem", "قاسم"), ("Aziz", "عزيز"),
    ("Jaber", "جابر"), ("Al-Najjar", "النجار"), ("Hamad", "حمد"), ("Awad", "عوض"), ("Issa", "عيسى"),
    ("Bakri", "بكري"), ("Al-Sayed", "السيد"), ("Zidan", "زيدان"), ("Sabbagh", "صباغ"), ("Qureshi", "قريشي"),
    ("Al-Shammari", "الشمري"), ("Al-Jabouri", "الجبوري"), ("Kurdi", "كردي"),
]
_MAGHREB_M = [
    ("Mohamed", None), ("Youssef", None), ("Karim", None), ("Mehdi", None), ("Amine", None),
    ("Hamza", None), ("Ayoub", None), ("Bilal", None), ("Sofiane", None), ("Nabil", None),
    ("Rachid", None), ("Abdelkader", None), ("Mourad", None), ("Djamel", None), ("Walid", None),
    ("Hichem", None), ("Khalil", None), ("Oussama", None), ("Anouar", None), ("Ismail", None),
]
_MAGHREB_S = [
    ("Benali", None), ("Bouzid", None), ("Ben Salah", None), ("Haddad", None), ("Mansouri", None),
    ("Belkacem", None), ("Cherif", None), ("Boukhari", None), ("Trabelsi", None), ("Gharbi", None),
    ("Jebali", None), ("El Amrani", None), ("Benaissa", None), ("Zerrouki", None), ("Ouali", None),
    ("Saidi", None), ("Hamdi", None), ("Chaouch", None), ("Brahimi", None), ("Meziane", None),
]
_PASHTO_M = [
    ("Mohammad", "محمد"), ("Ahmad", "احمد"), ("Abdul", "عبد"), ("Rahmatullah", "رحمت الله"),
    ("Gul Ahmad", "گل احمد"), ("Naqibullah", "نقیب الله"), ("Sayed", "سید"), ("Ali", "علی"),
    ("Hamid", "حامد"), ("Jawad", "جواد"), ("Mustafa", "مصطفی"), ("Zabiullah", "ذبیح الله"),
    ("Hekmatullah", "حکمت الله"), ("Noorullah", "نورالله"), ("Khan", "خان"), ("Wahid", "وحید"),
    ("Farhad", "فرهاد"), ("Rahim", "رحیم"), ("Nasir", "ناصر"), ("Habib", "حبیب"), ("Shafiq", "شفیق"),
    ("Ismail", "اسماعیل"), ("Asadullah", "اسدالله"), ("Bashir", "بشیر"), ("Qadir", "قادر"),
]
_PASHTO_F = [
    ("Fatima", "فاطمه"), ("Zahra", "زهرا"), ("Maryam", "مریم"), ("Mahbooba", "محبوبه"),
    ("Shabana", "شبانه"), ("Nargis", "نرگس"), ("Parwana", "پروانه"), ("Gulalai", "گلالۍ"),
]
_PASHTO_S = [
    ("Ahmadzai", "احمدزی"), ("Karimi", "کریمی"), ("Haidari", "حیدری"), ("Rahimi", "رحیمی"),
    ("Safi", "صافی"), ("Popal", "پوپل"), ("Stanikzai", "ستانکزی"), ("Yousufzai", "یوسفزی"),
    ("Noori", "نوری"), ("Hakimi", "حکیمی"), ("Sultani", "سلطانی"), ("Amiri", "امیری"),
    ("Mohammadi", "محمدی"), ("Hussaini", "حسینی"), ("Sharifi", "شریفی"), ("Wardak", "وردک"),
]
_TIGRINYA_M = [
    ("Tesfay", "ተስፋይ"), ("Yohannes", "ዮሃንስ"), ("Gebremedhin", "ገብረመድህን"), ("Haile", "ሃይለ"),
    ("Kidane", "ኪዳነ"), ("Mebrahtu", "መብራህቱ"), ("Tekle", "ተኽለ"), ("Habte", "ሃብተ"),
    ("Gebrehiwet", "ገብረሂወት"), ("Berhane", "በርሀነ"), ("Yonas", "ዮናስ"), ("Dawit", "ዳዊት"),
    ("Filmon", "ፊልሞን"), ("Samuel", "ሳሙኤል"), ("Tesfamariam", "ተስፋማርያም"), ("Woldemichael", "ወልደሚካኤል"),
    ("Mussie", "ሙሴ"), ("Amanuel", "ኣማኑኤል"), ("Efrem", "ኤፍሬም"), ("Henok", "ሄኖክ"),
]
_TIGRINYA_F = [
    ("Selam", "ሰላም"), ("Saba", "ሳባ"), ("Helen", "ሄለን"), ("Senait", "ሰናይት"), ("Lidia", "ሊድያ"),
    ("Semhar", "ሰምሃር"), ("Rahel", "ራሄል"), ("Feven", "ፌቨን"),
]
_SLAVIC_M = [
    ("Aleksandr", "Александр"), ("Dmitriy", "Дмитрий"), ("Sergey", "Сергей"), ("Andrey", "Андрей"),
    ("Ivan", "Иван"), ("Mikhail", "Михаил"), ("Oleksandr", "Олександр"), ("Yuriy", "Юрий"),
    ("Vladimir", "Владимир"), ("Nikolay", "Николай"), ("Giorgi", "Гиорги"), ("Artem", "Артём"),
]
_SLAVIC_F = [
    ("Olga", "Ольга"), ("Natalya", "Наталья"), ("Yuliya", "Юлия"), ("Tatyana", "Татьяна"),
    ("Svetlana", "Светлана"), ("Anastasiya", "Анастасия"), ("Nino", "Нино"), ("Irina", "Ирина"),
]
_SLAVIC_S = [
    ("Ivanov", "Иванов"), ("Petrov", "Петров"), ("Shevchenko", "Шевченко"), ("Kovalenko", "Коваленко"),
    ("Bondarenko", "Бондаренко"), ("Kuznetsov", "Кузнецов"), ("Smirnov", "Смирнов"), ("Popov", "Попов"),
    ("Tkachenko", "Ткаченко"), ("Melnyk", "Мельник"), ("Beridze", "Беридзе"), ("Kapanadze", "Капанадзе"),
    ("Zakharov", "Захаров"), ("Morozov", "Морозов"), ("Khachaturyan", "Хачатурян"),
]
_SOUTH_ASIA_M = [
    ("Mohammad", None), ("Rahman", None), ("Hossain", None), ("Islam", None), ("Imran", None),
    ("Shahid", None), ("Kamal", None), ("Rafiq", None), ("Arif", None), ("Bilal", None), ("Usman", None),
    ("Zubair", None), ("Faisal", None), ("Tariq", None), ("Asif", None), ("Sajid", None),
]
_SOUTH_ASIA_S = [
    ("Rahman", None), ("Hossain", None), ("Islam", None), ("Uddin", None), ("Chowdhury", None),
    ("Khan", None), ("Ahmed", None), ("Iqbal", None), ("Butt", None), ("Malik", None), ("Akhtar", None),
]
_TURKISH_M = [("Mehmet", None), ("Mustafa", None), ("Ahmet", None), ("Ali", None), ("Hüseyin", None),
              ("Hasan", None), ("Ibrahim", None), ("Murat", None), ("Emre", None), ("Yusuf", None)]
_TURKISH_S = [("Yılmaz", None), ("Kaya", None), ("Demir", None), ("Şahin", None), ("Çelik", None),
              ("Yıldız", None), ("Aydın", None), ("Öztürk", None), ("Arslan", None), ("Doğan", None)]
_WEST_AFRICA_M = [("Mamadou", None), ("Ibrahima", None), ("Moussa", None), ("Abdoulaye", None),
                  ("Ousmane", None), ("Amadou", None), ("Sekou", None), ("Alpha", None), ("Lamine", None),
                  ("Boubacar", None), ("Mohamed", None), ("Souleymane", None)]
_WEST_AFRICA_S = [("Diallo", None), ("Barry", None), ("Bah", None), ("Camara", None), ("Sow", None),
                  ("Traore", None), ("Coulibaly", None), ("Keita", None), ("Toure", None), ("Conde", None),
                  ("Kone", None), ("Sylla", None), ("Cisse", None), ("Balde", None)]


@dataclass(frozen=True)
class Culture:
    name: str
    nationalities: tuple[tuple[str, float], ...]
    given_m: Sequence[tuple[str, str | None]]
    given_f: Sequence[tuple[str, str | None]]
    surnames: Sequence[tuple[str, str | None]]
    patronymic_surname: float  # share of persons whose surname is the father's given name
    script: str | None  # "arabic" | "cyrillic" | "ethiopic"
    places: tuple[str, ...]
    #: Share of persons whose exact date of birth is not known (recorded as 1 January of a stated
    #: year). High where civil birth registration is incomplete; see ``REALISTIC``.
    dob_unknown: float = 0.05
    #: Names written in Latin letters in the country's own documents and registers (Turkish since
    #: 1928, the francophone spelling of West African names): a foreign authority copies them, it
    #: does not romanise them in its own convention (no German Jıldız for Yıldız, no Spanish
    #: Gojanoğlu for Gökhanoğlu). Vowels heard otherwise, doubled letters and typing errors remain.
    latin_script: bool = False


CULTURES: tuple[tuple[Culture, float], ...] = (
    (Culture("levant", (("SYR", 0.8), ("IRQ", 0.15), ("PSE", 0.05)), _ARABIC_M, _ARABIC_F, _ARABIC_S, 0.45,
             "arabic", ("Aleppo", "Damascus", "Homs", "Idlib", "Deir ez-Zor", "Baghdad", "Mosul", "Gaza"), 0.06), 0.30),
    (Culture("afghan", (("AFG", 0.85), ("PAK", 0.15)), _PASHTO_M, _PASHTO_F, _PASHTO_S, 0.5,
             "arabic", ("Kabul", "Kandahar", "Herat", "Jalalabad", "Kunduz", "Ghazni", "Peshawar"), 0.40), 0.20),
    (Culture("eritrean", (("ERI", 0.85), ("ETH", 0.15)), _TIGRINYA_M, _TIGRINYA_F, _TIGRINYA_M, 0.95,
             "ethiopic", ("Asmara", "Keren", "Mendefera", "Massawa", "Adi Keyh"), 0.20), 0.10),
    (Culture("maghreb", (("MAR", 0.35), ("DZA", 0.35), ("TUN", 0.3)), _MAGHREB_M, _ARABIC_F, _MAGHREB_S, 0.15,
             None, ("Casablanca", "Oran", "Alger", "Tunis", "Sfax", "Tanger", "Constantine"), 0.03), 0.12),
    (Culture("slavic", (("UKR", 0.4), ("RUS", 0.3), ("GEO", 0.2), ("BLR", 0.1)), _SLAVIC_M, _SLAVIC_F, _SLAVIC_S, 0.0,
             "cyrillic", ("Kyiv", "Kharkiv", "Moskva", "Tbilisi", "Odesa", "Minsk"), 0.01), 0.08),
    (Culture("south_asia", (("BGD", 0.6), ("PAK", 0.4)), _SOUTH_ASIA_M, _ARABIC_F, _SOUTH_ASIA_S, 0.2,
             None, ("Dhaka", "Sylhet", "Lahore", "Karachi", "Gujrat", "Chittagong"), 0.08), 0.08),
    (Culture("turkish", (("TUR", 1.0),), _TURKISH_M, _ARABIC_F, _TURKISH_S, 0.0,
             None, ("Istanbul", "Gaziantep", "Diyarbakir", "Ankara", "Van"), 0.02, latin_script=True), 0.05),
    (Culture("west_africa", (("GIN", 0.4), ("CIV", 0.3), ("SEN", 0.2), ("MLI", 0.1)), _WEST_AFRICA_M, _ARABIC_F,
             _WEST_AFRICA_S, 0.0, None, ("Conakry", "Abidjan", "Dakar", "Bamako", "Labe"), 0.15,
             latin_script=True), 0.07),
)

#: Other ways a record names each place of birth of :data:`CULTURES`: the province, governorate,
#: region or district (a city's quarter or commune) a person may name instead, and the town's
#: other name (the local or Arabic name beside the English one, the Russian beside the Ukrainian,
#: a former official name).
PLACE_VARIANTS: dict[str, tuple[str, ...]] = {
    "Aleppo": ("Halab", "Aleppo Governorate"), "Damascus": ("Dimashq", "Rif Dimashq"), "Homs": ("Hims",),
    "Idlib": ("Idleb", "Idlib Governorate"), "Deir ez-Zor": ("Deir al-Zour", "Dayr az-Zawr"),
    "Baghdad": ("Bagdad",), "Mosul": ("Al-Mawsil", "Nineveh"), "Gaza": ("Ghazza", "Gaza Strip"),
    "Kabul": ("Kabol",), "Kandahar": ("Qandahar",), "Herat": ("Hirat",), "Jalalabad": ("Nangarhar",),
    "Kunduz": ("Qunduz",), "Ghazni": ("Ghazna",), "Peshawar": ("Khyber Pakhtunkhwa",),
    "Asmara": ("Asmera", "Maekel"), "Keren": ("Anseba",), "Mendefera": ("Debub",),
    "Massawa": ("Mitsiwa", "Northern Red Sea"), "Adi Keyh": ("Adi Keih", "Debub"),
    "Casablanca": ("Dar el Beida",), "Oran": ("Wahran",), "Alger": ("Algiers", "El Djazair"),
    "Tunis": ("Tunis Governorate",), "Sfax": ("Safaqis",), "Tanger": ("Tangier", "Tanja"),
    "Constantine": ("Qacentina",), "Kyiv": ("Kiev",), "Kharkiv": ("Kharkov",), "Moskva": ("Moscow",),
    "Tbilisi": ("Tiflis",), "Odesa": ("Odessa",), "Minsk": ("Minsk Region",), "Dhaka": ("Dacca",),
    "Sylhet": ("Sylhet Division",), "Lahore": ("Punjab",), "Karachi": ("Sindh",), "Gujrat": ("Punjab",),
    "Chittagong": ("Chattogram",), "Istanbul": ("Üsküdar", "Fatih"), "Gaziantep": ("Antep",), "Diyarbakir": ("Amed",),
    "Ankara": ("Çankaya",), "Van": ("Erciş",), "Conakry": ("Konakry",), "Abidjan": ("Yopougon", "Abobo"),
    "Dakar": ("Pikine", "Guédiawaye"), "Bamako": ("Bamako District",), "Labe": ("Fouta Djallon",),
}

MEMBER_STATES = (("DE", 0.25), ("FR", 0.14), ("ES", 0.1), ("IT", 0.12), ("EL", 0.08), ("AT", 0.06),
                 ("NL", 0.05), ("BE", 0.05), ("SE", 0.03), ("BG", 0.03), ("CY", 0.03), ("MT", 0.02),
                 ("PL", 0.02), ("HR", 0.02))
# The convention an authority of each state tends to use when it romanises a name.
_SCHEME_OF_STATE = {"DE": "de", "AT": "de", "FR": "fr", "BE": "fr", "IT": "it", "MT": "en", "ES": "es",
                    "EL": "en", "CY": "en", "NL": "en", "SE": "en", "BG": "en", "PL": "en", "HR": "en"}
CATEGORIES = (("applicant", 0.55), ("irregular_crossing", 0.25), ("illegal_stay", 0.12), ("sar", 0.08))


_FAMILY_CACHE: dict[str, list[tuple[str, str | None]]] = {}


def _document_number(rng: random.Random) -> str:
    """Two letters and seven digits, as the generator's document numbers are written."""
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(2)) + "".join(
        rng.choice(string.digits) for _ in range(7))


def family_names(culture: Culture) -> list[tuple[str, str | None]]:
    """The culture's family names plus names derived from given names the way family names form:
    Arabic nisba (Al-Hassani, Mohammadi), Abu-names, Pashto -zai and -khel, Maghrebi Ben-/Bou-,
    Slavic -ov/-enko, Turkish -oğlu, formed from the culture's common given names only: the
    family names of the ``wide`` and ``narrow`` populations, with plain Zipf weights a quarter of
    some cultures' persons share the most common one. The ``calibrated`` population's are
    :func:`pactum.identity.naming.family_tail`."""
    if culture.name in _FAMILY_CACHE:
        return _FAMILY_CACHE[culture.name]
    out = list(culture.surnames)
    for given, script in culture.given_m:
        base = given.replace(" ", "")
        tail = base[:-1] if base.endswith(("a", "e", "i", "y")) else base
        compact = script.replace(" ", "") if script else None
        if culture.name in ("levant", "south_asia"):
            out.append((f"Al-{tail}i", f"ال{compact}ي" if compact else None))
            out.append((f"{tail}i", f"{compact}ي" if compact else None))
            out.append((f"Abu {given}", f"أبو {script}" if script else None))
        elif culture.name == "afghan":
            out.append((f"{tail}zai", f"{compact}زی" if compact else None))
            out.append((f"{tail}i", f"{compact}ی" if compact else None))
            out.append((f"{given} Khel", f"{script} خیل" if script else None))
        elif culture.name == "maghreb":
            out.append((f"Ben {given}", None))
            out.append((f"Bou{given.lower()}", None))
            out.append((f"{tail}i", None))
        elif culture.name == "slavic":
            out.append((f"{tail}ov", None))
            out.append((f"{tail}enko", None))
        elif culture.name == "turkish":
            out.append((f"{tail}oğlu", None))
    _FAMILY_CACHE[culture.name] = out
    return out


@dataclass(frozen=True)
class NoiseRates:
    """Probabilities of each kind of noise on one record (0..1).

    The defaults are the *realistic* profile (:data:`REALISTIC`); :data:`HARSH` is the profile
    of the first release, in which every record is written afresh by an authority's own
    convention. What each realistic rate rests on is given beside it; where no published figure
    exists the rate is our estimate and is said to be one. Sources:

    [EMN] European Migration Network, *Challenges and practices for establishing the identity of
    third-country nationals in migration procedures* (2017 synthesis report): most applicants
    arrive without an identity document; names are taken from documents where they exist,
    otherwise from the applicant's statement and romanised by the officer.
    [ICAO] ICAO Doc 9303 part 3: travel documents carry the name in Latin characters in the
    machine-readable zone, which authorities copy, so that a person holding one is spelled the
    same way by every state.
    [EURODAC] Reg. (EU) 2024/1358: Member States consult Eurodac and the earlier record's
    identity data on every new registration, and a returning applicant is usually asked for (or
    shows) the papers of the earlier procedure.
    [UNHCR] UNHCR registration practice (Guidance on Registration and Identity Management, ch.
    5.4): when only the year of birth is known it is recorded as 1 January of that year; this is
    widespread for nationals of Afghanistan, Somalia and Eritrea, rare for Syrians, Ukrainians or
    Turks, whose civil registration is near complete (hence the per-culture ``dob_unknown`` of
    :data:`CULTURES`, our estimates).
    [ABS] Australian Bureau of Statistics, *Linking death registrations to the 2011 Census*
    (cat. 3302.0.55.004), Appendix C, Table C.1: m of sex 0.966 agree, 0.017 disagree, 0.017
    missing.
    [CHRISTEN] P. Christen, *Data Matching* (Springer 2012), ch. 2-3: typing errors in manually
    keyed name fields of administrative data are in the low per cent; swapped name fields and
    missing values are the most common structural errors.
    """

    other_scheme: float = 0.10  # a fresh romanisation in another convention than the state's [EMN]; estimate
    original_script: float = 0.02  # name kept in the original script (rare: the systems store Latin) [ICAO]
    vowel_change: float = 0.02  # per vowel: a<->e, u<->o, i<->e (officer's hearing of short vowels); estimate
    double_letter: float = 0.05  # per name: a doubled letter undoubled or a letter doubled; estimate
    article_change: float = 0.3  # al-/el-/nothing/joined; estimate
    compound_change: float = 0.25  # a compound name split or joined; estimate
    typo: float = 0.02  # per name: one keyboard error [CHRISTEN]
    swap_names: float = 0.04  # given name and surname in each other's field [CHRISTEN]
    father_as_surname: float = 0.03  # father's name taken as surname (no family name in the country); estimate
    dob_placeholder: float = 0.02  # known date, recorded as 1 January anyway (no papers at that registration)
    dob_year_only: float = 0.02
    dob_estimated: float = 0.03  # year off by one or two (an age estimated by the officer)
    dob_day_month_swap: float = 0.01  # US/European date order confusion [CHRISTEN]
    dob_digit_error: float = 0.01  # [CHRISTEN]
    dob_missing: float = 0.02
    missing_father: float = 0.5  # many forms have no father's name field
    missing_place: float = 0.4
    #: A record names the person's place of birth another way than the person's other records:
    #: the province or region instead of the town, or the town by its other name (Halab for
    #: Aleppo, Wahran for Oran, Kharkov for Kharkiv; :data:`PLACE_VARIANTS`). The place is given
    #: orally by most applicants [EMN] and written as heard; our estimate. 0 in the harsh profile
    #: (the first release's noise, unchanged).
    place_variant: float = 0.15
    missing_sex: float = 0.01
    #: A record states the other sex than the person's other records (a keying error, or a name
    #: read as the other sex's): in the pairs of an official linkage the sexes disagreed in 1.7%
    #: [ABS], two records' errors of about 0.85% each. 0 in the harsh profile (the first
    #: release's noise). Drawn from a random stream of its own, as ``second_document``.
    sex_wrong: float = 0.0085
    nationality_unknown: float = 0.03
    nationality_wrong: float = 0.02
    document_present: float = 0.3  # a document number recorded [EMN: most arrive without one]
    document_typo: float = 0.02
    #: Share of the persons holding a document who hold a second one: a passport beside a
    #: national identity card (Syria, Türkiye), an internal beside a foreign passport (Ukraine,
    #: Russia), a renewed passport beside the expired one. A record that records a document
    #: records either, so that two records of one person can carry different numbers; our
    #: estimate. 0 in the harsh profile. Drawn from a random stream of its own, so that with 0 the
    #: generator writes exactly the data of the releases before it.
    second_document: float = 0.3
    records_mean: float = 1.9  # mean records per person (1 + geometric)
    #: A record copies the person's established spelling (the document's Latin name, or the
    #: earlier registration found in Eurodac) instead of romanising the name afresh [ICAO]
    #: [EURODAC]; our estimate. 0 in the harsh profile: every record romanised afresh.
    consistent_spelling: float = 0.6
    #: Share of persons without a known exact date of birth; ``None`` takes each culture's
    #: share (:attr:`Culture.dob_unknown`) [UNHCR]. The harsh profile uses 0.15 for everyone.
    dob_unknown: float | None = None
    #: For a person without a known date: probability that a record states another year (±1-2)
    #: than the one the person usually gives (a re-estimated age). Our estimate; the person's
    #: stated year is normally carried over from the earlier record [EURODAC]. Harsh: always.
    unknown_dob_drift: float = 0.3

    def scaled(self, factor: float) -> NoiseRates:
        """All noise rates multiplied by ``factor`` (capped at 1); ``records_mean``, the presence
        rates and the consistency of spellings unchanged."""
        keep = ("records_mean", "document_present", "second_document", "missing_father", "missing_place",
                "article_change", "consistent_spelling", "dob_unknown")
        values = {
            f.name: (getattr(self, f.name) if f.name in keep else min(1.0, getattr(self, f.name) * factor))
            for f in fields(self)
        }
        return NoiseRates(**values)


#: Noise as documented for real registrations (the default).
REALISTIC = NoiseRates()
#: The first release's noise: every record romanised afresh by the recording authority, one
#: record in five with a placeholder date, undated persons' years re-estimated on every record.
#: Kept as a stress test (``--noise harsh``); harsher than any registry we know of.
HARSH = NoiseRates(
    other_scheme=0.15, original_script=0.08, vowel_change=0.05, double_letter=0.08, article_change=0.5,
    compound_change=0.4, typo=0.04, swap_names=0.08, father_as_surname=0.06, dob_placeholder=0.18,
    dob_year_only=0.05, dob_estimated=0.05, dob_day_month_swap=0.03, dob_digit_error=0.03, dob_missing=0.03,
    missing_father=0.5, missing_place=0.4, place_variant=0.0, missing_sex=0.02, sex_wrong=0.0, nationality_unknown=0.05,
    nationality_wrong=0.03,
    document_present=0.3, document_typo=0.05, second_document=0.0, records_mean=1.9, consistent_spelling=0.0,
    dob_unknown=0.15, unknown_dob_drift=1.0,
)
#: Populations of names (:attr:`Generator.names`), the default first.
NAME_POPULATIONS = ("calibrated", "wide", "narrow")
NOISE_PROFILES: dict[str, NoiseRates] = {"realistic": REALISTIC, "harsh": HARSH}


def noise_profile(name: str, scale: float = 1.0) -> NoiseRates:
    """A named noise profile (``realistic`` or ``harsh``), optionally scaled; ``ValueError`` for
    an unknown name."""
    try:
        rates = NOISE_PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown noise profile {name!r}; choose one of {', '.join(NOISE_PROFILES)}") from None
    return rates if scale == 1.0 else rates.scaled(scale)


@dataclass
class _Person:
    person_id: str
    culture: Culture
    sex: str
    given: tuple[str, str | None]
    surname: tuple[str, str | None]
    father: tuple[str, str | None]
    born: date
    nationality: str
    place: str
    document: str | None
    dob_known: bool
    spelled: dict[str, str] = field(default_factory=dict)  # established spelling of each name
    second_document: str | None = None


@dataclass
class LabelledRecord:
    record_id: str
    person_id: str
    member_state: str
    recorded_on: str
    category: str
    given_names: str
    surname: str
    father_name: str
    sex: str
    date_of_birth: str
    place_of_birth: str
    nationality: str
    document_number: str

    def as_row(self, with_label: bool = True) -> dict[str, str]:
        row = {k: getattr(self, k) for k in INPUT_COLUMNS}
        if with_label:
            row[LABEL_COLUMN] = self.person_id
        return row


INPUT_COLUMNS = ("record_id", "member_state", "recorded_on", "category", "given_names", "surname",
                 "father_name", "sex", "date_of_birth", "place_of_birth", "nationality", "document_number")
#: The column naming each generated record's true person, after the input columns.
LABEL_COLUMN = "person_id"


#: Items and cumulative weights of the module's weighted tables, by identity of the table.
_CUMULATIVE: dict[int, tuple[Any, list[Any], list[float]]] = {}


@dataclass
class Generator:
    """Seeded generator of labelled records. ``Generator(seed=1).records(100_000)``."""

    seed: int
    noise: NoiseRates = field(default_factory=NoiseRates)
    #: ``calibrated``: the ``wide`` given names, and family names with their own long tail,
    #: each drawn so that the most common name has the share documented for its culture
    #: (:data:`pactum.identity.naming.TOP_FAMILY_SHARE`, :data:`~pactum.identity.naming.TOP_GIVEN_SHARE`);
    #: ``wide``: each culture's common given names followed by the long tail its naming rules
    #: form (:mod:`pactum.identity.naming`), family names from a short list (design 2026.11.5's
    #: data); ``narrow``: the common names only (the first releases' data).
    names: str = "calibrated"

    def __post_init__(self) -> None:
        if self.names not in NAME_POPULATIONS:
            raise ValueError(f"unknown name population {self.names!r}; choose one of {', '.join(NAME_POPULATIONS)}")
        self.rng = random.Random(self.seed)
        # second documents (NoiseRates.second_document) and wrong sexes (sex_wrong) come from
        # streams of their own, so that the other draws are those of the releases before them
        self.documents_rng = random.Random(f"pactum-documents-{self.seed}")
        self.sex_rng = random.Random(f"pactum-sex-{self.seed}")
        self._zipf: dict[int, list[float]] = {}
        self._given: dict[tuple[str, str], Sequence[tuple[str, str | None]]] = {}
        self._family: dict[str, Sequence[tuple[str, str | None]]] = {}
        self._calibrated: dict[tuple[str, str], list[float]] = {}

    def given_names(self, culture: Culture, sex: str) -> Sequence[tuple[str, str | None]]:
        """The given names of ``culture`` for ``sex`` (``M`` or ``F``), most common first."""
        key = (culture.name, sex)
        if key not in self._given:
            head = culture.given_f if sex == "F" else culture.given_m
            self._given[key] = head if self.names == "narrow" else naming.widen(culture.name, head, sex)
        return self._given[key]

    def family_names(self, culture: Culture) -> Sequence[tuple[str, str | None]]:
        """The family names of ``culture``, most common first."""
        if self.names != "calibrated":
            return family_names(culture)
        if culture.name not in self._family:
            self._family[culture.name] = naming.family_tail(culture.name, culture.surnames,
                                                            self.given_names(culture, "M"))
        return self._family[culture.name]

    def _pick_name(self, culture: Culture, kind: str, items: Sequence[tuple[str, str | None]]) -> tuple[str, str | None]:
        """A name of ``items`` (``kind``: ``M``, ``F`` or ``family``): plain Zipf weights, or in the
        calibrated population the weights that give the culture's most common name its share."""
        if self.names != "calibrated":
            return self._pick(items)
        key = (culture.name, kind)
        if key not in self._calibrated:
            top = (naming.TOP_FAMILY_SHARE.get(culture.name) if kind == "family"
                   else naming.TOP_GIVEN_SHARE.get(culture.name))
            self._calibrated[key] = list(accumulate(naming.mandelbrot_weights(len(items), top)))
        return self.rng.choices(items, cum_weights=self._calibrated[key])[0]

    def _weights(self, n: int) -> list[float]:
        """Cumulative Zipf weights: ``choices(cum_weights=...)`` draws exactly what
        ``choices(weights=...)`` draws, without summing the weights on every call."""
        if n not in self._zipf:
            self._zipf[n] = list(accumulate(naming.mandelbrot_weights(n, None)))
        return self._zipf[n]

    def _pick(self, items: Sequence[tuple[str, str | None]]) -> tuple[str, str | None]:
        return self.rng.choices(items, cum_weights=self._weights(len(items)))[0]

    def _choose(self, weighted: Sequence[tuple[Any, float]]) -> Any:
        """One item of ``(item, weight)`` pairs: the same draw as ``choices(items, weights)``."""
        table = _CUMULATIVE.get(id(weighted))
        if table is None or table[0] is not weighted:
            table = (weighted, [x for x, _ in weighted], list(accumulate(w for _, w in weighted)))
            _CUMULATIVE[id(weighted)] = table
        return self.rng.choices(table[1], cum_weights=table[2])[0]

    def _person(self, n: int) -> _Person:
        rng = self.rng
        culture = self._choose(CULTURES)
        unknown = culture.dob_unknown if self.noise.dob_unknown is None else self.noise.dob_unknown
        sex = "F" if rng.random() < 0.3 else "M"
        given = self._pick_name(culture, sex, self.given_names(culture, sex))
        father = self._pick_name(culture, "M", self.given_names(culture, "M"))
        surname = (father if rng.random() < culture.patronymic_surname
                   else self._pick_name(culture, "family", self.family_names(culture)))
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 58))
        nats = culture.nationalities
        nationality = self._choose(nats)
        document = None
        if rng.random() < 0.6:
            document = _document_number(rng)
        person = _Person(f"P{self.seed}-{n:08d}", culture, sex, given, surname, father, born, nationality,
                         rng.choice(culture.places), document, rng.random() > unknown)
        if document and self.documents_rng.random() < self.noise.second_document:
            person.second_document = _document_number(self.documents_rng)
        return person

    def records(self, n_records: int) -> list[LabelledRecord]:
        return list(self.iter_records(n_records))

    def iter_records(self, n_records: int) -> Iterator[LabelledRecord]:
        rng = self.rng
        made = 0
        n_person = 0
        p_more = 1.0 - 1.0 / self.noise.records_mean
        while made < n_records:
            person = self._person(n_person)
            n_person += 1
            k = 1
            while rng.random() < p_more and k < 8:
                k += 1
            for _ in range(min(k, n_records - made)):
                yield self._record(person, made)
                made += 1

    # --- one record --------------------------------------------------------------------------

    def _record(self, p: _Person, n: int) -> LabelledRecord:
        rng, nz = self.rng, self.noise
        state = self._choose(MEMBER_STATES)
        scheme = _SCHEME_OF_STATE[state]
        if rng.random() < nz.other_scheme:
            scheme = rng.choice(("en", "fr", "de", "it", "es", "scholarly"))
        native = rng.random() < nz.original_script and p.culture.script is not None
        reuse = bool(nz.consistent_spelling) and not native and rng.random() < nz.consistent_spelling
        given = self._render(p, "given", p.given, scheme, native, reuse)
        father_as_surname = rng.random() < nz.father_as_surname
        surname_src = p.father if father_as_surname else p.surname
        surname = self._render(p, "father" if father_as_surname else "surname", surname_src, scheme, native, reuse)
        father = "" if rng.random() < nz.missing_father else self._render(p, "father", p.father, scheme, native, reuse)
        if rng.random() < nz.swap_names:
            given, surname = surname, given
        recorded = date(2020, 1, 1) + timedelta(days=rng.randrange(0, 365 * 6))
        nationality = p.nationality
        if rng.random() < nz.nationality_unknown:
            nationality = "XXX"
        elif rng.random() < nz.nationality_wrong:
            nationality = rng.choice([c for c, _ in p.culture.nationalities] + ["SYR", "IRQ", "AFG"])
        document = ""
        if p.document and rng.random() < nz.document_present:
            document = p.document
            if p.second_document and self.documents_rng.random() < 0.5:
                document = p.second_document
            if rng.random() < nz.document_typo:
                i = rng.randrange(len(document))
                document = document[:i] + rng.choice(string.digits) + document[i + 1:]
        place = "" if rng.random() < nz.missing_place else self._spell(self._place(p), scheme, light=True)
        return LabelledRecord(
            record_id=f"R{self.seed}-{n:08d}", person_id=p.person_id, member_state=state,
            recorded_on=recorded.isoformat(),
            category=self._choose(CATEGORIES),
            given_names=given, surname=surname, father_name=father,
            sex=self._sex(p),
            date_of_birth=self._dob(p), place_of_birth=place, nationality=nationality,
            document_number=document,
        )

    def _sex(self, p: _Person) -> str:
        wrong = self.sex_rng.random() < self.noise.sex_wrong
        if self.rng.random() < self.noise.missing_sex:
            return ""
        return ("M" if p.sex == "F" else "F") if wrong else p.sex

    def _place(self, p: _Person) -> str:
        """The person's place of birth as this record states it (no draw when the profile has no
        place variants, so that such a profile's data stays what it was)."""
        if self.noise.place_variant and self.rng.random() < self.noise.place_variant:
            return self.rng.choice(PLACE_VARIANTS[p.place])
        return p.place

    def _dob(self, p: _Person) -> str:
        rng, nz = self.rng, self.noise
        b = p.born
        r = rng.random()
        if r < nz.dob_missing:
            return ""
        year = b.year
        if not p.dob_known or rng.random() < nz.dob_estimated:
            drift = 0.5 if p.dob_known else nz.unknown_dob_drift
            year = b.year + rng.choice((-2, -1, -1, 1, 1, 2)) if rng.random() < drift else year
            return f"{year:04d}-01-01" if rng.random() < 0.8 else f"{year:04d}"
        r = rng.random()
        if r < nz.dob_placeholder:
            return f"{year:04d}-01-01"
        r -= nz.dob_placeholder
        if r < nz.dob_year_only:
            return f"{year:04d}"
        r -= nz.dob_year_only
        month, day = b.month, b.day
        if r < nz.dob_day_month_swap and day <= 12:
            month, day = day, month
        elif r < nz.dob_day_month_swap + nz.dob_digit_error:
            which = rng.choice(("year", "month", "day"))
            if which == "year":
                year += rng.choice((-10, 10, -1, 1))
            elif which == "month":
                month = max(1, min(12, month + rng.choice((-1, 1))))
            else:
                day = max(1, min(28, day + rng.choice((-1, 1, -10, 10))))
        return f"{year:04d}-{month:02d}-{min(day, 28) if month == 2 else day:02d}"

    def _render(self, p: _Person, role: str, name: tuple[str, str | None], scheme: str, native: bool,
                reuse: bool = False) -> str:
        """The name as this record writes it: the original script, the person's established
        spelling (copied from a document or an earlier record), or a fresh romanisation."""
        latin, script = name
        if native and script:
            return script
        if reuse and role in p.spelled:
            established = p.spelled[role]
            return _typo(established, self.rng) if self.rng.random() < self.noise.typo else established
        spelled = self._spell(latin, "en" if p.culture.latin_script else scheme)
        if self.noise.consistent_spelling:
            p.spelled.setdefault(role, spelled)
        return spelled

    def _spell(self, name: str, scheme: str, light: bool = False) -> str:
        rng, nz = self.rng, self.noise
        s = name
        if not light:
            s = _scheme(s, scheme)
            s = _vowels(s, rng, nz.vowel_change)
            if rng.random() < nz.double_letter:
                s = _doubling(s, rng)
            if rng.random() < nz.article_change:
                s = _article(s, rng)
            if rng.random() < nz.compound_change:
                s = _compound(s, rng)
        if rng.random() < nz.typo:
            s = _typo(s, rng)
        return s


# --- spelling transformations (each mimics a real convention) --------------------------------

#: Each convention as (regular expression, replacement) pairs applied in order to the lower-case
#: English-style name. A j already written dj (Djamel, Boudjemaa) is one sound: French keeps it,
#: German writes dsch and Italian gi for the pair (Dschamel, Giamel), not Ddschamel. Italian
#: writes sh as sci before a, o, u and sc before e, i (Hisciam, Scerif), and keeps it elsewhere.
_SCHEMES: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (),
    "fr": (("sh", "ch"), ("ou", "ou"), ("u", "ou"), ("oouu", "ou"), ("(?<!d)j", "dj"), ("w", "ou"), ("ee", "i"),
           ("y", "i")),
    "de": (("sh", "sch"), ("d?j", "dsch"), ("kh", "ch"), ("y", "j"), ("w", "w"), ("ee", "ie")),
    "it": (("sh(?=[aou])", "sci"), ("sh(?=[ei])", "sc"), ("kh", "k"), ("d?j", "gi"), ("y", "i"), ("w", "u")),
    "es": (("kh", "j"), ("sh", "ch"), ("y", "i"), ("w", "u"), ("q", "k")),
    "scholarly": (("ou", "u"), ("ee", "i"), ("oo", "u"), ("e", "a"), ("o", "u")),
}


def _scheme(name: str, scheme: str) -> str:
    out = name
    lower = out.lower()
    for a, b in _SCHEMES[scheme]:
        if a == "u" and "ou" in lower:
            continue
        lower = re.sub(a, b, lower)
    lower = lower.replace("oouu", "ou").replace("ouou", "ou")
    return " ".join(w[:1].upper() + w[1:] for w in lower.split(" "))


def _vowels(s: str, rng: random.Random, p: float) -> str:
    swap = {"a": "e", "e": "a", "u": "o", "o": "u", "i": "e"}
    chars = list(s)
    for i, c in enumerate(chars):
        if c in swap and i > 0 and rng.random() < p:
            chars[i] = swap[c]
    return "".join(chars)


def _doubling(s: str, rng: random.Random) -> str:
    for i in range(1, len(s)):
        if s[i] == s[i - 1] and s[i].isalpha():
            return s[:i] + s[i + 1:]
    cons = [i for i in range(1, len(s) - 1) if s[i] in "bdfklmnrst"]
    if not cons:
        return s
    i = rng.choice(cons)
    return s[:i] + s[i] + s[i:]


def _article(s: str, rng: random.Random) -> str:
    for art in ("Al-", "El-", "Al ", "El "):
        if s.startswith(art):
            rest = s[len(art):]
            return rng.choice((rest, "El-" + rest, "Al " + rest, "al" + rest.lower(), "Al-" + rest))
    return s


def _compound(s: str, rng: random.Random) -> str:
    low = s.lower()
    for pre in ("abdul ", "abdel ", "abd al-", "abd el-", "abdul", "abdel", "abu ", "abou ", "gebre", "ghebre",
                "wolde", "nour al-", "nur "):
        if low.startswith(pre):
            rest = s[len(pre):].strip()
            head = rng.choice(("Abdul", "Abdel", "Abd al-", "Abd ", "Abdur")) if pre.startswith("abd") else s[
                :len(pre)].strip().rstrip("-")
            sep = rng.choice(("", " ", "-")) if not head.endswith((" ", "-")) else ""
            return head + sep + (rest.lower() if sep == "" else rest.capitalize())
    for suf in ("ullah", "zai"):
        if low.endswith(suf) and len(low) > len(suf) + 2:
            head = s[: -len(suf)]
            return head + rng.choice((" Ullah", "ulla", "ullah", " Allah")) if suf == "ullah" else head + " Zai"
    return s


def _typo(s: str, rng: random.Random) -> str:
    if len(s) < 3:
        return s
    i = rng.randrange(1, len(s) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return s[:i] + s[i + 1:]
    if kind == 1:
        return s[:i] + rng.choice(string.ascii_lowercase) + s[i:]
    if kind == 2:
        return s[:i] + rng.choice(string.ascii_lowercase) + s[i + 1:]
    return s[:i - 1] + s[i] + s[i - 1] + s[i + 1:]
