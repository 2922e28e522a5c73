"""``csto-events records``: texts (or extract's JSONL) in, event records (CSV, JSONL, HTML) out.

Inputs are what ``csto-events extract`` reads (``.txt`` files, folders of
them, JSONL with ``id`` and ``text``), plus extract's own output (a file, or
a folder of shards such as ``distributed-extract``'s): a JSONL
line that already has ``entities`` and ``events`` is used as it is, so a
large archive is extracted once (on Dask if need be) and turned into
records as often as wanted without the pipeline. A JSONL line may carry
``date`` (YYYY-MM-DD), the document's date.
"""
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ..errors import DataError
from .dates import document_date
from .table import EventRecord, build_records, enrich, write_tables

DEFAULT_MODEL = "training/models/default/model-best"
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
Output = Dict[str, Any]


@dataclass
class Document:
    id: Union[str, int]
    text: str
    where: str
    date: Optional[str] = None
    output: Optional[Output] = None  # already extracted


def _from_json(obj: Any, where: str) -> Document:
    if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("text"), str):
        raise DataError(f"{where}: expected a JSON object with 'id' and 'text'")
    output = None
    if "events" in obj and "entities" in obj:
        output = {"id": obj["id"], "text": obj["text"], "entities": obj["entities"], "events": obj["events"]}
    return Document(obj["id"], obj["text"], where, obj.get("date"), output)


def read_documents(sources: Sequence[Union[str, Path]]) -> List[Document]:
    """Every document of ``sources`` in order; a bad file or line stops with its location."""
    from ..extract.inputs import BadInput, read_inputs

    documents: List[Document] = []
    expanded: List[Path] = []
    for source in sources:
        path = Path(source)
        expanded.append(path)
        if path.is_dir():
            # a folder of JSONL shards, such as distributed-extract's output folder (hidden temporary files left out)
            expanded += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in JSONL_SUFFIXES
                               and not any(part.startswith(".") for part in p.relative_to(path).parts))
    for path in expanded:
        if path.is_dir() and not any(p.suffix.lower() == ".txt" for p in path.rglob("*") if p.is_file()):
            continue  # JSONL shards only: read above
        if path.is_file() and path.suffix.lower() in JSONL_SUFFIXES:
            for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{path}:{line_no}"
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as err:
                    raise DataError(f"{where}: malformed JSON: {err.msg} (column {err.colno})") from err
                documents.append(_from_json(obj, where))
            continue
        try:
            items = list(read_inputs(path))
        except ValueError as err:  # InputError: a missing path or an unknown kind of file
            raise DataError(str(err)) from err
        for item in items:
            if isinstance(item, BadInput):
                raise DataError(str(item))
            documents.append(Document(item.id, item.text, item.where))
    seen: Dict[str, str] = {}
    for document in documents:
        key = str(document.id)
        if key in seen:
            raise DataError(f"{document.where}: document id {key!r} is already used by {seen[key]}")
        seen[key] = document.where
    return documents


def extract_outputs(documents: Sequence[Document], model: Union[str, Path] = DEFAULT_MODEL) -> List[Output]:
    """The Output of every document: its own if it came extracted, else the pipeline's (loaded only if needed)."""
    pending = [d for d in documents if d.output is None]
    produced: Dict[str, Output] = {}
    if pending:
        from ..extract.extract import extract
        from ..extract.inputs import TextInput
        from ..extract.loading import load_pipeline

        nlp = load_pipeline(model)
        extract(nlp, [TextInput(d.id, d.text, d.where) for d in pending], lambda out: produced.__setitem__(str(out["id"]), out))
    return [d.output if d.output is not None else produced[str(d.id)] for d in documents]


def make_records(
    sources: Sequence[Union[str, Path]], model: Union[str, Path] = DEFAULT_MODEL, doc_date: Optional[str] = None
) -> Tuple[List[EventRecord], List[Output]]:
    """Records of every document and the enriched Outputs (DATE ``value``, ``canonical`` names) they came from."""
    documents = read_documents(sources)
    outputs = extract_outputs(documents, model)
    records: List[EventRecord] = []
    for document, output in zip(documents, outputs):
        try:
            base = document_date(document.text, document.date, doc_date, document.where)
        except ValueError as err:
            raise DataError(str(err)) from err
        enrich(output, base)
        records.extend(build_records(output, base))
    return records, outputs


def write_records(
    sources: Sequence[Union[str, Path]], output: Union[str, Path], model: Union[str, Path] = DEFAULT_MODEL,
    html: Optional[Union[str, Path]] = None, doc_date: Optional[str] = None,
) -> Dict[str, Any]:
    """``records.csv``, ``records.jsonl`` and ``documents.jsonl`` (the enriched Outputs) in ``output``; the page if asked."""
    from .html import write_page

    records, outputs = make_records(sources, model, doc_date)
    folder = Path(output)
    csv_path, jsonl_path = write_tables(records, folder)
    documents_path = folder / "documents.jsonl"
    with documents_path.open("w", encoding="utf-8") as file:
        for out in outputs:
            file.write(json.dumps(out, ensure_ascii=False) + "\n")
    page = write_page(records, html) if html else None
    return {"documents": len(outputs), "records": len(records), "mentions": sum(len(r.mentions) for r in records),
            "csv": csv_path, "jsonl": jsonl_path, "outputs": documents_path, "html": page}
