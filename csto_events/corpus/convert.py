"""doccano JSONL <-> spaCy Docs, with strict validation and exact counts.

Entities go to ``doc.ents`` and links to ``doc._.event_links`` (see
``pipeline/events.py``); the record id and its metadata go to
``doc.user_data``. Conversion is all-or-nothing: any problem anywhere stops it
before a file is written, and the error lists every problem found.
"""
from collections import Counter
from pathlib import Path
from typing import Dict, Iterable, List, Sequence, Tuple, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..errors import DataError
from ..pipeline.events import get_links, set_links
from ..pipeline.sentences import LINE_BREAK_SENTENCIZER
from .records import Entity, Record, Relation
from .validate import Problem, check_record


class ValidationError(DataError):
    """Raised with every problem of a corpus, each located by file, line and span."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} annotation problem(s):\n{lines}")


def make_segmenter() -> Language:
    """The tokenizer and sentence rule shared by gold and model (see pipeline/sentences.py)."""
    nlp = spacy.blank("en")
    nlp.add_pipe(LINE_BREAK_SENTENCIZER)
    return nlp


def record_to_doc(record: Record, nlp: Language) -> Tuple[Doc, List[Problem]]:
    """A Doc carrying the record's spans and links, or the problems that prevent it."""
    doc = nlp(record.text)
    problems = check_record(record, doc)
    if problems:
        return doc, problems
    spans = {e.id: doc.char_span(e.start_offset, e.end_offset, label=e.label) for e in record.entities}
    doc.ents = sorted(spans.values(), key=lambda s: s.start)
    set_links(
        doc,
        [
            (spans[r.from_id].start, spans[r.from_id].end, spans[r.to_id].start, spans[r.to_id].end, r.type)
            for r in record.relations
        ],
    )
    doc.user_data["id"] = record.id
    doc.user_data["meta"] = dict(record.meta)
    return doc, []


def records_to_docs(records: Iterable[Record], nlp: Language = None) -> List[Doc]:
    """Validate and convert every record; raise ValidationError listing all problems."""
    nlp = nlp or make_segmenter()
    docs, problems = [], []
    seen_ids: Dict[str, str] = {}
    for record in records:
        key = str(record.id)
        if key in seen_ids:
            problems.append(Problem(record.where, f"duplicate document id, first seen at {seen_ids[key]}"))
        seen_ids.setdefault(key, f"{record.path}:{record.line}")
        doc, found = record_to_doc(record, nlp)
        problems.extend(found)
        docs.append(doc)
    if problems:
        raise ValidationError(problems)
    return docs


def doc_to_record(doc: Doc) -> Record:
    """The inverse of ``record_to_doc``, with ids numbered in text order."""
    ents = list(doc.ents)
    ids = {(ent.start, ent.end): i for i, ent in enumerate(ents, start=1)}
    entities = [Entity(ids[(e.start, e.end)], e.label_, e.start_char, e.end_char) for e in ents]
    relations = [
        Relation(i, ids[(ts, te)], ids[(as_, ae)], role)
        for i, (ts, te, as_, ae, role) in enumerate(get_links(doc), start=1)
    ]
    return Record(doc.user_data.get("id"), doc.text, entities, relations, dict(doc.user_data.get("meta", {})))


def count_annotations(docs: Iterable[Doc]) -> Counter:
    """Counts per span label and per role, the figures conversion must preserve."""
    counts: Counter = Counter()
    for doc in docs:
        counts["texts"] += 1
        counts.update(f"span:{ent.label_}" for ent in doc.ents)
        counts.update(f"link:{link[4]}" for link in get_links(doc))
    return counts


def write_docbin(docs: Iterable[Doc], path: Union[str, Path]) -> int:
    docs = list(docs)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs, store_user_data=True).to_disk(path)
    return len(docs)


def read_docbin(path: Union[str, Path], nlp: Language = None) -> List[Doc]:
    nlp = nlp or make_segmenter()
    return list(DocBin().from_disk(path).get_docs(nlp.vocab))
