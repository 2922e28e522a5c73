"""Pull a doccano project back into the corpus: export, validate strictly, write JSONL.

The export is doccano's "JSONL (relation)" file. Each row becomes a corpus
record: its id and metadata are the ``document_id`` and ``metadata`` that
``push`` sent (a text added in doccano's own upload dialog gets the id
``doccano-<example id>`` and its other keys as metadata); doccano's global
span and relation ids are renumbered per document in text order, and rows
are written in the order the server created them. The same project
therefore always gives the same bytes, and ``push`` then ``pull`` gives back
the records that were pushed.

Validation is the converter's (``records_to_docs``): all or nothing, every
problem located by document, export row and span, and no file written if
any is found. Annotators' comments are kept in ``metadata`` as
``doccano_comments``.
"""
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Union

from ..corpus.convert import ValidationError, records_to_docs
from ..corpus.records import CorpusError, Entity, Record, Relation, count_records, write_jsonl
from ..errors import DataError
from ..progress import Progress, to_stderr
from .client import Connection
from .push import ID_KEY, META_KEY

EXPORT_KEYS = {"id", "text", "entities", "relations", "Comments", ID_KEY, META_KEY}
COMMENTS_KEY = "doccano_comments"


class PullError(DataError):
    """The export could not be turned into valid corpus records; nothing was written."""


@dataclass
class PullReport:
    project: str
    output: Path
    counts: Counter
    seconds: float

    def summary(self) -> str:
        spans = sum(v for k, v in self.counts.items() if k.startswith("span:"))
        links = sum(v for k, v in self.counts.items() if k.startswith("link:"))
        detail = ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items()) if k != "texts")
        return (
            f"Pulled {self.counts['texts']} text(s), {spans} span(s), {links} link(s) from doccano project "
            f"{self.project!r} into {self.output} in {self.seconds:.1f}s; validated. {detail}"
        )


def row_to_record(row: Dict[str, Any], origin: str, line: int) -> Record:
    """One exported row as a corpus record with ids renumbered in text order."""
    where = f"{origin}/examples/{row.get('id')}:{line}"
    try:
        if ID_KEY in row:
            doc_id = row[ID_KEY]
            meta = dict(row.get(META_KEY) or {})
        else:
            doc_id = f"doccano-{row['id']}"
            meta = {k: v for k, v in row.items() if k not in EXPORT_KEYS}
        comments = [c["comment"] for c in row.get("Comments") or []]
        if comments:
            meta[COMMENTS_KEY] = comments
        entities = [
            Entity(int(e["id"]), str(e["label"]), int(e["start_offset"]), int(e["end_offset"]))
            for e in row.get("entities") or []
        ]
        relations = [
            Relation(int(r["id"]), int(r["from_id"]), int(r["to_id"]), str(r["type"]))
            for r in row.get("relations") or []
        ]
        record = Record(doc_id, row["text"], entities, relations, meta, f"{origin}/examples/{row.get('id')}", line)
    except (KeyError, TypeError, ValueError) as err:
        raise CorpusError(f"{where}: malformed exported row: {err!r}") from err
    known = {e.id for e in entities}
    dangling = [r for r in relations if r.from_id not in known or r.to_id not in known]
    if dangling:
        raise CorpusError(f"{record.where}: relation(s) {[r.id for r in dangling]} point to spans not in the export")
    return record.canonical()


def rows_to_records(rows: Iterable[Dict[str, Any]], origin: str) -> List[Record]:
    """Records in the order the server created the examples."""
    ordered = sorted(rows, key=lambda row: int(row["id"]))
    return [row_to_record(row, origin, line) for line, row in enumerate(ordered, start=1)]


def export_project(connection: Connection, project: str, only_confirmed: bool = False,
                   progress: Progress = to_stderr) -> List[Record]:
    """The project's texts and annotations as records (not yet validated)."""
    info = connection.call("ensure_project", {"name": project, "create": False}, progress=progress)
    exported = connection.call(
        "export", {"project_id": info["project_id"], "only_confirmed": only_confirmed}, progress=progress
    )
    files = exported["files"]
    if list(files) != ["all.jsonl"]:
        raise PullError(f"unexpected export of doccano project {project!r}: files {sorted(files)} (expected all.jsonl)")
    return rows_to_records(files["all.jsonl"], origin=f"doccano:{project}")


def pull(
    connection: Connection,
    project: str,
    output: Union[str, Path],
    only_confirmed: bool = False,
    progress: Progress = to_stderr,
) -> PullReport:
    """Export ``project``, validate it like ``corpus convert`` does, and write ``output`` (JSONL).

    The file is written only when every record passes, and atomically, so a
    failed pull leaves the previous file as it was.
    """
    started = time.monotonic()
    output = Path(output)
    progress(f"Exporting doccano project {project!r} from {connection.url} ...")
    records = export_project(connection, project, only_confirmed, progress=progress)
    if not records:
        raise PullError(f"doccano project {project!r} has no {'confirmed ' if only_confirmed else ''}texts to pull")
    try:
        records_to_docs(records)
    except ValidationError as err:
        raise PullError(
            f"doccano project {project!r} has {len(err.problems)} annotation problem(s); fix them in doccano "
            f"and pull again ({output} was not written):\n" + "\n".join(f"  {p}" for p in err.problems)
        ) from err
    temporary = output.with_name(output.name + ".tmp")
    write_jsonl(temporary, records)
    os.replace(temporary, output)
    return PullReport(project, output, count_records(records), time.monotonic() - started)
