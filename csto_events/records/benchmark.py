"""The record-level benchmark: dates, same-event clusters and whole records against gold, beside baselines.

Gold lives in the corpus records' metadata (it survives the doccano round
trip): ``date`` (the document's date), ``date_values`` (``"start-end"`` of
every DATE span -> its value) and ``event_clusters`` (lists of trigger
``"start-end"``). Gold records are built from the gold annotation with the
same code as predicted ones (``table.build_records``) over the gold values
and clusters, so the two differ only where the system does.

Three figures, each beside a simple baseline computed in the same run:

- DATE value accuracy on gold DATE spans; baseline: dateparser alone
  (RELATIVE_BASE = the document's date, past preferred, its own granularity).
- Same-event pairwise F1 over trigger pairs; baseline: every mention its own event.
- Record F1: a predicted record is right if it has the type of a gold record,
  shares a trigger mention with it (one-to-one), and has the same agents,
  leaders, participants (canonical, case-folded), start and end; baseline:
  one record per mention, dateparser's values, names as written.

On gold entities these measure this package alone; on a model's predictions
(DATEs and triggers must then also be found: unmatched ones count as wrong)
they measure what a user gets.
"""
import datetime as dt
import itertools
import json
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..corpus.records import Record, read_jsonl
from .coreference import cluster_mentions
from .dates import date_values, parser_only
from .names import add_canonical
from .table import EventRecord, build_records

Output = Dict[str, Any]
Span = Tuple[int, int]


def _key(start: int, end: int) -> str:
    return f"{start}-{end}"


def _span(key: str) -> Span:
    start, end = key.split("-")
    return int(start), int(end)


def gold_documents(paths: Sequence[Union[str, Path]]) -> List[Record]:
    """The records of ``paths`` that carry all three gold keys."""
    found = []
    for path in paths:
        for record in read_jsonl(path):
            if {"date", "date_values", "event_clusters"} <= set(record.meta):
                found.append(record)
    return found


def record_output(record: Record) -> Output:
    """A corpus record in the Output format (entities in text order, one event per trigger)."""
    text = record.text
    entities = sorted(record.entities, key=lambda e: (e.start_offset, e.end_offset))
    by_id = {e.id: e for e in entities}

    def span(e: Any) -> Dict[str, Any]:
        return {"start": e.start_offset, "end": e.end_offset, "text": text[e.start_offset : e.end_offset]}

    events = []
    for entity in entities:
        if entity.label in ("MISSION", "MEETING"):
            arguments = [
                {"role": r.type, "label": by_id[r.to_id].label, **span(by_id[r.to_id])}
                for r in sorted(record.relations, key=lambda r: (by_id[r.to_id].start_offset, r.type)) if r.from_id == entity.id
            ]
            events.append({"type": entity.label, "trigger": span(entity), "arguments": arguments})
    return {"id": record.id, "text": text, "entities": [{"label": e.label, **span(e)} for e in entities], "events": events}


def _set_values(output: Output, values: Dict[Span, Optional[str]]) -> Output:
    for entity in output["entities"]:
        entity.pop("value", None)
        value = values.get((entity["start"], entity["end"]))
        if entity["label"] == "DATE" and value is not None:
            entity["value"] = value
    return output


def _copy(output: Output) -> Output:
    return json.loads(json.dumps(output))


def _trigger_keys(output: Output) -> List[str]:
    return [_key(e["trigger"]["start"], e["trigger"]["end"]) for e in output["events"]]


def _pairs(clusters: Sequence[Sequence[str]]) -> set:
    return {tuple(sorted(pair)) for cluster in clusters for pair in itertools.combinations(cluster, 2)}


def _prf(tp: int, fp: int, fn: int) -> Dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}


def _same(a: EventRecord, b: EventRecord) -> bool:
    fold = lambda names: sorted({n.casefold() for n in names})  # noqa: E731
    return (a.type == b.type and fold(a.agent) == fold(b.agent) and fold(a.leader) == fold(b.leader)
            and fold(a.participants) == fold(b.participants) and a.start == b.start and a.end == b.end)


def _overlaps(a: EventRecord, b: EventRecord) -> bool:
    return any(x[0] < y[1] and y[0] < x[1] for x in a.mentions for y in b.mentions)


def record_counts(predicted: Sequence[EventRecord], gold: Sequence[EventRecord]) -> Tuple[int, int, int]:
    """(right, predicted, gold): one-to-one matches by shared mention and type, right if every field agrees."""
    free = list(gold)
    right = 0
    for record in predicted:
        match = next((g for g in free if g.type == record.type and _overlaps(record, g) and _same(record, g)), None)
        match = match or next((g for g in free if g.type == record.type and _overlaps(record, g)), None)
        if match is not None:
            free.remove(match)
            right += _same(record, match)
    return right, len(predicted), len(gold)


def _score_documents(gold: List[Record], predicted: Optional[List[Output]] = None) -> Dict[str, Any]:
    """The three figures and their baselines over ``gold`` documents, on gold entities or on ``predicted`` Outputs."""
    dates = {"system": [0, 0], "baseline": [0, 0]}
    clusters = {"system": [0, 0, 0], "baseline": [0, 0, 0]}
    records = {"system": [0, 0, 0], "baseline": [0, 0, 0]}
    errors: List[str] = []
    for index, record in enumerate(gold):
        base = dt.date.fromisoformat(record.meta["date"])
        gold_values = {_span(k): v for k, v in record.meta["date_values"].items()}
        gold_output = add_canonical(_set_values(record_output(record), gold_values))
        keys = _trigger_keys(gold_output)
        gold_clusters = [[keys.index(k) for k in cluster] for cluster in record.meta["event_clusters"]]
        gold_records = build_records(gold_output, base, gold_clusters)
        output = _copy(gold_output) if predicted is None else _copy(predicted[index])
        spans = [(e["start"], e["end"]) for e in output["entities"] if e["label"] == "DATE"]
        system_values = date_values(output["text"], spans, base)
        baseline_values = {s: parser_only(output["text"][s[0] : s[1]], base) for s in spans}
        for name, values in (("system", system_values), ("baseline", baseline_values)):
            right = sum(values.get(span) == value for span, value in gold_values.items())
            dates[name][0] += right
            dates[name][1] += len(gold_values)
        for span, value in gold_values.items():
            if system_values.get(span) != value:
                errors.append(f"{record.id}: DATE {record.text[span[0]:span[1]]!r} gold {value} got {system_values.get(span)}")
        system = add_canonical(_set_values(_copy(output), system_values))
        baseline = _set_values(_copy(output), baseline_values)
        for entity in baseline["entities"]:
            entity.pop("canonical", None)
        predicted_keys = _trigger_keys(system)
        system_clusters = cluster_mentions(system)
        singletons = [[i] for i in range(len(predicted_keys))]
        gold_pairs = _pairs(record.meta["event_clusters"])
        for name, found in (("system", system_clusters), ("baseline", singletons)):
            pairs = _pairs([[predicted_keys[i] for i in cluster] for cluster in found])
            clusters[name][0] += len(pairs & gold_pairs)
            clusters[name][1] += len(pairs - gold_pairs)
            clusters[name][2] += len(gold_pairs - pairs)
        for name, out, found in (("system", system, system_clusters), ("baseline", baseline, singletons)):
            right, n_predicted, n_gold = record_counts(build_records(out, base, found), gold_records)
            records[name][0] += right
            records[name][1] += n_predicted
            records[name][2] += n_gold
    result: Dict[str, Any] = {"documents": len(gold), "errors": errors}
    for name in ("system", "baseline"):
        right, total = dates[name]
        result[f"dates_{name}"] = {"accuracy": right / total if total else 0.0, "right": right, "total": total}
        result[f"clusters_{name}"] = _prf(*clusters[name])
        right, n_predicted, n_gold = records[name]
        result[f"records_{name}"] = _prf(right, n_predicted - right, n_gold - right) | {"predicted": n_predicted, "gold": n_gold}
    return result


def _predict(gold: List[Record], model: str) -> List[Output]:
    from .run import Document, extract_outputs

    return extract_outputs([Document(r.id, r.text, r.where) for r in gold], model)


def _row(setting: str, measure: str, baseline: str, system: str) -> str:
    return f"| {setting} | {measure} | {baseline} | {system} |"


def _cells(scores: Dict[str, Any], kind: str) -> Tuple[str, str]:
    out = []
    for name in ("baseline", "system"):
        s = scores[f"{kind}_{name}"]
        if kind == "dates":
            out.append(f"{s['accuracy']:.3f} ({s['right']}/{s['total']})")
        else:
            out.append(f"{s['f']:.3f} (P {s['p']:.3f}, R {s['r']:.3f})")
    return out[0], out[1]


def to_markdown(report: Dict[str, Any]) -> str:
    lines = [
        "# Event records benchmark",
        "",
        f"{report['date']}; `csto-events records-benchmark` ({report['seconds']:.1f}s).",
        "",
        "| setting | measure | baseline | csto-events records |",
        "|---|---|---|---|",
    ]
    names = {"dates": "DATE value accuracy", "clusters": "same-event pairwise F1", "records": "record F1"}
    for setting in report["settings"]:
        for kind in ("dates", "clusters", "records"):
            lines.append(_row(setting["name"], names[kind], *_cells(setting["scores"], kind)))
    lines += [
        "",
        "Baselines, same run: dates, dateparser alone (RELATIVE_BASE = the document's date, past preferred); "
        "clusters, every mention its own event; records, one record per mention with dateparser's values and names as written.",
        "A record is right if its type, agents, leaders, participants (canonical), start and end all equal those of the gold "
        "record it shares a mention with. On model predictions, DATE spans and triggers must be found too; what is not found counts as wrong.",
    ]
    if report.get("model"):
        lines.append(f"Model: `{report['model']}`. The default model is trained with the seeds, and on the train split of the "
                     "corpus, selected on dev (training/data/splits.json says which texts); so these rows are not held-out: they show "
                     "what the records step does with a model's own spans, not how well the model generalises.")
    return "\n".join(lines) + "\n"


def run_benchmark(
    seeds: Union[str, Path], corpus: Sequence[Union[str, Path]] = (), model: Optional[str] = None,
    output: Optional[Union[str, Path]] = None, readme: Optional[Union[str, Path]] = None,
) -> Dict[str, Any]:
    """Score the seeds (and ``corpus`` gold texts) on gold entities and, with ``model``, on its predictions."""
    started = time.monotonic()
    sets = [("seeds", gold_documents([seeds]))]
    if corpus:
        sets.append((f"{len(gold_documents(corpus))} corpus texts", gold_documents(corpus)))
    settings = []
    for name, gold in sets:
        settings.append({"name": f"{name}, gold entities", "scores": _score_documents(gold)})
        if model:
            settings.append({"name": f"{name}, model predictions", "scores": _score_documents(gold, _predict(gold, model))})
    report: Dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M:%S"), "model": model, "settings": settings,
                              "seconds": time.monotonic() - started}
    report["markdown"] = to_markdown(report)
    report["examples"] = example_records(seeds)
    if output:
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "benchmark.json").write_text(json.dumps({k: v for k, v in report.items() if k != "markdown"}, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        (folder / "benchmark.md").write_text(report["markdown"], encoding="utf-8")
    if readme:
        from ..readme import update_named_section

        update_named_section(readme, "records", readme_section(report))
    return report


def _richness(record: EventRecord) -> Tuple[int, int]:
    filled = sum(bool(x) for x in (record.agent, record.leader, record.participants, record.start))
    return filled + len(record.mentions), len(record.mentions)


def example_records(seeds: Union[str, Path], count: int = 3) -> List[Dict[str, Any]]:
    """The richest seed records (most mentions and filled fields, one per document), built from the gold entities by this package."""
    best: Dict[str, EventRecord] = {}
    for record in gold_documents([seeds]):
        base = dt.date.fromisoformat(record.meta["date"])
        output = record_output(record)
        spans = [(e["start"], e["end"]) for e in output["entities"] if e["label"] == "DATE"]
        output = add_canonical(_set_values(output, date_values(output["text"], spans, base)))
        for candidate in build_records(output, base):
            if candidate.document not in best or _richness(candidate) > _richness(best[candidate.document]):
                best[candidate.document] = candidate
    chosen = sorted(best.values(), key=_richness, reverse=True)[:count]
    return [r.to_row() for r in sorted(chosen, key=lambda r: r.document)]


def readme_section(report: Dict[str, Any]) -> str:
    """The README's generated part: how to run it, a real record, the figures."""
    from ..readme import without_title

    examples = report.get("examples") or []
    columns = ("document", "type", "trigger", "mentions", "agent", "leader", "participants", "start", "end", "time", "reported")
    lines = [
        "```bash",
        ".venv/bin/csto-events records seeds/ --output records/ --html records/records.html",
        ".venv/bin/csto-events records corpus/seeds/seeds.jsonl --output records/   # JSONL with a 'date' per document",
        ".venv/bin/csto-events records events.jsonl --output records/               # extract's output: no pipeline run",
        ".venv/bin/csto-events records extracted/ --output records/                 # distributed-extract's output folder",
        ".venv/bin/csto-events records-benchmark --corpus corpus/extra/h1.jsonl ... --readme README.md",
        "```",
        "",
    ]
    if examples:
        lines += [
            "Real records: rows of `records.csv` for three seed articles, built from their gold entities "
            "(from a model's entities a row differs where its spans do); `sentence` and the character offsets are left out here:",
            "",
            "| " + " | ".join(columns) + " |",
            "|" + "---|" * len(columns),
            *("| " + " | ".join(str(row[k]).replace("|", "\\|") for k in columns) + " |" for row in examples),
            "",
        ]
    lines.append(without_title(report["markdown"]))
    return "\n".join(lines)
