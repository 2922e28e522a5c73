"""The variant comparison: one table from the reports of ``make variants``.

``make variants`` trains every variant config on the held-out split, scores it
on the test sentences with ``evaluate run`` (which also cross-validates it,
folds grouped by article x three training seeds) and records the wall time
and peak memory of its training; ``benchmark`` measures its speed. This module
only reads those files and puts them side by side, so every figure in the
table was measured by a command and none is typed.

The default is chosen on the cross-validated Arg-C F1 (the end-to-end event
score), never on the single held-out split: a test split of a few dozen
articles is too noisy to rank variants whose intervals overlap.
"""
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Union

from ..pipeline.scheme import ENTITY_LABELS, TRIGGER_LABELS
from ..readme import update_named_section
from ..tables import markdown_table

REPORT = "report.json"
TRAIN_TIMES = "train-times.txt"
BENCHMARK = Path("benchmark") / "benchmark.json"
SELECTION_METRIC = "arg_c"
TIME_LINE = re.compile(r"^(?P<name>\S+) train wall (?P<seconds>[0-9.]+) s, peak RSS (?P<kb>[0-9]+) KB$")


@dataclass
class Variant:
    name: str
    system: Dict[str, Any]  # the pipeline's row of the report
    cross_validation: Optional[Dict[str, Any]]
    train_seconds: Optional[float] = None
    train_peak_mb: Optional[float] = None
    words_per_second: Dict[int, float] = field(default_factory=dict)  # n_process -> wps

    def score(self, metric: str, key: str = "f") -> Optional[float]:
        return (self.system.get("scores") or {}).get(metric, {}).get(key)

    def cv_mean(self, metric: str) -> Optional[float]:
        summary = (self.cross_validation or {}).get("summary") or {}
        return (summary.get(metric) or {}).get("mean")


def read_train_times(path: Path) -> Dict[str, Tuple[float, float]]:
    """``name -> (seconds, peak MB)``; the last line of a name wins (a rerun replaces a run)."""
    times: Dict[str, Tuple[float, float]] = {}
    if not path.exists():
        return times
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("Command exited"):
            continue
        match = TIME_LINE.match(line.strip())
        if match is None:
            raise ValueError(f"{path}:{number}: expected '<name> train wall <s> s, peak RSS <kb> KB', got {line!r}")
        times[match["name"]] = (float(match["seconds"]), int(match["kb"]) / 1024)
    return times


def read_speeds(path: Path) -> Dict[str, Dict[int, float]]:
    """Variant name (the folder under ``training/models/``) -> n_process -> words per second."""
    speeds: Dict[str, Dict[int, float]] = {}
    if not path.exists():
        return speeds
    for row in json.loads(path.read_text(encoding="utf-8"))["results"]:
        match = re.search(r"models/([^/]+)/model-best", row["spec"])
        name = match.group(1) if match else row["spec"]
        speeds.setdefault(name, {})[int(row["n_process"])] = float(row["wps"])
    return speeds


def collect(folder: Union[str, Path]) -> Tuple[List[Variant], Dict[str, Dict[int, float]]]:
    """Every ``<folder>/<name>/report.json`` as a Variant, with times and speeds; and all speeds."""
    folder = Path(folder)
    reports = sorted(folder.glob(f"*/{REPORT}"))
    if not reports:
        raise ValueError(f"{folder}: no <variant>/{REPORT}; run `make variants` first")
    times = read_train_times(folder / TRAIN_TIMES)
    speeds = read_speeds(folder / BENCHMARK)
    variants = []
    for path in reports:
        report = json.loads(path.read_text(encoding="utf-8"))
        rows = [s for s in report["systems"] if s["name"] == "pipeline"]
        if not rows:
            raise ValueError(f"{path}: no 'pipeline' row")
        name = path.parent.name
        seconds, peak = times.get(name, (None, None))
        variants.append(Variant(name, rows[0], report.get("cross_validation"), seconds, peak, speeds.get(name, {})))
    return variants, speeds


def choose(variants: List[Variant], metric: str = SELECTION_METRIC) -> Optional[Variant]:
    """The variant with the best cross-validated mean of ``metric`` (None without cross-validation)."""
    scored = [v for v in variants if v.cv_mean(metric) is not None]
    return max(scored, key=lambda v: v.cv_mean(metric)) if scored else None


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def _with_ci(variant: Variant, metric: str) -> str:
    f, ci = variant.score(metric), variant.score(metric, "f_ci")
    if f is None:
        return "—"
    return f"{100 * f:.1f} ({100 * ci[0]:.1f}–{100 * ci[1]:.1f})" if ci and None not in ci else f"{100 * f:.1f}"


def _gold_input(variant: Variant) -> str:
    entry = (variant.system.get("scores_gold_input") or {}).get(SELECTION_METRIC) or {}
    return _pct(entry.get("f"))


def _cv(variant: Variant, metric: str) -> str:
    summary = ((variant.cross_validation or {}).get("summary") or {}).get(metric) or {}
    if summary.get("mean") is None:
        return "—"
    return f"{100 * summary['mean']:.1f} ± {100 * summary['sd']:.1f}"


def markdown(variants: List[Variant], speeds: Dict[str, Dict[int, float]]) -> str:
    labels = list(ENTITY_LABELS) + list(TRIGGER_LABELS)
    header = ["variant", *labels, "Entities F", "Trig-C F", "Arg-C F", "Arg-C F (gold entities)", "train wall s",
              "train peak MB", "words/s (1 proc)", "words/s (2 proc)"]
    rows = []
    for v in variants:
        wps = [f"{v.words_per_second[n]:.0f}" if n in v.words_per_second else "—" for n in (1, 2)]
        rows.append(
            [v.name] + [_pct(v.score(f"{label}.strict")) for label in labels]
            + [_with_ci(v, "entities.strict"), _with_ci(v, "trig_c"), _with_ci(v, "arg_c"), _gold_input(v),
               "—" if v.train_seconds is None else f"{v.train_seconds:.0f}",
               "—" if v.train_peak_mb is None else f"{v.train_peak_mb:.0f}", *wps]
        )
    baseline = {k: s for k, s in speeds.items() if not any(k == v.name for v in variants)}
    for name, by_n in sorted(baseline.items()):
        rows.append([f"{name} (speed reference)"] + ["—"] * (len(header) - 3) + [f"{by_n[n]:.0f}" if n in by_n else "—" for n in (1, 2)])
    lines = [
        "### Held-out test sentences (one training seed, the config's full schedule)",
        "",
        markdown_table(header, rows),
        "",
        "F1 (%), exact span and label; in brackets the 95% bootstrap interval over the test articles. "
        "Train wall time and peak memory of `csto-events train` on this machine (2 CPUs), which may have been "
        "running other work. Words per second from `csto-events benchmark` (spaCy tokens, median of timed passes).",
    ]
    cv_rows = [v for v in variants if v.cross_validation]
    if cv_rows:
        cv = cv_rows[0].cross_validation
        lines += [
            "",
            f"### Cross-validation ({cv['folds']} folds grouped by article x seeds {', '.join(map(str, cv['seeds']))}; "
            f"{cv['texts']} train+dev sentences of {cv['articles']} articles; overrides {json.dumps(cv['overrides'])})",
            "",
        ]
        cv_table = []
        for v in cv_rows:
            gold = ((v.cross_validation.get("summary_gold_input") or {}).get("arg_c") or {})
            gold_text = "—" if gold.get("mean") is None else f"{100 * gold['mean']:.1f} ± {100 * gold['sd']:.1f}"
            cv_table.append([v.name, _cv(v, "entities.strict"), _cv(v, "trig_c"), _cv(v, "arg_i"), _cv(v, "arg_c"),
                             gold_text, f"{v.cross_validation['seconds_per_run']:.0f}"])
        lines.append(markdown_table(
            ["variant", "Entities F", "Trig-C F", "Arg-I F", "Arg-C F", "Arg-C F (gold entities)", "s per run"], cv_table))
        lines += ["", "Mean ± standard deviation over training seeds of the F1 pooled over all folds."]
        best = choose(variants)
        if best is not None:
            lines += ["", f"Best cross-validated Arg-C F1: **{best.name}** ({_cv(best, SELECTION_METRIC)})."]
    return "\n".join(lines) + "\n"


def update_readme(readme: Union[str, Path], table: str) -> bool:
    """Put ``table`` between the README's variants markers; True if it changed."""
    return update_named_section(readme, "variants", table)


def write(folder: Union[str, Path], output: Union[str, Path]) -> Tuple[Path, Path]:
    """``output`` (Markdown) and the same data as JSON beside it."""
    variants, speeds = collect(folder)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown(variants, speeds), encoding="utf-8")
    data = {
        "selection_metric": SELECTION_METRIC,
        "chosen": (choose(variants) or Variant("", {}, None)).name or None,
        "variants": [
            {
                "name": v.name,
                "test": v.system.get("scores"),
                "test_gold_entities": v.system.get("scores_gold_input"),
                "cross_validation": {k: v.cross_validation.get(k) for k in ("folds", "seeds", "summary", "summary_gold_input", "seconds_per_run")} if v.cross_validation else None,
                "train_seconds": v.train_seconds,
                "train_peak_mb": v.train_peak_mb,
                "words_per_second": v.words_per_second,
            }
            for v in variants
        ],
        "speed_references": {k: s for k, s in speeds.items() if k not in {v.name for v in variants}},
    }
    json_path = output.with_suffix(".json")
    json_path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return output, json_path
