"""``csto-events distributed-extract`` and ``distributed-benchmark``: thin commands over ``run`` and ``benchmark``."""
from pathlib import Path
from typing import List, Optional

import typer

from ..extract.commands import DEFAULT_BATCH_SIZE
from ..progress import to_stderr


def distributed_extract_command(
    model: str = typer.Argument(..., help="A pipeline folder every worker can read, or a pipeline package installed on every worker."),
    paths: List[str] = typer.Argument(
        ..., metavar="INPUTS... OUTPUT_DIR",
        help="JSONL shards with 'id' and 'text' per line (files, folders, globs, or fsspec URLs such as s3://bucket/*.jsonl.gz), "
        "then the output folder (shared by all workers on a cluster).",
    ),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running dask scheduler (tcp://host:8786); default: a LocalCluster on this machine."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="LocalCluster size (default: one per CPU); with --scheduler, how many workers to wait for."),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", "-b", min=1, help="Texts per nlp.pipe batch."),
    skip_errors: bool = typer.Option(False, "--skip-errors", help="Skip bad lines, process the rest, and list what was skipped in the manifest."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines (errors are still printed)."),
) -> None:
    """Extract JSONL shards on Dask, one task per shard; outputs, .done entries and manifest.json in OUTPUT_DIR."""
    from .run import distributed_extract

    if len(paths) < 2:
        raise typer.BadParameter("give at least one input and the output folder", param_hint="INPUTS... OUTPUT_DIR")
    *inputs, output_dir = paths
    distributed_extract(
        model, inputs, output_dir, scheduler=scheduler, workers=workers, batch_size=batch_size,
        skip_errors=skip_errors, progress=None if quiet else to_stderr,
    )


def distributed_benchmark_command(
    model: str = typer.Argument(..., help="A pipeline folder or an installed pipeline package."),
    output_dir: Path = typer.Option(..., "--output", "-o", help="Where distributed-benchmark.json and .md go."),
    texts: List[Path] = typer.Option([], "--texts", help="Corpus JSONL files or folders, or markup .md files (default: corpus/extra, else tests/fixtures)."),
    docs: int = typer.Option(400, "--docs", min=1, help="The texts are repeated to this many documents."),
    workers: int = typer.Option(2, "--workers", min=1, help="Worker processes of the LocalCluster."),
    shards: int = typer.Option(8, "--shards", min=1, help="Shards the documents are split into for the cluster."),
    batch_size: int = typer.Option(DEFAULT_BATCH_SIZE, "--batch-size", "-b", min=1),
    repeats: int = typer.Option(3, "--repeats", min=1, help="Timed passes per setting after a warm-up; the median counts."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's distributed-benchmark markers."),
) -> None:
    """Documents per second: extract with 1 process, with n_process=2, and a LocalCluster, same texts, same run."""
    from .benchmark import default_sources, distributed_benchmark, read_benchmark_texts, repeat_to, write_report

    documents = repeat_to(read_benchmark_texts(texts or default_sources()), docs)
    report = distributed_benchmark(model, documents, workers=workers, shards=shards, batch_size=batch_size, repeats=repeats, progress=to_stderr)
    json_path, md_path = write_report(report, output_dir)
    if readme is not None:
        from ..readme import update_named_section, without_title

        update_named_section(readme, "distributed-benchmark", without_title(md_path.read_text(encoding="utf-8")))
    typer.echo(md_path.read_text(encoding="utf-8"))
    typer.secho(f"Wrote {json_path} and {md_path}", fg=typer.colors.GREEN)
