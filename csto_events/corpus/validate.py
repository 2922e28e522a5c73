"""Strict validation of annotated records against the label scheme.

Every check returns located problems instead of stopping at the first, so an
annotator fixes a whole file in one round. A problem always names the file,
the line, the document and the span at fault.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from spacy.tokens import Doc, Span

from ..pipeline.scheme import POSSESSIVES, ROLE_TABLE, SPAN_LABELS, TRIGGER_LABELS, excluded_determiners
from .records import Entity, Record


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def describe(record: Record, entity: Entity) -> str:
    return (
        f"span {entity.start_offset}-{entity.end_offset} "
        f"{record.text[entity.start_offset:entity.end_offset]!r} [{entity.label}] (id {entity.id})"
    )


def _boundary_problem(span: Span) -> Optional[str]:
    first, last = span[0], span[-1]
    if first.is_punct or last.is_punct:
        return "includes surrounding punctuation"
    if first.lower_ in excluded_determiners(span.label_):
        return f"starts with the determiner {first.text!r}"
    if last.lower_ in POSSESSIVES and len(span) > 1:
        return "ends with a possessive"
    return None


def check_record(record: Record, doc: Doc) -> List[Problem]:
    """All problems of one record; ``doc`` is ``record.text`` segmented by the shared rule."""
    spans, messages = _check_spans(record, doc)
    messages += _check_overlaps(record, spans)
    messages += _check_links(record, spans)
    return [Problem(record.where, message) for message in messages]


def _check_spans(record: Record, doc: Doc) -> Tuple[Dict[int, Span], List[str]]:
    """Each entity on its own: id, label, offsets, token and sentence boundaries, determiners.

    Returns the spans that passed, by entity id, for the checks that need tokens.
    """
    spans: Dict[int, Span] = {}
    messages: List[str] = []
    seen_ids = set()
    for entity in record.entities:
        what = describe(record, entity)
        if entity.id in seen_ids:
            messages.append(f"{what}: duplicate entity id")
            continue
        seen_ids.add(entity.id)
        if entity.label not in SPAN_LABELS:
            messages.append(f"{what}: unknown label {entity.label!r} (allowed: {', '.join(SPAN_LABELS)})")
            continue
        if not 0 <= entity.start_offset < entity.end_offset <= len(record.text):
            messages.append(f"{what}: offsets outside the text (length {len(record.text)}) or empty")
            continue
        span = doc.char_span(entity.start_offset, entity.end_offset, label=entity.label)
        if span is None:
            messages.append(f"{what}: not on token boundaries (tokens: {_tokens_near(doc, entity)})")
            continue
        if span.sent.start != doc[span.end - 1].sent.start:
            messages.append(f"{what}: crosses a sentence boundary")
            continue
        boundary = _boundary_problem(span)
        if boundary:
            messages.append(f"{what}: {boundary}")
            continue
        spans[entity.id] = span
    return spans, messages


def _check_overlaps(record: Record, spans: Dict[int, Span]) -> List[str]:
    """Spans may not overlap (doc.ents cannot hold both)."""
    messages = []
    by_start = sorted(spans.items(), key=lambda item: (item[1].start, item[1].end))
    for (id_a, a), (id_b, b) in zip(by_start, by_start[1:]):
        if b.start < a.end:
            ent_a = next(e for e in record.entities if e.id == id_a)
            ent_b = next(e for e in record.entities if e.id == id_b)
            messages.append(f"{describe(record, ent_a)} overlaps {describe(record, ent_b)}")
    return messages


def _check_links(record: Record, spans: Dict[int, Span]) -> List[str]:
    """Each relation: a known role, existing ends, the role table's labels, no duplicate, one sentence."""
    messages = []
    entity_by_id = {e.id: e for e in record.entities}
    seen_links = set()
    for relation in record.relations:
        what = f"relation {relation.id} ({relation.type})"
        if relation.type not in ROLE_TABLE:
            messages.append(f"{what}: unknown role {relation.type!r} (allowed: {', '.join(ROLE_TABLE)})")
            continue
        missing = [i for i in (relation.from_id, relation.to_id) if i not in entity_by_id]
        if missing:
            messages.append(f"{what}: points to missing entity id(s) {missing}")
            continue
        head, child = entity_by_id[relation.from_id], entity_by_id[relation.to_id]
        pair = f"from {describe(record, head)} to {describe(record, child)}"
        sources, targets = ROLE_TABLE[relation.type]
        if head.label not in sources or child.label not in targets:
            if head.label not in TRIGGER_LABELS and child.label in TRIGGER_LABELS:
                hint = " (links go from the trigger to the argument; this one is reversed)"
            else:
                hint = ""
            messages.append(
                f"{what} {pair}: {relation.type} goes from {'/'.join(sorted(sources))} "
                f"to {'/'.join(sorted(targets))}{hint}"
            )
            continue
        key = (relation.from_id, relation.to_id, relation.type)
        if key in seen_links:
            messages.append(f"{what} {pair}: duplicate link")
            continue
        seen_links.add(key)
        if head.id in spans and child.id in spans:
            if spans[head.id].sent.start != spans[child.id].sent.start:
                messages.append(f"{what} {pair}: crosses a sentence boundary")
    return messages


def _tokens_near(doc: Doc, entity: Entity) -> str:
    tokens = [t.text for t in doc if t.idx < entity.end_offset and t.idx + len(t) > entity.start_offset]
    return " | ".join(tokens) or "none"
