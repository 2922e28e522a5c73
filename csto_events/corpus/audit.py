"""Annotation consistency audit: the same words labelled in one place and not in another.

For every span text in the corpus, find its other token-aligned occurrences
that no span of the same label covers, and list them with context. Most
rows are misses (an acronym labelled in one paragraph and forgotten in the
next); some are deliberate (a "mission" meaning a task). Either way a person
decides, which is the point: nothing is left unlabelled silently.
"""
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, Iterable, List, Set, Tuple

from spacy.language import Language

from .convert import make_segmenter
from .records import Record


@dataclass(frozen=True)
class Inconsistency:
    document: str
    start: int
    end: int
    text: str
    label: str
    labelled_elsewhere: int
    context: str

    def __str__(self) -> str:
        return (
            f"{self.document} {self.start}-{self.end} {self.text!r}: unlabelled here, {self.label} in "
            f"{self.labelled_elsewhere} other place(s) | ...{self.context}..."
        )


def audit(records: Iterable[Record], nlp: Language = None, min_count: int = 1) -> List[Inconsistency]:
    nlp = nlp or make_segmenter()
    records = list(records)
    labelled: Dict[Tuple[str, ...], Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    docs = []
    for record in records:
        doc = nlp.make_doc(record.text)
        covered: Set[Tuple[int, int, str]] = set()
        spans = []
        for entity in record.entities:
            span = doc.char_span(entity.start_offset, entity.end_offset)
            if span is None:
                continue
            key = tuple(t.text for t in span)
            labelled[key][entity.label] += 1
            spans.append((span.start, span.end, entity.label))
            covered.update((i, i + 1, entity.label) for i in range(span.start, span.end))
        docs.append((record, doc, spans))

    rows = []
    by_first: Dict[str, List[Tuple[str, ...]]] = defaultdict(list)
    for key in labelled:
        by_first[key[0]].append(key)
    for record, doc, spans in docs:
        for i, token in enumerate(doc):
            for key in by_first.get(token.text, []):
                j = i + len(key)
                if tuple(t.text for t in doc[i:j]) != key:
                    continue
                for label, count in labelled[key].items():
                    exact = any(s == i and e == j and l == label for s, e, l in spans)
                    inside_same = any(s <= i and j <= e and l == label for s, e, l in spans)
                    if exact or inside_same or count < min_count:
                        continue
                    span = doc[i:j]
                    left = doc.text[max(0, span.start_char - 50) : span.start_char]
                    right = doc.text[span.end_char : span.end_char + 50]
                    rows.append(
                        Inconsistency(
                            str(record.id), span.start_char, span.end_char, span.text, label, count,
                            f"{left}[{span.text}]{right}".replace("\n", " "),
                        )
                    )
    return rows
