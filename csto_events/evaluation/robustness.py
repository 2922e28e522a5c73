"""Variants judged on real news and on other beats, side by side with the default.

Issue 14 asks for more than the held-out own-text score: a variant must hold
up on the seed articles (leave one seed out) and must not forget what the
pretrained NER knew on general news (the forgetting check). This module only
reads what the commands wrote, for the default and for each variant folder:

- ``report.json`` of ``evaluate run`` (held-out own-text test);
- ``forgetting.json`` of ``evaluate forgetting``;
- ``real-news/report.json`` of ``evaluate real-news --parts b``.

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

HELD_OUT = ("entities.strict", "trig_c", "arg_c")
REAL_NEWS = ("entities.strict", "trig_c", "arg_c")
FORGETTING = ("ORG", "all")


@dataclass
class Reports:
    """What was measured for one system; any part may be missing."""

    name: str
    held_out: Optional[Dict[str, Any]]  # metric -> {"f", "f_ci"}
    forgetting: Optional[Dict[str, Any]]  # label -> {"f", ...}
    real_news: Optional[Dict[int, Dict[str, float]]]  # training seed -> metric -> F1 (leave one seed out)


def _read(path: Path) -> Optional[Dict[str, Any]]:
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise DataError(f"{path}: not valid JSON ({err})") from err


def read_reports(name: str, held_out: Path, forgetting: Path, real_news: Path) -> Reports:
    report = _read(held_out)
    pipeline = None
    if report is not None:
        rows = [s for s in report.get("systems", []) if s.get("name") == "pipeline"]
        if not rows:
            raise DataError(f"{held_out}: no 'pipeline' row in systems")
        pipeline = rows[0].get("scores")
    forgotten = _read(forgetting)
    forgetting_row = None
    if forgotten is not None:
        rows = [row for system, row in forgotten.get("rows", {}).items() if "never fine-tuned" not in system]
        forgetting_row = rows[0] if rows else None
    news = _read(real_news)
    per_seed = None
    if news is not None:
        part = (news.get("parts") or {}).get("b")
        if part is None:
            raise DataError(f"{real_news}: no leave-one-seed-out part (run `evaluate real-news --parts b`)")
        per_seed = {int(s["seed"]): s["f"] for s in part["per_seed"]}
    return Reports(name, pipeline, forgetting_row, per_seed)


def _pct(value: Optional[float]) -> str:
    return "—" if value is None else f"{100 * value:.1f}"


def markdown(default: Reports, variants: Sequence[Reports], seeds: Sequence[int]) -> str:
    """One table: leave-one-seed-out F1 on the given training seeds, forgetting, held-out F1."""
    seeds = list(seeds)
    header = (
        ["system"]
        + [f"seeds (b) {m}" for m in ("Entities", "Trig-C", "Arg-C")]
        + [f"forgetting {label}" for label in FORGETTING]
        + [f"held-out {m}" for m in ("Entities", "Trig-C", "Arg-C")]
    )
    rows: List[List[str]] = []
    for reports in [default, *variants]:
        news = []
        for metric in REAL_NEWS:
            values = [reports.real_news[s][metric] for s in seeds if reports.real_news and s in reports.real_news]
            news.append(_pct(sum(values) / len(values)) if values and len(values) == len(seeds) else "—")
        forgetting = [_pct((reports.forgetting or {}).get(label, {}).get("f")) for label in FORGETTING]
        held = [_pct((reports.held_out or {}).get(metric, {}).get("f")) for metric in HELD_OUT]
        rows.append([reports.name, *news, *forgetting, *held])
    return "\n".join([
        markdown_table(header, rows),
        "",
        f"F1 (%). Seeds (b): leave one seed out, the five folds pooled, training seed{'s' if len(seeds) > 1 else ''} "
        f"{', '.join(map(str, seeds))} for every row (the default's other seeds are in the real-news table). "
        "Forgetting: agreement with en_core_web_md's ORG/PERSON/DATE on corpus/unlabelled/general-news.txt "
        "(never trained on). Held-out: the own texts' test split of `make all`, one training seed.",
    ]) + "\n"


def write(
    default: Reports, variants: Sequence[Reports], seeds: Sequence[int], output: Union[str, Path],
    readme: Optional[Union[str, Path]] = None,
) -> str:
    table = markdown(default, variants, seeds)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(table, encoding="utf-8")
    if readme is not None:
        update_named_section(readme, "robustness", table)
    return table
