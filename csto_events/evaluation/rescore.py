"""Decode-only rules measured on the same trained models: stored predictions, rules off and on.

The rules: the NER rules of ``pipeline/ner_rules.py`` and the linker's
``unlink_title_orgs`` (``pipeline/titles.py``) and ``unlink_dateline_dates``
(``pipeline/datelines.py``).

A row that differs only in what the pipeline outputs after the learners
(the default against the ``no-rules`` variant) is trained as a run of its
own by ``make robustness``, and each run chooses its model-best checkpoint on
dev with its own decoding, so the two differ by the checkpoint too: noise of
the size of the effect on a small corpus. Applying the rules to predictions
the no-rules runs already stored isolates the rules: the same model, every
text scored both ways, and a paired bootstrap of the difference.

The rules need a parse, so every stored text is parsed again by the model's
own frozen tagger and parser (the ner and event_arguments are excluded). A
rule may cut or grow a span's edges, relabel it or drop it; a link follows its
trigger and argument to their new spans and is dropped with either, or when
the scheme allows the role no longer (a LEADER whose PERSON became an ORG).
For a dropped trigger this is exactly what the pipeline outputs (the linker
never sees it); for a cut, grown or relabelled span it is an approximation, since
in the pipeline the linker scores the new span itself.
"""
from pathlib import Path
from typing import Any, Collection, Dict, List, Optional, Sequence, Tuple, Union

from spacy.language import Language
from spacy.tokens import Span

from ..pipeline.datelines import is_dateline_date
from ..pipeline.events import Output, doc_to_output, set_links
from ..pipeline.ner_rules import RULES, apply_rules
from ..pipeline.scheme import allowed_roles
from ..pipeline.titles import org_in_person_title
from ..tables import markdown_table
from .bootstrap import BootstrapSettings, paired_test, resample_weights, unit_counts, unit_keys
from .crossval import f_scores
from .documents import GoldSet, align
from .metrics import corpus_counts

RULES_EXCLUDED = ["ner", "event_arguments", "ner_rules"]
METRICS = ("entities.strict", "trig_c", "arg_c")


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def apply_rules_to_output(
    output: Output, nlp: Language, ner_rules: Collection[str] = tuple(RULES), title_orgs: bool = False,
    datelines: bool = False,
) -> Output:
    """``output`` as the pipeline would have written it with the rules on (see the module docstring):
    the named NER rules (``ner_rules``: names of ``pipeline.ner_rules.RULES``) and the linker's
    ``title_orgs`` (``unlink_title_orgs``) and ``datelines`` (``unlink_dateline_dates``)."""
    doc = nlp(output["text"])
    ents: List[Span] = []
    for entity in output["entities"]:
        span = doc.char_span(entity["start"], entity["end"], label=entity["label"], alignment_mode="strict")
        if span is None:
            raise ValueError(f"{output.get('id')}: span {entity['start']}-{entity['end']} is off this model's token boundaries")
        ents.append(span)
    after = apply_rules(doc, ents, ner_rules)
    new_of: Dict[Tuple[int, int], Span] = {}
    for old in ents:
        best = max(after, key=lambda new: _overlap(old, new), default=None)
        inside = best is not None and best.start >= old.start and best.end <= old.end
        around = best is not None and best.start <= old.start and best.end >= old.end
        if best is not None and _overlap(old, best) > 0 and (inside or around):
            new_of[(old.start_char, old.end_char)] = best
    doc.ents = after
    links = []
    for event in output["events"]:
        trigger = new_of.get((event["trigger"]["start"], event["trigger"]["end"]))
        for argument in event["arguments"]:
            target = new_of.get((argument["start"], argument["end"]))
            if trigger is None or target is None or argument["role"] not in allowed_roles(trigger.label_, target.label_):
                continue
            if title_orgs and target.label_ == "ORG" and org_in_person_title(target, after):
                continue
            if datelines and argument["role"] == "TIME" and is_dateline_date(doc.text, target.start_char, target.end_char):
                continue
            links.append((trigger.start, trigger.end, target.start, target.end, argument["role"]))
    set_links(doc, sorted(set(links)))
    return doc_to_output(doc, output.get("id"))


def compare(gold: GoldSet, before: Sequence[Output], after: Sequence[Output], bootstrap: BootstrapSettings) -> Dict[str, Any]:
    """F before and after, and the paired bootstrap of after minus before, per metric."""
    keys = unit_keys(gold.ids, gold.groups, bootstrap.unit)
    counts_before, counts_after = corpus_counts(gold.outputs, before), corpus_counts(gold.outputs, after)
    units_before, units_after = unit_counts(counts_before, keys), unit_counts(counts_after, keys)
    weights = resample_weights(units_before.shape[0], bootstrap.resamples, bootstrap.seed)
    tests = paired_test(units_after, units_before, weights, list(METRICS), bootstrap.confidence)
    changed = [
        {"id": b["id"], "before": sorted(_spans(b) - _spans(a)), "after": sorted(_spans(a) - _spans(b))}
        for b, a in zip(before, after) if _spans(b) != _spans(a)
    ]
    return {"before": f_scores(counts_before, METRICS), "after": f_scores(counts_after, METRICS), "paired": tests, "changed": changed}


def _spans(output: Output) -> set:
    """What a text outputs, for telling which texts the rules changed: spans, and links by their texts."""
    links = {(ev["trigger"]["text"], a["role"], a["text"]) for ev in output["events"] for a in ev["arguments"]}
    return {(e["text"], e["label"]) for e in output["entities"]} | links


def rescore(
    sets: Sequence[Tuple[str, GoldSet, List[Output]]], nlp: Language, bootstrap: BootstrapSettings,
    ner_rules: Collection[str] = tuple(RULES), title_orgs: bool = False, datelines: bool = False,
) -> Dict[str, Any]:
    """Each named (gold, stored predictions) pair scored with the rules off and on."""
    rows = {}
    for name, gold, predictions in sets:
        before = align(gold, predictions, source=name)
        after = [apply_rules_to_output(p, nlp, ner_rules, title_orgs, datelines) for p in before]
        rows[name] = compare(gold, before, after, bootstrap)
    rules = {**{rule: rule in ner_rules for rule in RULES}, "unlink_title_orgs": title_orgs, "unlink_dateline_dates": datelines}
    return {"rules": rules, "bootstrap": {"unit": bootstrap.unit, "resamples": bootstrap.resamples}, "rows": rows}


def _pct(x: Optional[float]) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def markdown(result: Dict[str, Any]) -> str:
    """One row per prediction set: F without and with the rules, and the paired difference with its interval."""
    header = ["predictions"] + [f"{m} {w}" for m in ("Entities", "Trig-C", "Arg-C") for w in ("off", "on", "Δ (95% CI)")]
    rows = []
    for name, row in result["rows"].items():
        cells = [name]
        for metric in METRICS:
            test = row["paired"][metric]
            low, high = test.get("delta_ci") or (None, None)
            delta = "—" if test.get("delta") is None else f"{100 * test['delta']:+.1f} ({_pct(low)}–{_pct(high)})"
            cells += [_pct(row["before"][metric]), _pct(row["after"][metric]), delta]
        rows.append(cells)
    rules = ", ".join(name for name, on in result["rules"].items() if on)
    changes = sum(len(r["changed"]) for r in result["rows"].values())
    return (
        markdown_table(header, rows)
        + f"\n\nF1 (%) of stored predictions, as stored (off) and re-decoded with the rules ({rules}) on; Δ = on − off, "
        f"paired bootstrap over {result['bootstrap']['unit']}s ({result['bootstrap']['resamples']} resamples). "
        f"{changes} text(s) changed; the same trained models, so nothing but the rules differs.\n"
    )


def write(result: Dict[str, Any], output: Union[str, Path]) -> None:
    import json

    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown(result), encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
