"""Which JSONL shards a run reads, what each one's output is called, and how one is read.

Inputs are whatever fsspec (and so dask) understands: local paths, folders,
globs, or URLs such as ``s3://bucket/news/*.jsonl.gz``. They are expanded
once, in the driver, into a fixed list of ``Shard``s, so every task knows
exactly one file and the list does not change while the run goes on.

A local ``.jsonl``/``.ndjson`` shard is read by ``read_inputs``, the reader
of ``csto-events extract``; anything else (a URL, a compressed file) is
opened through fsspec and parsed by the same ``read_jsonl_stream``. Either
way, every bad line is a ``BadInput`` named ``<shard>:<line>``.
"""
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List, Sequence, Tuple

import fsspec
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem

from ..extract.inputs import JSONL_SUFFIXES, InputError, Item, read_inputs, read_jsonl_stream

# Compressions fsspec infers from the file name (compression="infer").
COMPRESSION_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".lz4")
GLOB_CHARS = re.compile(r"[*?\[]")
UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Shard:
    """One input file of the run and the name of its output."""

    source: str  # an absolute local path, or an fsspec URL with its protocol
    name: str  # stem of the output files, unique within the run
    size: int  # bytes when the run started: a shard that changed since its .done entry is redone


def is_shard_file(path: str) -> bool:
    """``x.jsonl``, ``x.ndjson``, optionally compressed (``x.jsonl.gz``)."""
    lower = path.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            lower = lower[: -len(suffix)]
            break
    return lower.endswith(JSONL_SUFFIXES)


def shard_stem(source: str) -> str:
    """The file name without compression and JSONL suffixes, safe as a file name."""
    base = source.rstrip("/").rsplit("/", 1)[-1]
    lower = base.lower()
    for suffix in COMPRESSION_SUFFIXES:
        if lower.endswith(suffix):
            base, lower = base[: -len(suffix)], lower[: -len(suffix)]
            break
    for suffix in JSONL_SUFFIXES:
        if lower.endswith(suffix):
            base = base[: -len(suffix)]
            break
    stem = UNSAFE_NAME_CHARS.sub("_", base).lstrip(".")
    return stem or "shard"


def _expand(spec: str) -> List[Tuple[str, int]]:
    """``(source, size)`` of every shard one command-line input stands for, sorted."""
    fs, path = url_to_fs(spec)
    local = isinstance(fs, LocalFileSystem)
    infos: Dict[str, Dict[str, Any]]
    if GLOB_CHARS.search(path):
        infos = fs.glob(path, detail=True)
        what = "matches the pattern"
    elif fs.isdir(path):
        infos = fs.find(path, detail=True)
        what = "is in the folder"
    elif fs.exists(path):
        if not is_shard_file(path):
            raise InputError(f"{spec}: a shard must be a .jsonl or .ndjson file (optionally {', '.join(COMPRESSION_SUFFIXES)})")
        infos = {path: fs.info(path)}
        what = ""
    else:
        raise InputError(f"{spec} does not exist")
    found = sorted((p, int(info.get("size") or 0)) for p, info in infos.items() if info.get("type") == "file" and is_shard_file(p))
    if not found:
        raise InputError(f"{spec}: no .jsonl/.ndjson shard {what}")
    return [(p if local else fs.unstrip_protocol(p), size) for p, size in found]


def name_shards(sources: Sequence[str]) -> List[str]:
    """Output names: the input's stem, with a hash of its full path when two inputs share a stem."""
    stems = [shard_stem(s) for s in sources]
    counts = Counter(stems)
    return [stem if counts[stem] == 1 else f"{stem}-{hashlib.sha1(s.encode('utf-8')).hexdigest()[:8]}" for stem, s in zip(stems, sources)]


def resolve_shards(inputs: Sequence[str]) -> List[Shard]:
    """Every shard the inputs name, in the given order, each once."""
    seen: Dict[str, int] = {}
    for spec in inputs:
        for source, size in _expand(str(spec)):
            seen.setdefault(source, size)
    if not seen:
        raise InputError("no input shards given")
    sources = list(seen)
    return [Shard(source, name, seen[source]) for source, name in zip(sources, name_shards(sources))]


def read_shard(source: str) -> Iterator[Item]:
    """The documents of one shard, each bad line a BadInput named ``<source>:<line>``."""
    if "://" not in source and Path(source).suffix.lower() in JSONL_SUFFIXES:
        yield from read_inputs(source)
        return
    with fsspec.open(source, "rb", compression="infer") as file:
        yield from read_jsonl_stream(file, source)
