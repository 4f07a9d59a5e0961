"""The long tails of given and family names, and the frequencies of the most common names, for
the benchmark generator (:mod:`pactum.identity.generator`). Family names: see the section
"Family names and the frequencies of names" below.

A generator that draws every man of a culture from a list of a few dozen names makes different
people look alike far more often than real registries do: with Zipf weights over 25 names the
most common name is borne by 28% of men and the ten most common by 78%. What is documented about
the most common name of all points lower: about 150 million men bear Muhammad in one of its
spellings (*Columbia Encyclopedia*, 6th ed., 2000), some 15% of the world's Muslim men; in
Israel's civil registry one Arab newborn boy in six was named Muhammad in 2000 and one in eight
in 2020 (Population and Immigration Authority figures as reported by TRT Arabic, 2021). In the
1990 US census the ten most common male names covered 23.5% of men and 1,219 names covered 90%.

Names beyond the common ones are not invented letter strings: each culture forms them by rules
that are themselves a source of spelling variation, and this module applies them to real name
elements:

* Arabic: ``Abd al-`` with one of the divine names (Abdul Karim, Abdel Latif), ``… al-Din``
  (Salah al-Din, Alaa al-Din), and the double given name beginning with Muhammad (Mohammed Nour);
* Afghan: ``…ullah`` (Ehsanullah), ``Abdul …``, ``Gul …``, ``… Khan``, ``… Jan``, ``Mohammad …``;
* Tigrinya: a prefix Gebre-, Tesfa-, Wolde-, Habte-, Kidane-, Haile-, Zere- with a saint or
  divine name (Gebremariam, Tesfamichael, Woldeselassie);
* Maghreb: joined ``Abdel…``/``Abde…`` forms (Abdelhakim, Abderrahmane) and ``Mohamed …``;
* South Asia: ``… Uddin``, ``… Ul Haq``, ``Abdul …``, ``Mohammad …``;
* West Africa (Fula and Mande): ``Mamadou …``, ``Thierno …``, ``Elhadj …`` double names;

plus real single names of each culture that the common lists leave out. The tail follows the
same Zipf law as the head (it continues its ranks), in an order fixed by a seed of its own, so
that the data does not depend on the generator's seed. With the tail each culture's most common
male name is borne by 15-19% of its men (:func:`top_share`), the documented range; a generator
built with ``names="narrow"`` keeps the short lists (the first releases' data, and the harsh
profile) for comparison.

Tail names carry no original-script form: a record in the original script is drawn only for the
common names, so the wide population has slightly fewer original-script records than the narrow
one (0.02 of records for the common names either way).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

Name = tuple[str, str | None]


def _words(text: str) -> list[str]:
    return text.split()


_DIVINE = _words(
    "Rahman Rahim Malik Salam Aziz Jabbar Karim Latif Majid Hamid Qadir Razzaq Wahab Fattah Ghani Halim "
    "Hakim Basit Hadi Nasser Khaliq Jalil Wahid Samad Rauf Hafiz Ghafoor Bari Mannan Qayyum Sattar Alim "
    "Wadud Moneim Quddus Hai Matin Mujib Wali Haq"
)
_DIN = _words(
    "Nour Salah Alaa Badr Saif Jamal Nasr Izz Kamal Sharaf Fakhr Khair Shams Zain Nizam Taj Baha Husam "
    "Imad Diaa"
)

_ARABIC_M_MORE = _words(
    "Adnan Amjad Anwar Ashraf Assad Ayham Bashar Basel Bassam Ehab Emad Fahd Faisal Firas Fouad Ghaith Haitham "
    "Hani Hatem Hazem Ihab Ismail Jalal Kamal Kinan Louay Mahdi Maher Malek Mamdouh Mounir Nader Naji Nizar "
    "Obada Qais Raed Rafiq Riad Saad Saber Safwan Salim Samer Shadi Sufyan Taha Talal Tamer Wael Wassim Yahya "
    "Yaman Yazan Zaher Ziad Zuhair Hussam Laith Moataz Rabie Sultan Younes Abbas Akram Amer Aref Daoud Fawaz "
    "Ghazi Hilal Issam Maamoun Mohsen Mouaz Nawaf Qutaiba Saeed Khalaf Muhsin Hamdi Ammar Jawad Mustafa Haidar "
    "Hamid Kadhim Abbas Sajjad Ahmad Ali Muntadhar Zaid Mazin Haider Karrar Murtada Hashem Yousef Omran"
)
_ARABIC_F_MORE = _words(
    "Alaa Amal Aseel Ayat Bayan Bushra Dima Doaa Eman Farah Ghada Hala Hiba Iman Jana Lama Lina Lubna Manal "
    "Maha Mais Majd Malak Mona Nadia Nahla Najwa Nisreen Noura Rahaf Rawan Ruba Sahar Samar Sana Shatha Suha "
    "Tasneem Wafaa Walaa Zahra Zeina Raghad Hadeel Heba Ghadir Rim Aya Abeer Afaf Alia Amani Areej Batoul "
    "Dunia Fadia Ghofran Hind Inas Jumana Khawla Lamia Lamis Mariam Mervat Muna Nawal Nesrine Rana Randa Razan "
    "Sawsan Siham Souad Wiam Yara Zainab Sumaya Safaa Shireen Tahani"
)
_PASHTO_M_MORE = _words(
    "Ajmal Aimal Baryalai Daud Dawood Elham Fawad Ghulam Haroon Hayatullah Idrees Jamshid Javed Karim Khalid "
    "Mansoor Mirwais Naveed Nazir Obaid Omid Qais Rahmat Rashid Sadiq Sakhi Samiullah Shafiullah Shahid Sharif "
    "Sohail Tariq Waheed Yama Zalmai Zubair Zia Ahmadshah Anwar Bilal Fahim Faridoon Ghani Hashmat Hedayat "
    "Ibrahim Jawid Latif Massoud Matin Mujeeb Murtaza Najib Nawid Parwiz Qasim Ramin Rohullah Sabir Said "
    "Shakib Shoaib Siddiq Sultan Taher Wali Wais Yasin Yousuf Zaher Zarif Amin Arif Ashraf Asif Esmatullah "
    "Hamidullah Mahmood Nasrullah Qudratullah Sayed Sher Wazir"
)
_ULLAH = _words(
    "Ahsan Aman Atta Azmat Ehsan Fazl Habib Hashmat Hayat Hidayat Ihsan Inayat Izzat Karam Khalil Kifayat "
    "Lutf Mati Najib Nasr Niamat Obaid Qudrat Rafi Rahmat Saif Sana Shafi Shukr Sibghat Wali Zia Amin "
    "Barakat Fath Hamd Hikmat Kalim Mohib Rohul Sami"
)
_GUL = _words("Agha Ali Bad Dad Jan Khan Mir Nabi Rahman Sher Zaman Zar Mohammad Ahmad Hakim Wali Nazar Shah")
_TIGRINYA_PRE = _words("Gebre Tesfa Wolde Habte Kidane Haile Zere Tekle")
_TIGRINYA_SUF = _words(
    "mariam michael selassie giorgis kristos iyesus medhin hiwet egziabher haimanot yohannes gabriel "
    "tsion amlak meskel"
)
_TIGRINYA_M_MORE = _words(
    "Biniam Robel Natnael Aron Yafet Mikael Eyob Simon Daniel Michael Zerai Tesfalem Goitom Kibrom Abraham "
    "Isaak Yemane Ermias Hagos Medhanie Negasi Tsegay Teklay Weldu Yosief Zekarias Ghebray Kahsay Mulugeta "
    "Asmerom Awet Merhawi Nahom Senay Semere Tewelde Yirgalem Futsum Okbay Russom Solomon Tedros Teame "
    "Temesghen Zemichael Yemane Afewerki Alem Andom Araya Bereket Eyasu Ghebremeskel Kesete Mengisteab "
    "Mesfin Nebiat Petros Sirak Tekeste Tsegai Welday Yonatan Zeray Abel Amanuel Henok Meron Mussie"
)
_TIGRINYA_F_MORE = _words(
    "Almaz Aster Azieb Bisrat Eden Elsa Feruz Freweini Hiwet Hanna Luwam Mebrat Meaza Medhin Milena Nardos "
    "Rigbe Ruth Sabrina Segen Selamawit Sosina Tsega Tsige Winta Yordanos Yodit Zewdi Abrehet Akberet "
    "Berhane Danait Eyerusalem Helen Kidan Lemlem Mana Mihret Mizan Nebiat Salina Simret Tirhas Turuwork"
)
_PASHTO_F_MORE = _words(
    "Ayesha Bibi Farzana Fatema Fereshta Frishta Habiba Hamida Homa Khadija Laila Latifa Malalai Marzia "
    "Masooda Mina Mursal Nadia Nafisa Najiba Nasrin Nazanin Nilofar Nooria Palwasha Rabia Roya Sadia Sakina "
    "Shakila Shazia Sharifa Shirin Sima Soraya Sultana Tahmina Wazhma Zarghona Zarifa Zohra Gulnaz Gulbadan "
    "Arezo Breshna Hasina Karima Lina Madina Mariam Maryam Mahnaz Nargis Parisa Raihana Rukhsar Saima"
)
_SLAVIC_M_MORE = _words(
    "Pavel Roman Oleg Igor Maksym Maksim Viktor Bohdan Denys Denis Taras Vitaliy Yevgeniy Konstantin Anatoliy "
    "Volodymyr Levan Davit Irakli Zurab Vasyl Vasiliy Petro Petr Stepan Mykola Ihor Ruslan Vadim Vyacheslav "
    "Anton Artur Boris Gennadiy Grigoriy Kirill Leonid Nikita Stanislav Timur Valeriy Vladislav Yaroslav "
    "Yegor Fedor Ilya Matvey Gleb Arseniy Tigran Armen Aram Gagik Nodar Tamaz Shota Giorgi Lasha Otar Badri "
    "Rustam Ramzan Magomed Islam Ibragim Aslan Khasan Said Adam Akhmed Bislan"
)
_SLAVIC_F_MORE = _words(
    "Mariya Yelena Olena Ekaterina Kateryna Oksana Lyudmila Galina Valentina Larisa Marina Nadezhda Lyubov "
    "Viktoriya Alina Darya Polina Sofiya Kseniya Alla Inna Zhanna Vera Zoya Lesya Halyna Tamara Ketevan Mariam "
    "Nana Tamar Eka Lela Maka Salome Ani Anush Gayane Lusine Zarema Madina Khava Aminat Tamila Yana Valeriya"
)
_MAGHREB_M_MORE = _words(
    "Adel Aissa Amar Ayoub Azzedine Bachir Brahim Chakib Farid Fethi Fouad Hakim Hassan Hocine Idir Ilyes "
    "Issam Jamel Kamel Khaled Lakhdar Lotfi Lyes Mahdi Malik Marouane Mounir Mustapha Nassim Nordine Omar "
    "Othmane Rabah Redouane Riad Ridha Saad Said Salim Samir Slimane Tarik Yacine Yassine Younes Zakaria "
    "Zine Achraf Anas Badr Hatim Hicham Imad Ismail Jalal Jawad Khalid Mohcine Nabil Noureddine Ramzi Reda "
    "Soufiane Taha Wassim Yahya Zouhair Bilel Chokri Hamza Houssem Mehdi Seifeddine Wael Aymen Oussama "
    "Montassar Ghassen Achref Mokhtar Abdallah Salah Toufik Mourad Kader"
)
_MAGHREB_ABDEL = _words(
    "kader aziz lah hak malek hamid rahmane krim latif madjid ghani hakim basset nour wahab jalil karim "
    "samad rahim fattah halim majid ilah moumen salam ali"
)
_SOUTH_ASIA_M_MORE = _words(
    "Abdullah Adnan Ahsan Akbar Ali Amir Anwar Asad Ashraf Aziz Babar Danish Ehsan Farhan Fahad Habib Hamza "
    "Hasan Humayun Ijaz Irfan Jahangir Javed Junaid Kashif Khalid Liaqat Mahmud Majid Masud Mizanur Mominul "
    "Mujibur Nadeem Naeem Nasir Nazrul Obaidul Qamar Rashed Rizwan Saad Sabbir Saiful Sakib Salman Shafiq "
    "Shahin Shakil Shamim Sharif Shoaib Sohel Sumon Tanvir Tareq Touhid Waqas Yasir Zahid Zakir Zia Aminul "
    "Anisur Ariful Asaduzzaman Ataur Habibur Jahirul Kamrul Khairul Lutfur Mamun Masum Mostafa Rafiqul Rubel"
)
_UDDIN = _words(
    "Nasir Salah Jamal Kamal Moin Zia Shams Ala Badr Jalal Nizam Mohi Siraj Imam Qutub Fakhr Rafi Saif"
)
_TURKISH_M_MORE = _words(
    "Abdullah Adem Ahmet Ali Alper Arda Aydin Bayram Bekir Bilal Burak Cem Cemal Cengiz Emin Emre Enes Engin "
    "Erdal Erkan Ercan Fatih Ferhat Furkan Gokhan Halil Hakan Hamza Harun Hasan Hayri Ibrahim Ilhan Ismail "
    "Kadir Kemal Kerem Koray Levent Mahmut Mert Metin Muhammed Musa Mustafa Necati Nihat Oguz Okan Omer Onur "
    "Orhan Osman Ozan Ramazan Recep Riza Salih Sedat Selim Serkan Sinan Suleyman Tarik Taner Tuncay Ugur Umut "
    "Veli Volkan Yasin Yavuz Yunus Yusuf Zafer Baris Berk Can Deniz Dogan Eren Huseyin Irfan Kaan Kenan Mehmet"
)
_WEST_AFRICA_M_MORE = _words(
    "Aboubacar Adama Alassane Aliou Almamy Amara Bakary Bangaly Cheick Daouda Djibril Fode Fodé Habib Hamidou "
    "Ismael Issa Karamoko Kemo Lansana Mamady Mohamed Modibo Morlaye Naby Oumar Saliou Seydou Sidiki Siaka "
    "Souleymane Thierno Tidiane Yacouba Youssouf Zoumana Aly Amadou Boubacar Demba Elhadj Famara Ibrahim "
    "Karim Lassana Mahamadou Malick Mory Moustapha Ousmane Sory Tanou Yaya Cherif Kalilou Madou Mamoudou"
)
_FULA_SECOND = _words(
    "Saliou Aliou Alpha Oury Bailo Dian Sadou Lamarana Kindy Bhoye Cellou Diouldé Mouctar Sory Tanou"
)


def _abdel(divine: str) -> str:
    """The Maghrebi French form of ``Abd al-`` + a divine name: the article assimilates to a sun
    letter (Abderrahmane, Abdennour, Abdessamad) and stays before a moon letter (Abdelkader)."""
    return f"Abde{divine[0]}{divine}" if divine[0] in "dnrstz" else f"Abdel{divine}"


def _names(words: Sequence[str]) -> list[Name]:
    return [(w, None) for w in words]


def _tail_m(culture: str, head: Sequence[Name]) -> list[Name]:
    """The male given names the culture forms beyond its common list (real elements, real rules)."""
    head_words = [n for n, _ in head if " " not in n]
    if culture == "levant":
        return _names(_ARABIC_M_MORE + [f"Abdul {d}" for d in _DIVINE] + [f"{x} al-Din" for x in _DIN]
                      + [f"Mohammed {n}" for n in head_words[1:] + _ARABIC_M_MORE[:60] if n != "Mohammed"]
                      + [f"Abu {n}" for n in head_words[1:30]])
    if culture == "afghan":
        return _names(_PASHTO_M_MORE + [f"{x}ullah" for x in _ULLAH] + [f"Abdul {d}" for d in _DIVINE]
                      + [f"Gul {x}" for x in _GUL if x != "Gul"] + [f"{x} Gul" for x in _GUL[:10]]
                      + [f"Mohammad {n}" for n in _PASHTO_M_MORE[:70] if n != "Mohammad"]
                      + [f"{n} Khan" for n in _PASHTO_M_MORE[:50]] + [f"{n} Jan" for n in _PASHTO_M_MORE[10:50]]
                      + [f"Sayed {n}" for n in _PASHTO_M_MORE[20:60]])
    if culture == "eritrean":
        return _names(_TIGRINYA_M_MORE + [p + s for p in _TIGRINYA_PRE for s in _TIGRINYA_SUF])
    if culture == "maghreb":
        return _names(_MAGHREB_M_MORE + [_abdel(x) for x in _MAGHREB_ABDEL]
                      + [f"Mohamed {n}" for n in _MAGHREB_M_MORE[:80] + head_words[1:] if n != "Mohamed"]
                      + [f"{x}eddine" for x in ("Nour", "Salah", "Seif", "Alaa", "Kamal", "Nasr", "Izz", "Bahaa",
                                                "Charaf", "Djamal", "Fakhr", "Khair", "Zin", "Badr", "Hoss")])
    if culture == "slavic":
        return _names(_SLAVIC_M_MORE)
    if culture == "south_asia":
        return _names(_SOUTH_ASIA_M_MORE + [f"{x} Uddin" for x in _UDDIN] + [f"Abdul {d}" for d in _DIVINE]
                      + [f"{n} Ul Haq" for n in ("Zia", "Inam", "Ehsan", "Anwar", "Fazal", "Ikram", "Zahoor",
                                                  "Mehboob", "Nazir", "Shams", "Imdad", "Manzoor")]
                      + [f"Mohammad {n}" for n in _SOUTH_ASIA_M_MORE[:80] + head_words[1:] if n != "Mohammad"])
    if culture == "turkish":
        return _names(_TURKISH_M_MORE)
    if culture == "west_africa":
        return _names(_WEST_AFRICA_M_MORE + [f"Mamadou {x}" for x in _FULA_SECOND]
                      + [f"Thierno {x}" for x in [*_FULA_SECOND, "Amadou", "Ibrahima", "Mamadou"]]
                      + [f"Elhadj {x}" for x in ("Mamadou", "Ibrahima", "Oumar", "Alpha", "Sekou", "Amadou",
                                                 "Boubacar", "Moussa", "Ousmane", "Abdoulaye")])
    raise ValueError(f"no naming rules for culture {culture!r}")


def _tail_f(culture: str) -> list[Name]:
    return _names({"levant": _ARABIC_F_MORE, "afghan": _PASHTO_F_MORE, "eritrean": _TIGRINYA_F_MORE,
                   "slavic": _SLAVIC_F_MORE}.get(culture, _ARABIC_F_MORE))


def widen(culture: str, head: Sequence[Name], sex: str) -> list[Name]:
    """``head`` (the culture's common names, most common first) followed by the tail its naming
    rules form, without duplicates, the tail in an order fixed by its own seed."""
    seen = {n.casefold() for n, _ in head}
    tail: list[Name] = []
    for name in (_tail_m(culture, head) if sex == "M" else _tail_f(culture)):
        key = name[0].casefold()
        if key not in seen:
            seen.add(key)
            tail.append(name)
    random.Random(f"pactum-names-{culture}-{sex}").shuffle(tail)
    return list(head) + tail


def _zipf_mandelbrot(n_names: int, offset: float, exponent: float) -> list[float]:
    """``1 / (rank + offset) ** exponent`` for ranks 1..n_names (plain Zipf for offset 0)."""
    return [1.0 / (i + 1 + offset) ** exponent for i in range(n_names)]


def top_share(n_names: int, exponent: float = 1.05) -> float:
    """Share of the most common of ``n_names`` names under the generator's Zipf weights."""
    return 1.0 / sum(_zipf_mandelbrot(n_names, 0.0, exponent))


# --- Family names and the frequencies of names (the ``calibrated`` population) -------------------
#
# Zipf weights over a list of a few dozen family names give the most common one to a quarter of
# a culture's persons: Yılmaz to 29% of the generated Turks and Ivanov to 25% of the generated
# Ukrainians, Russians and Georgians, against 1.4% and 1.3% documented below. Every person of the
# crowd such a list makes is someone's namesake, so the data then measures how well a model tells
# namesakes apart far more than registries need it to. The ``calibrated`` population draws each
# culture's family names (and, where it is documented, its given names) with Zipf-Mandelbrot
# weights, ``1 / (rank + q) ** 1.05``, ``q`` chosen so that the most common name has the share
# below, over the culture's common names followed by the names its naming rules form.

#: Share of a culture's persons with a family name (not the father's given name) who bear the most
#: common one; ``None`` keeps the plain Zipf weights. Documented: Türkiye, Yılmaz borne by
#: 1,174,516 persons in the address-based population register (ADNKS, as reported in the Turkish
#: press, 2023) of 85.3 million, 1.4%; Russia, Smirnov about 1.8% and Ivanov about 1.3% of the
#: population, as commonly cited (the Slavic culture takes the higher of the two, for a mix of
#: Ukraine, Russia, Georgia and Belarus whose most common names are rarer still). The others are
#: our estimates, set at or above the documented figures (erring towards more namesakes, not
#: fewer): Arabic and Afghan family names concentrate in large tribes and nisbas (Al-Obaidi,
#: Ahmadzai), Bangladeshi and Pakistani ones in a few Muslim names used as family names (Hossain,
#: Islam, Khan), and Fula and Mande clan names are few (Diallo, Traoré). Eritrean persons have
#: no family name (their surname is their father's given name, :attr:`Culture.patronymic_surname`).
TOP_FAMILY_SHARE: dict[str, float | None] = {
    "levant": 0.03, "afghan": 0.03, "maghreb": 0.015, "slavic": 0.018, "turkish": 0.014,
    "south_asia": 0.05, "west_africa": 0.10, "eritrean": None,
}

#: Share of a culture's men (and women) who bear its most common given name, where the plain Zipf
#: weights over the wide list (15-19%, :func:`top_share`) contradict what is documented:
#: Türkiye, Mehmet borne by 1,285,141 men and Fatma by 1,164,268 women in the same register (3.0%
#: and 2.7%). Muhammad (about one man in six, above) and Aleksandr (given to 18-20% of boys born
#: in the RSFSR in the peak years 1965-1985, Voronezh civil registry as reported in 2025) are
#: within the plain weights' range and keep them.
TOP_GIVEN_SHARE: dict[str, float] = {"turkish": 0.03}

_TURKISH_S_MORE = _words(
    "Yıldırım Özdemir Arslan Doğan Kılıç Aslan Çetin Kara Koç Kurt Özkan Şimşek Polat Korkmaz Karataş "
    "Erdoğan Güneş Aksoy Aktaş Bulut Keskin Ünal Tekin Acar Özer Güler Yavuz Avcı Tunç Sarı Kaplan Türk Işık "
    "Bozkurt Kalkan Uçar Yüksel Coşkun Ateş Altun Güzel Toprak Duman Ekinci Tan Yiğit Kahraman Akın Çakır "
    "Erdem Sönmez Aydemir Başaran Tuncer Uysal Ergin Karakaya Durmaz Akbulut Gündoğdu Özgür Savaş Temel "
    "Bilgin Gök Kaçar Turan Sevim Cengiz Aydoğan Yalçın Oral Erol Kocaman Güven Kurtuluş Tosun Bilgiç"
)
# The Surname Law of 1934 had every family choose a name, mostly a compound of an adjective or a
# noun with another (Ak+kaya, Kara+dağ, Öz+doğan, Gök+demir): the elements, combined.
_TURKISH_PRE = _words("Ak Kara Öz Er Gök Ay Al Demir Kaya Taş Can Sarı Gül Şen Tek Bay Kurt Yıldız Ata Bozo")
_TURKISH_SUF = _words("soy taş kaya demir han can er türk oğlu doğan yol bay el men kan dağ su yurt")
_SLAVIC_S_MORE = _words(
    "Smirnov Sokolov Lebedev Kozlov Novikov Volkov Solovyov Vasilyev Pavlov Semenov Golubev Vinogradov "
    "Bogdanov Vorobyov Fedorov Mikhailov Belyaev Tarasov Belov Komarov Orlov Kiselev Makarov Andreev "
    "Kovalev Ilyin Gusev Titov Kuzmin Kudryavtsev Baranov Kulikov Alekseev Stepanov Yakovlev Sorokin "
    "Sergeev Romanov Nikolaev Medvedev Frolov Zaitsev Egorov Nikitin Sidorov Bykov Gavrilov "
    "Kravchenko Oliynyk Shevchuk Koval Polishchuk Boyko Tkachuk Savchenko Rudenko Moroz Marchenko "
    "Lysenko Petrenko Klymenko Pavlenko Kravchuk Kuzmenko Ponomarenko Savchuk Vasylenko Levchenko "
    "Kharchenko Karpenko Kovalchuk Melnychuk Honcharenko Yurchenko Hrytsenko Sydorenko Mazur Kushnir "
    "Maisuradze Giorgadze Gelashvili Lomidze Tsiklauri Bolkvadze Nozadze Mamedov Aliyev Chikovani "
    "Lomtadze Kvaratskhelia Jgerenaia Dolidze Abashidze Gogoladze Mikeladze Tsereteli Japaridze Khutsishvili "
    "Novik Kovalenka Shevchenka Kazlou Navumenka Ivanou Kavaliou Kuzmich Karpovich Lukashevich Yakubovich"
)
_ARABIC_S_MORE = _words(
    "Al-Halabi Al-Homsi Al-Hamawi Al-Idlibi Al-Dimashqi Al-Baghdadi Al-Mosuli Al-Basri Al-Tikriti "
    "Al-Ghazzawi Al-Khalili Al-Nabulsi Al-Raqqawi Al-Hourani Al-Obaidi Al-Janabi Al-Dulaimi Al-Tamimi "
    "Al-Zoubi Al-Rifai Al-Khafaji Al-Azzawi Al-Ani Al-Hadidi Al-Mousawi Al-Hashimi Al-Husseini Al-Kubaisi "
    "Al-Shammari Al-Jubouri Al-Bayati Al-Saadi Al-Rawi Al-Hiti Al-Fayyad Al-Qaisi Al-Zubaidi Al-Maliki "
    "Al-Attar Al-Khouli Al-Sheikh Al-Hakim Al-Aswad Al-Tawil Al-Sabbagh Al-Nahhas Al-Jazzar Khoury Hallak "
    "Kassab Sayegh Dabbagh Tahhan Bitar Sarraf Zayat Shammas Farran Khayat Najjar Asmar Ashqar Abyad "
    "Kabbani Kurdi Shishani Turkmani Mardini Qabbani Jaafar Murad Sultan Hamoud Suleiman Yassin Khalaf "
    "Hamdan Barakat Fakhoury Haidar Mustafa Ismail Youssef Abbas Haj Hussein Abdo Taha Atassi Jabri"
)
_PASHTO_S_MORE = _words(
    "Popalzai Barakzai Alokozai Achakzai Noorzai Mohmand Shinwari Afridi Khattak Ghilzai Durrani Sadozai "
    "Mangal Zadran Hotak Tokhi Kakar Niazi Lodi Andar Taraki Kharoti Zazai Momand Ahmadi Rezai Jafari "
    "Mohseni Akbari Azimi Nazari Qaderi Hashimi Faizi Rasuli Samadi Mirzai Sadat Panjshiri Badakhshi "
    "Kohistani Jaghori Behsudi Paktiawal Logari Kabuli Herawi Kandahari Nangarhari Baghlani Samangani "
    "Rahmani Hakimi Amini Hamidi Wahidi Nasiri Habibi Sharifi Latifi Najibi Qasimi Rahimi Karimi Saberi "
    "Taheri Waziri Yousufi Zaheri Ghafoori Mansoori Noorzad Ahmadzada Mohammadzada Haidarzada Sultanzada"
)
_MAGHREB_S_MORE = _words(
    "Alaoui Idrissi Fassi Tazi Bennani Berrada Benjelloun Chraibi Lahlou Sebti Amrani Ouazzani Benkirane "
    "Belhaj Bouazizi Jendoubi Mejri Riahi Sassi Dridi Ayari Hamrouni Khelifi Benmansour Mebarki Belaid "
    "Boudiaf Slimani Ziani Kaci Amara Bouaziz Benyahia Hadjadj Rahmani Belkadi Guerfi Bensaid Touati "
    "Benamar Aissaoui Mokrani Kaddour Benabdallah Lamrani Naciri Tahiri Ghazouani Haddadi Marzouki "
    "Chebbi Zitouni Ben Youssef Ben Ammar Ben Hassine Mahjoub Laabidi Souissi Ferchichi Hammami Trabelsi "
    "Oukili Amazigh Ait Ahmed Ait Ali Ouali Ouchene Hamdaoui Boukhalfa Saadi Benchikh Belkhir Kherbouche"
)
_SOUTH_ASIA_S_MORE = _words(
    "Miah Sheikh Sarkar Talukder Bhuiyan Mondal Molla Sikder Khandaker Mridha Haque Kabir Alam Hasan Karim "
    "Siddique Ansari Qureshi Siddiqui Shah Hussain Raja Chaudhry Awan Janjua Abbasi Mirza Rana Gondal "
    "Cheema Bajwa Warraich Baig Naqvi Rizvi Jafri Zaidi Begum Akter Khatun Munshi Majumder Howlader Pramanik "
    "Dewan Chowdhury Faruque Sultana Parvez Mahmud Rashid Aziz Latif Jamil Nawaz Sharif Zaman Anwar Bhatti"
)
_WEST_AFRICA_S_MORE = _words(
    "Ouattara Konaté Diop Ndiaye Fall Sarr Diarra Sangaré Dembélé Soumah Sidibé Kouyaté Fofana Bangoura "
    "Doumbia Diakité Kanté Sacko Sall Gueye Ba Thiam Mbaye Faye Ndour Seck Kaba Kourouma Magassouba "
    "Doumbouya Kamara Soumaoro Cissoko Dioubaté Samaké Sanogo Bamba Koïta Tall Wane Dia Kane Ly Sy Niang"
)
_MORE_FAMILY = {"levant": _ARABIC_S_MORE, "afghan": _PASHTO_S_MORE, "maghreb": _MAGHREB_S_MORE,
                "slavic": _SLAVIC_S_MORE, "turkish": _TURKISH_S_MORE, "south_asia": _SOUTH_ASIA_S_MORE,
                "west_africa": _WEST_AFRICA_S_MORE}


def _from_given(culture: str, given: str) -> list[str]:
    """Family names a culture forms from a given name: Arabic nisba and Abu-names (Al-Hassani,
    Hassani, Abu Hassan), Pashto -zai, -i and Khel (Ahmadzai, Ahmadi, Ahmad Khel), Maghrebi Ben-,
    Bou- and -i, Slavic -ov and -enko, Turkish -oğlu. (West African clan names and Eritrean
    patronyms are not formed this way.)"""
    if " " in given or given.endswith("ullah"):
        # compounds (Abdul Karim, Mohammad Ajmal, Ehsanullah) take no suffix; a clan may still be
        # named after its ancestor (Abdul Karim Khel, Abu Abdul Karim)
        return {"levant": [f"Abu {given}"], "afghan": [f"{given} Khel"]}.get(culture, [])
    stem = given[:-1] if given.endswith(("a", "e", "i", "y")) else given
    return {
        "levant": [f"Al-{stem}i", f"{stem}i", f"Abu {given}"],
        "south_asia": [f"{stem}i"],
        "afghan": [f"{stem}zai", f"{stem}i", f"{given} Khel"],
        "maghreb": [f"Ben {given}", f"Bou{given.lower()}", f"{stem}i"],
        "slavic": [f"{stem}ov", f"{stem}enko"],
        "turkish": [f"{stem}oğlu"],
    }.get(culture, [])


def family_tail(culture: str, head: Sequence[Name], given: Sequence[Name]) -> list[Name]:
    """``head`` (the culture's common family names, most common first) followed by the family
    names of :data:`_MORE_FAMILY`, the Turkish compounds, and the names formed from every given
    name of ``given`` (:func:`_from_given`), without duplicates, the tail in an order fixed by its
    own seed. Tail names carry no original-script form."""
    seen = {n.casefold() for n, _ in head}
    words = list(_MORE_FAMILY.get(culture, ()))
    if culture == "turkish":
        words += [p + s for p in _TURKISH_PRE for s in _TURKISH_SUF if p.casefold() != s.casefold()]
    for name, _ in given:
        words += _from_given(culture, name)
    tail: list[Name] = []
    for w in words:
        key = w.casefold()
        if key not in seen:
            seen.add(key)
            tail.append((w, None))
    random.Random(f"pactum-family-{culture}").shuffle(tail)
    return list(head) + tail


def mandelbrot_offset(n_names: int, top: float, exponent: float = 1.05) -> float:
    """The offset ``q`` of the weights ``1 / (rank + q) ** exponent`` (rank from 1) over
    ``n_names`` names that gives the most common name the share ``top`` (0 where plain Zipf
    weights already give it no more); ``ValueError`` when ``n_names`` names cannot be that flat."""
    if not 0.0 < top < 1.0:
        raise ValueError("the share of the most common name must be between 0 and 1")
    if top_share(n_names, exponent) <= top:
        return 0.0
    if 1.0 / n_names >= top:
        raise ValueError(f"{n_names} names cannot give the most common one a share of {top}")

    def share(q: float) -> float:
        weights = _zipf_mandelbrot(n_names, q, exponent)
        return weights[0] / sum(weights)

    lo, hi = 0.0, 1.0
    while share(hi) > top:
        hi *= 2.0
    for _ in range(60):
        mid = (lo + hi) / 2.0
        lo, hi = (mid, hi) if share(mid) > top else (lo, mid)
    return hi


def mandelbrot_weights(n_names: int, top: float | None, exponent: float = 1.05) -> list[float]:
    """Weights of ``n_names`` names, most common first: Zipf-Mandelbrot with the most common name's
    share ``top`` (:func:`mandelbrot_offset`), or plain Zipf for ``None``."""
    return _zipf_mandelbrot(n_names, 0.0 if top is None else mandelbrot_offset(n_names, top, exponent), exponent)
