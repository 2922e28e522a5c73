"""Cross-validation grouped by article, and the learning curve, over several seeds.

Both train real pipelines through ``csto_events.training.train.train_pipeline``
(or any function with its signature), so they cost minutes per run: the
default ``make all`` evaluation skips them and the report states what they
cost when they are run. The held-out test sentences never enter
cross-validation: folds are built from the train and dev sentences only, and
each fold's training articles give up a share of articles as that fold's dev
set, which is what the trainer selects its best checkpoint on.
"""
import hashlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy
from spacy.tokens import Doc

from ..corpus.convert import write_docbin
from ..corpus.splits import grouped_folds
from .documents import GoldSet, Output, align, gold_from_docs, write_predictions
from .metrics import ARGUMENT_METRICS, METRICS, corpus_counts, prf_arrays
from .predict import Progress, has_argument_component, load_pipeline, predict, predict_from_gold_entities

TrainFn = Callable[..., Path]
MIN_CV_SEEDS = 3
# Pooled out-of-fold predictions of one training seed: <work dir>/cv-predictions-seed<N>.jsonl
CV_PREDICTIONS = "cv-predictions-seed"


@dataclass
class TrainingSettings:
    """How to train inside cross-validation and the learning curve.

    ``overrides`` are config overrides passed to the trainer (for example
    ``{"training.max_steps": 200}``) so a run can be made cheap; ``train_fn``
    defaults to the project's ``train_pipeline``.
    """

    config: Path
    work_dir: Path
    seeds: Tuple[int, ...] = (0, 1, 2)
    overrides: Dict[str, Any] = field(default_factory=dict)
    train_fn: Optional[TrainFn] = None
    keep_models: bool = False

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ValueError("at least one training seed is needed")
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"training seeds must differ, got {list(self.seeds)}")


def resolve_train_fn(train_fn: Optional[TrainFn]) -> TrainFn:
    if train_fn is not None:
        return train_fn
    try:
        from ..training.train import train_pipeline
    except ImportError as err:
        raise ImportError(
            "cross-validation and the learning curve train pipelines with "
            "csto_events.training.train.train_pipeline, which could not be imported"
        ) from err
    return train_pipeline


def _article(doc: Doc) -> str:
    return str(doc.user_data.get("article", doc.user_data.get("id")))


def _hash_point(text: str, seed: int) -> float:
    digest = hashlib.sha256(f"{seed}\x00{text}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def inner_dev_split(docs: Sequence[Doc], share: float = 0.15, seed: int = 0) -> Tuple[List[Doc], List[Doc]]:
    """Split training sentences into train and dev by article (seeded hash, at least one article each)."""
    articles = sorted({_article(d) for d in docs}, key=lambda a: _hash_point(a, seed))
    if len(articles) < 2:
        raise ValueError(f"a fold's training part needs at least 2 articles to set one aside as dev, found {len(articles)}")
    n_dev = min(len(articles) - 1, max(1, round(share * len(articles))))
    dev_articles = set(articles[:n_dev])
    return [d for d in docs if _article(d) not in dev_articles], [d for d in docs if _article(d) in dev_articles]


def sample_share(docs: Sequence[Doc], share: float, seed: int) -> List[Doc]:
    """Whole articles, in a seeded random order, until ``share`` of the sentences is reached."""
    if not 0 < share <= 1:
        raise ValueError(f"a training share must be in (0, 1], got {share}")
    by_article: Dict[str, List[Doc]] = {}
    for doc in docs:
        by_article.setdefault(_article(doc), []).append(doc)
    order = sorted(by_article)
    numpy.random.default_rng(seed).shuffle(order)
    target = share * len(docs)
    chosen: List[Doc] = []
    for article in order:
        if len(chosen) >= target - 1e-9:
            break
        chosen.extend(by_article[article])
    return chosen


@dataclass
class TrainedScore:
    counts: numpy.ndarray  # (texts, M, 4) end to end
    gold_input_counts: Optional[numpy.ndarray]
    seconds: float
    train_texts: int
    # The predictions themselves (Output format, test order), for error lists and stored scores.
    predictions: Optional[List[Output]] = None
    gold_input_predictions: Optional[List[Output]] = None


def train_and_score(
    settings: TrainingSettings,
    name: str,
    train_docs: Sequence[Doc],
    dev_docs: Sequence[Doc],
    test: GoldSet,
    seed: int,
    progress: Progress = None,
) -> TrainedScore:
    """Train one pipeline on the given sentences and score it on ``test`` (both settings)."""
    train_fn = resolve_train_fn(settings.train_fn)
    run_dir = Path(settings.work_dir) / name
    run_dir.mkdir(parents=True, exist_ok=True)
    write_docbin(train_docs, run_dir / "train.spacy")
    write_docbin(dev_docs, run_dir / "dev.spacy")
    model_out = run_dir / "model"
    start = time.perf_counter()
    if progress:
        progress(f"Training {name}: {len(train_docs)} train / {len(dev_docs)} dev sentences, seed {seed}")
    model_dir = train_fn(
        Path(settings.config), model_out, run_dir / "train.spacy", run_dir / "dev.spacy",
        overrides=dict(settings.overrides), seed=seed,
    )
    nlp = load_pipeline(model_dir)
    predictions = align(test, predict(nlp, test), source=f"{name} predictions")
    counts = corpus_counts(test.outputs, predictions)
    gold_counts, gold_preds = None, None
    if has_argument_component(nlp):
        gold_preds, _ = predict_from_gold_entities(nlp, test)
        gold_counts = corpus_counts(test.outputs, gold_preds)
    seconds = time.perf_counter() - start
    if progress:
        progress(f"  {name} done in {seconds:.1f}s")
    if not settings.keep_models and model_out.exists():
        shutil.rmtree(model_out)
    return TrainedScore(counts, gold_counts, seconds, len(train_docs), predictions, gold_preds)


def f_scores(counts: numpy.ndarray, metrics: Sequence[str] = METRICS) -> Dict[str, Optional[float]]:
    _, _, f = prf_arrays(counts.sum(axis=0))
    return {m: (None if numpy.isnan(f[METRICS.index(m)]) else round(float(f[METRICS.index(m)]), 4)) for m in metrics}


def spread(values: Sequence[Optional[float]]) -> Dict[str, Optional[float]]:
    """Mean, sample standard deviation, min and max of the defined values."""
    xs = numpy.array([v for v in values if v is not None], dtype=float)
    if xs.size == 0:
        return {"mean": None, "sd": None, "min": None, "max": None, "n": 0}
    return {
        "mean": round(float(xs.mean()), 4),
        "sd": round(float(xs.std(ddof=1)), 4) if xs.size > 1 else 0.0,
        "min": round(float(xs.min()), 4),
        "max": round(float(xs.max()), 4),
        "n": int(xs.size),
    }


def cross_validate(
    sentences: Sequence[Doc],
    settings: TrainingSettings,
    n_folds: int = 5,
    progress: Progress = None,
) -> Dict[str, Any]:
    """k folds grouped by article x seeds; every sentence is predicted once per seed.

    Per seed, the out-of-fold predictions of all folds are pooled and scored
    once (micro over the whole corpus); the summary gives mean and spread of
    those pooled scores over seeds, and of the per-fold scores over seeds and
    folds. The pooled predictions are also written to the work dir
    (``cv-predictions-seed<N>.jsonl``), so rules applied after the learners
    can be scored later on the same models (``evaluate rescore-rules --cv``).
    """
    if len(settings.seeds) < MIN_CV_SEEDS:
        raise ValueError(f"cross-validation reports a spread over seeds: give at least {MIN_CV_SEEDS} training seeds, got {list(settings.seeds)}")
    start = time.perf_counter()
    sentences = list(sentences)
    folds = grouped_folds(sentences, n_folds)
    gold = gold_from_docs(sentences, "cross-validation sentences")
    per_seed, per_fold = [], []
    run_seconds = []
    for seed in settings.seeds:
        pooled, pooled_gold, predictions = [], [], []
        for k, (train_part, test_part) in enumerate(folds):
            train_docs, dev_docs = inner_dev_split(train_part, seed=k)
            test = gold.subset(str(d.user_data["id"]) for d in test_part)
            result = train_and_score(settings, f"cv-fold{k}-seed{seed}", train_docs, dev_docs, test, seed, progress)
            run_seconds.append(result.seconds)
            pooled.append(result.counts)
            predictions.extend(result.predictions or [])
            fold_row: Dict[str, Any] = {"seed": seed, "fold": k, "test_texts": len(test), "train_texts": len(train_docs),
                                        "dev_texts": len(dev_docs), "f": f_scores(result.counts)}
            if result.gold_input_counts is not None:
                pooled_gold.append(result.gold_input_counts)
                fold_row["f_gold_input"] = f_scores(result.gold_input_counts, ARGUMENT_METRICS)
            per_fold.append(fold_row)
        if predictions:
            Path(settings.work_dir).mkdir(parents=True, exist_ok=True)
            write_predictions(Path(settings.work_dir) / f"{CV_PREDICTIONS}{seed}.jsonl", predictions)
        row: Dict[str, Any] = {"seed": seed, "f": f_scores(numpy.concatenate(pooled))}
        if pooled_gold:
            row["f_gold_input"] = f_scores(numpy.concatenate(pooled_gold), ARGUMENT_METRICS)
        per_seed.append(row)
    report: Dict[str, Any] = {
        "folds": n_folds,
        "seeds": list(settings.seeds),
        "texts": len(sentences),
        "articles": len(set(gold.groups)),
        "config": str(settings.config),
        "overrides": settings.overrides,
        "runs": len(run_seconds),
        "seconds": round(time.perf_counter() - start, 1),
        "seconds_per_run": round(float(numpy.mean(run_seconds)), 1),
        "per_seed": per_seed,
        "per_fold": per_fold,
        "summary": {m: spread([r["f"][m] for r in per_seed]) for m in METRICS},
        "fold_summary": {m: spread([r["f"][m] for r in per_fold]) for m in METRICS},
    }
    if all("f_gold_input" in r for r in per_seed):
        report["summary_gold_input"] = {m: spread([r["f_gold_input"][m] for r in per_seed]) for m in ARGUMENT_METRICS}
    return report


def learning_curve(
    train_docs: Sequence[Doc],
    dev_docs: Sequence[Doc],
    test: GoldSet,
    settings: TrainingSettings,
    shares: Sequence[float] = (0.25, 0.5, 0.75, 1.0),
    progress: Progress = None,
) -> Dict[str, Any]:
    """F on the held-out test after training on growing shares of the training articles."""
    start = time.perf_counter()
    points = []
    run_seconds = []
    for share in sorted(set(shares)):
        runs = []
        for seed in settings.seeds:
            subset = sample_share(train_docs, share, seed)
            result = train_and_score(settings, f"curve-{share:g}-seed{seed}", subset, dev_docs, test, seed, progress)
            run_seconds.append(result.seconds)
            f = f_scores(result.counts)
            if result.gold_input_counts is not None:
                f.update({f"gold_input.{m}": v for m, v in f_scores(result.gold_input_counts, ARGUMENT_METRICS).items()})
            runs.append({"seed": seed, "train_texts": result.train_texts, "f": f})
        metrics = list(runs[0]["f"])
        points.append({
            "share": share,
            "train_texts": spread([r["train_texts"] for r in runs]),
            "runs": runs,
            "f": {m: spread([r["f"][m] for r in runs]) for m in metrics},
        })
    return {
        "shares": sorted(set(shares)),
        "seeds": list(settings.seeds),
        "train_texts_total": len(train_docs),
        "test_texts": len(test),
        "config": str(settings.config),
        "overrides": settings.overrides,
        "runs": len(run_seconds),
        "seconds": round(time.perf_counter() - start, 1),
        "seconds_per_run": round(float(numpy.mean(run_seconds)), 1) if run_seconds else 0.0,
        "points": points,
    }
