"""Push texts, with or without pre-annotations, into a doccano project, and prove nothing was lost.

doccano's JSONL import neither checks offsets nor keeps overlapping spans:
it drops the second of two overlapping spans, stores a span past the end of
the text, and reports success either way. So a push is checked twice:

1. before uploading, every record is validated: always for what doccano
   would mangle (unknown labels, offsets outside the text, overlaps, links
   to missing spans, duplicate or already-pushed document ids), and, for
   gold, with the corpus's strict validator as well;
2. after uploading, the pushed documents are read back from the server and
   compared span by span and link by link with what was sent; any
   difference fails the push, naming the document and the span.

Texts go up as doccano's "JSONL (relation)" rows: ``text``, ``entities``,
``relations``, plus ``document_id`` (the record's id) and ``metadata`` (its
other keys), which ``pull`` turns back into the same record.
"""
import json
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from ..corpus.convert import ValidationError, doc_to_record, make_segmenter, records_to_docs
from ..corpus.markup import read_markup
from ..corpus.records import CorpusError, Record, count_records, read_jsonl
from ..corpus.validate import Problem, check_record, describe
from ..errors import DataError
from ..pipeline.scheme import ROLES, SPAN_LABELS
from ..progress import Progress, to_stderr
from .client import Connection
from .labels import relation_types, span_types

ID_KEY = "document_id"
META_KEY = "metadata"
UPLOAD_NAME = "csto-events-push.jsonl"
DEFAULT_GUIDELINES = Path("corpus/GUIDELINES.md")


class PushError(DataError):
    """The push was refused before uploading, or the server did not keep everything."""

    def __init__(self, message: str, problems: Sequence[Union[Problem, str]] = ()) -> None:
        self.problems = list(problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"{message}{lines}")


@dataclass
class PushReport:
    project: str
    project_id: int
    created: bool
    counts: Counter  # texts, span:LABEL, link:ROLE, as counted on the server after the upload
    warnings: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def spans(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("span:"))

    @property
    def links(self) -> int:
        return sum(v for k, v in self.counts.items() if k.startswith("link:"))

    def summary(self) -> str:
        detail = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()) if k != "texts")
        return (
            f"Pushed {self.counts['texts']} text(s), {self.spans} span(s), {self.links} link(s) to doccano project "
            f"{self.project!r} (id {self.project_id}{', new' if self.created else ''}) in {self.seconds:.1f}s; "
            f"verified on the server. {detail}"
        )


# --- reading texts ---------------------------------------------------------
def load_texts(paths: Iterable[Union[str, Path]]) -> List[Record]:
    """Records from corpus JSONL, markup (.md) or plain text (.txt) files, and folders of them.

    A .txt file becomes a text without annotations, its id the file name
    without suffix, its trailing whitespace removed. Folders are read in
    sorted order, so the same inputs always give the same records.
    """
    records: List[Record] = []
    for path in map(Path, paths):
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in {".jsonl", ".md", ".txt"} and p.is_file())
            if not files:
                raise CorpusError(f"{path}: no .jsonl, .md or .txt files in this folder")
        elif path.exists():
            files = [path]
        else:
            raise CorpusError(f"{path}: no such file or folder")
        for file in files:
            if file.suffix == ".jsonl":
                records.extend(read_jsonl(file))
            elif file.suffix == ".md":
                records.append(read_markup(file))
            elif file.suffix == ".txt":
                records.append(Record(file.stem, file.read_text(encoding="utf-8").rstrip(), path=str(file), line=1))
            else:
                raise CorpusError(f"{file}: cannot read {file.suffix or 'suffix-less'} files (use .jsonl, .md or .txt)")
    return records


def strip_annotations(records: Iterable[Record]) -> List[Record]:
    """The same texts with no spans and no links (annotators start from nothing)."""
    return [Record(r.id, r.text, [], [], dict(r.meta), r.path, r.line) for r in records]


def predict_records(records: Sequence[Record], model: Union[str, Path], batch_size: int = 16) -> List[Record]:
    """Replace each record's annotations by a trained pipeline's predictions (spans and links)."""
    import spacy

    from .. import pipeline  # noqa: F401  registers the project's factories and Doc extensions

    nlp = spacy.load(model)
    predicted = []
    for record, doc in zip(records, nlp.pipe((r.text for r in records), batch_size=batch_size), strict=True):
        guess = doc_to_record(doc)
        predicted.append(Record(record.id, record.text, guess.entities, guess.relations, dict(record.meta),
                                record.path, record.line))
    return predicted


# --- checks before uploading -----------------------------------------------
def upload_problems(record: Record) -> List[Problem]:
    """What doccano's import would drop or store wrong, without a word: always fatal."""
    problems: List[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(record.where, message))

    if not record.text:
        problem("empty text (doccano refuses it)")
    ids = Counter(e.id for e in record.entities)
    placed = []
    for entity in record.entities:
        what = describe(record, entity)
        if ids[entity.id] > 1:
            problem(f"{what}: entity id used {ids[entity.id]} times")
        if entity.label not in SPAN_LABELS:
            problem(f"{what}: unknown label {entity.label!r} (allowed: {', '.join(SPAN_LABELS)})")
        if not 0 <= entity.start_offset < entity.end_offset <= len(record.text):
            problem(f"{what}: offsets outside the text (length {len(record.text)}) or empty")
        else:
            placed.append(entity)
    placed.sort(key=lambda e: (e.start_offset, e.end_offset))
    for a, b in zip(placed, placed[1:]):
        if b.start_offset < a.end_offset:
            problem(f"{describe(record, a)} overlaps {describe(record, b)} (doccano would drop one)")
    for relation in record.relations:
        if relation.type not in ROLES:
            problem(f"relation {relation.id}: unknown role {relation.type!r} (allowed: {', '.join(ROLES)})")
        missing = [i for i in (relation.from_id, relation.to_id) if ids[i] == 0]
        if missing:
            problem(f"relation {relation.id} ({relation.type}): points to missing entity id(s) {missing}")
    return problems


def check_for_upload(records: Sequence[Record], strict: bool = True) -> List[str]:
    """Raise PushError listing every problem; return the warnings of a non-strict check.

    ``strict`` (gold) applies the corpus validator too, so what is pushed is
    what ``corpus convert`` accepts. Model predictions are pushed to be
    corrected, so there its findings (a span with "the", a span across a
    sentence) come back as warnings; what doccano would mangle stays fatal.
    """
    problems: List[Problem] = []
    seen: Dict[str, str] = {}
    for record in records:
        key = json.dumps(record.id)
        if key in seen:
            problems.append(Problem(record.where, f"duplicate document id, first seen at {seen[key]}"))
        seen.setdefault(key, f"{record.path}:{record.line}")
        problems.extend(upload_problems(record))
    broken = {p.where for p in problems}
    scheme: List[Problem] = []
    if strict:
        try:
            records_to_docs([r for r in records if r.where not in broken])
        except ValidationError as err:
            scheme = err.problems
    if problems or scheme:
        raise PushError(f"{len(problems) + len(scheme)} problem(s) found before uploading; nothing was pushed:",
                        problems + scheme)
    if strict:
        return []
    nlp = make_segmenter()
    return [str(p) for record in records for p in check_record(record, nlp(record.text))]


def upload_row(record: Record) -> Dict[str, Any]:
    """One line of doccano's JSONL (relation) import for a record."""
    return {
        "text": record.text,
        "entities": [
            {"id": e.id, "label": e.label, "start_offset": e.start_offset, "end_offset": e.end_offset}
            for e in record.entities
        ],
        "relations": [{"id": r.id, "from_id": r.from_id, "to_id": r.to_id, "type": r.type} for r in record.relations],
        ID_KEY: record.id,
        META_KEY: dict(record.meta),
    }


# --- checks after uploading ------------------------------------------------
Span = Tuple[int, int, str]


def _annotation_sets(record: Record) -> Tuple[Counter, Counter]:
    spans = {e.id: (e.start_offset, e.end_offset, e.label) for e in record.entities}
    links = Counter((spans[r.from_id], spans[r.to_id], r.type) for r in record.relations)
    return Counter(spans.values()), links


def _server_sets(example: Dict[str, Any]) -> Tuple[Counter, Counter]:
    spans = {s["id"]: (s["start"], s["end"], s["label"]) for s in example["spans"]}
    links = Counter((spans.get(r["from"]), spans.get(r["to"]), r["type"]) for r in example["relations"])
    return Counter(spans.values()), links


def _show(text: str, span: Optional[Span]) -> str:
    if span is None:
        return "(missing span)"
    start, end, label = span
    return f"{start}-{end} {text[start:end]!r} [{label}]"


def verify_upload(records: Sequence[Record], snapshot: Sequence[Dict[str, Any]]) -> Tuple[Counter, List[str]]:
    """Compare what was sent with what the server holds; return server counts and differences.

    ``snapshot`` is the driver's list of examples with their spans and
    relations. Each record must be on the server exactly once, with the same
    text, the same spans and the same links; counts are made on the server.
    """
    by_id: Dict[str, List[Dict[str, Any]]] = {}
    for example in snapshot:
        if ID_KEY in (example.get("meta") or {}):
            by_id.setdefault(json.dumps(example["meta"][ID_KEY]), []).append(example)
    counts: Counter = Counter()
    problems: List[str] = []
    for record in records:
        found = by_id.get(json.dumps(record.id), [])
        where = f"document {record.id!r} ({record.path}:{record.line})"
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} copies on the server, expected 1")
            if not found:
                continue
        example = found[0]
        counts["texts"] += 1
        if example["text"] != record.text:
            problems.append(f"{where}: the text on the server differs from the text sent")
        sent_spans, sent_links = _annotation_sets(record)
        got_spans, got_links = _server_sets(example)
        counts.update(f"span:{label}" for (_, _, label), n in got_spans.items() for _ in range(n))
        counts.update(f"link:{role}" for (_, _, role), n in got_links.items() for _ in range(n))
        for span in sorted((sent_spans - got_spans).elements()):
            problems.append(f"{where}: span {_show(record.text, span)} was dropped by the server")
        for span in sorted((got_spans - sent_spans).elements()):
            problems.append(f"{where}: span {_show(record.text, span)} is on the server but was not sent")
        for head, tail, role in sorted((sent_links - got_links).elements(), key=str):
            link = f"link {role} from {_show(record.text, head)} to {_show(record.text, tail)}"
            problems.append(f"{where}: {link} was dropped by the server")
        for head, tail, role in sorted((got_links - sent_links).elements(), key=str):
            link = f"link {role} from {_show(record.text, head)} to {_show(record.text, tail)}"
            problems.append(f"{where}: {link} is on the server but was not sent")
    return counts, problems


# --- the push --------------------------------------------------------------
def ensure_project(
    connection: Connection, project: str, guideline: str = "", progress: Progress = to_stderr
) -> Dict[str, Any]:
    """Create the project (sequence labelling with relations, shared annotation) or reuse it."""
    return connection.call(
        "ensure_project",
        {
            "name": project,
            "description": "Events (MISSION, MEETING) and their arguments in security-alliance news (csto-events).",
            "guideline": guideline,
            "span_types": span_types(),
            "relation_types": relation_types(),
            "create": True,
        },
        progress=progress,
    )


def push(
    records: Sequence[Record],
    connection: Connection,
    project: str,
    strict: bool = True,
    guideline: Optional[str] = None,
    progress: Progress = to_stderr,
) -> PushReport:
    """Validate, upload into ``project`` (created if missing), read back and compare.

    Raises PushError before anything is uploaded when a record is invalid or
    a document id is already in the project, and after the upload when the
    server did not keep every span and link.
    """
    started = time.monotonic()
    records = list(records)
    if not records:
        raise PushError("nothing to push: no texts were given")
    warnings = check_for_upload(records, strict=strict)
    if guideline is None:
        guideline = DEFAULT_GUIDELINES.read_text(encoding="utf-8") if DEFAULT_GUIDELINES.exists() else ""
    info = ensure_project(connection, project, guideline, progress=progress)
    project_id = info["project_id"]
    for change in info["label_changes"]:
        progress(f"  {change}")

    existing = connection.call("list_examples", {"project_id": project_id}, progress=progress)
    _refuse_documents_on_server(records, existing, project)
    before = {e["id"] for e in existing}
    progress(f"Uploading {len(records)} text(s) to {connection.url} project {project!r} ...")
    outcome = _upload(records, connection, project_id, progress)
    counts, problems = _read_back(records, connection, project_id, before, outcome, progress)
    if problems:
        expected = count_records(records)
        raise PushError(
            f"doccano did not keep everything that was pushed to project {project!r} "
            f"(sent {dict(sorted(expected.items()))}, found {dict(sorted(counts.items()))}):",
            problems,
        )
    return PushReport(project, project_id, info["created"], counts, warnings, time.monotonic() - started)


def _refuse_documents_on_server(records: List[Record], existing: List[Dict[str, Any]], project: str) -> None:
    """A document id already in the project would be pushed twice; refuse before uploading anything."""
    on_server = {json.dumps(e["meta"][ID_KEY]) for e in existing if ID_KEY in (e.get("meta") or {})}
    clashes = [r for r in records if json.dumps(r.id) in on_server]
    if clashes:
        raise PushError(
            f"{len(clashes)} document(s) are already in doccano project {project!r}; nothing was pushed "
            "(pull them, or push into another project):",
            [f"{r.where}" for r in clashes],
        )


def _upload(records: List[Record], connection: Connection, project_id: int, progress: Progress) -> Dict[str, Any]:
    """One JSONL file of upload rows through doccano's import; returns its outcome (errors, task error)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / UPLOAD_NAME
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(upload_row(record), ensure_ascii=False) + "\n")
        return connection.call("upload", {"project_id": project_id, "path": str(path)}, progress=progress)


def _read_back(
    records: List[Record], connection: Connection, project_id: int, before: Set[int], outcome: Dict[str, Any], progress: Progress,
) -> Tuple[Counter, List[str]]:
    """Read the new examples back and compare them with what was sent: the counts found and every difference."""
    after = connection.call("list_examples", {"project_id": project_id}, progress=progress)
    new_ids = sorted(e["id"] for e in after if e["id"] not in before)
    snapshot = connection.call("snapshot", {"project_id": project_id, "example_ids": new_ids}, progress=progress)
    counts, problems = verify_upload(records, snapshot)
    sent_ids = {json.dumps(r.id) for r in records}
    stray = [e for e in snapshot if json.dumps((e.get("meta") or {}).get(ID_KEY)) not in sent_ids]
    problems += [f"example {e['id']} appeared on the server during the push but was not sent" for e in stray]
    problems = [f"doccano reported: {e}" for e in outcome.get("errors") or []] + problems
    if outcome.get("task_error"):
        problems.insert(0, f"doccano's import task failed: {outcome['task_error']}")
    return counts, problems
