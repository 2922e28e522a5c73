"""The ``csto-events`` command: one sub-command per workflow step.

Each command only parses arguments and prints; the work is done by a plain
function in the module that owns it, which is what the tests call.
"""
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(help="Event extraction from security-alliance news: annotate, train, evaluate, package.", no_args_is_help=True)
corpus_app = typer.Typer(help="Validate, convert and inspect the gold corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


def fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(code=1)


@corpus_app.command("convert")
def corpus_convert(
    inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders of them."),
    output_dir: Path = typer.Option(Path("training/data"), "--output", "-o", help="Where the DocBins go."),
    seed: int = typer.Option(0, help="Seed of the held-out sentence split."),
) -> None:
    """Validate the gold corpus and write train/dev/test DocBins (all or nothing)."""
    from .corpus.build import convert_corpus
    from .corpus.convert import ValidationError
    from .corpus.records import CorpusError

    try:
        report = convert_corpus(inputs, output_dir, seed=seed)
    except (ValidationError, CorpusError, ValueError) as err:
        fail(str(err))
    typer.echo(report.table())
    typer.secho(f"Wrote {output_dir}/articles.spacy, train/dev/test.spacy and splits.json", fg=typer.colors.GREEN)


@corpus_app.command("stats")
def corpus_stats(inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders.")) -> None:
    """Texts, words, spans per label and links per role, per source."""
    from .corpus.build import corpus_statistics

    rows = corpus_statistics(inputs)
    columns = ["texts", "words"] + sorted({k for r in rows for k in r if ":" in k})
    typer.echo("| source | " + " | ".join(columns) + " |")
    typer.echo("|---" * (len(columns) + 1) + "|")
    for row in rows:
        typer.echo(f"| {row['source']} | " + " | ".join(str(row.get(c, 0)) for c in columns) + " |")


@corpus_app.command("import-markup")
def corpus_import_markup(
    files: List[Path] = typer.Argument(..., help="Markup files (see corpus/markup.py)."),
    output: Path = typer.Option(..., "--output", "-o", help="JSONL file to write."),
    source: str = typer.Option("extra", help="Value of the 'source' field."),
    provenance: Optional[str] = typer.Option(None, help="Value of the 'provenance' field."),
) -> None:
    """Turn hand-written markup into validated corpus JSONL."""
    from .corpus.convert import ValidationError, records_to_docs
    from .corpus.markup import read_markup
    from .corpus.records import CorpusError, write_jsonl

    try:
        records = [read_markup(f) for f in sorted(files)]
        records_to_docs(records)
    except (ValidationError, CorpusError) as err:
        fail(str(err))
    for record in records:
        record.meta = {"source": source, **({"provenance": provenance} if provenance else {}), **record.meta}
    n = write_jsonl(output, records)
    typer.echo(f"Wrote {n} record(s) to {output}")


@corpus_app.command("audit")
def corpus_audit(inputs: List[Path] = typer.Argument(..., help="Corpus JSONL files or folders.")) -> None:
    """List words labelled in one place and left unlabelled in another, for review."""
    from .corpus.audit import audit
    from .corpus.records import read_corpus

    rows = audit(read_corpus(inputs))
    for row in rows:
        typer.echo(str(row))
    typer.echo(f"{len(rows)} place(s) to review")


@corpus_app.command("show")
def corpus_show(
    path: Path = typer.Argument(..., help="A corpus JSONL file."),
    doc_id: Optional[str] = typer.Option(None, "--id", help="Only this document."),
) -> None:
    """Print documents as readable markup, spans inline and links underneath."""
    from .corpus.markup import render
    from .corpus.records import read_jsonl

    for record in read_jsonl(path):
        if doc_id is None or str(record.id) == doc_id:
            typer.echo(render(record))


# Workflow commands, each a thin layer in the module that owns the work.
from .training.commands import train_command  # noqa: E402

app.command("train")(train_command)


from .evaluation.commands import app as evaluation_app  # noqa: E402
app.add_typer(evaluation_app, name="evaluate")

from .annotate.commands import annotate_app  # noqa: E402
app.add_typer(annotate_app, name="annotate")

from .extract.commands import extract_command  # noqa: E402
from .packaging.commands import benchmark_command, package_command  # noqa: E402

app.command("package")(package_command)
app.command("extract")(extract_command)
app.command("benchmark")(benchmark_command)

from .distributed.commands import distributed_benchmark_command, distributed_extract_command  # noqa: E402  (archive scale on Dask, issue 9)
app.command("distributed-extract")(distributed_extract_command)
app.command("distributed-benchmark")(distributed_benchmark_command)

if __name__ == "__main__":
    app()
