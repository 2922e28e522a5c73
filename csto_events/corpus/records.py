"""The corpus format: doccano's JSONL export for sequence labelling with relations.

One JSON object per line: ``id``, ``text``, ``entities`` (``id``, ``label``,
``start_offset``, ``end_offset``) and ``relations`` (``id``, ``from_id``,
``to_id``, ``type``; from trigger to argument). Any other keys (``source``,
``genre``, ``provenance`` ...) are kept as metadata and written back, so the
same file goes into doccano and comes out of it unchanged.
"""
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Union

from ..errors import DataError
from ..jsonl import read_json_lines, write_json_lines


class CorpusError(DataError):
    """A problem in a corpus file, always located by file and line."""


@dataclass(frozen=True)
class Entity:
    id: int
    label: str
    start_offset: int
    end_offset: int


@dataclass(frozen=True)
class Relation:
    id: int
    from_id: int
    to_id: int
    type: str


@dataclass
class Record:
    """One annotated text, as doccano exports it."""

    id: Union[int, str]
    text: str
    entities: List[Entity] = field(default_factory=list)
    relations: List[Relation] = field(default_factory=list)
    meta: Dict[str, Any] = field(default_factory=dict)
    # Where the record came from, for error messages; never written out.
    path: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line} (document {self.id!r})"

    def span_text(self, entity: Entity) -> str:
        return self.text[entity.start_offset : entity.end_offset]

    def to_dict(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "entities": [vars(e) for e in self.entities],
            "relations": [vars(r) for r in self.relations],
            **self.meta,
        }

    def canonical(self) -> "Record":
        """The same annotation with ids renumbered in text order.

        doccano numbers entities and relations globally, and the converter
        numbers them per document; comparing canonical records compares the
        annotation itself.
        """
        entities = sorted(self.entities, key=lambda e: (e.start_offset, e.end_offset, e.label))
        new_id = {e.id: i for i, e in enumerate(entities, start=1)}
        relations = sorted(
            (Relation(0, new_id[r.from_id], new_id[r.to_id], r.type) for r in self.relations),
            key=lambda r: (r.from_id, r.to_id, r.type),
        )
        return Record(
            id=self.id,
            text=self.text,
            entities=[Entity(new_id[e.id], e.label, e.start_offset, e.end_offset) for e in entities],
            relations=[Relation(i, r.from_id, r.to_id, r.type) for i, r in enumerate(relations, start=1)],
            meta=dict(self.meta),
            path=self.path,
            line=self.line,
        )


def _parse(obj: Any, path: str, line: int) -> Record:
    where = f"{path}:{line}"
    if not isinstance(obj, dict):
        raise CorpusError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    for key in ("id", "text"):
        if key not in obj:
            raise CorpusError(f"{where}: missing key {key!r}")
    if not isinstance(obj["text"], str):
        raise CorpusError(f"{where}: 'text' must be a string")
    # doccano exports a spanless text's entities as [] and older exports use "label"
    # for span lists; only the relation-aware format is accepted, loudly.
    if "label" in obj and "entities" not in obj:
        raise CorpusError(
            f"{where}: this looks like a sequence-labelling export without relations "
            "('label' key); export the project as JSONL with relations"
        )
    meta = {k: v for k, v in obj.items() if k not in {"id", "text", "entities", "relations"}}
    try:
        entities = [
            Entity(int(e["id"]), str(e["label"]), int(e["start_offset"]), int(e["end_offset"]))
            for e in obj.get("entities", [])
        ]
        relations = [
            Relation(int(r["id"]), int(r["from_id"]), int(r["to_id"]), str(r["type"]))
            for r in obj.get("relations", [])
        ]
    except (KeyError, TypeError, ValueError) as err:
        raise CorpusError(f"{where} (document {obj['id']!r}): malformed entity or relation: {err!r}") from err
    return Record(obj["id"], obj["text"], entities, relations, meta, path, line)


def read_jsonl(path: Union[str, Path]) -> Iterator[Record]:
    """Yield the records of a doccano JSONL file, naming file and line on any error."""
    for line_no, obj, problem in read_json_lines(path):
        if problem:
            raise CorpusError(f"{path}:{line_no}: {problem}")
        yield _parse(obj, str(path), line_no)


def read_corpus(paths: Iterable[Union[str, Path]]) -> List[Record]:
    """Read JSONL files and folders of them (``*.jsonl``, sorted), in a stable order."""
    records: List[Record] = []
    for path in paths:
        path = Path(path)
        files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            records.extend(read_jsonl(file))
    return records


def write_jsonl(path: Union[str, Path], records: Iterable[Record]) -> int:
    """Write records as doccano JSONL; returns how many were written."""
    return write_json_lines(path, (record.to_dict() for record in records))


def count_records(records: Iterable[Record]) -> Counter:
    """Texts, spans per label and links per role, read from the records alone (no tokenizer needed)."""
    counts: Counter = Counter()
    for record in records:
        counts["texts"] += 1
        counts.update(f"span:{e.label}" for e in record.entities)
        counts.update(f"link:{r.type}" for r in record.relations)
    return counts
