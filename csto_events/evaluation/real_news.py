"""Real news: the seed articles, scored by models that never saw them.

Every other score of the project is measured on text the project wrote
itself. The five seed articles are the real news it was founded on, so they
are scored on their own, in two ways:

- (a) ``own``: trained on the project's own texts only (the own-text train
  split, best model selected on the own-text dev split), scored on every seed
  sentence. This is what a new user gets from a model of written text.
- (b) ``loso``, leave one seed out: for each seed article, trained on the own
  train split plus the other seed articles (selection on the own dev split,
  never on a seed), scored on the held-out seed. The folds' predictions are
  pooled, so every seed sentence is predicted once per training seed.

Both are repeated for every training seed; the figures are the mean and
sample standard deviation over training seeds of the pooled F1, and a
bootstrap interval. With five articles, resampling articles gives only a
handful of distinct test sets, so the default unit is the sentence of the
seed articles; the same resamples are used for every training seed and the
interval is that of the mean over seeds.

Each training writes ``<work_dir>/<run>/scores.json`` (its predictions and a
fingerprint of the config, overrides, seed and data it was trained and
scored on); a rerun reuses a run whose fingerprint matches and retrains any
other, so an interrupted evaluation resumes where it stopped.
"""
import hashlib
import json
import os
import re
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy
from spacy.tokens import Doc

from ..corpus.convert import read_docbin
from ..corpus.splits import article_of, is_seed
from ..errors import DataError
from ..pipeline.events import doc_to_output
from ..pipeline.scheme import ROLES, SPAN_LABELS
from ..tables import markdown_table
from .bootstrap import BootstrapSettings, percentile_interval, resample_weights, resampled_counts, unit_counts, unit_keys
from .crossval import TrainingSettings, f_scores, spread, train_and_score
from .documents import GoldSet, Output, align, gold_from_docs
from .metrics import ARGUMENT_METRICS, METRICS, arguments, corpus_counts, prf_arrays, spans
from .predict import Progress
from .suite import gold_statistics

REPORT_VERSION = 1
PARTS = ("a", "b")
PART_NAMES = {"a": "(a) own texts only", "b": "(b) leave one seed out"}
SCORES_FILE = "scores.json"
README_SECTION = "real-news"
# The rows of every table: per-label strict F1, the headline groups, per-role Arg-C F1.
ROWS: Tuple[Tuple[str, str], ...] = (
    tuple((f"{label}.strict", label) for label in SPAN_LABELS)
    + (("entities.strict", "Entities (ORG+PERSON+DATE)"), ("trig_c", "Trig-C"), ("arg_i", "Arg-I"), ("arg_c", "Arg-C"))
    + tuple((f"arg_c.{role}", f"Arg-C {role}") for role in ROLES)
)


@dataclass
class RealNewsData:
    """The own-text train and dev sentences and the seed sentences, from ``corpus convert``'s output."""

    own_train: List[Doc]
    own_dev: List[Doc]
    seeds: List[Doc]
    source: str = ""

    @property
    def seed_articles(self) -> List[str]:
        return sorted({article_of(d) for d in self.seeds})

    def seed_sentences(self, articles: Sequence[str]) -> List[Doc]:
        wanted = set(articles)
        return [d for d in self.seeds if article_of(d) in wanted]


def load_data(data_dir: Union[str, Path]) -> RealNewsData:
    """Split ``train.spacy`` into own texts and seeds; refuse data where a seed reached dev or test."""
    data_dir = Path(data_dir)
    paths = {name: data_dir / f"{name}.spacy" for name in ("train", "dev", "test")}
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} not found: run `csto-events corpus convert` first")
    train, dev, test = (read_docbin(paths[name]) for name in ("train", "dev", "test"))
    for name, docs in (("dev", dev), ("test", test)):
        leaked = sorted({article_of(d) for d in docs if is_seed(d)})
        if leaked:
            raise DataError(
                f"{paths[name]}: seed article(s) {', '.join(leaked)} in {name}; seeds always go to train, "
                "so this data was converted by an older split: run `csto-events corpus convert` again"
            )
    seeds = [d for d in train if is_seed(d)]
    if not seeds:
        raise DataError(
            f"{paths['train']}: no sentences from seed articles (records with \"source\": \"seed\"); "
            "add their gold to corpus/ and run `csto-events corpus convert`"
        )
    data = RealNewsData([d for d in train if not is_seed(d)], dev, seeds, str(data_dir))
    if not data.own_train or not data.own_dev:
        raise DataError(f"{data_dir}: the own texts need train and dev sentences (found {len(data.own_train)} and {len(data.own_dev)})")
    return data


@dataclass(frozen=True)
class Run:
    """One training: which seed articles it learns from and which it is scored on."""

    part: str
    seed: int
    train_seeds: Tuple[str, ...]
    held_out: Tuple[str, ...]

    @property
    def name(self) -> str:
        if self.part == "a":
            return f"own-seed{self.seed}"
        return f"loso-{_safe(self.held_out[0])}-seed{self.seed}"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def plan(seed_articles: Sequence[str], training_seeds: Sequence[int], parts: Sequence[str] = PARTS) -> List[Run]:
    """The trainings of (a) and (b): one per training seed for (a), one per seed article x training seed for (b)."""
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise DataError(f"parts must be a non-empty subset of {', '.join(PARTS)}, got {list(parts)}")
    articles = sorted(seed_articles)
    if "b" in parts and len(articles) < 2:
        raise DataError(f"leave one seed out needs at least 2 seed articles, found {len(articles)}")
    runs = []
    for seed in training_seeds:
        if "a" in parts:
            runs.append(Run("a", seed, (), tuple(articles)))
        if "b" in parts:
            runs.extend(Run("b", seed, tuple(a for a in articles if a != held), (held,)) for held in articles)
    return runs


def _fingerprint(settings: TrainingSettings, run: Run, train: Sequence[Doc], dev: Sequence[Doc], test: GoldSet) -> str:
    """A hash of everything a run's scores depend on, so a stale scores file is never reused."""
    digest = hashlib.sha256()
    for part in (
        _config_text(settings.config),
        json.dumps(settings.overrides, sort_keys=True),
        str(run.seed),
        json.dumps([doc_to_output(d, d.user_data.get("id")) for d in train], sort_keys=True),
        json.dumps([doc_to_output(d, d.user_data.get("id")) for d in dev], sort_keys=True),
        json.dumps(test.outputs, sort_keys=True),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _config_text(path: Union[str, Path]) -> str:
    """What the fingerprint hashes of a config: the file itself, or for a variant its merged
    config, so a change to the base config also makes a variant's stored runs stale."""
    from ..training.configs import is_variant, load_config

    if is_variant(path):
        return load_config(path).to_str()
    return Path(path).read_text(encoding="utf-8")


def _write_json(path: Path, data: Dict[str, Any]) -> None:
    """Write through a temporary file, so an interrupted run never leaves half a scores file to reuse."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def execute(
    run: Run, data: RealNewsData, gold: GoldSet, settings: TrainingSettings, progress: Progress = None
) -> Dict[str, Any]:
    """Train and score one run, or reuse its scores file when the fingerprint matches."""
    train = data.own_train + data.seed_sentences(run.train_seeds)
    test = gold.subset(str(d.user_data["id"]) for d in data.seed_sentences(run.held_out))
    fingerprint = _fingerprint(settings, run, train, data.own_dev, test)
    path = Path(settings.work_dir) / run.name / SCORES_FILE
    if path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored.get("fingerprint") == fingerprint:
            if progress:
                progress(f"  {run.name}: reusing {path}")
            return {**stored, "reused": True}
        if progress:
            progress(f"  {run.name}: {path} was made with other data, config or overrides; training again")
    result = train_and_score(settings, run.name, train, data.own_dev, test, run.seed, progress)
    stored = {
        "name": run.name, "part": run.part, "seed": run.seed,
        "train_seeds": list(run.train_seeds), "held_out": list(run.held_out),
        "fingerprint": fingerprint, "seconds": round(result.seconds, 1),
        "train_texts": len(train), "dev_texts": len(data.own_dev), "test_texts": len(test),
        "predictions": result.predictions, "gold_input_predictions": result.gold_input_predictions,
    }
    _write_json(path, stored)
    return {**stored, "reused": False}


def seed_mean_intervals(
    counts_per_seed: Sequence[numpy.ndarray], keys: Sequence[str], bootstrap: BootstrapSettings, metrics: Sequence[str] = METRICS
) -> Dict[str, List[Optional[float]]]:
    """Bootstrap interval of the mean F1 over training seeds, every seed scored on the same resamples."""
    n_units = len(dict.fromkeys(keys))
    weights = resample_weights(n_units, bootstrap.resamples, bootstrap.seed)
    per_seed = []
    for counts in counts_per_seed:
        _, _, f = prf_arrays(resampled_counts(unit_counts(counts, keys), weights))
        per_seed.append(f)
    with warnings.catch_warnings():
        # A resample where every seed's F1 is undefined (no gold, no prediction) is NaN, not a problem.
        warnings.simplefilter("ignore", category=RuntimeWarning)
        mean = numpy.nanmean(numpy.stack(per_seed), axis=0)  # (resamples, M)
    return {m: percentile_interval(mean[:, METRICS.index(m)], bootstrap.confidence) for m in metrics}


def pool(results: Sequence[Dict[str, Any]], gold: GoldSet, key: str = "predictions") -> List[Output]:
    """The predictions of several runs (the folds of one training seed), in gold order, each sentence once."""
    predictions = [p for r in results for p in (r.get(key) or [])]
    names = ", ".join(r["name"] for r in results)
    return align(gold, predictions, source=f"pooled predictions of {names}")


def summarise(
    results: Sequence[Dict[str, Any]], gold: GoldSet, seeds: Sequence[int], bootstrap: BootstrapSettings
) -> Dict[str, Any]:
    """Pooled F1 per training seed, mean ± sd over seeds, and the bootstrap interval of the mean."""
    keys = unit_keys(gold.ids, gold.groups, bootstrap.unit)
    per_seed, counts, gold_counts = [], [], []
    for seed in seeds:
        mine = [r for r in results if r["seed"] == seed]
        c = corpus_counts(gold.outputs, pool(mine, gold))
        counts.append(c)
        row: Dict[str, Any] = {"seed": seed, "runs": len(mine), "f": f_scores(c)}
        if all(r.get("gold_input_predictions") is not None for r in mine):
            g = corpus_counts(gold.outputs, pool(mine, gold, "gold_input_predictions"))
            gold_counts.append(g)
            row["f_gold_input"] = f_scores(g, ARGUMENT_METRICS)
        per_seed.append(row)
    cis = seed_mean_intervals(counts, keys, bootstrap)
    summary = {m: {**spread([r["f"][m] for r in per_seed]), "ci": cis[m]} for m in METRICS}
    out: Dict[str, Any] = {
        "runs": len(results),
        "seconds_per_run": round(float(numpy.mean([r["seconds"] for r in results])), 1) if results else 0.0,
        "per_seed": per_seed,
        "summary": summary,
    }
    if len(gold_counts) == len(per_seed):
        gold_cis = seed_mean_intervals(gold_counts, keys, bootstrap, ARGUMENT_METRICS)
        out["summary_gold_input"] = {
            m: {**spread([r["f_gold_input"][m] for r in per_seed]), "ci": gold_cis[m]} for m in ARGUMENT_METRICS
        }
    return out


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def classify_errors(gold: Output, pred: Output) -> List[Dict[str, Any]]:
    """Every strict miss of one text, by kind.

    Spans (filed under the gold label, spurious ones under the predicted
    label): ``missed`` (nothing predicted there), ``boundary`` (a span of the
    same label overlaps it), ``wrong label`` (a span of another label covers
    it, with or without the same boundaries), ``spurious`` (a predicted span
    that overlaps no gold span). Arguments (filed under the gold role,
    spurious ones under the predicted role): ``missed`` (the trigger-entity
    pair was not linked; ``cause`` says whether a span was not found),
    ``wrong role`` (the pair was linked with another role or event type),
    ``spurious`` (a linked pair that is no gold pair).
    """
    text = gold["text"]
    g_spans, p_spans = set(spans(gold)), set(spans(pred))
    errors: List[Dict[str, Any]] = []
    for s, e, label in sorted(g_spans - p_spans):
        same = [p for p in p_spans if p[2] == label and _overlaps((s, e), p[:2])]
        other = [p for p in p_spans if p[2] != label and _overlaps((s, e), p[:2])]
        found = same or other
        kind = "boundary" if same else "wrong label" if other else "missed"
        errors.append({
            "what": "span", "kind": kind, "label": label, "gold": text[s:e],
            "predicted": "; ".join(f"{text[p[0]:p[1]]} [{p[2]}]" for p in sorted(found)) or None,
        })
    for s, e, label in sorted(p_spans - g_spans):
        if not any(_overlaps((s, e), g[:2]) for g in g_spans):
            errors.append({"what": "span", "kind": "spurious", "label": label, "gold": None, "predicted": text[s:e]})
    g_args, p_args = arguments(gold), arguments(pred)
    p_pairs: Dict[Tuple[int, int, int, int], List[Tuple[str, str]]] = {}
    for ts, te, typ, as_, ae, role in p_args:
        p_pairs.setdefault((ts, te, as_, ae), []).append((typ, role))
    g_pairs = {(ts, te, as_, ae) for ts, te, _, as_, ae, _ in g_args}
    found_spans = {(s, e) for s, e, _ in p_spans}
    for ts, te, typ, as_, ae, role in sorted(g_args - p_args):
        linked = p_pairs.get((ts, te, as_, ae))
        entry = {"what": "argument", "label": role, "trigger": text[ts:te], "gold": text[as_:ae]}
        if linked:
            entry.update(kind="wrong role", predicted="; ".join(f"{r} of {t}" for t, r in sorted(linked)))
        else:
            lost = [name for name, span in (("trigger", (ts, te)), ("argument", (as_, ae))) if span not in found_spans]
            entry.update(kind="missed", predicted=None, cause=f"{' and '.join(lost)} span not found" if lost else "link not predicted")
        errors.append(entry)
    for ts, te, typ, as_, ae, role in sorted(p_args - g_args):
        if (ts, te, as_, ae) not in g_pairs:
            errors.append({"what": "argument", "kind": "spurious", "label": role, "trigger": text[ts:te], "gold": None, "predicted": text[as_:ae]})
    return errors


SPAN_KINDS = ("missed", "boundary", "wrong label", "spurious")
ARGUMENT_KINDS = ("missed", "wrong role", "spurious")


def error_list(golds: Sequence[Output], preds: Sequence[Output], n_examples: int = 3) -> Dict[str, Any]:
    """Counts of every kind of miss per label and per role, and the first few examples of each."""
    counts: Counter = Counter()
    span_not_found: Counter = Counter()
    examples: Dict[str, List[Dict[str, Any]]] = {}
    for gold, pred in zip(golds, preds):
        for err in classify_errors(gold, pred):
            key = f"{err['what']}:{err['label']}:{err['kind']}"
            counts[key] += 1
            if err.get("cause", "").endswith("span not found"):
                span_not_found[err["label"]] += 1
            bucket = examples.setdefault(f"{err['what']}:{err['kind']}", [])
            if len(bucket) < n_examples:
                bucket.append({"id": gold["id"], **err})
    return {
        "spans": {label: {k: counts[f"span:{label}:{k}"] for k in SPAN_KINDS} for label in SPAN_LABELS},
        "arguments": {
            role: {**{k: counts[f"argument:{role}:{k}"] for k in ARGUMENT_KINDS}, "missed: span not found": span_not_found[role]}
            for role in ROLES
        },
        "examples": examples,
    }


def _held_out(path: Optional[Union[str, Path]]) -> Optional[Dict[str, Any]]:
    """The grouped held-out own-text scores of ``make all`` (the pipeline row of evaluation/report.json)."""
    if path is None or not Path(path).exists():
        return None
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    rows = [s for s in report.get("systems", []) if s.get("name") == "pipeline"]
    if not rows:
        raise DataError(f"{path}: no 'pipeline' row in systems")
    scores = rows[0]["scores"]
    return {
        "source": str(path),
        "texts": report["gold"]["texts"],
        "articles": report["gold"]["articles"],
        "bootstrap_unit": report.get("bootstrap", {}).get("unit"),
        "scores": {m: {"f": scores[m]["f"], "f_ci": scores[m].get("f_ci")} for m, _ in ROWS if m in scores},
    }


def gold_items(gold: GoldSet) -> Dict[str, int]:
    """How many gold items every metric of the tables counts (spans, triggers, arguments)."""
    totals = corpus_counts(gold.outputs, gold.outputs).sum(axis=0)
    return {m: int(totals[METRICS.index(m), 3]) for m, _ in ROWS}


def evaluate_real_news(
    data: RealNewsData,
    settings: TrainingSettings,
    parts: Sequence[str] = PARTS,
    bootstrap: BootstrapSettings = BootstrapSettings(unit="text"),
    held_out_report: Optional[Union[str, Path]] = None,
    n_examples: int = 3,
    progress: Progress = None,
) -> Dict[str, Any]:
    """Run (a) and/or (b) for every training seed (reusing finished runs) and build the report."""
    start = time.perf_counter()
    if held_out_report is not None and not Path(held_out_report).exists() and progress:
        progress(f"{held_out_report} not found: the table will have no held-out own-text column (run `make evaluate` first)")
    gold = gold_from_docs(data.seeds, f"seed sentences of {data.source}")
    runs = plan(data.seed_articles, settings.seeds, parts)
    results: List[Dict[str, Any]] = []
    trained: List[float] = []
    for n, run in enumerate(runs, start=1):
        if progress:
            left = len(runs) - n + 1
            minutes = left * numpy.mean(trained) / 60 if trained else None
            eta = "" if minutes is None else f", about {minutes:.0f} min left" if minutes >= 1 else ", under a minute left"
            progress(f"[{n}/{len(runs)}] {PART_NAMES[run.part]}, training seed {run.seed}, scored on {', '.join(run.held_out)}{eta}")
        result = execute(run, data, gold, settings, progress)
        if not result["reused"]:
            trained.append(result["seconds"])
        results.append(result)
    report: Dict[str, Any] = {
        "version": REPORT_VERSION,
        "gold": {"source": gold.source, **gold_statistics(gold),
                 "per_article": dict(sorted(Counter(gold.groups).items())),
                 "items": gold_items(gold)},
        "own_texts": {"train": len(data.own_train), "dev": len(data.own_dev)},
        "config": str(settings.config),
        "overrides": settings.overrides,
        "seeds": list(settings.seeds),
        "bootstrap": {"unit": bootstrap.unit, "resamples": bootstrap.resamples, "seed": bootstrap.seed,
                      "confidence": bootstrap.confidence},
        "parts": {},
        "errors": {},
        "held_out": _held_out(held_out_report),
        "runs": [{k: r[k] for k in ("name", "part", "seed", "held_out", "train_texts", "seconds", "reused")} for r in results],
    }
    first_seed = settings.seeds[0]
    for part in parts:
        mine = [r for r in results if r["part"] == part]
        report["parts"][part] = summarise(mine, gold, settings.seeds, bootstrap)
        errors = error_list(gold.outputs, pool([r for r in mine if r["seed"] == first_seed], gold), n_examples)
        report["errors"][part] = {"training_seed": first_seed, **errors}
    report["seconds"] = round(time.perf_counter() - start, 1)
    return report


def leave_one_seed_out(
    config: Union[str, Path],
    data_dir: Union[str, Path] = "training/data",
    work_dir: Union[str, Path] = "evaluation/work/real-news",
    seeds: Sequence[int] = (0, 1, 2),
    overrides: Optional[Dict[str, Any]] = None,
    bootstrap: BootstrapSettings = BootstrapSettings(unit="text"),
    progress: Progress = None,
) -> Dict[str, Any]:
    """The leave-one-seed-out summary (b) of one config: what a variant table needs beside its CV.

    Runs go to ``work_dir/<run>``; give each variant its own work dir (a run's
    fingerprint includes the config text, so sharing one is safe but keeps
    only the last variant's files).
    """
    settings = TrainingSettings(Path(config), Path(work_dir), tuple(seeds), dict(overrides or {}))
    report = evaluate_real_news(load_data(data_dir), settings, parts=("b",), bootstrap=bootstrap, progress=progress)
    return {**report["parts"]["b"], "config": str(config), "overrides": settings.overrides, "seeds": list(seeds)}


# --- rendering: from the report dict alone -------------------------------------------------


def _pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def _ci(ci: Optional[Sequence[Optional[float]]]) -> str:
    return f" ({_pct(ci[0])}–{_pct(ci[1])})" if ci and None not in ci else ""


def _cell(summary: Optional[Dict[str, Any]]) -> str:
    if not summary or summary.get("mean") is None:
        return "—"
    return f"{_pct(summary['mean'])} ± {_pct(summary['sd'])}{_ci(summary.get('ci'))}"


def score_table(report: Dict[str, Any]) -> str:
    """Held-out own texts, (a) and (b) side by side, one row per label, group and role."""
    held = report.get("held_out")
    header = ["F1 (%)", "seed gold", "own texts: held-out test"] + [PART_NAMES[p] for p in report["parts"]]
    rows = []
    for metric, name in ROWS:
        row = [name, report["gold"]["items"][metric]]
        entry = (held or {}).get("scores", {}).get(metric)
        row.append("—" if not entry or entry["f"] is None else f"{_pct(entry['f'])}{_ci(entry.get('f_ci'))}")
        row += [_cell(report["parts"][p]["summary"].get(metric)) for p in report["parts"]]
        rows.append(row)
    return markdown_table(header, rows)


def caption(report: Dict[str, Any]) -> str:
    gold, held, boot = report["gold"], report.get("held_out"), report["bootstrap"]
    parts = [
        f"Scored on the {gold['texts']} sentences of the {gold['articles']} seed articles "
        f"(real news, `source` = `seed`); the own texts are the project's written articles "
        f"({report['own_texts']['train']} train and {report['own_texts']['dev']} dev sentences, dev for model selection only)."
    ]
    parts.append(
        f"(a) and (b): mean ± sd over training seeds {', '.join(map(str, report['seeds']))} of the F1 on all seed "
        f"sentences (for (b), the {gold['articles']} folds' predictions pooled), with the {100 * boot['confidence']:.0f}% "
        f"bootstrap interval of that mean ({boot['resamples']} resamples of the seed "
        f"{'sentences' if boot['unit'] == 'text' else 'articles'}, the same for every training seed)."
    )
    if held:
        parts.append(
            f"Held-out test: `make all`'s pipeline on the {held['texts']} test sentences of {held['articles']} own "
            f"articles, interval over {held['bootstrap_unit']}s (`{held['source']}`)."
        )
    else:
        parts.append("Held-out test: not measured (no `make all` report was given or found).")
    overrides = json.dumps(report["overrides"]) if report["overrides"] else "none"
    seconds = [report["parts"][p]["seconds_per_run"] for p in report["parts"]]
    parts.append(f"Config `{report['config']}`, overrides {overrides}; {len(report['runs'])} trainings, about {max(seconds):.0f} s each.")
    return " ".join(parts)


def error_tables(report: Dict[str, Any]) -> str:
    out = []
    parts = list(report["errors"])
    span_header = ["label"] + [f"{PART_NAMES[p][:3]} {k}" for p in parts for k in SPAN_KINDS]
    span_rows = [[label] + [report["errors"][p]["spans"][label][k] for p in parts for k in SPAN_KINDS] for label in SPAN_LABELS]
    arg_kinds = ARGUMENT_KINDS + ("missed: span not found",)
    arg_header = ["role"] + [f"{PART_NAMES[p][:3]} {k}" for p in parts for k in arg_kinds]
    arg_rows = [[role] + [report["errors"][p]["arguments"][role][k] for p in parts for k in arg_kinds] for role in ROLES]
    seed = report["errors"][parts[0]]["training_seed"]
    out += [f"Strict misses on the seed sentences, models of training seed {seed}.", "", "Spans:", "",
            markdown_table(span_header, span_rows), "", "Arguments:", "", markdown_table(arg_header, arg_rows), ""]
    last = parts[-1]
    out += [f"Examples ({PART_NAMES[last]}):", ""]
    for kind, examples in report["errors"][last]["examples"].items():
        for ex in examples:
            what = f"{ex['label']} {ex['kind']}" + (f" ({ex['cause']})" if ex.get("cause") else "")
            trigger = f" of '{ex['trigger']}'" if ex.get("trigger") else ""
            gold = f"gold '{ex['gold']}'" if ex.get("gold") is not None else "no gold"
            pred = f"predicted {ex['predicted']!r}" if ex.get("predicted") else "nothing predicted"
            out.append(f"- `{ex['id']}` {what}{trigger}: {gold}, {pred}")
    return "\n".join(out)


def render_markdown(report: Dict[str, Any]) -> str:
    parts = ["# Real news: the seed articles", "", score_table(report), "", caption(report), ""]
    per_article = ", ".join(f"`{a}` {n}" for a, n in report["gold"]["per_article"].items())
    parts += [f"Seed sentences per article: {per_article}.", ""]
    for part, summary in report["parts"].items():
        rows = [[r["seed"], r["runs"]] + [_pct(r["f"][m]) for m, _ in ROWS] for r in summary["per_seed"]]
        parts += [f"## {PART_NAMES[part]}: per training seed", "",
                  markdown_table(["seed", "trainings"] + [name for _, name in ROWS], rows), ""]
        if summary.get("summary_gold_input"):
            parts += [f"Arg-C from gold entities and triggers: {_cell(summary['summary_gold_input']['arg_c'])}.", ""]
    parts += ["## Errors by kind", "", error_tables(report), ""]
    return "\n".join(parts)


def readme_section(report: Dict[str, Any]) -> str:
    """The README's real-news section: the side-by-side table and its caption (the errors are in report.md)."""
    return "\n".join([
        "### Real news: the five seed articles", "",
        score_table(report), "", caption(report),
        "Errors by kind: [`evaluation/real-news/report.md`](evaluation/real-news/report.md).", "",
    ])


def write(report: Dict[str, Any], output_dir: Union[str, Path]) -> List[Path]:
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = output_dir / "report.json", output_dir / "report.md"
    json_path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report), encoding="utf-8")
    return [json_path, md_path]


def update_readme(readme: Union[str, Path], report: Dict[str, Any]) -> bool:
    from ..readme import update_named_section

    return update_named_section(readme, README_SECTION, readme_section(report))
