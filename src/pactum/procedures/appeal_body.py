"""The court or tribunal that hears appeals against a Member State's decisions on applications for
international protection, as that state's administrator sets it for the written notice of the
decision.

EU law gives the applicant "the right to an effective remedy before a court or tribunal" (Regulation
(EU) 2024/1348, Article 67(1); before the Pact, Directive 2013/32/EU, Article 46(1)) and has the
applicant informed in writing of how to challenge a rejection (APR Art 36(3); Directive Art 11(2)),
but it leaves to national law which court or tribunal hears the appeal, where it sits and how an
appeal is lodged. A state's determining authority therefore records them once: the body's name, its
address and how an appeal is lodged (in writing, by the applicant or a lawyer, ...), and, if it
wishes, the national provision that designates the body. The notice then names them; where a state
has set nothing the notice explains the remedy in general terms.

One setting per state: the states' laws as far as read give one kind of court or tribunal for the
decisions of the determining authority whatever the procedure (the procedure changes the time limit
and the suspensive effect, which the workflow computes), and the body competent for a given
applicant (by the seat of the deciding office or the applicant's residence) is for the "how to
lodge" text to explain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pactum.common.errors import ValidationProblem

#: The longest text each field keeps (the store's columns).
NAME_MAX = 200
ADDRESS_MAX = 500
HOW_TO_LODGE_MAX = 2000
NATIONAL_LAW_MAX = 300

#: What each field is, in words (the forms' labels and the problems' names).
FIELD_WORDS = {
    "name": "the court or tribunal that hears the appeal",
    "address": "its address",
    "how_to_lodge": "how an appeal is lodged",
    "national_law": "the national provision that designates it",
}


class AppealBodyIn(BaseModel):
    """``PUT /api/v1/procedures/appeal-bodies/{member_state}``: the court or tribunal as the state's
    administrator sets it. Each field is JSON text; :func:`validate` says what is wrong with each.
    ``version``: the version of the setting being replaced (absent when none is set yet)."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="the court or tribunal that hears appeals against the "
                                               "determining authority's decisions")
    address: str | None = Field(None, description="its address (where an appeal is lodged)")
    how_to_lodge: str | None = Field(None, description="how an appeal is lodged: in writing, by the "
                                                       "applicant or a lawyer, what it contains, ...")
    national_law: str | None = Field(None, description="optional: the national provision that "
                                                       "designates the court or tribunal")
    version: int | None = Field(None, description="the version of the setting you replace; absent "
                                                  "when none is set")


class AppealBodyClear(BaseModel):
    """``POST /api/v1/procedures/appeal-bodies/{member_state}/clear``: the version cleared."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(description="the version of the setting you clear")


@dataclass(frozen=True, slots=True)
class AppealBody:
    """One state's court or tribunal, checked."""

    member_state: str
    name: str
    address: str
    how_to_lodge: str
    national_law: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"member_state": self.member_state, "name": self.name, "address": self.address,
                "how_to_lodge": self.how_to_lodge, "national_law": self.national_law}


def _text(raw: dict[str, Any], key: str, most: int, problems: list[tuple[str, str]], *,
          required: bool = True) -> str:
    value = raw.get(key)
    text = "" if value is None else str(value)
    # line breaks are kept (an address is written on lines); other blanks at the ends are not
    text = "\n".join(line.strip() for line in text.strip().splitlines()).strip()
    if not text:
        if required:
            problems.append((key, f"required: {FIELD_WORDS[key]}"))
        return ""
    if len(text) > most:
        problems.append((key, f"at most {most} characters ({len(text)} given)"))
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        problems.append((key, "control characters are not text"))
    return text


def validate(member_state: str, raw: dict[str, Any]) -> AppealBody:
    """The setting as the administrator submitted it; ``ValidationProblem`` naming every field
    that is wrong at once."""
    problems: list[tuple[str, str]] = []
    name = _text(raw, "name", NAME_MAX, problems)
    address = _text(raw, "address", ADDRESS_MAX, problems)
    how = _text(raw, "how_to_lodge", HOW_TO_LODGE_MAX, problems)
    law = _text(raw, "national_law", NATIONAL_LAW_MAX, problems, required=False)
    if problems:
        raise ValidationProblem(problems)
    return AppealBody(member_state, name, address, how, law or None)
