"""``csto-events evaluate ...``: thin commands over the evaluation functions.

Each command parses its arguments, calls one function of the suite and
prints; everything they do is testable without the command line.
"""
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(help="Score pipelines and prediction files against gold; write the evaluation report.", no_args_is_help=True)

BASELINE_NAMES = "en_core_web_sm,en_core_web_md,keyword triggers,rules"


def _progress(message: str) -> None:
    typer.echo(message, err=True)


def _split(text: str) -> List[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _numbers(text: str, kind=float) -> list:
    try:
        return [kind(part) for part in _split(text)]
    except ValueError:
        raise typer.BadParameter(f"expected comma-separated numbers, got {text!r}") from None


@app.command("run")
def run_command(
    model: str = typer.Argument(..., help="Trained pipeline: a directory or an installed package."),
    docbins: Path = typer.Option(Path("training/data"), "--docbins", help="Folder with train.spacy, dev.spacy and test.spacy from `corpus convert`."),
    output: Path = typer.Option(Path("evaluation"), "--output", "-o", help="Where report.json/.md/.html and predictions/ go."),
    baselines: str = typer.Option(BASELINE_NAMES, help="Comma-separated baseline rows; '' for none."),
    unit: str = typer.Option("article", help="Bootstrap unit: 'article' (an article's sentences together) or 'text'."),
    resamples: int = typer.Option(1000, help="Bootstrap resamples."),
    bootstrap_seed: int = typer.Option(0, "--bootstrap-seed", help="Seed of the bootstrap resamples."),
    errors: int = typer.Option(25, help="Error examples rendered with displaCy."),
    cv: int = typer.Option(0, "--cv", help="Cross-validation folds grouped by article (0: none; trains folds x seeds pipelines)."),
    learning_curve: str = typer.Option("", help="Training shares for the learning curve, e.g. '0.25,0.5,0.75,1' ('' for none)."),
    config: Path = typer.Option(Path("configs/default.cfg"), help="Training config for --cv and --learning-curve."),
    training_seeds: str = typer.Option("0,1,2", "--training-seeds", help="Training seeds for --cv and --learning-curve (at least three for a spread)."),
    override: List[str] = typer.Option([], "--override", help="Config override section.key=value for the trainings of --cv and --learning-curve, repeatable (e.g. training.max_steps=300)."),
    work_dir: Path = typer.Option(Path("evaluation/work"), help="Where --cv and --learning-curve write fold data and models."),
    keep_models: bool = typer.Option(False, help="Keep the models trained by --cv and --learning-curve."),
    html: bool = typer.Option(True, help="Write report.html (needs matplotlib)."),
) -> None:
    """Score a pipeline and the baselines on the held-out test sentences; optionally CV and learning curve."""
    from .bootstrap import BootstrapSettings
    from ..training.configs import parse_override_options
    from .crossval import TrainingSettings
    from .report import write_report
    from .suite import evaluate

    shares = _numbers(learning_curve) if learning_curve else []
    settings = BootstrapSettings(resamples=resamples, seed=bootstrap_seed, unit=unit)
    training = None
    if cv or shares:
        training = TrainingSettings(config, work_dir, tuple(_numbers(training_seeds, int)), parse_override_options(override), keep_models=keep_models)
    report, runs = evaluate(
        model, docbins / "test.spacy", docbins / "train.spacy", docbins / "dev.spacy",
        baselines=_split(baselines), settings=settings, n_errors=errors,
        training=training, cv_folds=cv, curve_shares=shares, progress=_progress,
    )
    predictions = {run.name: run.predictions for run in runs}
    predictions.update({f"{run.name}.gold-input": run.gold_input for run in runs if run.gold_input is not None})
    written = write_report(report, output, predictions, html_page=html)
    _print_summary(report)
    typer.secho(f"Wrote {', '.join(str(p) for p in written[:3])} and {len(written) - 3} prediction file(s)", fg=typer.colors.GREEN)


def _print_summary(report: dict) -> None:
    from ..tables import markdown_table
    from .report import caption, summary_table

    typer.echo(markdown_table(*summary_table(report)))
    typer.echo(caption(report))


@app.command("score")
def score_command(
    system: str = typer.Argument(..., help="A pipeline (directory or package) or a predictions JSONL file in the Output format."),
    gold: Path = typer.Option(..., "--gold", "-g", help="Gold in the corpus format: a JSONL file, a folder of them, or a .spacy DocBin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write report.json/.md/.html here."),
    name: Optional[str] = typer.Option(None, help="Name of the system in the report."),
    gold_input: Optional[Path] = typer.Option(None, help="Predictions file of the argument step run on gold entities (files only)."),
    covers: str = typer.Option("entities,triggers,arguments", help="What a predictions file's system predicts at all."),
    unit: str = typer.Option("text", help="Bootstrap unit: 'text' or 'article'."),
    resamples: int = typer.Option(1000, help="Bootstrap resamples."),
    bootstrap_seed: int = typer.Option(0, "--bootstrap-seed", help="Seed of the bootstrap resamples."),
    errors: int = typer.Option(25, help="Error examples rendered with displaCy."),
) -> None:
    """Score any pipeline or predictions file against any gold file (your own data too)."""
    from .bootstrap import BootstrapSettings
    from .documents import load_gold
    from .report import write_report
    from .suite import build_report, prediction_run, system_run

    gold_set = load_gold(gold)
    if gold_input is not None:
        run = prediction_run(system, name, gold_input, covers=_split(covers))
    else:
        run = system_run(system, gold_set, name, progress=_progress, covers=_split(covers))
    report = build_report(gold_set, [run], BootstrapSettings(resamples=resamples, seed=bootstrap_seed, unit=unit), errors)
    _print_summary(report)
    if output is not None:
        written = write_report(report, output, {run.name: run.predictions})
        typer.secho(f"Wrote {', '.join(str(p) for p in written)}", fg=typer.colors.GREEN)


@app.command("compare")
def compare_command(
    system_a: str = typer.Argument(..., help="Pipeline or predictions file A."),
    system_b: str = typer.Argument(..., help="Pipeline or predictions file B."),
    gold: Path = typer.Option(..., "--gold", "-g", help="Gold in the corpus format (JSONL, folder, or .spacy)."),
    unit: str = typer.Option("text", help="Bootstrap unit: 'text' or 'article'."),
    resamples: int = typer.Option(1000, help="Bootstrap resamples."),
    bootstrap_seed: int = typer.Option(0, "--bootstrap-seed", help="Seed of the bootstrap resamples."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write report.json/.md/.html here."),
) -> None:
    """Paired bootstrap test between two systems on the same gold (A − B)."""
    from .bootstrap import BootstrapSettings
    from .documents import load_gold
    from ..tables import markdown_table
    from .report import comparison_table, write_report
    from .suite import build_report, system_run

    gold_set = load_gold(gold)
    runs = [system_run(system_a, gold_set, "A", progress=_progress), system_run(system_b, gold_set, "B", progress=_progress)]
    report = build_report(gold_set, runs, BootstrapSettings(resamples=resamples, seed=bootstrap_seed, unit=unit))
    typer.echo(f"A = {system_a}\nB = {system_b}")
    typer.echo(markdown_table(*comparison_table(report)))
    if output is not None:
        write_report(report, output, {run.name: run.predictions for run in runs})


@app.command("render")
def render_command(
    report: Path = typer.Argument(Path("evaluation/report.json"), help="A report JSON."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Folder for report.md/.html (default: the report's folder)."),
) -> None:
    """Re-render report.md and report.html from a report JSON, without scoring anything again."""
    from .report import read_report, write_report

    data = read_report(report)
    written = write_report(data, output or report.parent)
    typer.echo(f"Wrote {', '.join(str(p) for p in written)}")


@app.command("readme-table")
def readme_table_command(
    report: Path = typer.Option(Path("evaluation/report.json"), help="The report JSON written by `evaluate run`."),
    readme: Path = typer.Option(Path("README.md"), help="README with <!-- scores:start --> and <!-- scores:end --> markers."),
    show: bool = typer.Option(False, "--print", help="Only print the table."),
) -> None:
    """Regenerate the README scores table from the report JSON."""
    from .report import read_report, readme_table, update_readme

    data = read_report(report)
    if show:
        typer.echo(readme_table(data))
        return
    changed = update_readme(readme, data)
    typer.echo(f"{readme}: scores table {'updated' if changed else 'already up to date'}")


@app.command("variants")
def variants_command(
    folder: Path = typer.Argument(Path("evaluation/variants"), help="Folder with <variant>/report.json, train-times.txt and benchmark/ from `make variants`."),
    output: Path = typer.Option(Path("evaluation/variants/variants.md"), "--output", "-o", help="Markdown table (a .json with the same data goes beside it)."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's variants markers."),
) -> None:
    """Put the trained variants side by side: held-out scores, cross-validation, time, speed."""
    from .variants import update_readme, write

    md_path, json_path = write(folder, output)
    if readme is not None:
        update_readme(readme, md_path.read_text(encoding="utf-8"))
    typer.echo(md_path.read_text(encoding="utf-8"))
    typer.echo(f"Wrote {md_path} and {json_path}")


@app.command("forgetting")
def forgetting_command(
    model: str = typer.Argument(..., help="The fine-tuned pipeline: a directory or an installed package."),
    texts: List[Path] = typer.Option([Path("corpus/unlabelled/general-news.txt")], help="Unlabelled texts from other beats, one per line; repeatable, the files pooled into one check."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Also write the table (Markdown) and a JSON beside it."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's markers of --section."),
    section: str = typer.Option("forgetting", help="Name of the README's markers (<!-- NAME:start --> ... <!-- NAME:end -->)."),
    hand_labels: List[Path] = typer.Option([], help="Markup file labelling the same lines by hand (ORG/PERSON/DATE): also score every system, md included, against it. One per --texts, in the same order."),
    also: List[str] = typer.Option([], "--also", help="The same config trained with another seed, repeatable: a row each, and the mean ± sd of the fine-tuned rows."),
) -> None:
    """Agreement of ORG/PERSON/DATE with en_core_web_md on general news: what fine-tuning forgot."""
    from ..training.pretrained import md_path
    from .forgetting import markdown, measure, write

    result = measure(model, texts, md_path(), hand_labels=hand_labels or None, also=also)
    table = markdown(result)
    typer.echo(table)
    if output is not None:
        write(result, output)
    if readme is not None:
        from ..readme import update_named_section

        update_named_section(readme, section, table)


@app.command("real-news")
def real_news_command(
    docbins: Path = typer.Option(Path("training/data"), "--docbins", help="Folder from `corpus convert`: the seeds are the train sentences with source 'seed'."),
    config: Path = typer.Option(Path("configs/default.cfg"), help="Training config of every run."),
    output: Path = typer.Option(Path("evaluation/real-news"), "--output", "-o", help="Where report.json and report.md go."),
    parts: str = typer.Option("a,b", help="'a' (own texts only), 'b' (leave one seed out), or both."),
    training_seeds: str = typer.Option("0,1,2", "--training-seeds", help="Training seeds; (a) trains once and (b) once per seed article for each."),
    override: List[str] = typer.Option([], "--override", help="Config override section.key=value for every run, repeatable (e.g. training.max_steps=300)."),
    work_dir: Path = typer.Option(Path("evaluation/work/real-news"), help="One folder per run; a rerun reuses every run whose scores.json matches."),
    held_out: Optional[Path] = typer.Option(Path("evaluation/report.json"), help="`make all`'s report, for the held-out own-text column (skipped if missing)."),
    unit: str = typer.Option("text", help="Bootstrap unit: 'text' (a seed sentence; the default, with five articles) or 'article'."),
    resamples: int = typer.Option(1000, help="Bootstrap resamples."),
    keep_models: bool = typer.Option(False, help="Keep the trained models in the work dir."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's real-news markers."),
) -> None:
    """Score the seed articles (real news): trained on the own texts only (a), and leave one seed out (b)."""
    from .bootstrap import BootstrapSettings
    from ..training.configs import parse_override_options
    from .crossval import TrainingSettings
    from .real_news import evaluate_real_news, load_data, render_markdown, update_readme, write

    settings = TrainingSettings(config, work_dir, tuple(_numbers(training_seeds, int)), parse_override_options(override), keep_models=keep_models)
    report = evaluate_real_news(
        load_data(docbins), settings, parts=_split(parts), bootstrap=BootstrapSettings(resamples=resamples, unit=unit),
        held_out_report=held_out, progress=_progress,
    )
    written = write(report, output)
    if readme is not None:
        update_readme(readme, report)
    typer.echo(render_markdown(report).split("\n## ")[0])
    typer.secho(f"Wrote {', '.join(str(p) for p in written)}" + (f" and the real-news section of {readme}" if readme else ""), fg=typer.colors.GREEN)


@app.command("rescore-rules")
def rescore_rules_command(
    model: Path = typer.Argument(..., help="The trained pipeline whose tagger and parser re-parse the stored texts."),
    docbins: Path = typer.Option(Path("training/data"), "--docbins", help="Folder from `corpus convert` (seed gold; test.spacy for --held-out)."),
    runs: Optional[Path] = typer.Option(Path("evaluation/work/real-news"), help="A real-news work dir: its leave-one-seed-out runs' stored predictions, pooled per training seed."),
    held_out: Optional[Path] = typer.Option(Path("evaluation/predictions/pipeline.jsonl"), help="Stored predictions on the held-out test split."),
    cv: Optional[Path] = typer.Option(None, help="A cross-validation work dir: its pooled out-of-fold predictions (cv-predictions-seed<N>.jsonl) of the own texts."),
    output: Path = typer.Option(Path("evaluation/rescore-rules.md"), "--output", "-o", help="Markdown table; a JSON with every changed text beside it."),
    unit: str = typer.Option("text", help="Bootstrap unit: 'text' or 'article'."),
    resamples: int = typer.Option(1000, help="Bootstrap resamples."),
    ner_rules: bool = typer.Option(True, help="The NER rules (every rule of pipeline/ner_rules.py, or those of --rule)."),
    rule: Optional[List[str]] = typer.Option(None, "--rule", help="Only this NER rule (a name in pipeline/ner_rules.py's RULES), repeatable: judges one rule on predictions that other rules already decoded."),
    title_orgs: bool = typer.Option(False, help="The linker's unlink_title_orgs (pipeline/titles.py)."),
    datelines: bool = typer.Option(False, help="The linker's unlink_dateline_dates (pipeline/datelines.py)."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's rescore-rules markers."),
) -> None:
    """Decode-only rules applied to stored predictions: the same models, rules off and on, paired."""
    import json
    import spacy

    from .bootstrap import BootstrapSettings
    from .documents import gold_from_docs, read_predictions
    from .real_news import load_data, pool
    from .rescore import RULES_EXCLUDED, markdown, rescore, write
    from ..corpus.convert import read_docbin

    sets = []
    data = load_data(docbins) if (runs is not None and runs.is_dir()) or cv is not None else None
    if runs is not None and runs.is_dir():
        seeds_gold = gold_from_docs(data.seeds, "seed sentences")
        stored = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(runs.glob("*/scores.json"))]
        loso = [r for r in stored if r.get("part") == "b"]
        for seed in sorted({r["seed"] for r in loso}):
            sets.append((f"seeds (b), training seed {seed}", seeds_gold, pool([r for r in loso if r["seed"] == seed], seeds_gold)))
    if cv is not None:
        from .crossval import CV_PREDICTIONS

        files = sorted(cv.glob(f"{CV_PREDICTIONS}*.jsonl"))
        if not files:
            raise typer.BadParameter(f"{cv}: no {CV_PREDICTIONS}<N>.jsonl (run `evaluate run --cv` with this --work-dir)")
        cv_gold = gold_from_docs(data.own_train + data.own_dev, "cross-validation sentences")
        for path in files:
            sets.append((f"CV, training seed {path.stem[len(CV_PREDICTIONS):]}", cv_gold, read_predictions(path)))
    if held_out is not None and held_out.is_file():
        sets.append(("held-out test", gold_from_docs(read_docbin(docbins / "test.spacy"), "test split"), read_predictions(held_out)))
    if not sets:
        raise typer.BadParameter(f"nothing to rescore: no leave-one-seed-out runs in {runs} and no file {held_out}")
    from ..pipeline.ner_rules import RULES, in_order

    try:
        chosen = in_order(rule) if rule else tuple(RULES)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--rule") from err
    nlp = spacy.load(model, exclude=RULES_EXCLUDED)
    result = rescore(
        sets, nlp, BootstrapSettings(resamples=resamples, unit=unit), ner_rules=chosen if ner_rules else (),
        title_orgs=title_orgs, datelines=datelines,
    )
    write(result, output)
    typer.echo(markdown(result))
    if readme is not None:
        from ..readme import update_named_section

        update_named_section(readme, "rescore-rules", markdown(result))


@app.command("robustness")
def robustness_command(
    variants: List[Path] = typer.Argument(..., help="Variant folders, each with report.json, forgetting.json (and forgetting-fresh.json) and real-news/report.json, and optionally held-out-seed<N>/report.json of other training seeds; the folder name is the row."),
    default: Path = typer.Option(Path("evaluation"), help="The default's folder: report.json, forgetting.json and real-news/report.json of `make all` and `make real-news`."),
    default_real_news: Optional[Path] = typer.Option(None, help="The default's leave-one-seed-out report, if not the folder's real-news/report.json (e.g. `make real-news`'s, with every training seed)."),
    default_forgetting_pooled: Optional[Path] = typer.Option(None, help="The default's pooled hand-labelled forgetting over training seeds, if not the folder's forgetting-pooled-seeds.json (e.g. `make forgetting-seeds`'s)."),
    training_seeds: str = typer.Option("0", "--training-seeds", help="Training seeds every row is compared on (leave one seed out and held-out)."),
    output: Path = typer.Option(Path("evaluation/robustness/robustness.md"), "--output", "-o", help="Where the Markdown table goes."),
    readme: Optional[Path] = typer.Option(None, help="Also put the table between the README's markers of --section."),
    section: str = typer.Option("robustness", help="Name of the README's markers (<!-- NAME:start --> ... <!-- NAME:end -->)."),
) -> None:
    """Variants against the default on real news (leave one seed out), forgetting and the held-out split."""
    from .robustness import read_reports, write

    def reports(name: str, folder: Path, real_news: Optional[Path] = None, pooled: Optional[Path] = None):
        return read_reports(
            name, folder / "report.json", folder / "forgetting.json", real_news or folder / "real-news" / "report.json",
            folder / "forgetting-fresh.json", sorted(folder.glob("held-out-seed*/report.json")),
            pooled or folder / "forgetting-pooled-seeds.json",
        )

    table = write(
        reports("default", default, default_real_news, default_forgetting_pooled), [reports(v.name, v) for v in variants],
        _numbers(training_seeds, int), output, readme, section,
    )
    typer.echo(table)
