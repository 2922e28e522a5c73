"""``csto-events corpus ...``: thin commands over build, stats, markup and audit.

The commands import their modules when they run, and ``stats`` and ``show``
never load spaCy, so they answer at once; ``convert``, ``import-markup``,
``check-markup`` and ``audit`` validate on spaCy's tokens and pay for its import.
Errors are reported by the CLI's one handler (see ``csto_events.errors``).
"""
from pathlib import Path
from typing import List, Optional

import typer

corpus_app = typer.Typer(help="Validate, convert and inspect the gold corpus.", no_args_is_help=True)


@corpus_app.command("convert")
def convert_command(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders of them."),
    output_dir: Path = typer.Option(Path("training/data"), "--output", "-o", help="Where the DocBins go."),
    split_seed: int = typer.Option(0, "--split-seed", help="Seed of the held-out sentence split (train/dev/test)."),
) -> None:
    """Validate the gold corpus and write train/dev/test DocBins (all or nothing)."""
    from .build import convert_corpus

    report = convert_corpus(inputs, output_dir, seed=split_seed)
    typer.echo(report.table())
    typer.secho(f"Wrote {output_dir}/articles.spacy, train/dev/test.spacy and splits.json", fg=typer.colors.GREEN)


@corpus_app.command("stats")
def stats_command(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's corpus-stats markers."),
) -> None:
    """Texts, words, spans per label and links per role, per source."""
    from .stats import corpus_statistics, statistics_table, update_readme

    table = statistics_table(corpus_statistics(inputs))
    typer.echo(table)
    if readme is not None:
        changed = update_readme(readme, table)
        typer.echo(f"{readme}: corpus table {'updated' if changed else 'already up to date'}", err=True)


@corpus_app.command("import-markup")
def import_markup_command(
    files: List[Path] = typer.Argument(..., help="Markup files (see corpus/markup.py)."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write."),
    source: str = typer.Option("extra", help="Value of the 'source' field."),
    provenance: Optional[str] = typer.Option(None, help="Value of the 'provenance' field."),
) -> None:
    """Turn hand-written markup into validated corpus JSONL."""
    from .convert import records_to_docs
    from .markup import read_markup
    from .records import write_jsonl

    records = [read_markup(f) for f in sorted(files)]
    records_to_docs(records)
    for record in records:
        record.meta = {"source": source, **({"provenance": provenance} if provenance else {}), **record.meta}
    n = write_jsonl(output, records)
    typer.echo(f"Wrote {n} record(s) to {output}")


@corpus_app.command("import-anchored")
def import_anchored_command(
    drafts: List[Path] = typer.Argument(..., help="Anchored drafts (see corpus/anchor.py), each naming its exact text with '# text: PATH'."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write (only if every draft validates)."),
) -> None:
    """Map anchored drafts onto their exact texts (the seed articles) and write validated corpus JSONL."""
    from .anchor import build_anchored

    records = build_anchored(drafts, output)
    typer.echo(f"Wrote {len(records)} record(s) to {output}")


@corpus_app.command("check-markup")
def check_markup_command(files: List[Path] = typer.Argument(..., help="Markup drafts (see corpus/markup.py).")) -> None:
    """Parse and strictly validate markup drafts; list every problem, not only the first."""
    from .markup import check_markup

    result = check_markup(files)
    for problem in result.problems:
        typer.secho(problem, fg=typer.colors.RED)
    typer.echo(result.summary())
    if result.problems:
        typer.secho(f"{len(result.problems)} problem(s)", fg=typer.colors.RED)
        raise typer.Exit(code=1)
    typer.secho("OK", fg=typer.colors.GREEN)


@corpus_app.command("audit")
def audit_command(inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders.")) -> None:
    """List words labelled in one place and left unlabelled in another, for review."""
    from .audit import audit
    from .records import read_corpus

    rows = audit(read_corpus(inputs))
    for row in rows:
        typer.echo(str(row))
    typer.echo(f"{len(rows)} place(s) to review")


@corpus_app.command("show")
def show_command(
    path: Path = typer.Argument(..., help="A corpus JSONL file."),
    doc_id: Optional[str] = typer.Option(None, "--id", help="Only this document."),
) -> None:
    """Print documents as readable markup, spans inline and links underneath."""
    from .markup import render
    from .records import read_jsonl

    for record in read_jsonl(path):
        if doc_id is None or str(record.id) == doc_id:
            typer.echo(render(record))
