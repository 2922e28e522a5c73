"""``csto-events distributed-benchmark``: three settings on the same texts, every one giving the same output."""
import json

import pytest
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.distributed.benchmark import read_benchmark_texts, repeat_to, write_inputs
from fixture_data import FIXTURES, build_fixture_pipeline, fixture_texts


def test_texts_repeat_to_the_document_count_and_shard_in_order(tmp_path):
    texts = repeat_to(read_benchmark_texts(sorted(FIXTURES.glob("brief-*.md"))), 5)
    assert texts == [fixture_texts()[i % 2] for i in range(5)]
    single, folder = write_inputs(texts, tmp_path, 2)
    shards = sorted(folder.glob("*.jsonl"))
    assert [p.name for p in shards] == ["part-0000.jsonl", "part-0001.jsonl"]
    assert b"".join(p.read_bytes() for p in shards) == single.read_bytes()
    with pytest.raises(ValueError, match="no texts"):
        repeat_to([], 3)


@pytest.mark.slow
def test_the_benchmark_measures_three_settings_with_identical_output(tmp_path):
    model = build_fixture_pipeline(tmp_path / "model")
    out = tmp_path / "bench"
    result = CliRunner().invoke(app, [
        "distributed-benchmark", str(model), "--output", str(out), "--texts", str(FIXTURES / "brief-a.md"),
        "--texts", str(FIXTURES / "brief-b.md"), "--docs", "24", "--shards", "4", "--repeats", "1",
    ])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "distributed-benchmark.json").read_text())
    assert [r["setting"] for r in report["results"]] == ["extract, n_process=1", "extract, n_process=2", "LocalCluster, 2 workers x 1 thread, 4 shards"]
    assert all(r["docs"] == 24 and r["docs_per_second"] > 0 and r["same_output_as_one_process"] for r in report["results"])
    assert report["results"][0]["vs_one_process"] == 1.0
    table = (out / "distributed-benchmark.md").read_text()
    assert "| LocalCluster, 2 workers x 1 thread, 4 shards | 2 | 24 |" in table and table in result.output
