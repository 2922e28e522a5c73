"""The package's meta.json additions and its model card (README.md).

spaCy writes a README from meta.json, but it cannot know what a reader of
this pipeline needs: the label scheme with its role table, where the training
data came from, scores *with intervals* and where they were measured, and
what the pipeline cannot do. Everything in the card is read from files (the
trained pipeline's meta, the evaluation's scores, the corpus split manifest)
so the card never states a number that was not measured.
"""
import json
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..pipeline.scheme import ENTITY_LABELS, ROLE_TABLE, ROLES, TRIGGER_LABELS

LABEL_NOTES: Dict[str, str] = {
    "ORG": "a named organisation or named body of one, with its acronym (no countries)",
    "PERSON": "a named person, without title or role",
    "DATE": "a calendar expression, duration or frequency, absolute or relative",
    "MISSION": "event trigger: a mission, team or force sent to a place for a task",
    "MEETING": "event trigger: people or bodies convening (meeting, session, summit, talks, visit ...)",
}
ROLE_NOTES: Dict[str, str] = {
    "AGENT": "who sends the mission; who convenes, hosts or chairs the meeting",
    "LEADER": "who heads the mission",
    "PARTICIPANT": "who attends, speaks at or is received at the meeting",
    "TIME": "when the event happens, or how long or how often",
}
# Training scores of frozen components are measured on a dev set that has no
# gold tags or parses (always 0.0), so they say nothing and are left out.
DEV_KEYS_PREFIXES = ("ents_", "arg_")

CARD_TEMPLATE = "card.md"

LIMITS = [
    "Trained on a small corpus of original texts written for the project in the style of "
    "security-alliance news (the seed articles were never delivered); expect lower scores "
    "on real news, other outlets and other topics.",
    "English only. Events and arguments are single-sentence by design: an argument in "
    "another sentence, or a coreferent mention (\"the organization\", \"he\"), is never linked.",
    "Places are not labelled (the scheme has no place label), so an event's location is not extracted.",
    "Off the security beat the fine-tuned NER forgets part of what en_core_web_md knew: names of "
    "companies and clubs are sometimes tagged PERSON, and words such as \"group\" or \"site\" can "
    "fire as triggers (the repository's `csto-events evaluate forgetting` measures it).",
    "Negated or hypothetical events are extracted like real ones; the scheme keeps planned events.",
    "Texts longer than the extraction command's --max-chars are cut at line breaks and processed "
    "in pieces; sentences never cross a line break, so no span or link is cut, but the neural "
    "context at a cut is shorter.",
]


class ScoresError(ValueError):
    """A scores file the card cannot use; the message names the file and the entry."""


Scores = Dict[str, Dict[str, Any]]


def read_scores(path: Union[str, Path], system: str = "pipeline") -> Tuple[Scores, Dict[str, Any]]:
    """Metric -> {p, r, f, p_ci, r_ci, f_ci}, and the file's settings (split, confidence ...).

    Accepted: the evaluation suite's ``report.json`` (the row of ``system``;
    its scores from gold entities come as ``gold_entities.<metric>``), or
    ``{"scores": {metric: {...}}, "split": ..., "confidence": ...}``, or a
    bare ``{metric: {...}}`` mapping.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ScoresError(f"{path}: cannot read scores: {err}") from err
    if not isinstance(data, dict):
        raise ScoresError(f"{path}: expected a JSON object, got {type(data).__name__}")
    if "systems" in data:
        data = _from_evaluation_report(path, data, system)
    scores = data.get("scores", data)
    settings = {k: v for k, v in data.items() if k != "scores" and not isinstance(v, dict)} if "scores" in data else {}
    if not isinstance(scores, dict) or not scores:
        raise ScoresError(f"{path}: no scores found (expected {{'scores': {{metric: {{'p', 'r', 'f', 'f_ci'}}}}}})")
    clean: Scores = {}
    for metric, entry in scores.items():
        if not isinstance(entry, dict) or "f" not in entry:
            raise ScoresError(f"{path}: metric {metric!r}: expected an object with at least 'f', got {entry!r}")
        for key in ("p", "r", "f"):
            value = entry.get(key)
            if value is not None and not isinstance(value, (int, float)):
                raise ScoresError(f"{path}: metric {metric!r}: {key} must be a number or null, got {value!r}")
        for key in ("p_ci", "r_ci", "f_ci"):
            ci = entry.get(key)
            if ci is not None and not (isinstance(ci, list) and len(ci) == 2):
                raise ScoresError(f"{path}: metric {metric!r}: {key} must be [low, high], got {ci!r}")
        clean[metric] = {k: entry[k] for k in ("p", "r", "f", "p_ci", "r_ci", "f_ci") if k in entry}
    return clean, settings


def _from_evaluation_report(path: Path, report: Dict[str, Any], system: str) -> Dict[str, Any]:
    """The ``{"scores": ..., settings}`` shape from one system row of ``evaluate run``'s report."""
    rows = {row.get("name"): row for row in report["systems"] if isinstance(row, dict)}
    if system not in rows:
        raise ScoresError(f"{path}: no system {system!r} in the report (it has {', '.join(map(str, rows)) or 'none'})")
    row = rows[system]
    scores = dict(row.get("scores") or {})
    for metric, entry in (row.get("scores_gold_input") or {}).items():
        scores[f"gold_entities.{metric}"] = entry
    bootstrap = report.get("bootstrap") or {}
    gold = report.get("gold") or {}
    settings = {
        "split": "held-out test",
        "confidence": bootstrap.get("confidence", 0.95),
        "texts": gold.get("texts"),
        "bootstrap unit": bootstrap.get("unit"),
        "units": bootstrap.get("units"),
        "resamples": bootstrap.get("resamples"),
    }
    return {"scores": scores, **{k: v for k, v in settings.items() if v is not None}}


def dev_scores(performance: Dict[str, Any]) -> Scores:
    """The training meta's dev scores of the components this project trains, as Scores (no intervals)."""
    scores: Scores = {}
    if "ents_f" in performance:
        scores["entities (all labels)"] = {k: performance.get(f"ents_{k}") for k in ("p", "r", "f")}
    for label, prf in sorted((performance.get("ents_per_type") or {}).items()):
        scores[label] = dict(prf)
    if "arg_c_f" in performance:
        scores["arg_c"] = {k: performance.get(f"arg_c_{k}") for k in ("p", "r", "f")}
    if "arg_i_f" in performance:
        scores["arg_i"] = {"p": performance.get("arg_i_p"), "r": performance.get("arg_i_r"), "f": performance.get("arg_i_f")}
    for role, prf in sorted((performance.get("arg_c_per_role") or {}).items()):
        scores[f"arg_c.{role}"] = dict(prf)
    return scores


def flat_performance(scores: Scores) -> Dict[str, Optional[float]]:
    """meta.json's ``performance``: one scalar per metric and measure, e.g. ``arg_c_f``."""
    flat: Dict[str, Optional[float]] = {}
    for metric, entry in scores.items():
        for key in ("p", "r", "f"):
            if key in entry:
                flat[f"{metric}_{key}"] = entry[key]
    return flat


def read_training_data(data_dir: Optional[Path]) -> Optional[Dict[str, Any]]:
    """Split sizes and annotation counts from ``corpus convert``'s splits.json, if present."""
    if data_dir is None or not (Path(data_dir) / "splits.json").exists():
        return None
    manifest = json.loads((Path(data_dir) / "splits.json").read_text(encoding="utf-8"))
    return {"seed": manifest.get("seed"), "sizes": manifest.get("sizes", {}), "counts": manifest.get("counts", {})}


def label_scheme() -> Dict[str, Any]:
    return {
        "entities": list(ENTITY_LABELS),
        "triggers": list(TRIGGER_LABELS),
        "roles": {role: {"from": sorted(ROLE_TABLE[role][0]), "to": sorted(ROLE_TABLE[role][1])} for role in ROLES},
    }


def pretrained_sources(config_paths: Dict[str, Any]) -> List[Dict[str, str]]:
    """Which pretrained weights the pipeline was built from, by the config's [paths]."""
    sources = [{"name": "csto-events corpus (corpus/extra): original texts written for the project", "author": "csto-events contributors"}]
    if config_paths.get("md"):
        sources.append({"name": "en_core_web_md 3.8.0 (MIT)", "url": "https://spacy.io/models/en#en_core_web_md", "author": "Explosion"})
    if config_paths.get("transformer"):
        sources.append({"name": "all-MiniLM-L6-v2 (Apache-2.0)", "url": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2", "author": "sentence-transformers"})
    return sources


def _pct(value: Optional[float]) -> str:
    return "–" if value is None else f"{100 * value:.1f}"


def _interval(ci: Optional[Sequence[Optional[float]]]) -> str:
    if not ci or ci[0] is None or ci[1] is None:
        return "–"
    return f"{100 * ci[0]:.1f}–{100 * ci[1]:.1f}"


def label_rows() -> List[str]:
    """One row per span label of the scheme: entities, then triggers."""
    return [
        f"| `{label}` | {'trigger' if label in TRIGGER_LABELS else 'entity'} | {LABEL_NOTES.get(label, '')} |"
        for label in ENTITY_LABELS + TRIGGER_LABELS
    ]


def role_rows() -> List[str]:
    """The role table: which trigger labels a role starts from and which entity labels it points to."""
    rows = []
    for role in ROLES:
        src, dst = ROLE_TABLE[role]
        rows.append(f"| `{role}` | {', '.join(sorted(src))} | {', '.join(sorted(dst))} | {ROLE_NOTES.get(role, '')} |")
    return rows


def training_data_section(data: Optional[Dict[str, Any]]) -> List[str]:
    """How the corpus was split, the size of each split and the annotation counts (from splits.json)."""
    if not data:
        return ["Not recorded: the package was built without the corpus split manifest (splits.json)."]
    lines = [
        f"Sentences split 70/15/15 into train/dev/test by a seeded hash (seed {data.get('seed')}); "
        "the model was selected on dev, never on test.",
        "",
        "| split | sentences | articles | spans | links |",
        "|---|---|---|---|---|",
    ]
    for split, size in data["sizes"].items():
        lines.append(f"| {split} | {size.get('sentences', '')} | {size.get('articles', '')} | {size.get('spans', '')} | {size.get('links', '')} |")
    counts = data.get("counts", {})
    if counts:
        lines += ["", "Annotations in the whole corpus: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + "."]
    return lines


def scores_section(evaluation: Dict[str, Any]) -> List[str]:
    """Where the scores were measured, then P, R, F and the F interval of every metric."""
    lines = [evaluation["description"], "", "| metric | P | R | F | F interval |", "|---|---|---|---|---|"]
    for metric, entry in evaluation["scores"].items():
        lines.append(
            f"| `{metric}` | {_pct(entry.get('p'))} | {_pct(entry.get('r'))} | {_pct(entry.get('f'))} | {_interval(entry.get('f_ci'))} |"
        )
    return lines


def card_template() -> Template:
    """The card's fixed text (``card.md``, package data), with a ``$name`` for every part filled in."""
    return Template(resources.files(__package__).joinpath(CARD_TEMPLATE).read_text(encoding="utf-8"))


def model_card(meta: Dict[str, Any]) -> str:
    """README.md of the package, from the meta that ``package_pipeline`` built."""
    own = meta["csto_events"]
    vectors = meta.get("vectors", {})
    return card_template().substitute(
        package=f"{meta['lang']}_{meta['name']}",
        version=meta["version"],
        description=meta.get("description", ""),
        spacy_version=meta.get("spacy_version", ""),
        pipeline=", ".join(f"`{p}`" for p in meta.get("pipeline", [])),
        requirements=", ".join(f"`{r}`" for r in meta.get("requirements", [])) or "n/a",
        vectors=f"{vectors.get('vectors', 0)} vectors, {vectors.get('keys', 0)} keys ({vectors.get('width', 0)} dimensions)",
        sources="<br>".join(s["name"] for s in meta.get("sources", [])),
        license=meta.get("license", ""),
        label_rows="\n".join(label_rows()),
        role_rows="\n".join(role_rows()),
        training_data="\n".join(training_data_section(own.get("training_data"))),
        scores="\n".join(scores_section(own["evaluation"])),
        limits="\n".join(f"- {limit}" for limit in LIMITS),
    )
