"""An inline markup for writing annotated texts by hand, and for reviewing them.

Offsets are never typed: ``[surface]{LABEL:id}`` marks a span and
``>> trigger_id ROLE argument_id`` on its own line marks a link; code computes
every offset. ``render`` turns a record back into the same markup, so a
corpus file can be read by a person. The markup is a drafting aid: the corpus
itself is doccano JSONL (see records.py).

    csto-events corpus check-markup FILE...
"""
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple, Union

from .records import CorpusError, Entity, Record, Relation, count_records

SPAN = re.compile(r"\[([^\[\]{}]+)\]\{([A-Z]+)(?::([a-z0-9_]+))?\}")
LINK = re.compile(r"^>>\s*([a-z0-9_]+)\s+([A-Z]+)\s+([a-z0-9_]+)\s*$")
HEADER = re.compile(r"^#\s*([a-z_]+)\s*:\s*(.*?)\s*$")


Line = Tuple[int, str]  # (1-based line number in the markup file, its text)
Link = Tuple[int, str, str, str]  # (line number, trigger id, role, argument id)


def parse(source: str, path: str = "<markup>") -> Record:
    """Build a record from markup; errors name the markup file and line."""
    meta, body, links = _read_lines(source.splitlines(), path)
    text, entities, ids = _build_text(_paragraphs(body), path)
    relations = resolve_links(links, ids, path)
    doc_id = meta.pop("id", Path(path).stem)
    return Record(doc_id, text, entities, relations, meta, path, 1)


def _read_lines(lines: List[str], path: str) -> Tuple[Dict[str, str], List[Line], List[Link]]:
    """The ``# key: value`` header, the text lines and the ``>>`` link lines."""
    meta: Dict[str, str] = {}
    body: List[Line] = []
    links: List[Link] = []
    n = 0
    while n < len(lines) and (not lines[n].strip() or HEADER.match(lines[n])):
        match = HEADER.match(lines[n])
        if match:
            meta[match.group(1)] = match.group(2)
        n += 1
    for line_no, line in enumerate(lines[n:], start=n + 1):
        if line.startswith(">>"):
            match = LINK.match(line)
            if not match:
                raise CorpusError(f"{path}:{line_no}: malformed link line {line!r} (expected '>> trigger ROLE argument')")
            links.append((line_no, *match.groups()))
        else:
            body.append((line_no, line))
    return meta, body, links


def _paragraphs(body: List[Line]) -> List[List[Line]]:
    """Text lines grouped at blank lines; in the built text paragraphs are separated by exactly one blank line."""
    paragraphs: List[List[Line]] = [[]]
    for line_no, line in body:
        if line.strip():
            paragraphs[-1].append((line_no, line.rstrip()))
        elif paragraphs[-1]:
            paragraphs.append([])
    return [p for p in paragraphs if p]


def _build_text(paragraphs: List[List[Line]], path: str) -> Tuple[str, List[Entity], Dict[str, Entity]]:
    """The plain text with every span's offsets, and the spans by their markup id."""
    text_parts: List[str] = []
    entities: List[Entity] = []
    ids: Dict[str, Entity] = {}
    offset = 0
    for p_index, paragraph in enumerate(paragraphs):
        for l_index, (line_no, line) in enumerate(paragraph):
            offset = _mark_line(line, line_no, path, offset, text_parts, entities, ids)
            if l_index < len(paragraph) - 1:
                text_parts.append("\n")
                offset += 1
        if p_index < len(paragraphs) - 1:
            text_parts.append("\n\n")
            offset += 2
    return "".join(text_parts), entities, ids


def _mark_line(
    line: str, line_no: int, path: str, offset: int, text_parts: List[str], entities: List[Entity], ids: Dict[str, Entity],
) -> int:
    """Append one line's plain text and spans (``offset`` is where the line starts); returns the offset after it."""
    position = 0
    for match in SPAN.finditer(line):
        plain = line[position : match.start()]
        _check_plain(plain, path, line_no)
        text_parts.append(plain)
        offset += len(plain)
        surface, label, span_id = match.groups()
        check_span(surface, label, path, line_no)
        add_entity(entities, ids, Entity(len(entities) + 1, label, offset, offset + len(surface)), span_id, path, line_no)
        text_parts.append(surface)
        offset += len(surface)
        position = match.end()
    rest = line[position:]
    _check_plain(rest, path, line_no)
    text_parts.append(rest)
    return offset + len(rest)


def resolve_links(links: List[Link], ids: Dict[str, Entity], path: str) -> List[Relation]:
    """Relations from ``(line, trigger id, role, argument id)`` link lines; an unknown id is named with its line."""
    relations = []
    for line_no, head, role, child in links:
        for name in (head, child):
            if name not in ids:
                raise CorpusError(f"{path}:{line_no}: link names unknown id {name!r}")
        relations.append(Relation(len(relations) + 1, ids[head].id, ids[child].id, role))
    return relations


def check_span(surface: str, label: str, path: str, line_no: int) -> None:
    """A drafted span must carry a known label and no surrounding space."""
    # Imported here, not at the top: the scheme's package loads spaCy, and
    # `corpus show` renders markup without parsing any.
    from ..pipeline.scheme import SPAN_LABELS

    if label not in SPAN_LABELS:
        raise CorpusError(f"{path}:{line_no}: unknown label {label!r} on {surface!r}")
    if surface != surface.strip():
        raise CorpusError(f"{path}:{line_no}: span {surface!r} starts or ends with a space")


def add_entity(entities: List[Entity], ids: Dict[str, Entity], entity: Entity, span_id: str, path: str, line_no: int) -> None:
    """Append a drafted span, and remember it under its id (an id names one span only)."""
    if span_id:
        if span_id in ids:
            raise CorpusError(f"{path}:{line_no}: id {span_id!r} used twice")
        ids[span_id] = entity
    entities.append(entity)


def _check_plain(text: str, path: str, line_no: int) -> None:
    for char in "[]{}":
        if char in text:
            raise CorpusError(f"{path}:{line_no}: stray {char!r} outside a span near {text.strip()[:60]!r}")


def render(record: Record) -> str:
    """The record as markup: spans inline with ids, links under their paragraph."""
    record = record.canonical()
    linked = {r.from_id for r in record.relations} | {r.to_id for r in record.relations}
    name = {e.id: f"{e.label[0].lower()}{e.id}" for e in record.entities}
    out: List[str] = [f"# id: {record.id}"] + [f"# {k}: {v}" for k, v in record.meta.items() if isinstance(v, str)]
    out.append("")
    text, position, pieces = record.text, 0, []
    for e in record.entities:
        pieces.append(text[position : e.start_offset])
        tag = f"{e.label}:{name[e.id]}" if e.id in linked else e.label
        pieces.append(f"[{text[e.start_offset:e.end_offset]}]{{{tag}}}")
        position = e.end_offset
    pieces.append(text[position:])
    marked = "".join(pieces)
    # Put each link under the paragraph that holds its trigger.
    by_paragraph: Dict[int, List[str]] = {}
    starts = [0] + [m.end() for m in re.finditer(r"\n\n", text)]
    entity = {e.id: e for e in record.entities}
    for r in record.relations:
        para = max(i for i, s in enumerate(starts) if s <= entity[r.from_id].start_offset)
        by_paragraph.setdefault(para, []).append(f">> {name[r.from_id]} {r.type} {name[r.to_id]}")
    for i, paragraph in enumerate(marked.split("\n\n")):
        out.append(paragraph)
        out.extend(by_paragraph.get(i, []))
        out.append("")
    return "\n".join(out)


def read_markup(path: Union[str, Path]) -> Record:
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), str(path))


@dataclass
class MarkupCheck:
    """What ``check_markup`` found: the records that parsed, and every problem (file and line, or span)."""

    records: List[Record] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)

    def summary(self) -> str:
        words = sum(len(r.text.split()) for r in self.records)
        counts = count_records(self.records)
        return f"{len(self.records)} text(s), {words} words; " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))


def check_markup(paths: List[Union[str, Path]]) -> MarkupCheck:
    """Parse and strictly validate markup files, collecting every problem instead of stopping at the first."""
    from .convert import ValidationError, records_to_docs

    result = MarkupCheck()
    for path in paths:
        try:
            result.records.append(read_markup(path))
        except CorpusError as err:
            result.problems.append(str(err))
    try:
        records_to_docs(result.records)
    except ValidationError as err:
        result.problems.extend(str(p) for p in err.problems)
    return result
