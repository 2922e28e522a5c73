"""Variants judged on real news and on other beats, side by side with the default.

Issue 14 asks for more than the held-out own-text score: a variant must hold
up on the seed articles (leave one seed out) and must not forget what the
pretrained NER knew on general news (the forgetting check). This module only
reads what the commands wrote, for the default and for each variant folder:

- ``report.json`` of ``evaluate run`` (held-out own-text test, and grouped
  cross-validation on the own texts when run with ``--cv``);
- ``forgetting.json`` of ``evaluate forgetting`` on the first general-news
  check, and ``forgetting-fresh.json`` on the fresh one: the default's NER
  rules (``pipeline/ner_rules.py``) were written after reading the first check's errors,
  so only a check nobody had looked at can say whether they generalise. Both
  carry hand labels by the guidelines beside the agreement with en_core_web_md,
  since md's own spans are no gold: on the first check it calls Lyon an ORG
  and cuts "the Central Bank of Norland" to "Central Bank";
- ``real-news/report.json`` of ``evaluate real-news --parts b``;
- optionally ``held-out-seed<N>/report.json``: ``evaluate run`` of the same config
  trained with another training seed, so that the held-out bound, like leave one
  seed out, can be judged on a mean over seeds rather than on one draw;
- optionally ``forgetting-pooled-seeds.json``: ``evaluate forgetting`` of the same
  config's models over several training seeds on both checks' hand labels pooled,
  the figure the issue's forgetting goal is judged on (each check alone has too
  few ORG spans to tell two recipes apart).

Variants are compared on the training seeds they share with the default
(leave-one-seed-out per seed is in the real-news report), so a variant run
with one training seed is set against the default's same seed, never against
its mean over three.
"""
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from ..errors import DataError
from ..readme import update_named_section
from ..tables import markdown_table
from .crossval import spread
from .forgetting import NEVER_FINE_TUNED, REFERENCE_NAME

HELD_OUT = ("entities.strict", "trig_c", "arg_c")
REAL_NEWS = ("entities.strict", "trig_c", "arg_c")
CROSS_VALIDATION = ("entities.strict", "arg_c")
FORGETTING = ("ORG", "all")
# The selection rule (issue 14): a variant replaces the default only when it is better on
# Arg-C by both leave one seed out and grouped cross-validation, and costs no more than
# this (in F1 points) on entities by either, nor on the held-out entities or Arg-C.
MAX_LOSS = 1.0
# The goals, F1 as fractions. The rule's second clause (added 2026-12-05, when the
# default met every goal but the forgetting one): a variant that meets every goal, where the
# default misses one, may replace it although its Arg-C is not higher by both figures, as long
# as it loses no more than MAX_LOSS on any figure of the rule. A tie within a point on Arg-C is
# noise on 40 seed arguments; a goal the default misses is what the issue asked for.
GOALS = {
    "seeds (b) Entities": 0.92,
    "seeds (b) Trig-C": 0.85,
    "seeds (b) Arg-C": 0.70,
    "pooled hand-labelled ORG": 0.85,
    "pooled hand-labelled all": 0.88,
}
# The training seed of a report that does not record one: reports written before seeds were
# recorded came from `make robustness`, which trains with SEED=0.
UNRECORDED_SEED = 0


@dataclass
class Reports:
    """What was measured for one system; any part may be missing."""

    name: str
    forgetting: Optional[Dict[str, Any]]  # label -> {"f", ...}
    real_news: Optional[Dict[int, Dict[str, float]]]  # training seed -> metric -> F1 (leave one seed out)
    cross_validation: Optional[Dict[str, Any]] = None  # metric -> {"mean", "sd", ...} over training seeds
    forgetting_fresh: Optional[Dict[str, Any]] = None  # label -> {"f", ...}, on the fresh check
    fresh_hand_labels: Optional[Dict[str, Any]] = None  # label -> {"f", ...}, the fresh check's hand labels
    held_out_seeds: Optional[Dict[int, Dict[str, Any]]] = None  # training seed -> metric -> {"f", "f_ci", ...}
    hand_labels: Optional[Dict[str, Any]] = None  # label -> {"f", ...}, the first check's hand labels
    cv_overrides: Optional[Dict[str, Any]] = None  # the config overrides every CV run was trained with
    pooled_hand_labels: Optional[Dict[str, Any]] = None  # label -> {"mean", "sd", "n"} over training seeds


def _read(path: Path) -> Optional[Dict[str, Any]]:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(f"{path}: not valid JSON ({err})") from err


def _forgetting_row(path: Path, key: str = "rows") -> Optional[Dict[str, Any]]:
    """The fine-tuned system's row of a ``forgetting.json``, not a reference's: ``rows`` against
    en_core_web_md, ``hand_rows`` against hand labels."""
    forgotten = _read(path)
    if forgotten is None:
        return None
    rows = [row for system, row in (forgotten.get(key) or {}).items() if system not in (NEVER_FINE_TUNED, REFERENCE_NAME)]
    return rows[0] if rows else None


def _pipeline_row(path: Path, report: Dict[str, Any]) -> Dict[str, Any]:
    rows = [s for s in report.get("systems", []) if s.get("name") == "pipeline"]
    if not rows:
        raise DataError(f"{path}: no 'pipeline' row in systems")
    return rows[0]


def _training_seed(row: Dict[str, Any]) -> int:
    seed = (row.get("details") or {}).get("training_seed")
    return UNRECORDED_SEED if seed is None else int(seed)


def read_reports(
    name: str, held_out: Path, forgetting: Path, real_news: Path, forgetting_fresh: Optional[Path] = None,
    more_held_out: Sequence[Path] = (), forgetting_pooled: Optional[Path] = None,
) -> Reports:
    """``more_held_out``: held-out reports of the same config trained with other seeds; two
    reports of one seed are refused, since a mean over them would count one draw twice.
    ``forgetting_pooled``: the pooled hand-labelled forgetting check over training seeds."""
    report = _read(held_out)
    by_seed: Dict[int, Dict[str, Any]] = {}
    seen: Dict[int, Path] = {}
    for path, extra in [(held_out, report), *((p, _read(p)) for p in more_held_out)]:
        if extra is None:
            continue
        row = _pipeline_row(path, extra)
        seed = _training_seed(row)
        if seed in seen:
            raise DataError(f"{path}: training seed {seed} again (also in {seen[seed]})")
        seen[seed] = path
        by_seed[seed] = row.get("scores") or {}
    cv_report = (report or {}).get("cross_validation") or {}
    cv = cv_report.get("summary")
    news = _read(real_news)
    per_seed = None
    if news is not None:
        part = (news.get("parts") or {}).get("b")
        if part is None:
            raise DataError(f"{real_news}: no leave-one-seed-out part (run `evaluate real-news --parts b`)")
        per_seed = {int(s["seed"]): s["f"] for s in part["per_seed"]}
    fresh = _forgetting_row(forgetting_fresh) if forgetting_fresh is not None else None
    hand = _forgetting_row(forgetting_fresh, "hand_rows") if forgetting_fresh is not None else None
    return Reports(
        name, _forgetting_row(forgetting), per_seed, cv, fresh, hand, by_seed or None,
        hand_labels=_forgetting_row(forgetting, "hand_rows"), cv_overrides=cv_report.get("overrides") if cv else None,
        pooled_hand_labels=(_read(forgetting_pooled) or {}).get("hand_spread") if forgetting_pooled is not None else None,
    )


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def _over_seeds(per_seed: Optional[Dict[int, float]], seeds: Sequence[int]) -> Optional[List[float]]:
    """The values of ``seeds``, in order; None unless every one of them was measured (a mean
    over fewer seeds than the other rows' would not be comparable)."""
    if not per_seed or any(s not in per_seed or per_seed[s] is None for s in seeds):
        return None
    return [per_seed[s] for s in seeds]


def _mean(values: Optional[List[float]]) -> Optional[float]:
    return None if not values else sum(values) / len(values)


def _mean_sd_cell(values: Optional[List[float]]) -> str:
    """One value as it is; several as mean ± sample sd (``crossval.spread``, as the real-news
    report summarises seeds), written like the CV cells."""
    if not values:
        return "—"
    if len(values) == 1:
        return _pct(values[0])
    return _summary_cell(spread(values))


def _loso_values(reports: Reports, metric: str, seeds: Sequence[int]) -> Optional[List[float]]:
    per_seed = {s: f.get(metric) for s, f in (reports.real_news or {}).items()}
    return _over_seeds(per_seed, seeds)


def _held_values(reports: Reports, metric: str, seeds: Sequence[int]) -> Optional[List[float]]:
    per_seed = {s: (f.get(metric) or {}).get("f") for s, f in (reports.held_out_seeds or {}).items()}
    return _over_seeds(per_seed, seeds)


def _loso(reports: Reports, metric: str, seeds: Sequence[int]) -> Optional[float]:
    """Mean leave-one-seed-out F1 over ``seeds``; None unless every one of them was run."""
    return _mean(_loso_values(reports, metric, seeds))


def _cv(reports: Reports, metric: str) -> Optional[float]:
    return ((reports.cross_validation or {}).get(metric) or {}).get("mean")


def _cv_cell(reports: Reports, metric: str) -> str:
    return _summary_cell((reports.cross_validation or {}).get(metric) or {})


def _summary_cell(summary: Dict[str, Any]) -> str:
    """A ``{"mean", "sd"}`` summary as "mean ± sd" in percent."""
    if summary.get("mean") is None:
        return "—"
    sd = summary.get("sd")
    return _pct(summary["mean"]) + ("" if sd is None else f" ± {100 * sd:.1f}")


def _held(reports: Reports, metric: str, seeds: Sequence[int]) -> Optional[float]:
    """Mean held-out F1 over ``seeds``; None unless every one of them was trained and scored."""
    return _mean(_held_values(reports, metric, seeds))


def _pooled(reports: Reports, label: str) -> Optional[float]:
    return ((reports.pooled_hand_labels or {}).get(label) or {}).get("mean")


def _pooled_seeds(reports: Reports) -> Optional[int]:
    return ((reports.pooled_hand_labels or {}).get("all") or {}).get("n")


def _pooled_cell(reports: Reports, label: str) -> str:
    return _summary_cell((reports.pooled_hand_labels or {}).get(label) or {})


def goal_figures(reports: Reports, seeds: Sequence[int]) -> Dict[str, Optional[float]]:
    """The figures the issue's goals (``GOALS``) are set on, None where not measured."""
    return {
        "seeds (b) Entities": _loso(reports, "entities.strict", seeds),
        "seeds (b) Trig-C": _loso(reports, "trig_c", seeds),
        "seeds (b) Arg-C": _loso(reports, "arg_c", seeds),
        "pooled hand-labelled ORG": _pooled(reports, "ORG"),
        "pooled hand-labelled all": _pooled(reports, "all"),
    }


def _goals_only_the_variant_meets(default: Reports, variant: Reports, seeds: Sequence[int]) -> List[str]:
    """The goals the default misses, if the variant meets every goal; else nothing. Both rows'
    figures must be measured, the pooled ones over as many training seeds."""
    ours, theirs = goal_figures(variant, seeds), goal_figures(default, seeds)
    if any(v is None for v in (*ours.values(), *theirs.values())) or _pooled_seeds(variant) != _pooled_seeds(default):
        return []
    if any(ours[name] < goal for name, goal in GOALS.items()):
        return []
    return [f"{name} {100 * ours[name]:.1f} against {100 * theirs[name]:.1f} (goal {100 * goal:.0f})"
            for name, goal in GOALS.items() if theirs[name] < goal]


def verdict(default: Reports, variant: Reports, seeds: Sequence[int]) -> str:
    """The selection rule applied to one variant, in words (``MAX_LOSS`` says how much may be lost)."""
    pairs = {
        "seeds (b) Arg-C": (_loso(variant, "arg_c", seeds), _loso(default, "arg_c", seeds)),
        "CV Arg-C": (_cv(variant, "arg_c"), _cv(default, "arg_c")),
        "seeds (b) Entities": (_loso(variant, "entities.strict", seeds), _loso(default, "entities.strict", seeds)),
        "CV Entities": (_cv(variant, "entities.strict"), _cv(default, "entities.strict")),
        "held-out Entities": (_held(variant, "entities.strict", seeds), _held(default, "entities.strict", seeds)),
        "held-out Arg-C": (_held(variant, "arg_c", seeds), _held(default, "arg_c", seeds)),
    }
    missing = [name for name, (v, d) in pairs.items() if v is None or d is None]
    if missing:
        return f"not judged: no {', '.join(missing)}"
    if (variant.cv_overrides or {}) != (default.cv_overrides or {}):
        # A shorter schedule is another experiment, not a worse recipe.
        return f"not judged: CV trained with {variant.cv_overrides or {}}, the default's with {default.cv_overrides or {}}"
    delta = {name: 100 * (v - d) for name, (v, d) in pairs.items()}
    worse = [name for name in ("seeds (b) Arg-C", "CV Arg-C") if delta[name] <= 0]
    lost = [name for name in ("seeds (b) Entities", "CV Entities", "held-out Entities", "held-out Arg-C")
            if delta[name] < -MAX_LOSS]
    if not worse and not lost:
        return "better than the default by the rule"
    if not lost and all(delta[name] >= -MAX_LOSS for name in worse):
        missed = _goals_only_the_variant_meets(default, variant, seeds)
        if missed:
            ties = ", ".join(f"{name} {delta[name]:+.1f}" for name in ("seeds (b) Arg-C", "CV Arg-C"))
            return (f"better than the default by the rule's second clause: it meets every goal, the default misses "
                    f"{'; '.join(missed)}; {ties}")
    reasons = [f"{name} {delta[name]:+.1f}" for name in worse + lost]
    return "default kept: " + ", ".join(reasons)


def _schedule(default: Reports) -> str:
    steps = (default.cv_overrides or {}).get("training.max_steps")
    return "the config's own schedule" if steps is None else f"{steps} training steps"


def markdown(default: Reports, variants: Sequence[Reports], seeds: Sequence[int]) -> str:
    """One table: leave one seed out on the given training seeds, grouped CV, forgetting, held-out F1;
    then the selection rule applied to every variant."""
    seeds = list(seeds)
    which = f"training seed{'s' if len(seeds) > 1 else ''} {', '.join(map(str, seeds))}"
    spread = ", mean ± sd over them" if len(seeds) > 1 else ""
    header = (
        ["system"]
        + [f"seeds (b) {m}" for m in ("Entities", "Trig-C", "Arg-C")]
        + [f"CV {m}" for m in ("Entities", "Arg-C")]
        + [f"forgetting {label}" for label in FORGETTING]
        + [f"hand-labelled {label}" for label in FORGETTING]
        + [f"fresh forgetting {label}" for label in FORGETTING]
        + [f"fresh hand-labelled {label}" for label in FORGETTING]
        + [f"pooled hand-labelled {label}" for label in FORGETTING]
        + [f"held-out {m}" for m in ("Entities", "Trig-C", "Arg-C")]
    )
    rows: List[List[str]] = []
    for reports in [default, *variants]:
        news = [_mean_sd_cell(_loso_values(reports, metric, seeds)) for metric in REAL_NEWS]
        cv = [_cv_cell(reports, metric) for metric in CROSS_VALIDATION]
        checks = (reports.forgetting, reports.hand_labels, reports.forgetting_fresh, reports.fresh_hand_labels)
        forgetting = [_pct((check or {}).get(label, {}).get("f")) for check in checks for label in FORGETTING]
        forgetting += [_pooled_cell(reports, label) for label in FORGETTING]
        held = [_mean_sd_cell(_held_values(reports, metric, seeds)) for metric in HELD_OUT]
        rows.append([reports.name, *news, *cv, *forgetting, *held])
    verdicts = [f"- {v.name}: {verdict(default, v, seeds)}" for v in variants]
    return "\n".join([
        markdown_table(header, rows),
        "",
        f"Rule: a variant replaces the default only when its Arg-C is higher by both seeds (b) and CV, and it loses "
        f"no more than {MAX_LOSS:.0f} point of entity F1 by either, nor of held-out entity F1 or Arg-C (the issue's "
        "bound on the grouped held-out own texts). Second clause: a variant that meets every goal of the issue (seeds (b) "
        "Entities 92, Trig-C 85, Arg-C 70; pooled hand-labelled ORG 85, all 88), where the default misses one, "
        f"replaces it when it loses no more than {MAX_LOSS:.0f} point on any of the rule's six figures (Arg-C and entity F1 by seeds (b), CV and held-out).",
        "",
        *verdicts,
        "",
        f"F1 (%). Seeds (b): leave one seed out, the five folds pooled, {which} for every row{spread} "
        "(the default's other seeds are in the real-news table). "
        "Forgetting (every forgetting column: the row's training/models/<row>, trained with `make robustness`'s SEED; over "
        "seeds in the forgetting-seeds tables): agreement with en_core_web_md's ORG/PERSON/DATE, projected onto the scheme (the forgetting tables' caption), on corpus/unlabelled/general-news.txt "
        "(never trained on); hand-labelled: F1 on the same texts against hand labels by the guidelines "
        "(general-news.gold.md); fresh forgetting: the same on corpus/unlabelled/general-news-fresh.txt, written "
        "for it and never read while the default's NER rules were written; fresh hand-labelled: F1 on the "
        "same texts against hand labels by the guidelines (general-news-fresh.gold.md; en_core_web_md's own "
        "figure is in the README's forgetting section); pooled hand-labelled: both checks' hand labels as one check (256 "
        "spans), mean ± sd over the training seeds of the row's forgetting-pooled-seeds.json. CV: the own texts' train+dev "
        f"articles in grouped folds, mean ± sd over training seeds 0, 1, 2 (same folds for every row; {_schedule(default)}). Held-out: the own texts' test split, {which}{spread}.",
    ]) + "\n"


def write(
    default: Reports, variants: Sequence[Reports], seeds: Sequence[int], output: Union[str, Path],
    readme: Optional[Union[str, Path]] = None, section: str = "robustness",
) -> str:
    table = markdown(default, variants, seeds)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table, encoding="utf-8")
    if readme is not None:
        update_named_section(readme, section, table)
    return table
