"""What each shard produced (its ``.done.json`` entry) and what the whole run produced (``manifest.json``).

The entry is written after the output shard is in place, so "the entry
exists and agrees with the files" means "this shard is complete": a rerun
skips it, and a shard whose worker died before the entry was written is
simply done again. Every count is checked where it is made, and again when
the run's manifest sums them: documents in == out + skipped, and no id
twice in one output shard.
"""
import json
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

from ..errors import CstoEventsError
from .shards import Shard

MANIFEST = "manifest.json"
FORMAT = 1


class ManifestError(CstoEventsError, RuntimeError):
    """The counts do not add up; the message names the shard."""


@dataclass
class ShardEntry:
    """One shard's record, the content of ``<name>.done.json``."""

    input: str
    name: str
    output: str  # file name in the output folder
    input_bytes: int
    model: str
    documents_in: int
    documents_out: int
    skipped: List[Dict[str, str]] = field(default_factory=list)  # {"where": "<shard>:<line>", "reason": ...}
    distinct_ids: int = 0  # ids in the output shard, each counted once
    output_bytes: int = 0
    words: int = 0
    long_texts: int = 0
    seconds: float = 0.0
    worker: str = ""  # host:pid of the process that wrote it
    finished: str = ""
    format: int = FORMAT

    def problems(self) -> List[str]:
        found = []
        if self.documents_in != self.documents_out + len(self.skipped):
            found.append(f"{self.input}: {self.documents_in} document(s) in, but {self.documents_out} out + {len(self.skipped)} skipped")
        if self.distinct_ids != self.documents_out:
            found.append(f"{self.input}: {self.documents_out} document(s) out, but {self.distinct_ids} distinct id(s): an id was written twice")
        return found

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Dict[str, Any]) -> "ShardEntry":
        return cls(**obj)


def output_path(output_dir: Path, name: str) -> Path:
    return output_dir / f"{name}.jsonl"


def done_path(output_dir: Path, name: str) -> Path:
    return output_dir / f"{name}.done.json"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def temp_path(final: Path) -> Path:
    """A hidden name next to ``final`` (same filesystem, so os.replace is atomic), unique to this process and attempt."""
    return final.with_name(f".{final.name}.{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def write_json_atomic(path: Path, obj: Any) -> None:
    """Readers see the old file or the whole new one, never a part."""
    tmp = temp_path(path)
    try:
        with tmp.open("w", encoding="utf-8") as file:
            json.dump(obj, file, indent=1, ensure_ascii=False)
            file.write("\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_entry(output_dir: Path, name: str) -> Optional[ShardEntry]:
    path = done_path(output_dir, name)
    try:
        return ShardEntry.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # missing, torn by hand, or from another format: the shard is done again


def completed_entry(shard: Shard, output_dir: Path, model: str) -> Optional[ShardEntry]:
    """The shard's entry if its work is done and still valid for this input and model, else None."""
    entry = read_entry(output_dir, shard.name)
    if entry is None or entry.format != FORMAT:
        return None
    if entry.input != shard.source or entry.input_bytes != shard.size or entry.model != model:
        return None
    try:
        if output_path(output_dir, shard.name).stat().st_size != entry.output_bytes:
            return None
    except OSError:
        return None
    return None if entry.problems() else entry


def build_manifest(
    shards: Sequence[Shard],
    entries: Dict[str, ShardEntry],
    reused: Sequence[str],
    failed: Dict[str, str],
    *,
    model: str,
    output_dir: Path,
    scheduler: str,
    workers: int,
    seconds: float,
) -> Dict[str, Any]:
    """Sum the entries in input order and check every count; raises ManifestError if one is off."""
    problems: List[str] = []
    rows = []
    for shard in shards:
        entry = entries.get(shard.name)
        if entry is None:
            continue
        problems += entry.problems()
        try:
            size = output_path(output_dir, shard.name).stat().st_size
        except OSError:
            size = -1
        if size != entry.output_bytes:
            problems.append(f"{shard.source}: its output {entry.output} has {size} bytes, its entry says {entry.output_bytes}")
        rows.append({**entry.to_json(), "reused": shard.name in reused})
    totals = {
        "shards": len(shards),
        "shards_done": len(rows),
        "shards_reused": sum(1 for r in rows if r["reused"]),
        "shards_failed": len(failed),
        "documents_in": sum(r["documents_in"] for r in rows),
        "documents_out": sum(r["documents_out"] for r in rows),
        "documents_skipped": sum(len(r["skipped"]) for r in rows),
        "words": sum(r["words"] for r in rows),
    }
    if totals["documents_in"] != totals["documents_out"] + totals["documents_skipped"]:
        problems.append(f"run: {totals['documents_in']} document(s) in, {totals['documents_out']} out + {totals['documents_skipped']} skipped")
    if problems:
        raise ManifestError("the counts do not add up:\n" + "\n".join(f"  {p}" for p in problems))
    return {
        "format": FORMAT,
        "complete": not failed and len(rows) == len(shards),
        "model": model,
        "output_dir": str(output_dir),
        "scheduler": scheduler,
        "workers": workers,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(seconds, 3),
        "totals": totals,
        "shards": rows,
        "failed": [{"input": s.source, "name": s.name, "error": failed[s.name]} for s in shards if s.name in failed],
    }


def write_manifest(output_dir: Path, manifest: Dict[str, Any]) -> Path:
    path = output_dir / MANIFEST
    write_json_atomic(path, manifest)
    return path
