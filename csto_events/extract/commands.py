"""``csto-events extract``: a thin command over ``extract.extract_to_files``."""
from pathlib import Path
from typing import Optional

import typer

# The defaults of extract.py, repeated so that this module (and `csto-events
# --help`) does not import spaCy; a test checks that they agree.
DEFAULT_BATCH_SIZE = 32
DEFAULT_MAX_CHARS = 100_000


def extract_command(
    model: str = typer.Argument(..., help="A pipeline folder (training/models/.../model-best) or an installed package (en_csto_events)."),
    source: str = typer.Argument(..., metavar="INPUT", help="A .txt file, a folder of .txt files, a .jsonl file with 'id' and 'text', or - for JSONL on stdin."),
    output: Optional[str] = typer.Argument(None, metavar="[OUTPUT]", help="JSONL file in the Output format; omitted or - writes to stdout."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a displaCy page of entities and events here."),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", "-b", min=1, help="Texts per nlp.pipe batch."),
    n_process: int = typer.Option(1, "--n-process", "-n", min=1, help="Processes for nlp.pipe (CPU)."),
    skip_errors: bool = typer.Option(False, "--skip-errors", help="Skip bad documents, process the rest, and list what was skipped."),
    max_chars: int = typer.Option(DEFAULT_MAX_CHARS, "--max-chars", min=1000, help="Longer texts are processed in pieces cut at line breaks, then merged."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines (the summary is still printed)."),
) -> None:
    """Extract entities and events from new text, one JSON line per text (stderr: progress and summary)."""
    from .extract import ExtractError, Progress, extract_to_files

    progress = None if quiet else Progress()
    try:
        report = extract_to_files(
            model, source, output, html=html, batch_size=batch_size, n_process=n_process,
            skip_errors=skip_errors, max_chars=max_chars, progress=progress,
        )
    except ExtractError as err:
        typer.echo(err.report.summary(), err=True)  # what was done before the error; the CLI reports the error
        raise
    typer.echo(report.summary(), err=True)
    if html:
        typer.echo(f"wrote {html}", err=True)
