"""The SIS return alert: the fields Regulation (EU) 2018/1860 Art 4(1) allows, and only those.

:func:`alert_fields` builds them from the identity record and the return decision. The field
letters follow Art 4(1), read in the consolidated text (Italian version): points (a) to (z), the
last, (z), being the indication that the return decision is accompanied by an entry ban that is the
basis of an alert for refusal of entry and stay (Reg. (EU) 2018/1861 Art 24(1)(b)), kept as the
``entry_ban`` field; Art 4(2): (a), (f), (j), (l), (m), (x) and (z) are the minimum data set.
"""

from __future__ import annotations

from datetime import date
from typing import Any

#: Art 4(1)(i) flags a state may set on the alert.
FLAGS: tuple[str, ...] = (
    "armed",
    "violent",
    "absconded",
    "suicide_risk",
    "public_health_threat",
    "terrorism",
)

#: Art 4(1) letter of each stored field, for the alert page and the API documentation.
FIELD_LETTERS: dict[str, str] = {
    "surnames": "a",
    "forenames": "b",
    "names_at_birth": "c",
    "previous_names": "d",
    "place_of_birth": "e",
    "date_of_birth": "f",
    "gender": "g",
    "nationalities": "h",
    "flags": "i",
    "reason": "j",
    "issuing_authority": "k",
    "decision_reference": "l",
    "action_on_hit": "m",
    "links": "n",
    "public_order_threat": "o",
    "offence_type": "p",
    "document_category": "q",
    "document_country": "r",
    "document_number": "s",
    "document_issue_date": "t",
    "photo_ref": "u",
    "fingerprints_ref": "v",
    "document_copy_ref": "w",
    "voluntary_departure_last_day": "x",
    "decision_suspended": "y",
    "entry_ban": "z",
}

#: The personal data of the alert (Art 4(1) (a)-(h), (q)-(w)): erased from the alert row when the
#: alert is deleted, as the data leave SIS (Reg. (EU) 2018/1860 Art 14; Reg. (EU) 2018/1861
#: Art 51). What stays is the issuing state's own record of its alert: the decision reference,
#: the issuing authority, the reason, the dates, field (x), field (y) at deletion, the flags, the
#: deletion and its reason.
PERSONAL_FIELDS: tuple[str, ...] = (
    "surnames",
    "forenames",
    "names_at_birth",
    "previous_names",
    "place_of_birth",
    "date_of_birth",
    "gender",
    "nationalities",
    "links",
    "offence_type",
    "document_category",
    "document_country",
    "document_number",
    "document_issue_date",
    "photo_ref",
    "fingerprints_ref",
    "document_copy_ref",
)


def erased_personal_data() -> dict[str, None]:
    """The columns a deleted alert's personal data are erased with."""
    return dict.fromkeys(PERSONAL_FIELDS)


ACTION_ON_HIT = (
    "Contact the issuing Member State through supplementary information exchange; verify whether "
    "the return decision can be recognised and enforced (Recommendation (EU) 2023/682)."
)


def check_flags(flags: list[str]) -> list[str]:
    """The flags, each one of :data:`FLAGS`; ``ValueError`` names an unknown flag."""
    out = []
    for f in flags:
        if f not in FLAGS:
            raise ValueError(f"unknown flag '{f}'; use one of: {', '.join(FLAGS)}")
        if f not in out:
            out.append(f)
    return out


def alert_fields(
    identity: dict[str, Any],
    *,
    issuing_authority: str,
    decision_reference: str,
    reason: str,
    voluntary_departure_last_day: date | None,
    entry_ban: bool,
    flags: list[str] | None = None,
    public_order_threat: bool = False,
    photo_ref: str | None = None,
    fingerprints_ref: str | None = None,
) -> dict[str, Any]:
    """The alert's columns, taken from an identity record (a mapping of its columns)."""
    nationality = identity.get("nationality")
    return {
        "surnames": identity.get("surname_latin") or identity.get("surname"),
        "forenames": identity.get("given_names_latin") or identity.get("given_names"),
        "names_at_birth": None,
        "previous_names": None,
        "place_of_birth": identity.get("place_of_birth"),
        "date_of_birth": identity.get("date_of_birth"),
        "gender": identity.get("sex"),
        "nationalities": nationality,
        "flags": ",".join(check_flags(flags or [])),
        "reason": reason,
        "issuing_authority": issuing_authority,
        "decision_reference": decision_reference,
        "action_on_hit": ACTION_ON_HIT,
        "links": None,
        "public_order_threat": public_order_threat,
        "offence_type": None,
        "document_category": identity.get("document_type"),
        "document_country": identity.get("document_country"),
        "document_number": identity.get("document_number"),
        "document_issue_date": None,
        "photo_ref": photo_ref,
        "fingerprints_ref": fingerprints_ref,
        "document_copy_ref": None,
        "voluntary_departure_last_day": voluntary_departure_last_day,
        "decision_suspended": False,
        "entry_ban": entry_ban,
    }
