"""What a Frontex or EUAA analyst walking the awareness pages found wrong: a nationality driving
an alert shown as "0%" of the rise though it rose, and the import forms silent on the optional
columns that decide what Eurostat's and UNHCR's figures count."""

from __future__ import annotations

import re
from html import unescape

from pactum.services import awareness
from pactum.services.auth import SYSTEM


def _text(html: str) -> str:
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    return re.sub(r" ([,.;)])", r"\1", text)  # "<code>flag</code>, …" reads "flag, …"


def test_a_small_driver_of_an_alert_is_below_one_percent_not_nought(services, web_client):
    awareness.load_shipped_backtests(services, SYSTEM)
    awareness.evaluate_alerts(services, SYSTEM)
    for path in ("/awareness/alerts", "/awareness", "/awareness/routes/Eastern%20Borders%20Route"):
        page = _text(web_client("frontex-analyst").get(path).text)
        # the Eastern Borders Route's April 2025: Morocco +6 of some 2,430 detections of increase
        assert "Morocco (MAR) (+6, <1%)" in page, path
        assert "(+6, 0%)" not in page, path


def test_the_import_forms_name_the_optional_columns(services, web_client):
    page = _text(web_client("frontex-analyst").get("/awareness/imports").text)
    assert "Optional column: flag, Eurostat's flag of each observation" in page
    assert ("Optional columns: procedure_type, app_type, dec_level, app_pc, UNHCR's codes (up to three capital "
            "letters each). With them, only new applications at first instance, in persons, are counted") in page


def test_messages_count_in_words_not_with_an_s_in_brackets(services):
    import pytest

    from pactum.awareness.external import parse
    from pactum.common.errors import ValidationProblem
    from pactum.services.awareness.service import early_warning_job

    with pytest.raises(ValidationProblem) as one:
        parse("frontex", "month,route,border_type,nationality_iso3\n2025-01,Other,Land,SYR\n")
    assert one.value.problems == [("file", "missing column detections for a frontex file")]
    with pytest.raises(ValidationProblem) as two:
        parse("frontex", "month,route,border_type\n2025-01,Other,Land\n")
    assert two.value.problems == [("file", "missing columns nationality_iso3, detections for a frontex file")]
    awareness.load_shipped_backtests(services, SYSTEM)
    message = early_warning_job(services, services.clock.now())
    assert message.endswith(", 5 new alerts") and "(s)" not in message  # the five shipped April 2025 alerts
    assert early_warning_job(services, services.clock.now()).endswith(", 0 new alerts")
