"""The border procedure's exemptions cite the point of APR Art 53(2) that each vulnerability falls
under, and an unaccompanied minor's caveat under the Directive, as read in the Italian Official
Journal texts of Regulation (EU) 2024/1348 and Directive 2013/32/EU."""

from __future__ import annotations

import pytest

from pactum.procedures.model import RoutingInput
from pactum.procedures.routing import route
from tests.cases.procedures.runner import _lists, _stats


def _scope_step(**fields: object) -> dict[str, object]:
    result = route(RoutingInput(**fields), _stats(), _lists())
    return next(s for s in result.trace if s["rule"] == "border_procedure_scope")


def _cited(step: dict[str, object]) -> list[str]:
    return [b if isinstance(b, str) else b["citation"] for b in step["legal_basis"]]  # type: ignore[union-attr]


@pytest.mark.parametrize(("vulnerability", "point"), [
    ("special_reception_needs_unsupported", "b"),
    ("special_procedural_needs_unsupported", "c"),
    ("medical_reasons", "d"),
    ("detention_guarantees_unmet", "e"),
])
def test_each_exempting_vulnerability_cites_its_point_of_apr_article_53_2(vulnerability: str, point: str) -> None:
    step = _scope_step(applied_on="2026-08-03", member_state="EL", context="apprehended_at_external_border",
                       nationality="PAK", vulnerabilities=[vulnerability])
    assert f"Regulation (EU) 2024/1348, Article 53(2)({point})" in _cited(step)
    assert vulnerability in str(step["outcome"])


def test_before_the_pact_the_exemption_rests_on_directive_article_24_3() -> None:
    step = _scope_step(applied_on="2025-05-05", member_state="EL", context="apprehended_at_external_border",
                       nationality="PAK", vulnerabilities=["medical_reasons"])
    assert "Directive 2013/32/EU, Article 24(3)" in _cited(step)


def test_a_minor_kept_at_the_border_for_false_documents_before_the_pact_only_in_an_individual_case() -> None:
    step = _scope_step(applied_on="2025-05-05", member_state="HU", context="apprehended_at_external_border",
                       nationality="AFG", unaccompanied_minor=True, misled_authorities=True)
    assert "may be applied" in str(step["outcome"])
    assert "only in an individual case" in str(step["outcome"])
    adult = _scope_step(applied_on="2025-05-05", member_state="HU", context="apprehended_at_external_border",
                        nationality="AFG", misled_authorities=True)
    assert "individual case" not in str(adult["outcome"])
