"""``distributed.task`` and ``manifest``: one shard, in this process (no dask), published atomically and only once."""
import json
import re
from pathlib import Path

import pytest

from csto_events.distributed.manifest import ManifestError, ShardEntry, build_manifest, completed_entry, done_path, output_path
from csto_events.distributed.shards import resolve_shards
from csto_events.distributed.task import ShardJob, run_shard
from csto_events.distributed.worker import borrow_pipeline, load_counts
from csto_events.extract.extract import extract_to_files
from fixture_data import build_fixture_pipeline, fixture_texts


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return str(build_fixture_pipeline(tmp_path_factory.mktemp("distributed-task") / "model"))


def write_lines(path: Path, lines) -> Path:
    path.write_bytes(b"".join((line if isinstance(line, bytes) else json.dumps(line).encode("utf-8")) + b"\n" for line in lines))
    return path


def rows(n: int, prefix: str = "doc"):
    texts = fixture_texts()
    return [{"id": f"{prefix}-{i}", "text": texts[i % len(texts)]} for i in range(n)]


def job_for(path: Path, out: Path, model: str, **kwargs) -> ShardJob:
    (shard,) = resolve_shards([str(path)])
    out.mkdir(exist_ok=True)
    return ShardJob(shard, str(out), model, **kwargs)


def test_a_shard_gives_extracts_bytes_and_an_entry_that_adds_up(model, tmp_path):
    source = write_lines(tmp_path / "part.jsonl", rows(6))
    result = run_shard(job_for(source, tmp_path / "out", model, batch_size=2))
    extract_to_files(model, source, tmp_path / "expected.jsonl")
    assert (tmp_path / "out" / "part.jsonl").read_bytes() == (tmp_path / "expected.jsonl").read_bytes()
    entry = result.entry
    assert not result.reused
    assert (entry.documents_in, entry.documents_out, entry.distinct_ids, entry.skipped) == (6, 6, 6, [])
    assert ShardEntry.from_json(json.loads(done_path(tmp_path / "out", "part").read_text())) == entry
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part.done.json", "part.jsonl"], "no temporary file is left"


def test_a_complete_shard_is_not_done_again_a_changed_or_damaged_one_is(model, tmp_path):
    source = write_lines(tmp_path / "part.jsonl", rows(3))
    job = job_for(source, tmp_path / "out", model)
    first = run_shard(job)
    output = output_path(tmp_path / "out", "part")
    stamp = output.stat().st_mtime_ns
    again = run_shard(job)
    assert again.reused and again.entry == first.entry and output.stat().st_mtime_ns == stamp
    assert completed_entry(job.shard, tmp_path / "out", "another-model") is None, "another model's output is not reused"
    output.write_bytes(output.read_bytes()[:50])  # torn by hand or by a disk error
    assert completed_entry(job.shard, tmp_path / "out", model) is None
    assert not run_shard(job).reused and output.stat().st_size == first.entry.output_bytes
    write_lines(source, rows(4))  # the input grew since
    assert not run_shard(job_for(source, tmp_path / "out", model)).reused


def test_a_bad_line_stops_the_shard_naming_it_and_leaves_nothing(model, tmp_path):
    source = write_lines(tmp_path / "part.jsonl", [*rows(2), b'{"id": "x", "text": ', *rows(2, "more")])
    result = run_shard(job_for(source, tmp_path / "out", model))
    assert result.entry is None and re.match(rf"(?s){re.escape(str(source))}:3: malformed JSON.*--skip-errors", result.error)
    assert list((tmp_path / "out").iterdir()) == [], "no partial output, no temporary file, no entry"


def test_skipped_lines_and_duplicate_ids_are_listed_with_their_reasons(model, tmp_path):
    source = write_lines(tmp_path / "part.jsonl", [*rows(3), b"[1, 2]", rows(2)[1]])
    entry = run_shard(job_for(source, tmp_path / "out", model, skip_errors=True)).entry
    assert (entry.documents_in, entry.documents_out, entry.distinct_ids) == (5, 3, 3)
    assert entry.skipped == [
        {"where": f"{source}:4", "reason": "expected a JSON object with 'id' and 'text', got list"},
        {"where": f"{source}:5", "reason": f"duplicate id 'doc-1' in this shard (first at {source}:2)"},
    ]
    written = [json.loads(line)["id"] for line in (tmp_path / "out" / "part.jsonl").read_text().splitlines()]
    assert written == ["doc-0", "doc-1", "doc-2"]


def test_the_pipeline_is_loaded_once_per_process_and_never_lent_twice(model):
    before = load_counts().get(model, 0)
    with borrow_pipeline(model) as first:
        with borrow_pipeline(model) as second:
            assert first is not second, "two concurrent tasks get two pipelines"
    with borrow_pipeline(model) as again:
        assert again is first or again is second
    assert load_counts()[model] - before <= 2


def test_the_manifest_refuses_counts_that_do_not_add_up(model, tmp_path):
    source = write_lines(tmp_path / "part.jsonl", rows(2))
    job = job_for(source, tmp_path / "out", model)
    entry = run_shard(job).entry
    manifest = build_manifest([job.shard], {"part": entry}, [], {}, model=model, output_dir=tmp_path / "out", scheduler="", workers=0, seconds=0)
    assert manifest["complete"] and manifest["totals"]["documents_in"] == 2
    entry.documents_in = 3
    with pytest.raises(ManifestError, match=rf"{re.escape(str(source))}: 3 document\(s\) in, but 2 out \+ 0 skipped"):
        build_manifest([job.shard], {"part": entry}, [], {}, model=model, output_dir=tmp_path / "out", scheduler="", workers=0, seconds=0)
    entry.documents_in, entry.distinct_ids = 2, 1
    with pytest.raises(ManifestError, match="an id was written twice"):
        build_manifest([job.shard], {"part": entry}, [], {}, model=model, output_dir=tmp_path / "out", scheduler="", workers=0, seconds=0)
