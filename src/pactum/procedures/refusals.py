"""Refusals of entry at the external border (Schengen Borders Code, Regulation (EU) 2016/399,
Art 14 and Annex V).

A third-country national who does not fulfil the entry conditions is refused entry by a
substantiated decision on the standard form of Annex V Part B, on which the border guard ticks the
reason(s) by letter. The platform records each refusal (state, date, border section, type of
border, nationality, reasons) because the adequate capacity of the border procedure counts them:
a state's share of irregular crossings, arrivals after search and rescue and refusals of entry at
the external border over the previous three years (APR, Regulation (EU) 2024/1348, Arts 46-47;
Commission Implementing Decision (EU) 2024/2150; ``DOMAIN.md`` §3.1 [S41][S42]).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from pactum.common.countries import country
from pactum.common.states import member_state
from pactum.common.text import plural
from pactum.law.tree import history
from pactum.procedures.model import EU_NATIONALITIES

FORM = "Regulation (EU) 2016/399 (Schengen Borders Code), Annex V Part B"
LEGAL_BASIS = ["Regulation (EU) 2016/399 (Schengen Borders Code), Article 14",
               FORM]

# The reasons on the standard form for refusal of entry, by letter, as the form of Annex V Part B
# reads in the consolidated text of Regulation (EU) 2016/399 (consolidated on 12 October 2025,
# Italian; the English wording is ours from it): (A) to (I). The form has no (J): Pactum offered a
# "(J) has no valid travel authorisation", recalled, which the text read does not have.
REASONS: dict[str, str] = {
    "A": "has no valid travel document(s)",
    "B": "has a false, counterfeit or forged travel document",
    "C": "has no valid visa or residence permit",
    "D": "has a false, counterfeit or forged visa or residence permit",
    "E": "has no appropriate documentation justifying the purpose and conditions of stay",
    "F": "has already stayed for 90 days during the previous 180-day period on the territory of the "
         "Member States of the European Union",
    "G": "does not have sufficient means of subsistence in relation to the period and form of stay, or "
         "the means to return to the country of origin or transit",
    "H": "is a person for whom an alert has been issued for the purposes of refusing entry in the SIS "
         "or in the national register",
    "I": "is considered to be a threat to public policy, internal security, public health or the "
         "international relations of one of the Member States of the European Union",
}
#: Letters Pactum accepted before that are not on the form: a refusal recorded with one keeps it,
#: and its text says so; a new refusal is refused with it.
NOT_ON_THE_FORM: dict[str, str] = {
    "J": "has no valid travel authorisation (recorded with a letter the standard form does not have: "
         "Regulation (EU) 2016/399, Annex V Part B lists (A) to (I))",
}


def reason_text(code: str) -> str:
    """The form's words for a letter (a letter not on the form recorded before: said so)."""
    return REASONS.get(code) or NOT_ON_THE_FORM.get(code) or f"not a reason on the form ({code})"


#: The first day a refusal of entry can have been recorded on the standard form (Regulation (EC)
#: No 562/2006, Annex V Part B, from the day the Code applies: the law parameter
#: ``borders_code.refusal_of_entry.form_from``); the day after today is refused by the service.
REFUSED_ON_EARLIEST: date = history("borders_code.refusal_of_entry.form_from").values[0][1]
BorderType = Literal["land", "sea", "air"]
BORDER_TYPES: tuple[str, ...] = ("land", "sea", "air")


#: Nationals who enjoy the right of free movement (Regulation (EU) 2016/399, Article 2(5)): the
#: Union's citizens and nationals of Iceland, Liechtenstein, Norway and Switzerland. Not
#: third-country nationals (Article 2(6)), so never refused entry under Article 14.
FREE_MOVEMENT_NATIONALITIES: frozenset[str] = EU_NATIONALITIES | {"ISL", "LIE", "NOR", "CHE"}


class RefusalCreate(BaseModel):
    """``POST /api/v1/procedures/refusals-of-entry`` and ``pactum procedures refusal record``.

    ``member_state`` may be left out: it is then the caller's state."""

    model_config = ConfigDict(extra="forbid")

    member_state: str | None = None
    refused_on: date
    border_type: BorderType
    border_section: str = Field(min_length=1, max_length=120)
    nationality: str
    reasons: list[str] = Field(min_length=1)
    note: str | None = Field(default=None, max_length=500)

    @field_validator("member_state")
    @classmethod
    def _ms(cls, v: str | None) -> str | None:
        return member_state(v) if v else None

    @field_validator("refused_on")
    @classmethod
    def _refused_on(cls, v: date) -> date:
        if v < REFUSED_ON_EARLIEST:
            raise ValueError(f"not before {REFUSED_ON_EARLIEST.isoformat()}, when the Schengen Borders "
                             "Code and its standard form of refusal began to apply")
        return v

    @field_validator("border_section")
    @classmethod
    def _section(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("name the border section or crossing point")
        return v

    @field_validator("nationality")
    @classmethod
    def _nat(cls, v: str) -> str:
        code = country(v.strip().upper()).alpha3
        if code in FREE_MOVEMENT_NATIONALITIES:
            raise ValueError(f"{code}: a refusal of entry under Article 14 of the Schengen Borders Code "
                             "concerns a third-country national; a Union citizen or a national of "
                             "Iceland, Liechtenstein, Norway or Switzerland enjoys the right of free "
                             "movement (Regulation (EU) 2016/399, Article 2(5) and (6))")
        return code

    @field_validator("reasons")
    @classmethod
    def _reasons(cls, v: list[str]) -> list[str]:
        codes = [str(c).strip().upper() for c in v]
        unknown = [c for c in codes if c not in REASONS]
        if unknown:
            raise ValueError(f"unknown reason {plural(len(unknown), 'letter')} {unknown}: the form's reasons are A to I "
                             f"({FORM})")
        if len(set(codes)) != len(codes):
            raise ValueError("a reason is given twice")
        return sorted(codes)


def reason_texts(codes: list[str]) -> list[str]:
    return [f"({c}) {reason_text(c)}" for c in codes]


def as_public(row: Any) -> dict[str, Any]:
    """The JSON of a recorded refusal (a row or mapping with the table's columns)."""
    return {"id": row["id"], "member_state": row["member_state"],
            "refused_on": row["refused_on"].isoformat(), "border_type": row["border_type"],
            "border_section": row["border_section"], "nationality": row["nationality"],
            "reasons": list(row["reasons"]), "reason_texts": reason_texts(list(row["reasons"])),
            "note": row["note"], "recorded_by": row["recorded_by"]}
