"""Legal references: which instrument, article, paragraph and point a rule or a parameter applies.

Instruments are identified by their CELEX number (the EUR-Lex identifier); ``INSTRUMENTS`` maps
the short codes used across Pactum to the CELEX number and the title used in citations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Instrument:
    code: str
    celex: str
    title: str
    short: str


INSTRUMENTS: dict[str, Instrument] = {
    i.code: i
    for i in (
        Instrument("dublin3", "32013R0604", "Regulation (EU) No 604/2013", "Dublin III Regulation"),
        Instrument("dublin_implementing", "32003R1560", "Commission Regulation (EC) No 1560/2003",
                   "Dublin implementing Regulation"),
        Instrument("ammr", "32024R1351", "Regulation (EU) 2024/1351",
                   "Asylum and Migration Management Regulation (AMMR)"),
        Instrument("ammr_implementing", "32025R2055", "Commission Implementing Regulation (EU) 2025/2055",
                   "AMMR implementing Regulation"),
        Instrument("apr", "32024R1348", "Regulation (EU) 2024/1348", "Asylum Procedure Regulation (APR)"),
        Instrument("procedures_directive", "32013L0032", "Directive 2013/32/EU",
                   "Asylum Procedures Directive (recast)"),
        Instrument("screening", "32024R1356", "Regulation (EU) 2024/1356", "Screening Regulation"),
        Instrument("eurodac_2013", "32013R0603", "Regulation (EU) No 603/2013",
                   "Eurodac Regulation (2013), replaced by Regulation (EU) 2024/1358"),
        Instrument("eurodac", "32024R1358", "Regulation (EU) 2024/1358", "Eurodac Regulation"),
        Instrument("return_directive", "32008L0115", "Directive 2008/115/EC", "Return Directive"),
        Instrument("sis_return", "32018R1860", "Regulation (EU) 2018/1860", "SIS return Regulation"),
        Instrument("sis_borders", "32018R1861", "Regulation (EU) 2018/1861",
                   "SIS Regulation in the field of border checks"),
        Instrument("return_border", "32024R1349", "Regulation (EU) 2024/1349",
                   "Return Border Procedure Regulation"),
        Instrument("resettlement", "32024R1350", "Regulation (EU) 2024/1350",
                   "Union Resettlement and Humanitarian Admission Framework Regulation"),
        Instrument("reception_2013", "32013L0033", "Directive 2013/33/EU",
                   "Reception Conditions Directive (2013), replaced by Directive (EU) 2024/1346"),
        Instrument("reception", "32024L1346", "Directive (EU) 2024/1346",
                   "Reception Conditions Directive (recast)"),
        Instrument("periods", "31971R1182", "Regulation (EEC, Euratom) No 1182/71",
                   "Regulation determining the rules applicable to periods, dates and time limits"),
        Instrument("solidarity_pool_2026", "32025D2642", "Council Implementing Decision (EU) 2025/2642",
                   "Annual Solidarity Pool 2026"),
        Instrument("border_capacity", "32024D2150", "Commission Implementing Decision (EU) 2024/2150",
                   "Adequate capacity for the border procedure"),
        Instrument("borders_code_2006", "32006R0562", "Regulation (EC) No 562/2006",
                   "Schengen Borders Code (2006), codified by Regulation (EU) 2016/399"),
    )
}

_BY_CELEX = {i.celex: i for i in INSTRUMENTS.values()}


def instrument_by_celex(celex: str) -> Instrument:
    try:
        return _BY_CELEX[celex]
    except KeyError:
        raise ValueError(f"unknown CELEX number {celex!r}") from None


@dataclass(frozen=True, order=True)
class LegalRef:
    """A citation: ``LegalRef("Regulation (EU) 2024/1351", "32024R1351", "39", "1").cite()``
    gives ``"Regulation (EU) 2024/1351, Article 39(1)"``. ``article`` may also be an annex
    (``"Annex I"``)."""

    instrument: str
    celex: str
    article: str
    paragraph: str | None = None
    point: str | None = None

    def cite(self) -> str:
        where = self.article if self.article.startswith("Annex") else f"Article {self.article}"
        if self.paragraph:
            where += f"({self.paragraph})"
        if self.point:
            where += f"({self.point})"
        return f"{self.instrument}, {where}"

    def article_key(self) -> str:
        """The article without paragraph, e.g. ``"Regulation (EU) 2024/1351, Article 39"``."""
        where = self.article if self.article.startswith("Annex") else f"Article {self.article}"
        return f"{self.instrument}, {where}"

    def __str__(self) -> str:
        return self.cite()

    @classmethod
    def of(cls, code: str, article: str, paragraph: str | None = None, point: str | None = None) -> LegalRef:
        """Build a reference from an instrument code of ``INSTRUMENTS``: ``LegalRef.of("periods", "3", "4")``."""
        inst = INSTRUMENTS[code]
        return cls(inst.title, inst.celex, article, paragraph, point)

    def to_dict(self) -> dict[str, str | None]:
        return {
            "instrument": self.instrument,
            "celex": self.celex,
            "article": self.article,
            "paragraph": self.paragraph,
            "point": self.point,
            "citation": self.cite(),
        }
