"""``csto-events annotate install|serve|push|pull``: thin commands over venvs.py, server.py, push.py and pull.py."""
from pathlib import Path
from typing import List, Optional

import typer

from ..progress import to_stderr

annotate_app = typer.Typer(
    help="Annotate in doccano: run a local server, push texts with pre-annotations, pull exports into the corpus.",
    no_args_is_help=True,
)

URL_HELP = "doccano's address; default $CSTO_DOCCANO_URL or http://127.0.0.1:8000."
USER_HELP = "Login; default $CSTO_DOCCANO_USERNAME or admin. The password is read from $CSTO_DOCCANO_PASSWORD."
VENVS_HELP = "Where the doccano venvs live; default $CSTO_DOCCANO_VENVS or ~/.cache/csto-events/doccano-venvs."


@annotate_app.command("install")
def install_command(venvs: Optional[Path] = typer.Option(None, "--venvs", help=VENVS_HELP)) -> None:
    """Build the doccano server and client venvs now (serve, push and pull otherwise build them on first use)."""
    from .venvs import ensure_venv

    for name in ("server", "client"):
        typer.echo(f"{name}: {ensure_venv(name, venvs, progress=to_stderr)}")


@annotate_app.command("serve")
def serve_command(
    data_dir: Path = typer.Option(Path(".doccano"), "--doccano-data", help="Folder for doccano's database, uploads and logs."),
    port: int = typer.Option(8000, help="Port on 127.0.0.1 (the server never listens elsewhere)."),
    workers: int = typer.Option(2, help="gunicorn worker processes."),
    venvs: Optional[Path] = typer.Option(None, "--venvs", help=VENVS_HELP),
) -> None:
    """Start doccano 1.8 and its task worker on 127.0.0.1 until Ctrl-C (installs them on first use).

    The admin account comes from $CSTO_DOCCANO_USERNAME / $CSTO_DOCCANO_PASSWORD,
    or gets a generated password that is printed once.
    """
    from .server import serve

    serve(data_dir, port=port, workers=workers, venv_root=venvs, progress=to_stderr)


@annotate_app.command("push")
def push_command(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL, markup (.md) or .txt files, or folders of them."),
    project: str = typer.Option(..., "--project", "-p", help="doccano project; created if missing."),
    model: Optional[Path] = typer.Option(None, "--model", help="Pre-annotate with this trained pipeline's output."),
    no_annotations: bool = typer.Option(False, "--no-annotations", help="Push the texts without spans and links."),
    guideline: Optional[Path] = typer.Option(
        None, help="Guideline (Markdown) of a new project; default corpus/GUIDELINES.md."),
    url: Optional[str] = typer.Option(None, help=URL_HELP),
    username: Optional[str] = typer.Option(None, help=USER_HELP),
    venvs: Optional[Path] = typer.Option(None, "--venvs", help=VENVS_HELP),
    timeout: float = typer.Option(600.0, help="Seconds to wait for each doccano operation."),
) -> None:
    """Upload texts with pre-annotations (their gold, or a model's predictions), then verify them on the server."""
    from .client import Connection
    from .push import load_texts, predict_records, push, strip_annotations

    if model is not None and no_annotations:
        raise typer.BadParameter("--model and --no-annotations exclude each other")
    connection = Connection.from_env(url, username, venv_root=venvs, timeout=timeout)
    records = load_texts(inputs)
    if no_annotations:
        records = strip_annotations(records)
    elif model is not None:
        typer.echo(f"Pre-annotating {len(records)} text(s) with {model} ...")
        records = predict_records(records, model)
    report = push(
        records, connection, project, strict=model is None,
        guideline=guideline.read_text(encoding="utf-8") if guideline else None, progress=to_stderr,
    )
    for warning in report.warnings:
        typer.secho(f"  to correct: {warning}", fg=typer.colors.YELLOW)
    typer.secho(report.summary(), fg=typer.colors.GREEN)


@annotate_app.command("pull")
def pull_command(
    project: str = typer.Option(..., "--project", "-p", help="doccano project to export."),
    output: Path = typer.Option(..., "--output", "-o", help="Corpus JSONL to write, e.g. corpus/extra/batch-2.jsonl."),
    only_confirmed: bool = typer.Option(False, "--only-confirmed", help="Only texts an annotator marked as done."),
    url: Optional[str] = typer.Option(None, help=URL_HELP),
    username: Optional[str] = typer.Option(None, help=USER_HELP),
    venvs: Optional[Path] = typer.Option(None, "--venvs", help=VENVS_HELP),
    timeout: float = typer.Option(600.0, help="Seconds to wait for each doccano operation."),
) -> None:
    """Export a project, validate it strictly, and write corpus JSONL (the same project gives the same file)."""
    from .client import Connection
    from .pull import pull

    connection = Connection.from_env(url, username, venv_root=venvs, timeout=timeout)
    report = pull(connection, project, output, only_confirmed=only_confirmed, progress=to_stderr)
    typer.secho(report.summary(), fg=typer.colors.GREEN)
