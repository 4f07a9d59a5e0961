"""The determination's facts as a web form, field by field.

The facts of ``POST /api/v1/responsibility/determinations`` are a nested JSON object with lists of
family members, documents, diplomas, entries and stays. On the page each is a fieldset whose
inputs are named by the JSON path of the value they hold (``application.registered_on``,
``family_members[0].relation``, ``stays[1].from``), so that a problem the model or the engine
reports for a path is shown next to the input of that path, and the page can be filled from a
draft (:func:`pactum.services.responsibility.facts_from_records`) or from recorded facts.

:func:`facts_of_form` reads a submitted form into the JSON object (blank rows left out, the rest
renumbered in order), :func:`sections` lays the object out for the template with one blank row more
per list, and :func:`form_path` names the input of a problem's location.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from pactum.common.errors import ValidationProblem
from pactum.registry.local_time import REGIONS
from pactum.responsibility.criteria import ARTICLES
from pactum.responsibility.model import (
    DependencyReason,
    DocumentKind,
    EntryKind,
    FamilyStatus,
    Relation,
    VisaType,
)

Widget = Literal["state", "date", "choice", "check", "region", "text"]

#: Rows a list may have on one form: more than any applicant's file holds (the form refuses more,
#: rather than reading whatever index a crafted post names).
MAX_ROWS = 50


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    widget: Widget
    choices: tuple[str, ...] = ()
    required: bool = False
    checked: bool = False
    """A checkbox's state in a blank row (``can_take_care`` is presumed)."""


@dataclass(frozen=True)
class ListSection:
    key: str
    title: str
    row: str
    help: str
    fields: tuple[Field, ...]
    rules: tuple[str, ...] = ()
    """The criteria the list's facts feed (their articles are cited under the list's title)."""

    @property
    def basis(self) -> str:
        return cited(*self.rules)


def _choices(literal: Any) -> tuple[str, ...]:
    return tuple(get_args(literal))


def cited(*rules: str) -> str:
    """The articles of ``rules`` under each regime as the engine cites them, by act:
    "Regulation (EU) No 604/2013, Articles 12(1), 12(2); Regulation (EU) 2024/1351, Article 29(1)"."""
    by_act: dict[str, list[str]] = {}
    for regime in ARTICLES.values():
        for rule in rules:
            for citation in regime.get(rule, ()):
                act, _, article = citation.partition(", Article ")
                if article and article not in by_act.setdefault(act, []):
                    by_act[act].append(article)
    return "; ".join(f"{act}, Article{'s' if len(arts) > 1 else ''} {', '.join(arts)}"
                     for act, arts in by_act.items())


#: The regions a place may be in, as the registry records an encounter's (ISO 3166-2 code, the
#: label the form shows): a state's territory with a clock of its own; none chosen is its mainland.
REGION_CHOICES: tuple[tuple[str, str], ...] = tuple(
    (r.code, f"{r.code} {r.name} ({ms})") for ms, regions in REGIONS.items() for r in regions)
REGION_CODES = frozenset(code for code, _ in REGION_CHOICES)

APPLICATION = (
    Field("registered_in", "Registered in", "state", required=True),
    Field("registered_on", "Registered on", "date", required=True),
    Field("region", "Made in (region)", "region"),
)
APPLICANT = (
    Field("date_of_birth", "Date of birth", "date"),
    Field("unaccompanied_minor", "Unaccompanied minor", "check"),
)
DEPENDENCY = (
    Field("relation", "Relation", "choice", _choices(Relation)),
    Field("member_state", "Where the relative resides legally", "state"),
    Field("reason", "Reason", "choice", _choices(DependencyReason)),
    Field("wishes_in_writing", "Both expressed their wish in writing", "check"),
)

LISTS = (
    ListSection("family_members", "Family members and relatives", "Family member",
                "In a Member State: beneficiaries of protection, applicants and relatives residing legally.",
                (Field("relation", "Relation", "choice", _choices(Relation), required=True),
                 Field("member_state", "In", "state", required=True),
                 Field("status", "Status", "choice", _choices(FamilyStatus), required=True),
                 Field("date_of_birth", "Born", "date"),
                 Field("responsible_member_state", "Responsible for their application", "state"),
                 Field("wishes_in_writing", "Wishes in writing", "check"),
                 Field("applied_together", "Applied together", "check"),
                 Field("can_take_care", "Can take care of the applicant", "check", checked=True)),
                ("unaccompanied_minor_family", "unaccompanied_minor_relative", "family_beneficiary",
                 "family_applicant", "family_procedure")),
    ListSection("documents", "Residence documents and visas", "Document",
                "Valid or expired: the rules take a document into account for a period after it expired.",
                (Field("kind", "Kind", "choice", _choices(DocumentKind), required=True),
                 Field("issued_by", "Issued by", "state", required=True),
                 Field("valid_from", "Valid from", "date", required=True),
                 Field("valid_until", "Valid until", "date", required=True),
                 Field("visa_type", "Visa type", "choice", _choices(VisaType)),
                 Field("issued_on_behalf_of", "Issued on behalf of", "state"),
                 Field("number", "Number", "text"),
                 Field("record_id", "Platform record", "text")),
                ("residence_document", "visa", "expired_documents")),
    ListSection("diplomas", "Diplomas", "Diploma",
                "Diplomas or qualifications issued by an educational establishment in a Member State.",
                (Field("issued_by", "Issued by", "state", required=True),
                 Field("issued_on", "Issued on", "date", required=True),
                 Field("studies_began_on", "Studies began on", "date")),
                ("diploma",)),
    ListSection("entries", "Entries", "Entry",
                "Irregular crossings, disembarkations after search and rescue, visa-waived entries, "
                "applications in an international transit area.",
                (Field("kind", "Kind", "choice", _choices(EntryKind), required=True),
                 Field("member_state", "Into", "state", required=True),
                 Field("on", "On", "date", required=True),
                 Field("region", "Region", "region"),
                 Field("also_waived_where_registered", "Visa also waived where the application was made", "check")),
                ("irregular_entry", "sar_disembarkation", "visa_waived_entry", "airport_transit")),
    ListSection("stays", "Stays", "Stay",
                "Continuous stays in a Member State before the application.",
                (Field("member_state", "In", "state", required=True),
                 Field("from", "From", "date", required=True),
                 Field("to", "To", "date", required=True)),
                ("irregular_stay",)),
    ListSection("earlier_applications", "Earlier applications", "Earlier application",
                "Applications for international protection made before in a Member State: where no "
                "criterion applies, the first Member State where an application was made is responsible.",
                (Field("member_state", "In", "state", required=True),
                 Field("registered_on", "Registered (lodged) on", "date", required=True),
                 Field("region", "Region", "region")),
                ("first_application",)),
)

#: Lists added to the contract later: left out of the facts when the form has no row of them, so
#: facts recorded before them read back unchanged.
OPTIONAL_LISTS = frozenset({"earlier_applications"})

_ROW_NAME = re.compile(r"([a-z_]+)\[([0-9]{1,6})\]\.([a-z_]+)\Z")


def _text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _group(form: Mapping[str, Any], prefix: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    """The values of one fieldset: text as typed (blank ones left out), checkboxes as booleans."""
    out: dict[str, Any] = {}
    for f in fields:
        name = f"{prefix}{f.key}"
        if f.widget == "check":
            out[f.key] = form.get(name) == "on"
        elif _text(form, name):
            out[f.key] = _text(form, name)
    return out


def _filled(values: Mapping[str, Any], fields: tuple[Field, ...]) -> bool:
    """Whether a row holds anything typed or chosen (checkboxes alone do not make a row)."""
    return any(f.key in values for f in fields if f.widget != "check")


def facts_of_form(form: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The facts a submitted form holds, as the API's JSON: blank rows left out and the others
    numbered from 0 in the order of the form; a blank dependency left out. With them, how many
    blank rows each list had (the page shows them again). A list of more than :data:`MAX_ROWS`
    rows is a :class:`ValidationProblem` naming it."""
    facts: dict[str, Any] = {
        "application": _group(form, "application.", APPLICATION),
        "applicant": _group(form, "applicant.", APPLICANT),
    }
    indices: dict[str, set[int]] = {s.key: set() for s in LISTS}
    for name in form:
        m = _ROW_NAME.match(name)
        if m and m.group(1) in indices:
            indices[m.group(1)].add(int(m.group(2)))
    blank: dict[str, int] = {}
    for section in LISTS:
        if len(indices[section.key]) > MAX_ROWS:
            raise ValidationProblem.one(section.key, f"at most {MAX_ROWS} rows on one form")
        rows = [_group(form, f"{section.key}[{i}].", section.fields) for i in sorted(indices[section.key])]
        facts[section.key] = [r for r in rows if _filled(r, section.fields)]
        blank[section.key] = len(rows) - len(facts[section.key])
        if section.key in OPTIONAL_LISTS and not facts[section.key]:
            del facts[section.key]  # an extension of the contract: absent rather than empty
    dependency = _group(form, "dependency.", DEPENDENCY)
    if _filled(dependency, DEPENDENCY):
        facts["dependency"] = dependency
    if _text(form, "relocated_to"):
        facts["relocated_to"] = _text(form, "relocated_to")
    facts["security_threat"] = form.get("security_threat") == "on"
    return facts, blank


def _shown(value: Any) -> Any:
    """A value as an input shows it: booleans stay booleans, the rest as text."""
    if isinstance(value, bool) or value is None:
        return value
    return str(value)


def sections(facts: Mapping[str, Any], *, extra_rows: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """Each list of the facts laid out for the form: its rows' values and as many blank rows after
    them as ``extra_rows`` asks for that list (one when it does not say)."""
    out = []
    for section in LISTS:
        given = [r for r in (facts.get(section.key) or []) if isinstance(r, Mapping)]
        rows = [{f.key: _shown(r.get(f.key, f.checked if f.widget == "check" else None))
                 for f in section.fields} for r in given]
        blank = {f.key: (f.checked if f.widget == "check" else None) for f in section.fields}
        more = (extra_rows or {}).get(section.key, 1)
        rows += [dict(blank) for _ in range(max(0, min(more, MAX_ROWS - len(rows))))]
        out.append({"section": section, "rows": rows})
    return out


def form_path(location: str) -> str:
    """The input named by a problem's location: ``facts.family_members.0.status`` (a model's
    dotted location) and ``family_members[0].status`` (the engine's) both name
    ``family_members[0].status``."""
    parts = location.split(".")
    if parts and parts[0] == "facts":
        parts = parts[1:]
    out = ""
    for p in parts:
        if p.isdigit():
            out += f"[{p}]"
        else:
            out += f".{p}" if out else p
    return out


_GROUP_TITLES = {"application": "Application", "applicant": "Applicant", "dependency": "Dependency",
                 "relocated_to": "Relocated to", "security_threat": "Security threat"}


def describe(path: str) -> str:
    """A problem's input as the page labels it: ``family_members[0].status`` is "Family member 1,
    Status"; a path the form does not show (``reference``) is said as it is."""
    m = re.fullmatch(r"([a-z_]+)\[([0-9]+)\](?:\.([a-z_]+))?", path)
    if m:
        section = next((s for s in LISTS if s.key == m.group(1)), None)
        if section is not None:
            label = next((f.label for f in section.fields if f.key == m.group(3)), m.group(3))
            row = f"{section.row} {int(m.group(2)) + 1}"
            return f"{row}, {label}" if label else row
    group, _, key = path.partition(".")
    fields = {"application": APPLICATION, "applicant": APPLICANT, "dependency": DEPENDENCY}.get(group)
    if fields is not None:
        label = next((f.label for f in fields if f.key == key), key)
        return f"{_GROUP_TITLES[group]}, {label}" if label else _GROUP_TITLES[group]
    return _GROUP_TITLES.get(path, path)
