"""Resettlement and humanitarian admission from the command line: the same JSON as the API.

Writes act as ``PACTUM_CLI_USER`` (a state's commands need a user of that state)."""

from __future__ import annotations

import sys

import typer

from pactum.cli.io import cli_principal, cli_services, emit_json, fail, load_json_model, run_command
from pactum.common.text import counted

FORMAT_HELP = "json, or csv (the file of the API's .csv route)"


def _format(fmt: str) -> str:
    if fmt not in ("json", "csv"):
        fail(f"--format: {fmt[:20]!r} is not json or csv")
    return fmt

app = typer.Typer(
    name="resettlement",
    help="Resettlement and humanitarian admission: plans, pledges, admissions, progress.",
    no_args_is_help=True,
)


@app.command("load")
def load() -> None:
    """Record the plans shipped with Pactum (2024-2025 pledging exercise, Union Plan 2026-2027)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.load, services, cli_principal(services)))


@app.command("grounds")
def grounds() -> None:
    """The grounds of refusal a decision records (refusal_ground), with their citation of Art 6 of
    Regulation (EU) 2024/1350 and whether refusal is mandatory (GET /api/v1/resettlement/refusal-grounds)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.refusal_grounds, services, cli_principal(services)))


@app.command("statuses")
def statuses() -> None:
    """The statuses a state grants after a positive conclusion (status_granted), with the paragraph
    of Art 9(15) to (18) of Regulation (EU) 2024/1350 for each category of admission (GET
    /api/v1/resettlement/statuses)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.statuses, services, cli_principal(services)))


@app.command("discontinuation-grounds")
def discontinuation_grounds() -> None:
    """The grounds on which a state discontinues an admission procedure (Art 9(11) of Regulation (EU)
    2024/1350), with what becomes of the person's data (Art 9(12)) (GET
    /api/v1/resettlement/discontinuation-grounds)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.discontinuation_grounds, services, cli_principal(services)))


@app.command("overview")
def overview(fmt: str = typer.Option("json", "--format", help=FORMAT_HELP)) -> None:
    """Every plan's places pledged, admitted and arrived, with UNHCR's arrivals by year; with
    --format csv one row per plan (GET /api/v1/resettlement/overview.csv)."""
    from pactum.services import resettlement

    _format(fmt)
    services = cli_services()
    if fmt == "csv":
        sys.stdout.write(run_command(resettlement.overview_csv, services, cli_principal(services)))
        return
    emit_json(run_command(resettlement.overview, services, cli_principal(services)))


@app.command("plan")
def plan(key: str = typer.Argument(..., help="The plan, e.g. 2026-2027"),
         fmt: str = typer.Option("json", "--format", help=FORMAT_HELP)) -> None:
    """A plan with its progress by category, state and country of first asylum; with --format csv
    one row per state and category (GET /api/v1/resettlement/plans/{key}/progress.csv)."""
    from pactum.services import resettlement

    _format(fmt)
    services = cli_services()
    if fmt == "csv":
        sys.stdout.write(run_command(resettlement.plan_csv, services, cli_principal(services), key))
        return
    emit_json(run_command(resettlement.get_plan, services, cli_principal(services), key))


@app.command("create-plan")
def create_plan(file: str = typer.Argument(..., help="JSON file of the plan, or - for standard input")) -> None:
    """Record a Union Plan or a pledging exercise (the Commission)."""
    from pactum.resettlement.model import PlanIn
    from pactum.services import resettlement

    data = load_json_model(PlanIn, file)
    services = cli_services()
    emit_json(run_command(resettlement.create_plan, services, cli_principal(services), data))


@app.command("amend-plan")
def amend_plan(key: str = typer.Argument(..., help="The plan, e.g. 2026-2027"),
               file: str = typer.Argument(..., help="JSON file {version, council_act_reference, council_act_date, "
                                                    "resettlement, …, reason}, or -")) -> None:
    """Complete or correct an open plan (the Commission): its Council implementing act, its split
    by category, its total and particulars; only the fields given change (PATCH
    /api/v1/resettlement/plans/{key})."""
    from pactum.resettlement.model import PlanAmend
    from pactum.services import resettlement

    data = load_json_model(PlanAmend, file)
    services = cli_services()
    emit_json(run_command(resettlement.amend_plan, services, cli_principal(services), key, data))


@app.command("close")
def close(key: str = typer.Argument(..., help="The plan, e.g. 2024-2025"),
          version: int = typer.Option(..., "--version", help="The plan's version you read")) -> None:
    """Close a plan (the Commission): no more pledges nor persons referred under it; the persons
    already referred still get their decision and arrival. It cannot be undone."""
    from pactum.resettlement.model import PlanClose
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.close_plan, services, cli_principal(services), key,
                          PlanClose(version=version)))


@app.command("pledge")
def pledge(key: str = typer.Argument(..., help="The plan, e.g. 2026-2027"),
           member_state: str = typer.Argument(..., help="The pledging state, e.g. DE"),
           file: str = typer.Argument(..., help="JSON file {lines: [...], version}, or -")) -> None:
    """Record or replace a state's pledge."""
    from pactum.resettlement.model import PledgeIn
    from pactum.services import resettlement

    data = load_json_model(PledgeIn, file)
    services = cli_services()
    emit_json(run_command(resettlement.set_pledge, services, cli_principal(services), key, member_state, data))


@app.command("admit")
def admit(key: str = typer.Argument(..., help="The plan, e.g. 2026-2027"),
          file: str = typer.Argument(..., help="JSON file of the person referred, or -")) -> None:
    """Record a person referred for admission under the user's state's pledge."""
    from pactum.resettlement.model import AdmissionIn
    from pactum.services import resettlement

    data = load_json_model(AdmissionIn, file)
    services = cli_services()
    emit_json(run_command(resettlement.record_admission, services, cli_principal(services), key, data))


@app.command("update")
def update(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
           file: str = typer.Argument(..., help="JSON file {version, decision, decided_on, …}, or -")) -> None:
    """Record the registration by the state, the decision or the arrival of a person referred."""
    from pactum.resettlement.model import AdmissionUpdate
    from pactum.services import resettlement

    data = load_json_model(AdmissionUpdate, file)
    services = cli_services()
    emit_json(run_command(resettlement.update_admission, services, cli_principal(services), admission_id, data))


@app.command("register")
def register(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
             registered_on: str = typer.Option(..., "--registered-on",
                                               help="The day the state registered the person (YYYY-MM-DD)"),
             version: int = typer.Option(..., "--version", help="The admission's version you read")) -> None:
    """Record the day the state registered the person referred (Regulation (EU) 2024/1350,
    Art 9(3)): the procedure's clock runs from it. On or after the referral, not after today, not
    after the decision; a registration recorded in error is corrected with `correct` (PATCH
    /api/v1/resettlement/admissions/{id} with registered_on)."""
    from pactum.cli.io import option_date
    from pactum.resettlement.model import AdmissionUpdate
    from pactum.services import resettlement

    day = option_date(registered_on.strip(), "--registered-on")
    if day is None:
        fail("--registered-on: required (YYYY-MM-DD)")
    services = cli_services()
    emit_json(run_command(resettlement.update_admission, services, cli_principal(services), admission_id,
                          AdmissionUpdate(version=version, registered_on=day)))


@app.command("grant-status")
def grant_status(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
                 status: str = typer.Option(..., "--status", help="The status granted (see `statuses`)"),
                 decided_on: str = typer.Option(..., "--decided-on",
                                                help="The day the status was decided (YYYY-MM-DD)"),
                 version: int = typer.Option(..., "--version", help="The admission's version you read")) -> None:
    """Record the status the state granted a person admitted (Regulation (EU) 2024/1350, Art 9(15)
    to (18)): refugee or subsidiary protection status, a national humanitarian status (humanitarian
    admission), a family member's residence permit. On or after the positive conclusion, before or
    after the entry (PATCH /api/v1/resettlement/admissions/{id} with status_granted and
    status_decided_on); a status recorded in error is corrected with `correct`."""
    from pactum.cli.io import option_date
    from pactum.resettlement.model import STATUS_CODES, AdmissionUpdate
    from pactum.services import resettlement

    code = status.strip()
    if code not in STATUS_CODES:
        fail(f"--status: {code[:40]!r} is not a status of Art 9(15) to (18); one of {', '.join(STATUS_CODES)}")
    day = option_date(decided_on.strip(), "--decided-on")
    if day is None:
        fail("--decided-on: required (YYYY-MM-DD)")
    services = cli_services()
    emit_json(run_command(resettlement.update_admission, services, cli_principal(services), admission_id,
                          AdmissionUpdate.model_validate({"version": version, "status_granted": code,
                                                          "status_decided_on": day})))


@app.command("transmit-eurodac")
def transmit_eurodac(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
                     transmitted_on: str = typer.Option("", "--transmitted-on",
                                                        help="The day the data were transmitted to Eurodac "
                                                             "(YYYY-MM-DD)"),
                     under_six: bool = typer.Option(False, "--under-six",
                                                    help="The person is under six: no biometric data are taken"),
                     person_id: str = typer.Option("", "--person-id",
                                                   help="The registry's person the case is about (per_…), when "
                                                        "the platform holds their record: the transmission is "
                                                        "then the registry's Eurodac record of the person"),
                     version: int = typer.Option(..., "--version", help="The admission's version you read")) -> None:
    """Record the transmission to Eurodac of the data of a person after the decision (Regulation (EU)
    2024/1350, Art 9(24); Regulation (EU) 2024/1358, Art 18(2): within 72 hours of the decision to
    grant international protection or a national humanitarian status, to refuse admission under Art
    6(1)(f) or to discontinue the procedure for consent not given or withdrawn), or that the person is
    under six (no biometric data). Under a Union Plan, for a decision on or after 12 June 2026 (PATCH
    /api/v1/resettlement/admissions/{id} with eurodac_transmitted_on or eurodac_under_six); recorded
    in error: `correct`. For a person the registry holds (`--person-id`, or named on the case before)
    the transmission is written as the registry's Eurodac record of the person (category
    union_resettlement), which other states' comparisons reach (Art 27(1)); standard error says which
    record, or that the officer's statement is all the platform holds."""
    from pactum.cli.io import option_date
    from pactum.resettlement.model import AdmissionUpdate
    from pactum.services import resettlement

    day = option_date(transmitted_on.strip(), "--transmitted-on")
    if day is None and not under_six:
        fail("--transmitted-on: required (YYYY-MM-DD), or --under-six")
    if day is not None and under_six:
        fail("--under-six: a person under six has no biometric data transmitted; give --transmitted-on or "
             "--under-six, not both")
    body: dict[str, object] = {"version": version}
    body.update({"eurodac_transmitted_on": day} if day is not None else {"eurodac_under_six": True})
    if person_id.strip():
        if len(person_id.strip()) > 40:
            fail("--person-id: a registry person's id has at most 40 characters (per_…)")
        body["person_id"] = person_id.strip()
    services = cli_services()
    case = run_command(resettlement.update_admission, services, cli_principal(services), admission_id,
                       AdmissionUpdate.model_validate(body))
    emit_json(case)
    record = case.get("eurodac_record")
    if record:
        n = int(record.get("biometric_templates") or 0)
        at = record.get("biometrics_taken_at")
        taken = f", taken {at.isoformat() if hasattr(at, 'isoformat') else at}" if at else ""
        reach = (f"with the person's biometric data ({n} template{'s' if n != 1 else ''}){taken}: other states' comparisons "
                 "reach it by name and by fingerprints" if n else
                 "no biometric template: the registry held none of the person's, so other states' comparisons "
                 "reach it by name only")
        typer.echo(f"Eurodac: the registry's record {record['id']} of person {case['person_id']} (identity record "
                   f"{record['identity_record_id']}, transmitted {record['transmitted_on']}, kept until "
                   f"{record['kept_until']}), {reach}", err=True)
    elif day is not None:
        typer.echo("Eurodac: the officer's statement of the day only: the case names no person registered on the "
                   "platform (--person-id), so no registry record of the person is written", err=True)


@app.command("compare-eurodac")
def compare_eurodac(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
                    # named as the fields they fill, so that a refusal of the service names the option
                    eurodac_compared_on: str = typer.Option("", "--transmitted-on",
                                                            help="The day the biometric data were transmitted to "
                                                                 "Eurodac for comparison (YYYY-MM-DD)"),
                    eurodac_comparison_not_needed: bool = typer.Option(
                        False, "--not-needed",
                        help="The refusal was concluded without a comparison of biometric data (Art 18(1), second "
                             "sentence)"),
                    version: int = typer.Option(..., "--version", help="The admission's version you read")) -> None:
    """Record the transmission to Eurodac, for comparison, of the biometric data of a person registered
    for an admission procedure under a Union Plan (Regulation (EU) 2024/1358, Art 18(1): after the
    registration and at the latest before the conclusion; compared under Art 27(2), not recorded in
    Eurodac, Art 29(2)), or that a negative conclusion was reached without a comparison (PATCH
    /api/v1/resettlement/admissions/{id} with eurodac_compared_on or eurodac_comparison_not_needed; the
    state's caseworkers only). Recorded in error: `correct`."""
    from pactum.cli.io import option_date
    from pactum.resettlement.model import AdmissionUpdate
    from pactum.services import resettlement

    day = option_date(eurodac_compared_on.strip(), "--transmitted-on")
    if day is None and not eurodac_comparison_not_needed:
        fail("--transmitted-on: required (YYYY-MM-DD), or --not-needed")
    if day is not None and eurodac_comparison_not_needed:
        fail("--not-needed: give --transmitted-on or --not-needed, not both")
    body: dict[str, object] = {"version": version}
    body.update({"eurodac_compared_on": day} if day is not None else {"eurodac_comparison_not_needed": True})
    services = cli_services()
    emit_json(run_command(resettlement.update_admission, services, cli_principal(services), admission_id,
                          AdmissionUpdate.model_validate(body)))


@app.command("correct")
def correct(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
            file: str = typer.Argument(..., help="JSON file {version, reason, decision, decided_on, …, arrived_on}, "
                                                 "or -")) -> None:
    """Correct a registration, a decision or an arrival recorded in error, with the reason (null
    clears a field; "decision": null puts the person back to pending, "registered_on": null leaves
    the clock awaiting a registration)."""
    from pactum.resettlement.model import AdmissionCorrection
    from pactum.services import resettlement

    data = load_json_model(AdmissionCorrection, file)
    services = cli_services()
    emit_json(run_command(resettlement.correct_admission, services, cli_principal(services), admission_id, data))


@app.command("withdraw")
def withdraw(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
             file: str = typer.Argument(..., help="JSON file {version, withdrawn_on, reason}, or -")) -> None:
    """Withdraw a referral still without a decision: the person takes no place and is never overdue.
    A procedure the state ends because the person withdrew their consent is discontinued
    (`discontinue`, Art 9(11))."""
    from pactum.resettlement.model import AdmissionWithdrawal
    from pactum.services import resettlement

    data = load_json_model(AdmissionWithdrawal, file)
    services = cli_services()
    emit_json(run_command(resettlement.withdraw_admission, services, cli_principal(services), admission_id, data))


@app.command("discontinue")
def discontinue(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
                file: str = typer.Argument(..., help="JSON file {version, discontinued_on, ground, reason}, or -")
                ) -> None:
    """Discontinue an admission procedure still without a decision (Regulation (EU) 2024/1350,
    Art 9(11)): ground consent_withdrawn (the state must), contribution_exceeded,
    preference_to_vulnerable or time_limits_beyond_control (it may). The person takes no place and
    is never overdue (POST /api/v1/resettlement/admissions/{id}/discontinue)."""
    from pactum.resettlement.model import AdmissionDiscontinuation
    from pactum.services import resettlement

    data = load_json_model(AdmissionDiscontinuation, file)
    services = cli_services()
    emit_json(run_command(resettlement.discontinue_admission, services, cli_principal(services), admission_id,
                          data))


@app.command("erase")
def erase(admission_id: str = typer.Argument(..., help="The admission's id (rad_…)"),
          version: int = typer.Option(..., "--version", help="The admission's version you read (erasure cannot be "
                                                            "undone: the version is your explicit statement)"),
          reason: str = typer.Option(..., "--reason", help="Why the record was made by mistake (audited)")) -> None:
    """Erase a person referred recorded by mistake, with its Eurodac copy: the registry's record that
    is the case's transmission to Eurodac (Regulation (EU) 2024/1358, Art 40(3), 40(5), 43(4): only
    the Member State of origin erases data it recorded in error). The state's users; a case with a
    Eurodac record, its caseworkers only. Audited; cannot be undone (POST
    /api/v1/resettlement/admissions/{id}/erase). The state confirms the erasure in writing to the
    person (Art 43(4))."""
    from pydantic import ValidationError

    from pactum.common.errors import plain_message
    from pactum.resettlement.model import AdmissionErasure
    from pactum.services import resettlement

    try:
        data = AdmissionErasure.model_validate({"version": version, "reason": reason})
    except ValidationError as exc:
        e = exc.errors()[0]
        fail(f"--{e['loc'][0]}: {plain_message(str(e['msg']))}")
    services = cli_services()
    out = run_command(resettlement.erase_admission, services, cli_principal(services), admission_id, data)
    record = out.get("eurodac_record")
    if record:
        sys.stderr.write(f"erased with its Eurodac record {record['id']} "
                         f"({counted(record['templates_deleted'], 'biometric template')} deleted)\n")
    elif out.get("eurodac_record_kept"):
        kept = out["eurodac_record_kept"]
        sys.stderr.write(f"the Eurodac record {kept['id']} is kept: it is the transmission of "
                         f"{kept['transmission_of']}\n")
    emit_json(out)


@app.command("cases")
def cases(member_state: str = typer.Argument(..., help="The state, e.g. DE"),
          plan: str = typer.Option("", "--plan", help="The plan (default: the latest)"),
          overdue: bool = typer.Option(False, "--overdue", help="Only the procedures beyond their maximum duration"),
          stage: str = typer.Option("", "--stage", help="Only the persons at one stage: pending, "
                                    "awaiting_registration, overdue, awaiting_arrival, admitted, refused, withdrawn, "
                                    "discontinued, status_to_record, transfer_due_soon, transfer_overdue, "
                                    "unhcr_to_record, eurodac_due, eurodac_overdue")
          ) -> None:
    """A state's persons referred under a plan as CSV (the state's own users; --stage: those at one
    stage), or with --overdue its procedures beyond their maximum duration (GET
    …/states/{state}/cases.csv, overdue.csv)."""
    from pactum.services import resettlement

    services = cli_services()
    if overdue:
        if stage:
            fail("give --overdue or --stage, not both")
        sys.stdout.write(run_command(resettlement.overdue_csv, services, cli_principal(services), member_state,
                                     plan or None))
        return
    sys.stdout.write(run_command(resettlement.cases_csv, services, cli_principal(services), member_state,
                                 plan or None, stage or None))


@app.command("state")
def state(member_state: str = typer.Argument(..., help="The state, e.g. DE"),
          plan: str = typer.Option("", "--plan", help="The plan (default: the latest)")) -> None:
    """A state's pledge, progress and overdue procedures (its cases for the state's own users)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.state_view, services, cli_principal(services), member_state, plan or None))


@app.command("history")
def history(member_state: str = typer.Option("", "--member-state", help="Add one state's arrivals")) -> None:
    """UNHCR's resettlement arrivals by year: EU27 (Denmark included) and EU+ (EU27, IS, LI, NO, CH)."""
    from pactum.services import resettlement

    services = cli_services()
    emit_json(run_command(resettlement.history, services, cli_principal(services), member_state or None))
