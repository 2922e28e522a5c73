"""The dask task: extract one shard and publish its output atomically.

Idempotent by construction, which is what makes dask's retries safe. The
output is written to a hidden temporary name unique to the process and the
attempt, then renamed over ``<name>.jsonl`` in one ``os.replace``; the
``.done.json`` entry follows the same way. If the worker dies at any point,
the visible output is either absent or a complete earlier attempt, never a
mix, and running the task again produces the same bytes. A task that finds
its shard already complete returns the recorded entry without working.
"""
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterable, Iterator, Optional, Set

from ..extract.extract import DEFAULT_BATCH_SIZE, DEFAULT_MAX_CHARS, ExtractError, JsonlWriter, extract
from ..extract.inputs import BadInput, Item, TextInput
from ..pipeline.events import Output
from .manifest import ShardEntry, completed_entry, done_path, output_path, temp_path, worker_id, write_json_atomic
from .shards import Shard, read_shard
from .worker import borrow_pipeline


class ShardError(RuntimeError):
    """A shard's counts do not add up (a bug, not bad input); the message names the shard.

    A plain message, so it survives pickling back to the client.
    """


@dataclass(frozen=True)
class ShardJob:
    shard: Shard
    output_dir: str
    model: str
    batch_size: int = DEFAULT_BATCH_SIZE
    skip_errors: bool = False
    max_chars: int = DEFAULT_MAX_CHARS
    # Called in the worker before each document is read: to throttle a run, or slow it down in fault-injection tests.
    document_hook: Optional[Callable[[], None]] = None


@dataclass(frozen=True)
class ShardResult:
    """A finished task: the shard's entry, or why its input stopped it.

    A bad line is an expected outcome, not a crash: it comes back as ``error``
    (which names the shard and line) rather than as an exception, so dask
    neither logs a worker traceback for it nor treats the worker as faulty.
    """

    entry: Optional[ShardEntry]
    reused: bool = False  # True: the shard was complete already, nothing was done
    error: Optional[str] = None


def refuse_duplicate_ids(items: Iterable[Item]) -> Iterator[Item]:
    """A second document with an id already seen in the shard becomes a BadInput that names both lines."""
    first: Dict[str, str] = {}
    for item in items:
        if isinstance(item, TextInput):
            key = json.dumps(item.id)  # 1 and "1" are different ids in the Output format
            if key in first:
                yield BadInput(item.where, f"duplicate id {item.id!r} in this shard (first at {first[key]})")
                continue
            first[key] = item.where
        yield item


def _with_hook(items: Iterable[Item], hook: Callable[[], None]) -> Iterator[Item]:
    for item in items:
        hook()
        yield item


def run_shard(job: ShardJob) -> ShardResult:
    """Extract ``job.shard`` into ``<output_dir>/<name>.jsonl`` and write its ``.done.json`` entry."""
    output_dir = Path(job.output_dir)
    shard = job.shard
    previous = completed_entry(shard, output_dir, job.model)
    if previous is not None:
        return ShardResult(previous, reused=True)
    final = output_path(output_dir, shard.name)
    tmp = temp_path(final)
    ids: Set[str] = set()
    with borrow_pipeline(job.model) as nlp:
        started = time.monotonic()  # extraction only: the first shard on a worker also loads the pipeline
        writer = JsonlWriter(tmp)
        try:

            def write(out: Output) -> None:
                ids.add(json.dumps(out["id"]))
                writer(out)

            items: Iterable[Item] = refuse_duplicate_ids(read_shard(shard.source))
            if job.document_hook is not None:
                items = _with_hook(items, job.document_hook)
            try:
                report = extract(nlp, items, write, batch_size=job.batch_size, skip_errors=job.skip_errors, max_chars=job.max_chars)
            except ExtractError as err:
                return ShardResult(None, error=(
                    f"{err.bad}\nshard {shard.source} stopped at that line, nothing of it was kept "
                    "(pass --skip-errors to skip bad lines and list them in the manifest)"
                ))
            writer.stream.flush()
            os.fsync(writer.stream.fileno())
            writer.close()
            os.replace(tmp, final)
        finally:
            writer.close()
            tmp.unlink(missing_ok=True)
    entry = ShardEntry(
        input=shard.source,
        name=shard.name,
        output=final.name,
        input_bytes=shard.size,
        model=job.model,
        documents_in=report.read,
        documents_out=report.written,
        skipped=[{"where": bad.where, "reason": bad.reason} for bad in report.skipped],
        distinct_ids=len(ids),
        output_bytes=final.stat().st_size,
        words=report.words,
        long_texts=report.long_texts,
        seconds=round(time.monotonic() - started, 3),
        worker=worker_id(),
        finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    )
    problems = entry.problems()
    if problems:
        raise ShardError("\n".join(problems))
    write_json_atomic(done_path(output_dir, shard.name), entry.to_json())
    return ShardResult(entry, reused=False)
