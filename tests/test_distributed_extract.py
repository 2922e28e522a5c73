"""``csto-events distributed-extract`` on a real LocalCluster with two worker processes (nothing is mocked).

The cluster is shared by the module's tests; the fault test kills one of its
worker processes with SIGKILL while that worker is in the middle of a shard.
"""
import functools
import json
import os
import re
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import pytest
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.distributed.run import DistributedExtractError, distributed_extract
from csto_events.distributed.worker import load_counts
from csto_events.extract.extract import extract_to_files
from fixture_data import build_fixture_pipeline, fixture_texts

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return str(build_fixture_pipeline(tmp_path_factory.mktemp("distributed") / "model"))


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


@pytest.fixture(scope="module")
def client(cluster):
    from dask.distributed import Client

    with Client(cluster) as connected:
        yield connected


def short_texts(n: int) -> List[Dict[str, str]]:
    """``n`` short documents: the fixture articles' paragraphs and the whole articles, in turn."""
    pieces = [p for text in fixture_texts() for p in text.split("\n\n") if p.strip()] + fixture_texts()
    return [{"id": f"doc-{i:04d}", "text": pieces[i % len(pieces)]} for i in range(n)]


def encode(row) -> bytes:
    return row if isinstance(row, bytes) else json.dumps(row).encode("utf-8")


def write_shards(folder: Path, rows, n_shards: int) -> List[Path]:
    folder.mkdir(parents=True)
    size = -(-len(rows) // n_shards)
    paths = []
    for i in range(n_shards):
        path = folder / f"part-{i:02d}.jsonl"
        path.write_bytes(b"".join(encode(r) + b"\n" for r in rows[i * size : (i + 1) * size]))
        paths.append(path)
    return paths


def single_process(model: str, rows, path: Path, **kwargs) -> bytes:
    source = path.with_suffix(".in.jsonl")
    source.write_bytes(b"".join(encode(r) + b"\n" for r in rows))
    extract_to_files(model, source, path, **kwargs)
    return path.read_bytes()


def joined_output(out: Path, manifest) -> bytes:
    return b"".join((out / row["output"]).read_bytes() for row in manifest["shards"])


def test_shards_on_two_workers_give_the_single_process_output(model, cluster, client, tmp_path):
    rows = short_texts(300)
    write_shards(tmp_path / "in", rows, 6)
    log: list = []
    manifest = distributed_extract(model, [str(tmp_path / "in" / "*.jsonl")], tmp_path / "out", scheduler=cluster.scheduler_address, progress=log.append)
    assert joined_output(tmp_path / "out", manifest) == single_process(model, rows, tmp_path / "expected.jsonl")
    assert manifest["complete"] and manifest["workers"] == 2
    assert manifest["totals"] == {
        "shards": 6, "shards_done": 6, "shards_reused": 0, "shards_failed": 0,
        "documents_in": 300, "documents_out": 300, "documents_skipped": 0, "words": manifest["totals"]["words"],
    }
    assert json.loads((tmp_path / "out" / "manifest.json").read_text()) == manifest
    assert "[6/6]" in "\n".join(log) and "2 worker(s) at tcp://" in "\n".join(log)
    # The pipeline is loaded once per worker process, not once per shard (or document).
    pids = {int(row["worker"].rsplit(":", 1)[1]) for row in manifest["shards"]}
    loads = {pid: counts.get(model, 0) for pid, counts in client.run(lambda: (os.getpid(), load_counts())).values()}
    assert pids <= set(loads)
    assert all(loads[pid] == 1 for pid in pids), loads


def test_a_worker_killed_mid_shard_is_retried_without_losing_or_doubling_a_document(model, cluster, client, tmp_path):
    rows = short_texts(240)
    write_shards(tmp_path / "in", rows, 6)
    out = tmp_path / "out"
    # 40 documents per shard at 25 ms each: a shard takes about a second, long enough to be caught in the middle.
    slow = functools.partial(time.sleep, 0.025)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(distributed_extract, model, [str(tmp_path / "in")], out, scheduler=cluster.scheduler_address, document_hook=slow)
        worker_pids = {pid for pid in client.run(os.getpid).values()}
        victim, deadline = None, time.monotonic() + 120
        while victim is None and time.monotonic() < deadline and not running.done():
            for temp in out.glob(".part-*.jsonl.*.tmp") if out.exists() else []:
                # A temporary output exists only while its shard is being extracted; its name carries the writer's pid.
                pid = int(re.search(r"-(\d+)-[0-9a-f]{8}\.tmp$", temp.name).group(1))
                if pid in worker_pids:
                    victim = pid
                    break
            time.sleep(0.02)
        assert victim is not None, "no shard was seen running on a worker"
        os.kill(victim, signal.SIGKILL)
        manifest = running.result(timeout=300)
    client.wait_for_workers(2, timeout=120)  # the nanny restarts the killed worker (the next tests use it)
    assert victim not in {pid for pid in client.run(os.getpid).values()}, "the killed process was replaced"
    written = [json.loads(line)["id"] for line in joined_output(out, manifest).splitlines()]
    assert len(written) == len(set(written)) == 240, "every document exactly once"
    assert joined_output(out, manifest) == single_process(model, rows, tmp_path / "expected.jsonl")
    assert manifest["complete"] and manifest["totals"]["documents_in"] == manifest["totals"]["documents_out"] == 240
    assert all(not row["worker"].endswith(f":{victim}") for row in manifest["shards"]), "the interrupted shard was done again elsewhere"
    assert not list(out.glob(".*.tmp")), "the dead attempt's temporary file was removed"


def test_a_rerun_skips_complete_shards_and_redoes_the_rest(model, cluster, tmp_path):
    rows = short_texts(80)
    write_shards(tmp_path / "in", rows, 4)
    out = tmp_path / "out"
    first = distributed_extract(model, [str(tmp_path / "in")], out, scheduler=cluster.scheduler_address)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.jsonl")}
    (out / "part-01.done.json").unlink()  # as if the worker died between output and entry
    (out / "part-02.jsonl").write_bytes((out / "part-02.jsonl").read_bytes()[:100])  # damaged since
    log: list = []
    second = distributed_extract(model, [str(tmp_path / "in")], out, scheduler=cluster.scheduler_address, progress=log.append)
    assert "4 shard(s), 2 complete from an earlier run, 2 to extract" in "\n".join(log)
    assert [row["reused"] for row in second["shards"]] == [True, False, False, True]
    assert {p.name for p in out.glob("part-*.jsonl") if p.stat().st_mtime_ns == stamps[p.name]} == {"part-00.jsonl", "part-03.jsonl"}
    assert joined_output(out, second) == joined_output(out, first) == single_process(model, rows, tmp_path / "expected.jsonl")
    # Nothing left to do: the scheduler is not even contacted (this address has none).
    third = distributed_extract(model, [str(tmp_path / "in")], out, scheduler="tcp://127.0.0.1:9")
    assert third["complete"] and third["totals"]["shards_reused"] == 4


def bad_shards(folder: Path) -> List[Path]:
    rows = short_texts(20)
    # 23 lines in 4 shards of 6 (the last has 5); line 5 of the first three is bad.
    lines = [*rows[:4], rows[1], *rows[4:9], b'{"id": "x", "text": ', *rows[9:14], {"id": "e", "text": " "}, *rows[14:]]
    return write_shards(folder, lines, 4)


def test_bad_lines_are_named_and_with_skip_errors_listed_in_the_manifest(model, cluster, tmp_path):
    paths = bad_shards(tmp_path / "in")
    with pytest.raises(DistributedExtractError) as stopped:
        distributed_extract(model, [str(tmp_path / "in")], tmp_path / "strict", scheduler=cluster.scheduler_address)
    message = str(stopped.value)
    assert f"{paths[0]}:5: duplicate id 'doc-0001'" in message
    assert f"{paths[1]}:5: malformed JSON" in message
    assert f"{paths[2]}:5: empty text (document 'e')" in message
    assert "3 shard(s) failed" in message
    assert stopped.value.manifest["complete"] is False and stopped.value.manifest["totals"]["shards_done"] == 1
    assert json.loads((tmp_path / "strict" / "manifest.json").read_text())["failed"][1]["input"] == str(paths[1])

    manifest = distributed_extract(model, [str(tmp_path / "in")], tmp_path / "lenient", scheduler=cluster.scheduler_address, skip_errors=True)
    skipped = [(s["where"], s["reason"]) for row in manifest["shards"] for s in row["skipped"]]
    assert [where for where, _ in skipped] == [f"{paths[0]}:5", f"{paths[1]}:5", f"{paths[2]}:5"]
    assert "malformed JSON" in skipped[1][1]
    totals = manifest["totals"]
    assert (totals["documents_in"], totals["documents_out"], totals["documents_skipped"]) == (23, 20, 3)
    written = [json.loads(line)["id"] for line in joined_output(tmp_path / "lenient", manifest).splitlines()]
    assert written == [f"doc-{i:04d}" for i in range(20)]


def test_the_command_runs_on_its_own_local_cluster(model, tmp_path):
    paths = bad_shards(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["distributed-extract", model, str(tmp_path / "in" / "*.jsonl"), str(out), "--workers", "2", "--skip-errors"])
    assert result.exit_code == 0, result.output
    assert "2 worker(s) at tcp://" in result.stderr and "(LocalCluster)" in result.stderr
    assert "4/4 shard(s) complete (0 from an earlier run), 23 document(s) in, 20 out, 3 skipped" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and f"{paths[1]}:5" in [s["where"] for s in manifest["shards"][1]["skipped"]]


def test_the_command_names_the_shard_and_line_that_stopped_it(model, cluster, tmp_path):
    paths = bad_shards(tmp_path / "in")
    result = CliRunner().invoke(app, ["distributed-extract", model, str(paths[1]), str(paths[3]), str(tmp_path / "out"), "--scheduler", cluster.scheduler_address])
    assert result.exit_code == 1
    assert "error: 1 shard(s) failed" in result.stderr and f"{paths[1]}:5: malformed JSON" in result.stderr
    assert (tmp_path / "out" / "part-03.done.json").exists(), "the good shard is kept for the rerun"


def test_a_failure_in_the_worker_is_named_by_shard(cluster, tmp_path):
    (path,) = write_shards(tmp_path / "in", short_texts(3), 1)
    with pytest.raises(DistributedExtractError, match=rf"{re.escape(str(path))}: OSError: cannot load pipeline 'no_such_csto_pipeline'"):
        distributed_extract("no_such_csto_pipeline", [str(path)], tmp_path / "out", scheduler=cluster.scheduler_address)
    assert not list((tmp_path / "out").glob("part-*")), "nothing is published for a failed shard"
