"""The report's tables as (header, rows), computed from the report JSON alone.

The Markdown report, the HTML page, the README and the commands all render
these same tables, so they cannot disagree about a figure.
"""
from typing import Any, Dict, List, Optional, Tuple

from ..pipeline.scheme import ROLES, SPAN_LABELS

Table = Tuple[List[str], List[List[str]]]
DASH = "—"

METRIC_NAMES = {
    "entities.strict": "Entities (strict)",
    "entities.partial": "Entities (partial)",
    "triggers.strict": "Triggers (strict)",
    "triggers.partial": "Triggers (partial)",
    "trig_i": "Trig-I",
    "trig_c": "Trig-C",
    "arg_i": "Arg-I",
    "arg_c": "Arg-C",
}
# README / summary columns: (title, score set, metric)
SUMMARY_COLUMNS: Tuple[Tuple[str, str, str], ...] = (
    ("Entities F", "scores", "entities.strict"),
    ("Trig-I F", "scores", "trig_i"),
    ("Trig-C F", "scores", "trig_c"),
    ("Arg-I F", "scores", "arg_i"),
    ("Arg-C F", "scores", "arg_c"),
    ("Arg-C F (gold entities)", "scores_gold_input", "arg_c"),
)


def pct(x: Optional[float]) -> str:
    return DASH if x is None else f"{100 * x:.1f}"


def with_ci(entry: Optional[Dict[str, Any]], key: str = "f") -> str:
    if not entry or entry.get(key) is None:
        return DASH
    lo, hi = entry.get(f"{key}_ci", [None, None])
    if lo is None:
        return pct(entry[key])
    return f"{pct(entry[key])} ({pct(lo)}–{pct(hi)})"


def metric_entry(system: Dict[str, Any], scores: str, metric: str) -> Optional[Dict[str, Any]]:
    table = system.get(scores) or {}
    return table.get(metric)


# ---------------------------------------------------------------- tables


def summary_table(report: Dict[str, Any]) -> Table:
    header = ["System"] + [title for title, _, _ in SUMMARY_COLUMNS]
    rows = [
        [system["name"]] + [with_ci(metric_entry(system, s, m)) for _, s, m in SUMMARY_COLUMNS]
        for system in report["systems"]
    ]
    return header, rows


def label_table(system: Dict[str, Any]) -> Table:
    header = ["Label", "gold", "pred", "P", "R", "F (95% CI)", "partial P", "partial R", "partial F (95% CI)"]
    rows = []
    labels = list(SPAN_LABELS) + ["entities", "triggers"]
    for label in labels:
        strict, partial = metric_entry(system, "scores", f"{label}.strict"), metric_entry(system, "scores", f"{label}.partial")
        if strict is None:
            continue
        name = {"entities": "micro ORG+PERSON+DATE", "triggers": "micro MISSION+MEETING"}.get(label, label)
        rows.append([
            name, str(strict["gold"]), str(strict["pred"]), pct(strict["p"]), pct(strict["r"]), with_ci(strict),
            pct(partial["p"]), pct(partial["r"]), with_ci(partial),
        ])
    return header, rows


def event_table(system: Dict[str, Any]) -> Table:
    header = ["Metric", "setting", "gold", "pred", "P", "R", "F (95% CI)"]
    rows = []
    metrics = ["trig_i", "trig_c", "arg_i", "arg_c"] + [f"arg_i.{r}" for r in ROLES] + [f"arg_c.{r}" for r in ROLES]
    for scores, setting in (("scores", "end to end"), ("scores_gold_input", "gold entities")):
        for metric in metrics:
            entry = metric_entry(system, scores, metric)
            if entry is None:
                continue
            head, _, role = metric.partition(".")
            name = METRIC_NAMES.get(head, head) + (f" {role}" if role else "")
            rows.append([name, setting, str(entry["gold"]), str(entry["pred"]), pct(entry["p"]), pct(entry["r"]), with_ci(entry)])
    return header, rows


def comparison_table(report: Dict[str, Any]) -> Table:
    header = ["A", "B", "Metric", "F A", "F B", "A − B (95% CI)", "p"]
    rows = []
    for comparison in report["comparisons"]:
        for metric, test in comparison["tests"].items():
            if test.get("delta") is None:
                continue
            setting, _, base = metric.rpartition(".") if metric.startswith("gold_input.") else ("", "", metric)
            name = METRIC_NAMES.get(base, base) + (" (gold entities)" if setting else "")
            lo, hi = test["delta_ci"]
            delta = f"{100 * test['delta']:+.1f} ({100 * lo:+.1f} to {100 * hi:+.1f})" if lo is not None else f"{100 * test['delta']:+.1f}"
            rows.append([comparison["a"], comparison["b"], name, pct(test["f_a"]), pct(test["f_b"]), delta, f"{test['p_value']:.3f}"])
    return header, rows


def confusion_table(system: Dict[str, Any]) -> Table:
    labels = system["confusion"]["labels"]
    header = ["gold \\ predicted"] + labels
    rows = [[g] + [str(n) for n in row] for g, row in zip(labels, system["confusion"]["matrix"])]
    return header, rows


def cv_table(cv: Dict[str, Any]) -> Table:
    header = ["Metric", "mean F", "sd over seeds", "min", "max", "sd over folds"]
    rows = []
    metrics = [f"{l}.strict" for l in SPAN_LABELS] + ["entities.strict", "trig_i", "trig_c", "arg_i", "arg_c"]
    for metric in metrics:
        s, fs = cv["summary"].get(metric), cv["fold_summary"].get(metric)
        if not s or s["mean"] is None:
            continue
        name = METRIC_NAMES.get(metric, metric.replace(".strict", ""))
        rows.append([name, pct(s["mean"]), pct(s["sd"]), pct(s["min"]), pct(s["max"]), pct(fs["sd"])])
    for metric, s in (cv.get("summary_gold_input") or {}).items():
        if metric in ("arg_i", "arg_c") and s["mean"] is not None:
            rows.append([METRIC_NAMES[metric] + " (gold entities)", pct(s["mean"]), pct(s["sd"]), pct(s["min"]), pct(s["max"]), ""])
    return header, rows


CURVE_METRICS = (("entities.strict", "Entities"), ("trig_c", "Trig-C"), ("arg_c", "Arg-C"), ("gold_input.arg_c", "Arg-C (gold entities)"))


def curve_table(curve: Dict[str, Any]) -> Table:
    present = [(m, t) for m, t in CURVE_METRICS if m in curve["points"][0]["f"]]
    header = ["Share", "train sentences"] + [f"{t} F (mean ± sd)" for _, t in present]
    rows = []
    for point in curve["points"]:
        cells = [f"{point['share']:.0%}", f"{point['train_texts']['mean']:.0f}"]
        for metric, _ in present:
            s = point["f"][metric]
            cells.append(DASH if s["mean"] is None else f"{pct(s['mean'])} ± {pct(s['sd'])}")
        rows.append(cells)
    return header, rows


def gold_table(report: Dict[str, Any]) -> Table:
    gold = report["gold"]
    header = ["texts", "articles"] + list(SPAN_LABELS) + list(ROLES)
    row = [str(gold["texts"]), str(gold["articles"])] + [str(gold.get(f"span:{l}", 0)) for l in SPAN_LABELS]
    row += [str(gold.get(f"link:{r}", 0)) for r in ROLES]
    return header, [row]


def cost_table(report: Dict[str, Any]) -> Table:
    rows = [[system["name"], f"{system['seconds']:.1f}"] for system in report["systems"]]
    for key, value in report.get("seconds", {}).items():
        rows.append([f"step: {key}", f"{value:.1f}"])
    for part in ("cross_validation", "learning_curve"):
        if report.get(part):
            p = report[part]
            rows.append([f"{part.replace('_', ' ')} ({p['runs']} trainings, {p['seconds_per_run']:.0f}s each)", f"{p['seconds']:.1f}"])
    return ["What", "seconds"], rows


# ---------------------------------------------------------------- text


def caption(report: Dict[str, Any]) -> str:
    b = report["bootstrap"]
    return (
        f"F1 (%) on {report['gold']['texts']} gold texts ({report['gold']['source']}); in brackets the "
        f"{b['confidence']:.0%} bootstrap interval ({b['resamples']} resamples of {b['units']} {b['unit']}s, seed {b['seed']}). "
        f"{DASH} = the system does not predict this. Entities: micro over ORG, PERSON, DATE, exact span and label."
    )


DEFINITIONS = [
    "strict: same start, end and label; partial: a predicted span of the label overlaps a gold span of the label "
    "(precision counts predicted spans that overlap, recall gold spans that are overlapped).",
    "Trig-I: the trigger span matches; Trig-C: span and type (MISSION/MEETING) match.",
    "Arg-I: (trigger span, argument span) matches; Arg-C: trigger span and type, argument span and role match. "
    "Per role, Arg-C restricts both sides to the role; Arg-I per role files a predicted pair under the gold "
    "role of the pair it matches (under its own role if it matches nothing).",
    "Every gold argument counts: an argument whose trigger or entity was not predicted is a miss.",
    "end to end: from the pipeline's own entities and triggers; gold entities: the argument component alone, "
    "run on the gold entities and triggers.",
    "Intervals: percentile bootstrap over units (articles: all sentences of an article together, or texts). "
    "Comparisons: paired bootstrap on the same resamples; p is two-sided, "
    "(1 + #{|d* − d| ≥ |d|}) / (1 + resamples).",
]
