"""Which of another Member State's records an identity search may return, and through which
component (pure rules; the service applies them in SQL and on the scored candidates).

Components of a candidate (``component`` of a candidate and of a link's basis):

* ``national``: the searching state's own records;
* ``eurodac``: another state's record whose Eurodac data are stored and not erased (a record
  without Eurodac data, such as a child's under the age of biometrics, or one whose data were
  erased after their retention period, Reg. (EU) 2024/1358 Art 29, is never returned through
  Eurodac), of a category the search reaches (:func:`search_reach`, :func:`comparison_reach`);
* ``sis_return_alert``: another state's record under an active SIS return alert (Reg. (EU)
  2018/1860);
* ``sis_entry_ban``: another state's record under an active SIS alert for refusal of entry and
  stay entered for an entry ban (Reg. (EU) 2018/1861 Art 24(1)(b)), for the roles of
  :data:`ENTRY_BAN_ROLES`.

**What Eurodac data a search reaches.** A general identity search (a name or document typed by an
officer, or a template searched on its own) is no Eurodac comparison: it reaches other states'
applicant records only (:data:`SEARCH_REACH`). The comparison Eurodac makes of a record's data when
they are transmitted reaches what the Eurodac Regulation compares them with:

* Reg. (EU) 2024/1358 Art 27(1): biometric data transmitted by any Member State, except those of
  Art 16(2)(a) and (c) and of Arts 18 and 20 (resettlement), are compared with the data other
  Member States stored under Art 15 (applicants), Art 18(2) (Union resettlement), Art 20
  (national resettlement), Art 22 (irregular crossing), Art 23 (illegal stay), Art 24 (search and
  rescue) and Art 26 (temporary protection);
* Reg. (EU) No 603/2013, before 12 June 2026: an applicant's data (category 1, Art 9(3)) are
  compared with other states' applicants and irregular crossers (category 2, stored only for that
  comparison); an illegally staying person's (category 3) with applicants only (Art 17(3), first
  subparagraph: transmitted only for comparison with other states' applicants, neither stored nor
  compared with category 2 data); a category 2 transmission is compared with nothing (Art 15(1),
  third subparagraph: not compared with data already recorded nor with later category 2
  transmissions). Read in the Official Journal text, Italian version (ext-reg-2013-603.html).

Resettlement records (Art 18(1) comparisons under Art 27(2)) are not compared here: a resettlement
record is searched with the general reach only (a known limit).
"""

from __future__ import annotations

NATIONAL = "national"
EURODAC = "eurodac"
SIS_RETURN_ALERT = "sis_return_alert"
SIS_ENTRY_BAN = "sis_entry_ban"

#: Where a candidate was found, as the screens name it.
COMPONENT_LABELS = {NATIONAL: "the state's own records", EURODAC: "Eurodac",
                    SIS_RETURN_ALERT: "SIS return alerts",
                    SIS_ENTRY_BAN: "SIS refusals of entry (entry bans)"}

APPLICANT = "applicant"
#: Eurodac categories that record an entry into the Union or a stay found there.
ENTRY_CATEGORIES = frozenset({"irregular_crossing", "sar", "illegal_stay"})

#: Another state's Eurodac categories a general identity search reaches.
SEARCH_REACH = frozenset({APPLICANT})

#: Every category of data Eurodac stores (``pactum.registry.model.EurodacCategory``).
STORED_CATEGORIES = frozenset({APPLICANT, "irregular_crossing", "illegal_stay", "sar", "union_resettlement",
                               "national_resettlement", "temporary_protection"})

#: Match probability from which another state's record found by its identity data is returned to
#: the searching officer (and so disclosed to their state): the registration page's display floor.
#: A design choice, not a legal number: an identity search gives another state's data only on a
#: match (GDPR Art 5(1)(c), data minimisation; a Eurodac comparison gives data only on a hit).
DISCLOSURE_FLOOR = 0.01

#: Categories whose transmission Eurodac compares (Reg. 2024/1358 Art 27(1)).
_COMPARED_PACT = frozenset({APPLICANT, "irregular_crossing", "illegal_stay", "sar", "temporary_protection"})
#: Categories of stored data those comparisons reach (Art 27(1): Arts 15, 18(2), 20, 22, 23, 24, 26).
_STORED_PACT = frozenset({APPLICANT, "union_resettlement", "national_resettlement", "irregular_crossing",
                          "illegal_stay", "sar", "temporary_protection"})
#: Reg. 603/2013: category 1 against categories 1 and 2, category 3 against category 1.
_REACH_PRE_PACT = {APPLICANT: frozenset({APPLICANT, "irregular_crossing"}),
                   "illegal_stay": frozenset({APPLICANT})}

#: The legal basis of each comparison, as a disclosure records it.
COMPARISON_BASIS = {"pact": "Regulation (EU) 2024/1358, Article 27(1)",
                    "pre_pact": "Regulation (EU) No 603/2013, Article 9(3)"}

#: Roles that see another state's refusal-of-entry alert (entry ban): the authorities that check
#: third-country nationals at the border and in the territory, decide on their entry and stay or
#: return, and examine applications (Reg. (EU) 2018/1861 Art 34(1); the mapping of Pactum's roles
#: to its points is unverified). A Dublin unit that is not also one of these does not see them.
ENTRY_BAN_ROLES = frozenset({"caseworker", "return_officer", "admin"})


def comparison_reach(category: str | None, regime: str) -> frozenset[str]:
    """Other states' Eurodac categories that the comparison of a record's Eurodac data of
    ``category``, transmitted under ``regime`` (``"pact"`` or ``"pre_pact"``), reaches; empty when
    such data are compared with nothing (or the record has no Eurodac data: ``None``)."""
    if category is None:
        return frozenset()
    if regime == "pact":
        return _STORED_PACT if category in _COMPARED_PACT else frozenset()
    return _REACH_PRE_PACT.get(category, frozenset())


def record_reach(category: str | None, regime: str) -> frozenset[str]:
    """What the search made for one of the state's records reaches: the general search's reach
    and the Eurodac comparison of the record's data."""
    return SEARCH_REACH | comparison_reach(category, regime)
