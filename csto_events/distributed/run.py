"""``distributed_extract``: the driver. Expand the inputs, skip what is done, run one task per shard, sum up.

The driver never reads a document: it lists shards, submits a task for each
shard that is not complete yet, reports each one as it finishes (stderr),
and writes ``manifest.json`` from the per-shard entries. A shard that fails
is named with its error, the others still run and keep their output, so
after fixing the input a rerun does only what is missing.
"""
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Union

from ..errors import CstoEventsError
from ..extract.extract import DEFAULT_BATCH_SIZE, DEFAULT_MAX_CHARS
from ..progress import Progress
from .cluster import dask_client
from .manifest import ShardEntry, build_manifest, completed_entry, write_manifest
from .shards import Shard, resolve_shards
from .task import ShardError, ShardJob, ShardResult, run_shard

if TYPE_CHECKING:
    from dask.distributed import Client


class DistributedExtractError(CstoEventsError, RuntimeError):
    """Some shards failed; ``manifest`` is what was written (``complete`` is false)."""

    def __init__(self, message: str, manifest: Optional[Dict[str, Any]] = None) -> None:
        super().__init__(message)
        self.manifest = manifest


def resolve_model(model: Union[str, Path]) -> str:
    """An absolute folder (workers may run elsewhere in the tree) or an installed package name, as given."""
    path = Path(model)
    if path.exists():
        if not (path / "config.cfg").is_file():
            raise OSError(f"{path} is not a spaCy pipeline folder (no config.cfg)")
        return str(path.resolve())
    if "/" in str(model) or str(model).startswith("."):
        raise OSError(f"no pipeline folder at {model}")
    return str(model)


def _say(progress: Optional[Progress], message: str) -> None:
    if progress is not None:
        progress(f"distributed-extract: {message}")


def remove_stale_temps(output_dir: Path, shards: Sequence[Shard]) -> int:
    """Hidden temporary files of attempts that died (a killed worker cannot clean up after itself)."""
    removed = 0
    for shard in shards:
        for pattern in (f".{shard.name}.jsonl.*.tmp", f".{shard.name}.done.json.*.tmp"):
            for path in output_dir.glob(pattern):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def distributed_extract(
    model: Union[str, Path],
    inputs: Sequence[Union[str, Path]],
    output_dir: Union[str, Path],
    *,
    scheduler: Optional[str] = None,
    workers: Optional[int] = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    skip_errors: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    progress: Optional[Progress] = None,
    document_hook: Optional[Callable[[], None]] = None,
) -> Dict[str, Any]:
    """Extract every JSONL shard of ``inputs`` into ``output_dir`` on dask; returns the manifest.

    ``output_dir`` must be a folder every worker can write (local, or a shared
    filesystem on a cluster): outputs are published by an atomic rename there.
    Raises DistributedExtractError, after writing the manifest, if a shard failed.
    """
    started = time.monotonic()
    model_name = resolve_model(model)
    shards = resolve_shards([str(i) for i in inputs])
    out = Path(output_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)

    entries: Dict[str, ShardEntry] = {}
    reused: List[str] = []
    for shard in shards:
        entry = completed_entry(shard, out, model_name)
        if entry is not None:
            entries[shard.name] = entry
            reused.append(shard.name)
    jobs = [ShardJob(s, str(out), model_name, batch_size, skip_errors, max_chars, document_hook) for s in shards if s.name not in entries]
    _say(progress, f"{len(shards)} shard(s), {len(reused)} complete from an earlier run, {len(jobs)} to extract into {out}")

    failed: Dict[str, str] = {}
    scheduler_address, n_workers = scheduler or "", 0
    if jobs:
        with dask_client(scheduler, workers) as client:
            scheduler_address = client.scheduler.address
            n_workers = len(client.nthreads())
            _say(progress, f"{n_workers} worker(s) at {scheduler_address}" + ("" if scheduler else " (LocalCluster)"))
            _run_jobs(client, jobs, entries, reused, failed, progress)
        remove_stale_temps(out, shards)

    manifest = build_manifest(
        shards, entries, reused, failed, model=model_name, output_dir=out,
        scheduler=scheduler_address, workers=n_workers, seconds=time.monotonic() - started,
    )
    path = write_manifest(out, manifest)
    totals = manifest["totals"]
    _say(
        progress,
        f"{totals['shards_done']}/{totals['shards']} shard(s) complete ({totals['shards_reused']} from an earlier run), "
        f"{totals['documents_in']} document(s) in, {totals['documents_out']} out, {totals['documents_skipped']} skipped; wrote {path}",
    )
    if failed:
        lines = [f"{len(failed)} shard(s) failed (the others are complete; fix what is named here and rerun to do only what is missing):"]
        lines += ["  " + row["error"].replace("\n", "\n    ") for row in manifest["failed"]]
        raise DistributedExtractError("\n".join(lines), manifest)
    return manifest


def _run_jobs(
    client: "Client",
    jobs: Sequence[ShardJob],
    entries: Dict[str, ShardEntry],
    reused: List[str],
    failed: Dict[str, str],
    progress: Optional[Progress],
) -> None:
    """Submit one task per shard and collect them as they finish (a lost worker's task is rerun by dask)."""
    from dask.distributed import as_completed

    run = uuid.uuid4().hex[:8]
    by_key = {f"csto-extract-{job.shard.name}-{run}": job for job in jobs}
    futures = client.map(run_shard, list(by_key.values()), key=list(by_key))
    submitted = time.monotonic()
    documents = 0
    for n, future in enumerate(as_completed(futures), start=1):
        job = by_key[future.key]
        try:
            result: ShardResult = future.result()
        except ShardError as err:  # counts that do not add up; the message names the shard
            failed[job.shard.name] = str(err)
            _say(progress, f"[{n}/{len(jobs)}] FAILED {err}")
            continue
        except Exception as err:  # a worker lost too often (KilledWorker), an unreadable shard, ...
            failed[job.shard.name] = f"{job.shard.source}: {type(err).__name__}: {err}"
            _say(progress, f"[{n}/{len(jobs)}] FAILED {failed[job.shard.name]}")
            continue
        finally:
            future.release()
        if result.error is not None or result.entry is None:  # a bad line stopped the shard; the error names it
            failed[job.shard.name] = result.error or f"{job.shard.source}: no result"
            _say(progress, f"[{n}/{len(jobs)}] FAILED " + failed[job.shard.name].replace("\n", "\n    "))
            continue
        entry = result.entry
        entries[job.shard.name] = entry
        if result.reused:
            reused.append(job.shard.name)
        else:
            documents += entry.documents_out
        rate = documents / max(time.monotonic() - submitted, 1e-9)
        skipped = f", {len(entry.skipped)} skipped" if entry.skipped else ""
        _say(
            progress,
            f"[{n}/{len(jobs)}] {entry.output}: {entry.documents_in} in, {entry.documents_out} out{skipped}"
            + (" (complete already)" if result.reused else f" in {entry.seconds:.1f}s on {entry.worker}")
            + f"; {rate:.1f} docs/s overall",
        )


