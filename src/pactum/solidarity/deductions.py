"""Deduction requests (AMMR, Regulation (EU) 2024/1351, Arts 61 and 62): on what a request rests and
what a substantiated request contains.

Read in the text of the Regulation (OJ L, 2024/1351, 22.5.2024), Italian version (the EUR-Lex HTML
republished in the GitHub repository d5p2rnkdz9-hub/SOSPATTO, public/patto-interattivo/1351.html):

* Art 61(1): a Member State identified in the Commission's decision (Art 11) as under migratory
  pressure, *or which considers itself* under migratory pressure, and which has not made use of the
  pool (Art 58) or notified the need to use it (Art 59), may request at any time a full or partial
  deduction of its pledged contributions. Art 61(2): a state not so identified includes in its request
  (a) how the deduction could contribute to stabilising the situation, (b) whether its pledged
  contribution could be replaced by a different type of solidarity contribution, (c) how it intends to
  address vulnerabilities identified in responsibility, preparedness or resilience, (d) a duly
  substantiated justification of the existence and extent of the migratory pressure. The Commission
  assesses within four weeks (61(3)), the Council decides by implementing act (61(4)).
* Art 62(1): the same for a significant migratory situation; 62(2): the content (a) to (d), (d) being
  the area of the asylum, reception and migration system where maximum capacity was reached and how it
  affects the pledge; 62(3): a state not so identified adds a duly substantiated justification of the
  significance of the migratory situation. Assessment within four weeks (62(4)), Council act (62(5)).

The items a request must contain are the law tree's (``solidarity.deduction.own_assessment.*`` and
``solidarity.deduction.significant_migratory_situation.content``), each cited with its point.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from pactum.law import NotInForce, param
from pactum.law.tree import Param, history

#: The grounds of a request: a state under migratory pressure (Art 61) or facing a significant
#: migratory situation (Art 62).
GROUNDS: tuple[str, ...] = ("article_61", "article_62")
#: The designation of the Commission's decision (Art 11) each grounds answers to.
GROUNDS_DESIGNATION = {"article_61": "under_pressure", "article_62": "significant_migratory_situation"}
DESIGNATION_GROUNDS = {v: k for k, v in GROUNDS_DESIGNATION.items()}
#: The situation each grounds names, as a sentence says it.
GROUNDS_SITUATION = {"article_61": "under migratory pressure",
                     "article_62": "facing a significant migratory situation"}

#: What each item of a substantiated request says, as the Regulation words it.
ITEMS: dict[str, str] = {
    "stabilisation": "how the full or partial deduction of its pledged contributions could contribute to "
                     "stabilising the situation",
    "replacement": "whether its pledged contribution could be replaced by a different type of solidarity "
                   "contribution",
    "vulnerabilities": "how it intends to address any vulnerabilities identified in the field of "
                       "responsibility, preparedness or resilience",
    "migratory_pressure": "a duly substantiated justification of the existence and extent of the migratory "
                          "pressure it faces",
    "capacity_reached": "a duly substantiated justification of the area of its asylum, reception and migration "
                        "system in which maximum capacity was reached, and how reaching it affects its ability "
                        "to implement its pledge",
    "significance": "a duly substantiated justification of the significance of the migratory situation it faces",
}
#: The items' labels on a form.
ITEM_LABELS: dict[str, str] = {
    "stabilisation": "How the deduction would help stabilise the situation",
    "replacement": "Could the pledged contribution be replaced by another type",
    "vulnerabilities": "How vulnerabilities in responsibility, preparedness or resilience are addressed",
    "migratory_pressure": "Existence and extent of the migratory pressure",
    "capacity_reached": "Where maximum capacity is reached, and how it affects the pledge",
    "significance": "Significance of the migratory situation",
}

#: The parameters listing what a request of a state that considers itself in the situation contains,
#: by grounds, in the order the Regulation lists them (each parameter's items are its points (a), (b),
#: ..., in order, when there are more than one).
OWN_ASSESSMENT_CONTENT: dict[str, tuple[str, ...]] = {
    "article_61": ("solidarity.deduction.own_assessment.migratory_pressure",),
    "article_62": ("solidarity.deduction.significant_migratory_situation.content",
                   "solidarity.deduction.own_assessment.significant_migratory_situation"),
}

#: The parameters listing what a request of a state the Commission's decision identified in the situation
#: contains: for a significant migratory situation the content of Art 62(2) ("Qualora lo Stato membro
#: richiedente sia individuato in una decisione di cui all'articolo 11 come Stato che affronta una
#: situazione migratoria significativa, la richiesta comprende: a) ... d)"); for migratory pressure none
#: (Art 61(2) lists the content of a request from a state the decision did not identify).
DESIGNATED_CONTENT: dict[str, tuple[str, ...]] = {
    "article_61": (),
    "article_62": ("solidarity.deduction.significant_migratory_situation.content",),
}


def _in_force(name: str, on: date, fallback: date | None) -> Param | None:
    for day in (on, fallback):
        if day is None:
            continue
        try:
            return param(name, on=day)
        except NotInForce:
            continue
    return None


def _content(grounds: str, designated: bool) -> tuple[str, ...]:
    return (DESIGNATED_CONTENT if designated else OWN_ASSESSMENT_CONTENT).get(grounds, ())


def required_items(grounds: str, on: date, fallback: date | None = None, *,
                   designated: bool = False) -> list[tuple[str, str]]:
    """The items a request on ``grounds`` from a state the Commission's decision did not identify (or,
    ``designated``, identified so) must contain, with each one's citation (``Regulation (EU) 2024/1351,
    Article 61(2)(a)``), from the law's parameters in force on ``on`` (or ``fallback``, the day the
    cycle's rules apply, for a request made before); none when no parameter is in force."""
    out: list[tuple[str, str]] = []
    for name in _content(grounds, designated):
        p = _in_force(name, on, fallback)
        if p is None:
            continue
        items = [i.strip() for i in str(p.value).split(",") if i.strip()]
        for n, item in enumerate(items):
            ref = replace(p.reference, point=chr(ord("a") + n)) if len(items) > 1 else p.reference
            out.append((item, ref.cite()))
    return out


def substantiation_basis(grounds: str, on: date, fallback: date | None = None, *,
                         designated: bool = False) -> list[str]:
    """The citations of the content a state that considers itself in the situation gives: Art 61(2),
    or Art 62(2) and 62(3); a state the decision identified as facing a significant migratory situation
    (``designated``): Art 62(2)."""
    out = []
    for name in _content(grounds, designated):
        p = _in_force(name, on, fallback) or param(name, on=history(name).values[0][0])
        out.append(p.reference.cite())
    return out


def substantiation_problems(grounds: str, given: dict[str, str | None], on: date,
                            fallback: date | None = None, *, designated: bool = False) -> list[tuple[str, str]]:
    """The problems of the substantiation of a request on ``grounds`` by a state the Commission's
    decision did not identify (or, ``designated``, identified so) (``given``: item -> text), each naming
    ``substantiation.<item>``: an item the Regulation requires left out or blank, and an item that is not
    one of the request's."""
    required = required_items(grounds, on, fallback, designated=designated)
    names = {item for item, _ in required}
    problems: list[tuple[str, str]] = []
    for item, cited in required:
        if not (given.get(item) or "").strip():
            problems.append((f"substantiation.{item}", f"required: {ITEMS.get(item, item)} ({cited})"))
    for item, text in given.items():
        if item not in names and (text or "").strip():
            problems.append((f"substantiation.{item}", f"is not part of a request {GROUNDS_SITUATION[grounds]} "
                                                       + (f"(give {', '.join(sorted(names))})" if names else
                                                          "of a state the Commission's decision identified so "
                                                          "(it rests on that decision)")))
    return problems


def rests_on(member_state: str, grounds: str, designation: str | None, own_assessment: bool,
             cited: dict[str, Any]) -> str:
    """On what a request rests, said for the screens: the Commission's decision that identified the
    state, or the state's own assessment with its substantiation (``cited``: ``grounds`` the article of
    the request, ``substantiation`` the citations of its content, ``designation`` the Art 11 decision)."""
    situation = GROUNDS_SITUATION.get(grounds, grounds)
    if not own_assessment:
        return (f"the Commission's decision identifying {member_state} as {situation} "
                f"({cited.get('designation', '')})")
    said = (f"{member_state}'s own assessment that it is {situation} ({cited.get('grounds', '')}(1)), "
            f"substantiated as {' and '.join(cited.get('substantiation') or [])} requires")
    if designation == "at_risk":
        said += f"; the Commission's decision identified {member_state} as at risk of migratory pressure"
    return said


# --- replacing a pledged contribution by another type of contribution (Arts 61(2)(b), 62(2)(b)) ----------
#
# Read in the Regulation's text: a request for a deduction says "se il contributo per il quale si è
# impegnato possa essere sostituito da un diverso tipo di contributo di solidarietà" (Art 61(2)(b), and
# Art 62(2)(b), which Art 62(3) extends to a state not identified). The replacement is thus part of a
# deduction request, not a procedure of its own: the Commission assesses it with the request (Arts 61(3),
# 62(4)) and the Council's implementing act decides whether the state may derogate from the act
# establishing the pool (Arts 61(4), 62(5)). The text speaks of "the contribution it pledged" and "a
# different type of solidarity contribution" without naming either type: any of the three types of
# Art 56(2) (relocations, financial contributions, alternative solidarity measures) may be replaced by
# another of them (until 2 December 2026 only pledged relocations could be, by money or alternative
# measures). The types are "considerate di pari valore" (Art 56(2)); a relocation is worth the ratio of Art
# 12(3), second subparagraph (``solidarity.relocation_equivalent_eur``). Our reading: the replacement is
# of the same value, so a replacement alone leaves the state's pledge worth what it was; it may come with
# a deduction, or be all the request asks. Euros replaced by relocations must make whole relocations.

#: The types of solidarity contribution (Art 56(2)): what a replacement replaces (``of``) and what it is
#: replaced by (``by``), each with the words a sentence uses.
REPLACEMENT_TYPES: dict[str, str] = {"relocations": "relocations",
                                     "financial": "financial contributions",
                                     "alternative": "alternative solidarity measures"}
REPLACEMENT_TYPE_BASIS: dict[str, str] = {"relocations": "Regulation (EU) 2024/1351, Article 56(2)(a)",
                                          "financial": "Regulation (EU) 2024/1351, Article 56(2)(b)",
                                          "alternative": "Regulation (EU) 2024/1351, Article 56(2)(c)"}
#: The pledge's field holding each type (``pactum.solidarity.cycle.Pledge``), and the request's field that
#: says how much of it is replaced: relocations are counted in persons, the two others in euros.
PLEDGE_FIELD: dict[str, str] = {"relocations": "relocations", "financial": "financial_eur",
                                "alternative": "alternative_eur"}
AMOUNT_FIELD: dict[str, str] = {"relocations": "replacement.relocations", "financial": "replacement.eur",
                                "alternative": "replacement.eur"}
#: Where a request on each grounds says whether the pledged contribution could be replaced.
REPLACEMENT_BASIS: dict[str, str] = {"article_61": "Regulation (EU) 2024/1351, Article 61(2)(b)",
                                     "article_62": "Regulation (EU) 2024/1351, Article 62(2)(b)"}
#: The types of solidarity measure are of equal value.
EQUAL_VALUE_BASIS = "Regulation (EU) 2024/1351, Article 56(2)"


def replacement_value(relocations: int, eur_per_relocation: int) -> int:
    """What ``relocations`` pledged relocations are worth in euros once replaced: each at the value of a
    relocation (Art 12(3)), the types of measure being of equal value (Art 56(2))."""
    return relocations * eur_per_relocation


def replacement_amounts(of: str, amount: int, by: str, eur_per_relocation: int) -> tuple[int, int]:
    """The value in euros of ``amount`` of the pledged ``of`` (relocations, or euros) and what replaces it in
    the unit of ``by`` (whole relocations, rounded down, or euros): of equal value (Arts 12(3), 56(2))."""
    value = replacement_value(amount, eur_per_relocation) if of == "relocations" else amount
    if by == "relocations":
        return value, value // eur_per_relocation if eur_per_relocation else 0
    return value, value


def _amount_said(of: str, amount: int) -> str:
    if of == "relocations":
        return f"{amount:,} relocation{'s' if amount != 1 else ''}"
    return f"EUR {amount:,} of {REPLACEMENT_TYPES.get(of, of)}"


def replacement_problems(amount: int | None, by: str, description: str | None, *, pledged_relocations: int | None,
                         replaced_already: int, member_state: str, of: str = "relocations",
                         eur_per_relocation: int | None = None) -> list[tuple[str, str]]:
    """The problems of a replacement asked for (each naming ``replacement.<field>``): a positive ``amount`` of
    the pledged ``of`` (relocations, or euros: ``replacement.eur``), at most what ``member_state`` pledged of
    it (``pledged_relocations``: the pledge's figure of that type; None: it pledged nothing) less what it was
    granted or asked to replace already; replaced ``by`` a different type; euros replaced by relocations
    making whole relocations at ``eur_per_relocation``; alternative measures said, and only they."""
    problems: list[tuple[str, str]] = []
    field = AMOUNT_FIELD.get(of, "replacement.relocations")
    what = REPLACEMENT_TYPES.get(of, of)
    pledged = pledged_relocations
    if by == of:
        problems.append(("replacement.by", f"{what} are replaced by a different type of solidarity contribution "
                                           f"({', '.join(v for k, v in REPLACEMENT_TYPES.items() if k != of)})"))
    if amount is None:
        problems.append((field, f"required: how much of the pledged {what} is replaced"
                                + (" (in relocations)" if of == "relocations" else " (in EUR)")))
    elif amount <= 0:
        problems.append((field, f"a replacement replaces a positive {'number' if of == 'relocations' else 'amount'} "
                                f"of pledged {what}"))
    elif not pledged:
        problems.append((field, f"{member_state} pledged no {what}: only a contribution it pledged can be replaced "
                                "by another type of contribution"))
    elif amount > pledged - replaced_already:
        left = max(pledged - replaced_already, 0)
        said = (f"{left:,}: {member_state} pledged {pledged:,} relocations, of which {replaced_already:,}"
                if of == "relocations" else
                f"EUR {left:,}: {member_state} pledged EUR {pledged:,} of {what}, of which EUR {replaced_already:,}")
        problems.append((field, f"at most {said} granted or asked to be replaced already"))
    elif by == "relocations" and of != "relocations" and eur_per_relocation and amount % eur_per_relocation:
        problems.append((field, f"EUR {amount:,} is not a whole number of relocations at EUR "
                                f"{eur_per_relocation:,} each (Regulation (EU) 2024/1351, Article 12(3)): replace "
                                f"EUR {amount - amount % eur_per_relocation:,} or "
                                f"EUR {amount - amount % eur_per_relocation + eur_per_relocation:,}"))
    if by == "alternative" and not (description or "").strip():
        problems.append(("replacement.description", f"say which alternative solidarity measures replace the {what} "
                                                    f"({REPLACEMENT_TYPE_BASIS['alternative']})"))
    if by != "alternative" and (description or "").strip():
        problems.append(("replacement.description", "only alternative solidarity measures are described: "
                                                    f"{REPLACEMENT_TYPES.get(by, by)} are "
                                                    + ("a number" if by == "relocations" else "an amount")))
    return problems


def replacement_said(amount: int, by: str, eur: int, *, of: str = "relocations", replacing: int | None = None) -> str:
    """A replacement said for the screens: "100 pledged relocations replaced by financial contributions of
    EUR 2,000,000", "EUR 400,000 of pledged alternative solidarity measures replaced by 20 relocations"."""
    if of == "relocations":
        head = f"{amount:,} pledged relocation{'s' if amount != 1 else ''}"
    else:
        head = f"EUR {amount:,} of pledged {REPLACEMENT_TYPES.get(of, of)}"
    if by == "relocations":
        n = eur if replacing is None else replacing
        return f"{head} replaced by {_amount_said('relocations', n)}"
    return f"{head} replaced by {REPLACEMENT_TYPES.get(by, by)} of EUR {eur:,}"
