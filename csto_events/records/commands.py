"""``csto-events records`` and ``csto-events records-benchmark``: thin commands over run.py and benchmark.py."""
from pathlib import Path
from typing import List, Optional

import typer

# Repeated from run.py so that `csto-events --help` does not import spaCy; a test checks they agree.
DEFAULT_MODEL = "training/models/default/model-best"


def records_command(
    inputs: List[str] = typer.Argument(..., metavar="INPUT...", help=".txt files, folders of them, JSONL with 'id' and 'text' (and 'date'), or extract's JSONL output."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for records.csv, records.jsonl and documents.jsonl."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the timeline page here."),
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Pipeline folder or package (not loaded if every input is already extracted)."),
    doc_date: Optional[str] = typer.Option(None, "--doc-date", help="YYYY-MM-DD for documents that carry no date of their own (no 'date' field, header or full dateline)."),
    screenshot: Optional[Path] = typer.Option(None, "--screenshot", help="With --html: also a PNG of the page in headless Chromium."),
) -> None:
    """One row per event: merged mentions, canonical names, normalised dates, the sentence and its offsets."""
    from .run import write_records

    if screenshot and not html:
        raise typer.BadParameter("--screenshot needs --html", param_hint="--screenshot")
    result = write_records(inputs, output, model=model, html=html, doc_date=doc_date)
    typer.echo(f"{result['documents']} document(s), {result['mentions']} event mention(s) -> {result['records']} record(s)")
    typer.echo(f"wrote {result['csv']}, {result['jsonl']}, {result['outputs']}" + (f", {result['html']}" if result["html"] else ""))
    if screenshot:
        from .browser import screenshot as take

        typer.echo(f"wrote {take(result['html'], screenshot)}")


def records_benchmark_command(
    seeds: Path = typer.Option(Path("corpus/seeds/seeds.jsonl"), "--seeds", help="Gold JSONL with date_values and event_clusters (the seed articles)."),
    corpus: List[Path] = typer.Option([], "--corpus", help="More gold JSONL files; records without the gold keys are skipped."),
    model: Optional[str] = typer.Option(None, "--model", "-m", help="Also score this pipeline's predictions (default: training/models/default/model-best if it exists)."),
    output: Path = typer.Option(Path("evaluation/records"), "--output", "-o", help="Folder for benchmark.json and benchmark.md."),
    readme: Optional[Path] = typer.Option(None, "--readme", help="Write the section between <!-- records:start/end --> of this README."),
    no_model: bool = typer.Option(False, "--no-model", help="Score gold entities only."),
) -> None:
    """Date-value accuracy, same-event pairwise F1 and record F1 on the gold, each beside a simple baseline."""
    from .benchmark import run_benchmark

    model_path = None if no_model else (model or (DEFAULT_MODEL if Path(DEFAULT_MODEL, "meta.json").exists() else None))
    report = run_benchmark(seeds, corpus, model=model_path, output=output, readme=readme)
    typer.echo(report["markdown"])
