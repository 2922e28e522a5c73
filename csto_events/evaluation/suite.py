"""The evaluation run: score systems on gold, add intervals, comparisons, CV and the curve.

``build_report`` turns any list of system runs on one gold set into the
report dict that ``report.py`` renders as JSON, Markdown, HTML and the README
table, so scoring a user's own predictions file and the project's headline
evaluation produce the same report.
"""
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy
import spacy

from ..corpus.convert import read_docbin
from ..corpus.splits import is_seed
from ..pipeline.scheme import ROLES, SPAN_LABELS
from .bootstrap import BootstrapSettings, intervals, paired_test, resample_weights, unit_counts, unit_keys
from .documents import GoldSet, align, load_gold
from .metrics import (
    ARGUMENT_METRICS, CAPABILITIES, METRICS, capability, confusion_matrix, corpus_counts, count_error_texts,
    error_examples, score,
)
from .predict import Progress, SystemRun, has_argument_component, load_pipeline, run_pipeline

if TYPE_CHECKING:
    from .crossval import TrainingSettings

REPORT_VERSION = 1
# The metrics compared between the main system and each other system.
HEADLINE = ("entities.strict", "trig_c", "arg_c")
HEADLINE_GOLD_INPUT = ("arg_c",)


@dataclass
class ScoredRun:
    run: SystemRun
    units: numpy.ndarray
    gold_input_units: Optional[numpy.ndarray]
    entry: Dict[str, Any]



NUMERIC_PACKAGES = ("spacy", "thinc", "numpy", "blis", "torch")


def environment() -> Dict[str, str]:
    """Versions and CPU a report was measured with.

    Training repeats exactly for a fixed seed on one machine, not across
    machines: the linear-algebra kernels choose instructions by CPU, and a
    dependency's new release can change a sum's rounding. A figure that moved
    between two runs of one commit is then traced here.
    """
    from importlib.metadata import PackageNotFoundError, version

    env = {"python": platform.python_version(), "machine": platform.machine(), "cpu": cpu_model()}
    for name in NUMERIC_PACKAGES:
        try:
            env[name] = version(name)
        except PackageNotFoundError:
            env[name] = "not installed"
    return env


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"

def _merge(points: Dict[str, Dict], cis: Dict[str, Dict], metrics: Sequence[str]) -> Dict[str, Dict]:
    return {m: {**points[m], **cis[m]} for m in metrics}


def score_run(
    gold: GoldSet, run: SystemRun, keys: Sequence[str], weights: numpy.ndarray, settings: BootstrapSettings, n_errors: int
) -> ScoredRun:
    """Scores with intervals of one system, restricted to what it predicts."""
    preds = align(gold, run.predictions, source=run.name)
    counts = corpus_counts(gold.outputs, preds)
    units = unit_counts(counts, keys)
    covered = [m for m in METRICS if capability(m) in run.covers]
    entry: Dict[str, Any] = {
        "name": run.name,
        "description": run.description,
        "covers": list(run.covers),
        "seconds": run.seconds,
        "notes": list(run.notes),
        "details": run.details,
        "scores": _merge(score(counts), intervals(units, weights, settings.confidence), covered),
        "scores_gold_input": None,
        "confusion": confusion_matrix(gold.outputs, preds),
        "error_texts": count_error_texts(gold.outputs, preds),
        "error_examples": error_examples(gold.outputs, preds, n_errors),
    }
    gold_units = None
    if run.gold_input is not None:
        gold_preds = align(gold, run.gold_input, source=f"{run.name} (from gold entities)")
        gold_counts = corpus_counts(gold.outputs, gold_preds)
        gold_units = unit_counts(gold_counts, keys)
        entry["scores_gold_input"] = _merge(
            score(gold_counts), intervals(gold_units, weights, settings.confidence), ARGUMENT_METRICS
        )
    return ScoredRun(run, units, gold_units, entry)


def gold_statistics(gold: GoldSet) -> Dict[str, int]:
    stats: Dict[str, int] = {"texts": len(gold), "articles": len(set(gold.groups))}
    for label in SPAN_LABELS:
        stats[f"span:{label}"] = sum(1 for o in gold.outputs for e in o["entities"] if e["label"] == label)
    for role in ROLES:
        stats[f"link:{role}"] = sum(
            1 for o in gold.outputs for ev in o["events"] for a in ev["arguments"] if a["role"] == role
        )
    return stats


def compare(a: ScoredRun, b: ScoredRun, weights: numpy.ndarray, settings: BootstrapSettings) -> Dict[str, Any]:
    """Paired bootstrap of the headline metrics both systems predict."""
    shared = [m for m in HEADLINE if capability(m) in a.run.covers and capability(m) in b.run.covers]
    tests = {m: paired_test(a.units, b.units, weights, [m], settings.confidence)[m] for m in shared}
    if a.gold_input_units is not None and b.gold_input_units is not None:
        for m in HEADLINE_GOLD_INPUT:
            tests[f"gold_input.{m}"] = paired_test(a.gold_input_units, b.gold_input_units, weights, [m], settings.confidence)[m]
    return {"a": a.run.name, "b": b.run.name, "tests": tests}


def build_report(
    gold: GoldSet,
    runs: Sequence[SystemRun],
    settings: BootstrapSettings = BootstrapSettings(),
    n_errors: int = 25,
    compare_all_pairs: bool = False,
) -> Dict[str, Any]:
    """Score every run on ``gold``; compare the first run with each other one (or all pairs)."""
    if not runs:
        raise ValueError("nothing to score: no systems given")
    names = [r.name for r in runs]
    if len(set(names)) != len(names):
        raise ValueError(f"system names must differ, got {names}")
    keys = unit_keys(gold.ids, gold.groups, settings.unit)
    n_units = len(dict.fromkeys(keys))
    weights = resample_weights(n_units, settings.resamples, settings.seed)
    scored = [score_run(gold, run, keys, weights, settings, n_errors) for run in runs]
    pairs = (
        [(i, j) for i in range(len(scored)) for j in range(i + 1, len(scored))]
        if compare_all_pairs
        else [(0, j) for j in range(1, len(scored))]
    )
    comparisons = [compare(scored[i], scored[j], weights, settings) for i, j in pairs]
    return {
        "version": REPORT_VERSION,
        "gold": {"source": gold.source, **gold_statistics(gold)},
        "bootstrap": {
            "unit": settings.unit, "units": n_units, "resamples": settings.resamples,
            "seed": settings.seed, "confidence": settings.confidence,
        },
        "environment": environment(),
        "systems": [s.entry for s in scored],
        "comparisons": comparisons,
        "cross_validation": None,
        "learning_curve": None,
        "seconds": {},
    }


def prediction_run(
    path: Union[str, Path],
    name: Optional[str] = None,
    gold_input: Optional[Union[str, Path]] = None,
    covers: Sequence[str] = CAPABILITIES,
) -> SystemRun:
    """A predictions file as a system. ``covers`` says what the file's system predicts at all
    (an NER-only file should say ``("entities",)`` so its trigger scores show "—", not 0)."""
    from .documents import read_predictions

    unknown = [c for c in covers if c not in CAPABILITIES]
    if unknown or not covers:
        raise ValueError(f"covers must be a non-empty subset of {', '.join(CAPABILITIES)}, got {list(covers)}")
    outputs = read_predictions(path)
    run = SystemRun(name or Path(path).stem, f"predictions file {path}", tuple(covers), outputs)
    if gold_input is not None:
        run.gold_input = read_predictions(gold_input)
    return run


def system_run(
    system: Union[str, Path],
    gold: GoldSet,
    name: Optional[str] = None,
    progress: Progress = None,
    covers: Sequence[str] = CAPABILITIES,
) -> SystemRun:
    """A pipeline (directory or package) or an Output-format JSONL file, as a system run on ``gold``."""
    path = Path(system)
    if path.is_file() and path.suffix in (".jsonl", ".json"):
        return prediction_run(path, name, covers=covers)
    nlp = load_pipeline(system)
    covers = ("entities", "triggers") + (("arguments",) if has_argument_component(nlp) else ())
    description = f"pipeline {system} ({', '.join(nlp.pipe_names)})"
    run = run_pipeline(nlp, gold, name or str(system), description, covers, progress=progress)
    # Recorded so that reports of one config trained with several seeds can be told apart
    # and averaged by seed (robustness.py), not by file name.
    run.details["training_seed"] = nlp.config.get("system", {}).get("seed")
    return run


def evaluate(
    model: Union[str, Path],
    test_path: Union[str, Path],
    train_path: Optional[Union[str, Path]] = None,
    dev_path: Optional[Union[str, Path]] = None,
    *,
    baselines: Sequence[str] = (),
    settings: BootstrapSettings = BootstrapSettings(),
    n_errors: int = 25,
    training: Optional["TrainingSettings"] = None,
    cv_folds: int = 0,
    curve_shares: Sequence[float] = (),
    progress: Progress = None,
) -> Tuple[Dict[str, Any], List[SystemRun]]:
    """The headline evaluation: the pipeline and the baselines on the held-out test sentences.

    With ``training`` set, also ``cv_folds``-fold cross-validation over the
    train and dev sentences and/or a learning curve over ``curve_shares`` of
    the training sentences (both train pipelines, so both cost minutes).
    """
    timings: Dict[str, float] = {}
    start = time.perf_counter()
    gold = load_gold(test_path)
    needs_train = bool(baselines) or bool(cv_folds) or bool(curve_shares)
    if needs_train and train_path is None:
        raise ValueError("baselines, cross-validation and the learning curve need the training split: give train_path")
    train_docs = read_docbin(train_path) if needs_train else []
    runs = [system_run(model, gold, name="pipeline", progress=progress)]
    if baselines:
        from .baselines import run_baselines

        t = time.perf_counter()
        runs.extend(run_baselines(gold, train_docs, baselines, progress=progress))
        timings["baselines"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    report = build_report(gold, runs, settings, n_errors)
    timings["scoring"] = round(time.perf_counter() - t, 2)
    if cv_folds or curve_shares:
        if training is None:
            raise ValueError("cross-validation and the learning curve need training settings (config, work dir, seeds)")
        if dev_path is None:
            raise ValueError("cross-validation and the learning curve need the dev split: give dev_path")
        from .crossval import cross_validate, learning_curve

        dev_docs = read_docbin(dev_path)
        if cv_folds:
            # The grouped CV is of the own texts: the seed articles (all in train) are scored
            # by leave-one-seed-out in real_news.py, beside it.
            own = [d for d in train_docs + dev_docs if not is_seed(d)]
            report["cross_validation"] = cross_validate(own, training, cv_folds, progress)
        if curve_shares:
            report["learning_curve"] = learning_curve(train_docs, dev_docs, gold, training, curve_shares, progress)
    timings["total"] = round(time.perf_counter() - start, 2)
    report["seconds"] = timings
    return report, runs
