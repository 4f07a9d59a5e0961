"""Identity resolution from the command line: batch linkage of CSV files, evaluation against
labelled data with the plain Splink baseline, the labelled-data generator, online search, the
verification queue and model training. Each command calls the identity services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from pactum.cli.io import (
    cli_principal,
    cli_services,
    emit_json,
    fail,
    load_json_model,
    output_file,
    run_command,
)
from pactum.identity.comparisons import DEFAULT_CLUSTER_THRESHOLD
from pactum.identity.generator import LABEL_COLUMN, NAME_POPULATIONS

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

#: The ``--names`` option of generated data (pactum.identity.generator.Generator.names).
NAMES_HELP = (f"Names of generated data, one of {', '.join(NAME_POPULATIONS)}: calibrated (the most common names "
              "with their documented shares, long tails of given and family names), wide (long tail of given "
              "names, short lists of family names) or narrow (common names only)")

app = typer.Typer(name="identity", help="Identity resolution: linkage, search, multiple-identity links.",
                  no_args_is_help=True)


@contextmanager
def _stages(total: int, console: Console | None = None) -> Iterator[Callable[[str], None]]:
    """A progress bar that advances one step per stage reported by the service.

    It is drawn on standard error (standard output carries the command's JSON, which
    ``> summary.json`` must keep whole), on a terminal only (to a pipe or a log Rich would write
    the last frame alone), and from the first stage on: input refused before any work prints its one
    ``error:`` line alone, and a failure later clears the bar and leaves that line."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=console,
                        transient=False, redirect_stdout=False, disable=not console.is_terminal)
    task: TaskID | None = None

    def step(description: str) -> None:
        nonlocal task
        if task is None:
            progress.start()
            task = progress.add_task(description, total=total)
        progress.update(task, description=description, advance=1)

    try:
        yield step
    except BaseException:
        if task is not None:
            progress.live.transient = True
            progress.stop()
        raise
    if task is not None:
        progress.update(task, description="done", completed=total)
        progress.stop()


@app.command("link")
def link(
    input_csv: Path = typer.Argument(..., metavar="INPUT.csv", help="Records to link (record_id, member_state, ...)"),
    out: Path = typer.Option(..., "--out", help="CLUSTERS.csv: record_id, cluster_id for every input record"),
    pairs: Path | None = typer.Option(None, "--pairs", help="PAIRS.csv: record_id_l, record_id_r, match_probability"),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark"),
    model: Path | None = typer.Option(None, "--model",
                                      help="A saved model JSON; without it the shipped model (or --em)"),
    em: bool = typer.Option(False, "--em", help="Train the model on the input by EM instead of the shipped one"),
    save_model: Path | None = typer.Option(None, "--save-model", help="Write the model used as JSON here"),
    threshold: float = typer.Option(DEFAULT_CLUSTER_THRESHOLD, help="Cluster threshold (match probability)"),
    memory_limit: str = typer.Option("6GB", help="DuckDB memory limit"),
    threads: int = typer.Option(0, help="DuckDB threads (0: one per core)"),
    max_block: int = typer.Option(100, help="Split blocks of more records than this on further fields (0: never)"),
) -> None:
    """Link the records of a CSV file into clusters of one person each."""
    for option, path in (("--out", out), ("--pairs", pairs), ("--save-model", save_model)):
        output_file(option, path)
    from pactum.services.identity import batch  # pandas and Splink load only for batch work

    with _stages(12) as step:
        result = run_command(batch.link_file, input_csv, out, pairs=pairs, engine=engine, model_path=model,
                             save_model=save_model, threshold=threshold, progress=step,
                             engine_options={"memory_limit": memory_limit, "threads": threads or None},
                             max_block=max_block, em=em)
    emit_json(result)


@app.command("evaluate")
def evaluate(
    labelled_csv: Path | None = typer.Argument(None, metavar="[LABELLED.csv]",
                                               help="Input columns plus a label column; omit to generate data"),
    label_column: str = typer.Option(LABEL_COLUMN, help="Column naming the true person of each record"),
    records: int = typer.Option(100_000, help="Generated records (when no file is given)"),
    tune_seed: int = typer.Option(1, help="Seed the model is trained on (generated data)"),
    report_seed: int = typer.Option(3, help="Seed the scores are reported on (generated data)"),
    engine: str = typer.Option("duckdb", "--engine"),
    threshold: float = typer.Option(DEFAULT_CLUSTER_THRESHOLD),
    model: Path | None = typer.Option(None, "--model", help="Also score this saved model"),
    out: Path | None = typer.Option(None, "--out", help="Write the scores as JSON here too"),
    dataset: str | None = typer.Option(None, "--dataset",
                                       help="A FEBRL reference data set instead: febrl1, febrl2, febrl3 or febrl4"),
    profile: str = typer.Option("realistic", help="Noise profile of generated data: realistic or harsh"),
    names: str = typer.Option("calibrated", help=NAMES_HELP),
) -> None:
    """Pairwise precision/recall/F1 and B-cubed scores of the Pactum model and of a plain Splink
    configuration (Jaro-Winkler on raw names, exact date) on the same data, in the same run."""
    import json

    from pactum.services.identity import batch

    if dataset is not None and labelled_csv is not None:
        fail("give either LABELLED.csv or --dataset, not both")
    output_file("--out", out)
    if out is not None and labelled_csv is not None and batch.same_file(out, labelled_csv):
        fail(f"--out: {out} is the input file LABELLED.csv; give another file name")
    with _stages(40) as step:
        if dataset is not None:
            result = run_command(batch.evaluate_febrl, dataset, engine=engine, threshold=threshold, model_path=model,
                                 progress=step)
        elif labelled_csv is not None:
            result = run_command(batch.evaluate_file, labelled_csv, label_column=label_column, engine=engine,
                                 threshold=threshold, model_path=model, progress=step)
        else:
            result = run_command(batch.evaluate_generated, records=records, tune_seed=tune_seed,
                                 report_seed=report_seed, engine=engine, threshold=threshold, profile=profile,
                                 names=names,
                                 progress=step)
    if out is not None:
        text = json.dumps(result, indent=2)
        run_command(batch.write_outputs, [(out, "--out", lambda tmp: tmp.write_text(text, encoding="utf-8"))])
    emit_json(result)


@app.command("generate")
def generate(
    out: Path = typer.Argument(..., metavar="OUT.csv"),
    records: int = typer.Option(100_000),
    seed: int = typer.Option(1),
    noise: float = typer.Option(1.0, help="Multiplier of every noise rate"),
    profile: str = typer.Option("realistic", help="Noise profile: realistic (documented rates) or harsh"),
    names: str = typer.Option("calibrated", help=NAMES_HELP),
) -> None:
    """Write labelled benchmark records (input columns plus person_id)."""
    output_file("OUT.csv", out)
    from pactum.services.identity import batch

    emit_json(run_command(batch.generate_file, out, records=records, seed=seed, noise_scale=noise, profile=profile,
                          names=names))


@app.command("search")
def search(file: str = typer.Argument(..., help="JSON with the identity to search (the API's schema), or -")) -> None:
    """Search candidates (POST /api/v1/identity/search) as the user in PACTUM_CLI_USER; ``hint`` in
    the answer says why records of the name were left uncompared, if they were."""
    from pactum.identity.schemas import SearchQuery
    from pactum.services import identity

    query = load_json_model(SearchQuery, file)
    services = cli_services()
    emit_json(run_command(identity.search, services, cli_principal(services), query, channel="cli"))


@app.command("comparison")
def comparison(record_id: str) -> None:
    """The comparison of one of your state's records (every registration requests one; the
    ``identity_comparison`` job runs those registered through the API): status, when, links and
    candidates; the same JSON as GET /api/v1/identity/records/{record_id}/comparison."""
    from pactum.services import identity

    services = cli_services()
    emit_json(run_command(identity.comparison.comparison_of_record, services, cli_principal(services), record_id,
                          channel="cli"))


@app.command("queue")
def queue() -> None:
    """Pending yellow links the user's authority must verify."""
    from pactum.services import identity

    services = cli_services()
    emit_json(run_command(identity.verification_queue, services, cli_principal(services), channel="cli"))


@app.command("decide")
def decide(link_id: str, file: str = typer.Argument(..., help="JSON {colour, reason, version}, or -"),
           person_pair: bool = typer.Option(
               False, "--apply-to-person-pair",
               help="Also decide the other pending links between the same two persons that your authority "
                    "verifies (as \"apply_to_person_pair\": true in the JSON)")) -> None:
    """Verify a yellow link as white, green or red, or revise your authority's decision on a verified
    link (the same JSON, at the link's current version, with the reason for the correction)."""
    from pactum.services import identity

    body = load_json_model(identity.LinkDecisionRequest, file)
    services = cli_services()
    emit_json(run_command(identity.decide_link, services, cli_principal(services), link_id, body,
                          apply_to_person_pair=person_pair or body.apply_to_person_pair))


@app.command("outcomes")
def outcomes(authority: str = typer.Option(None, "--authority", help="One verifying authority's decisions, e.g. IT"),
             model_version: int = typer.Option(None, "--model-version",
                                               help="Only links scored by this model version (0: the shipped model)")
             ) -> None:
    """Officers' decisions on yellow links by the match probability the model gave them."""
    from pactum.services import identity

    services = cli_services()
    emit_json(run_command(identity.verification_outcomes, services, cli_principal(services), authority,
                          model_version))


@app.command("index")
def index(all_records: bool = typer.Option(
        False, "--all", help="Recompute the keys of every record, whatever normalisation computed them")
          ) -> None:
    """Compute search keys for identity records that have none (after a bulk load), and recompute
    those an earlier name normalisation computed (after an upgrade)."""
    from pactum.services import identity

    services = cli_services()
    with services.uow() as uow:
        if all_records:
            out = {"indexed": identity.index_all(uow.conn)}
        else:
            out = {"indexed": identity.index_missing(uow.conn), "recomputed": identity.index_stale(uow.conn)}
        uow.commit()
    emit_json(out)


@app.command("train")
def train(engine: str = typer.Option("duckdb", "--engine"),
          em: bool = typer.Option(False, "--em", help="Estimate m by expectation maximisation on the store's "
                                  "records instead of keeping the active model's (labels, if any, still apply)")
          ) -> None:
    """Re-fit the model to the store's records (u from them, m from verified links or kept); activate it."""
    from pactum.services import identity

    services = cli_services()
    with _stages(10) as step:
        result = run_command(identity.train_from_store, services, cli_principal(services), engine=engine, em=em,
                             progress=step)
    emit_json(result)


@app.command("models")
def models() -> None:
    """Model versions with their match weights per comparison level."""
    from pactum.services import identity

    services = cli_services()
    emit_json(run_command(identity.list_models, services, cli_principal(services)))
