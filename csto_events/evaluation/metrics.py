"""Span, trigger and argument scores, counted per text so they can be resampled.

Every metric is four counts per text: predicted items that match, predicted
items, gold items that match, gold items. Precision is the first over the
second, recall the third over the fourth. For exact matching the two matched
counts are equal (true positives); for overlap matching they may differ (one
long predicted span can cover two gold spans), which is why both are kept.
Summing the counts over texts gives micro scores, and summing them over a
bootstrap resample gives the interval, so every number in the report comes
from the same definition.

Definitions (docs/label-scheme.md):
- ``LABEL.strict``: same start, end and label. ``LABEL.partial``: a predicted
  span of the label overlaps a gold span of the label (counted on each side).
- ``entities.*``: micro over ORG, PERSON, DATE; ``triggers.*``: micro over
  MISSION and MEETING.
- ``trig_i``: the trigger span matches (any trigger label); ``trig_c``: span and
  type match (the same as ``triggers.strict``).
- ``arg_*``: counted by ``pipeline/argument_scores.py``, the function the
  training scorer calls too (its docstring has the definitions), so meta.json's
  ``arg_i_f`` and ``arg_c_f`` mean what the report's Arg-I and Arg-C mean.
"""
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import numpy

from ..pipeline.argument_scores import ARGUMENT_METRICS, Argument as Arg, argument_counts, exact_counts
from ..pipeline.argument_scores import output_arguments as arguments
from ..pipeline.scheme import ENTITY_LABELS, SPAN_LABELS, TRIGGER_LABELS
from .documents import Output

COUNT_FIELDS = ("pred_matched", "pred", "gold_matched", "gold")
MODES = ("strict", "partial")

METRICS: Tuple[str, ...] = tuple(
    [f"{label}.{mode}" for label in SPAN_LABELS for mode in MODES]
    + [f"entities.{mode}" for mode in MODES]
    + [f"triggers.{mode}" for mode in MODES]
    + ["trig_i", "trig_c"]
    + list(ARGUMENT_METRICS)
)
INDEX: Dict[str, int] = {name: i for i, name in enumerate(METRICS)}

# Which capability a metric measures: a system that does not predict triggers
# gets "—" in the report for trigger metrics, not a misleading zero.
CAPABILITIES = ("entities", "triggers", "arguments")


def capability(metric: str) -> str:
    head = metric.split(".")[0]
    if head in ENTITY_LABELS or head == "entities":
        return "entities"
    if head in TRIGGER_LABELS or head in ("triggers", "trig_i", "trig_c"):
        return "triggers"
    return "arguments"


Span = Tuple[int, int, str]


def spans(output: Output) -> List[Span]:
    return sorted({(e["start"], e["end"], e["label"]) for e in output["entities"]})


def _overlaps(a: Tuple[int, int], b: Tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _overlap(gold: Sequence[Tuple[int, int]], pred: Sequence[Tuple[int, int]]) -> Tuple[int, int, int, int]:
    pred_matched = sum(1 for p in pred if any(_overlaps(p, g) for g in gold))
    gold_matched = sum(1 for g in gold if any(_overlaps(g, p) for p in pred))
    return pred_matched, len(pred), gold_matched, len(gold)


def document_counts(gold: Output, pred: Output) -> numpy.ndarray:
    """The four counts of every metric in METRICS for one text: shape (len(METRICS), 4)."""
    counts = numpy.zeros((len(METRICS), 4), dtype=numpy.int64)
    gold_spans, pred_spans = spans(gold), spans(pred)
    for label in SPAN_LABELS:
        g = {(s, e) for s, e, l in gold_spans if l == label}
        p = {(s, e) for s, e, l in pred_spans if l == label}
        counts[INDEX[f"{label}.strict"]] = exact_counts(g, p)
        counts[INDEX[f"{label}.partial"]] = _overlap(sorted(g), sorted(p))
    for group, labels in (("entities", ENTITY_LABELS), ("triggers", TRIGGER_LABELS)):
        for mode in MODES:
            counts[INDEX[f"{group}.{mode}"]] = sum(counts[INDEX[f"{label}.{mode}"]] for label in labels)
    counts[INDEX["trig_i"]] = exact_counts(
        {(s, e) for s, e, l in gold_spans if l in TRIGGER_LABELS},
        {(s, e) for s, e, l in pred_spans if l in TRIGGER_LABELS},
    )
    counts[INDEX["trig_c"]] = counts[INDEX["triggers.strict"]]

    for name, value in argument_counts(arguments(gold), arguments(pred)).items():
        counts[INDEX[name]] = value
    return counts


def corpus_counts(golds: Sequence[Output], preds: Sequence[Output]) -> numpy.ndarray:
    """Counts of every text: shape (texts, len(METRICS), 4). Inputs must be aligned."""
    if len(golds) != len(preds):
        raise ValueError(f"{len(golds)} gold texts but {len(preds)} predictions: align them first")
    if not golds:
        return numpy.zeros((0, len(METRICS), 4), dtype=numpy.int64)
    return numpy.stack([document_counts(g, p) for g, p in zip(golds, preds)])


def prf_arrays(counts: numpy.ndarray) -> Tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """P, R, F over the last axis of counts (..., 4); NaN where nothing was predicted or gold.

    A precision with no predictions is 0 when there was gold to find (the
    system found nothing), and undefined (NaN) when there was none.
    """
    counts = numpy.asarray(counts, dtype=float)
    pm, pn, gm, gn = (counts[..., i] for i in range(4))
    empty = (pn == 0) & (gn == 0)
    with numpy.errstate(divide="ignore", invalid="ignore"):
        p = numpy.where(pn > 0, pm / numpy.where(pn > 0, pn, 1), 0.0)
        r = numpy.where(gn > 0, gm / numpy.where(gn > 0, gn, 1), 0.0)
        f = numpy.where(p + r > 0, 2 * p * r / numpy.where(p + r > 0, p + r, 1), 0.0)
    nan = numpy.full_like(p, numpy.nan)
    return numpy.where(empty, nan, p), numpy.where(empty, nan, r), numpy.where(empty, nan, f)


def _num(x: float) -> Optional[float]:
    return None if numpy.isnan(x) else round(float(x), 4)


def score(counts: numpy.ndarray) -> Dict[str, Dict[str, object]]:
    """Micro P/R/F and raw counts of every metric, from per-text counts (texts, M, 4)."""
    total = counts.sum(axis=0) if counts.ndim == 3 else counts
    p, r, f = prf_arrays(total)
    out: Dict[str, Dict[str, object]] = {}
    for i, name in enumerate(METRICS):
        out[name] = {"p": _num(p[i]), "r": _num(r[i]), "f": _num(f[i])}
        out[name].update({field: int(total[i, j]) for j, field in enumerate(COUNT_FIELDS)})
    return out


NONE = "(none)"


def confusion_matrix(golds: Sequence[Output], preds: Sequence[Output]) -> Dict[str, object]:
    """Gold label (rows) against predicted label (columns) for matched spans.

    A gold span is paired with the predicted span of the same offsets if there
    is one, otherwise with the unpaired predicted span that overlaps it most;
    gold spans left unpaired are counted in the column "(none)" (missed), and
    predicted ones in the row "(none)" (spurious). The diagonal therefore
    includes boundary errors with the right label; the strict scores show those.
    """
    labels = list(SPAN_LABELS) + [NONE]
    cells: Counter = Counter()
    for gold, pred in zip(golds, preds):
        g_spans, p_spans = spans(gold), spans(pred)
        used: Set[int] = set()
        unpaired = []
        by_offsets = {}
        for j, (s, e, _) in enumerate(p_spans):
            by_offsets.setdefault((s, e), j)
        for g in g_spans:
            j = by_offsets.get((g[0], g[1]))
            if j is not None and j not in used:
                used.add(j)
                cells[(g[2], p_spans[j][2])] += 1
            else:
                unpaired.append(g)
        for g in unpaired:
            best, best_overlap = None, 0
            for j, p in enumerate(p_spans):
                if j in used:
                    continue
                overlap = min(g[1], p[1]) - max(g[0], p[0])
                if overlap > best_overlap:
                    best, best_overlap = j, overlap
            if best is None:
                cells[(g[2], NONE)] += 1
            else:
                used.add(best)
                cells[(g[2], p_spans[best][2])] += 1
        for j, p in enumerate(p_spans):
            if j not in used:
                cells[(NONE, p[2])] += 1
    return {"labels": labels, "matrix": [[cells[(g, p)] for p in labels] for g in labels]}


def document_errors(gold: Output, pred: Output) -> Dict[str, List[Dict[str, object]]]:
    """What one text got wrong under the strict definitions, for the error pages."""
    text = gold["text"]
    g_spans, p_spans = set(spans(gold)), set(spans(pred))
    g_args, p_args = arguments(gold), arguments(pred)

    def span_json(s: Span) -> Dict[str, object]:
        return {"start": s[0], "end": s[1], "label": s[2], "text": text[s[0]:s[1]]}

    def arg_json(a: Arg) -> Dict[str, object]:
        return {
            "type": a[2], "trigger": text[a[0]:a[1]], "trigger_start": a[0],
            "role": a[5], "argument": text[a[3]:a[4]], "argument_start": a[3],
        }

    return {
        "missed_spans": [span_json(s) for s in sorted(g_spans - p_spans)],
        "spurious_spans": [span_json(s) for s in sorted(p_spans - g_spans)],
        "missed_arguments": [arg_json(a) for a in sorted(g_args - p_args)],
        "spurious_arguments": [arg_json(a) for a in sorted(p_args - g_args)],
    }


def error_examples(golds: Sequence[Output], preds: Sequence[Output], limit: int) -> List[Dict[str, object]]:
    """The first ``limit`` texts (in gold order) with any strict error, with both annotations."""
    examples = []
    for gold, pred in zip(golds, preds):
        errors = document_errors(gold, pred)
        if any(errors.values()):
            examples.append({
                "id": gold["id"], "text": gold["text"],
                "gold_entities": [{k: e[k] for k in ("start", "end", "label")} for e in gold["entities"]],
                "predicted_entities": [{k: e[k] for k in ("start", "end", "label")} for e in pred["entities"]],
                **errors,
            })
            if len(examples) >= limit:
                break
    return examples


def count_error_texts(golds: Iterable[Output], preds: Iterable[Output]) -> int:
    return sum(1 for g, p in zip(golds, preds) if any(document_errors(g, p).values()))
