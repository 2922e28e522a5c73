"""``csto-events benchmark``: same texts for every pipeline, one process per measurement."""
import json

import pytest

from csto_events.packaging.benchmark import (
    BASELINE,
    BenchmarkError,
    BenchmarkTexts,
    benchmark,
    benchmark_texts,
    markdown,
    measure,
    resolve,
    write_report,
)
from csto_events.packaging.package import package_pipeline
from fixture_data import FIXTURES, build_fixture_pipeline, fixture_texts


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return build_fixture_pipeline(tmp_path_factory.mktemp("bench") / "model")


BRIEFS = sorted(FIXTURES.glob("brief-*.md"))


def test_texts_are_the_corpus_repeated_to_the_word_count():
    texts = benchmark_texts(BRIEFS, 500)
    assert texts.distinct == len(fixture_texts()) == 2
    assert texts.texts[:2] == fixture_texts() and texts.texts[2:4] == fixture_texts()
    assert texts.words == sum(len(t.split()) for t in texts.texts) >= 500
    assert sum(len(t.split()) for t in texts.texts[:-1]) < 500, "stops as soon as the count is reached"


def test_no_texts_is_an_error(tmp_path):
    with pytest.raises(BenchmarkError, match="no texts"):
        benchmark_texts([tmp_path], 100)
    (tmp_path / "t.csv").write_text("x")
    with pytest.raises(BenchmarkError, match="t.csv: texts must come from"):
        benchmark_texts([tmp_path / "t.csv"], 100)


@pytest.mark.slow
def test_benchmark_measures_pipeline_and_baseline_at_each_process_count(model, tmp_path):
    texts = benchmark_texts(BRIEFS, 600)
    report = benchmark([str(model)], texts, n_process=[1, 2], batch_size=8, repeats=2, progress=False)
    rows = report["results"]
    assert [(r["spec"], r["n_process"]) for r in rows] == [(BASELINE, 1), (BASELINE, 2), (str(model), 1), (str(model), 2)]
    for row in rows:
        assert row["words"] == rows[0]["words"] > 600, "every pipeline tokenizes the same texts"
        assert all(run["docs"] == len(texts.texts) for run in row["runs"]) and len(row["runs"]) == 2
        assert row["wps"] > 0 and row["peak_rss_mb"] >= row["base_rss_mb"] > 0
        assert (row["peak_worker_rss_mb"] is None) == (row["n_process"] == 1)
        # CPU words/s only where one process does all the work.
        assert (row["cpu_wps"] is not None) == (row["n_process"] == 1)
        if row["cpu_wps"] is not None:
            assert row["cpu_wps"] > 0 and all(run["cpu_seconds"] > 0 for run in row["runs"])
    assert rows[0]["vs_baseline"] == 1.0 and rows[0]["components"][-1] == "ner"
    assert rows[2]["kind"] == "folder" and rows[2]["components"] == ["sentencizer", "entity_ruler", "event_arguments"]
    json_path, md_path = write_report(report, tmp_path / "out")
    assert json.loads(json_path.read_text())["results"][3]["n_process"] == 2
    table = md_path.read_text()
    assert table == markdown(report) and table.count(f"| {model} | folder |") == 2


@pytest.mark.slow
def test_a_wheel_is_measured_installed_in_a_fresh_environment(model, tmp_path):
    wheel = package_pipeline(model, tmp_path / "pkg").wheel
    target = resolve(str(wheel), tmp_path / "work")
    assert target.kind == "wheel" and target.model == "en_csto_events" and str(target.python).startswith(str(tmp_path))
    texts = BenchmarkTexts(fixture_texts(), [str(FIXTURES)], 2, 0)
    (tmp_path / "texts.json").write_text(json.dumps(texts.texts))
    row = measure(target, tmp_path / "texts.json", 1, 4, 1, tmp_path)
    assert row["package"] == "en_csto_events" and row["python"] == str(target.python)
    assert row["runs"][0]["docs"] == 2


def test_a_failing_measurement_names_the_pipeline(tmp_path):
    (tmp_path / "texts.json").write_text(json.dumps(["A text."]))
    target = resolve("no_such_pipeline_package", tmp_path)
    with pytest.raises(BenchmarkError, match="measuring no_such_pipeline_package"):
        measure(target, tmp_path / "texts.json", 1, 4, 1, tmp_path)


def test_two_wheels_of_one_package_are_told_apart_by_their_file():
    row = {"kind": "wheel", "package": "en_csto_events", "version": "0.1.0", "components": ["ner"], "n_process": 1, "wps": 1.0,
           "vs_baseline": 1.0, "cpu_wps": 1.0, "cpu_vs_baseline": 1.0, "peak_rss_mb": 1.0, "base_rss_mb": 1.0,
           "peak_worker_rss_mb": None, "load_seconds": 0.1}
    report = {
        "date": "today", "machine": {"cpus": 2, "platform": "linux", "python": "3.11", "load_average_1min": [0, 0]},
        "texts": {"docs": 1, "distinct": 1, "sources": ["x"], "whitespace_words": 10}, "settings": {"batch_size": 8, "repeats": 1},
        "results": [{**row, "spec": "as-trained/a.whl"}, {**row, "spec": "lean/a.whl"}],
    }
    table = markdown(report)
    assert "| en_csto_events 0.1.0 (`as-trained/a.whl`) | wheel |" in table and "(`lean/a.whl`)" in table
    report["results"] = report["results"][:1]
    assert "| en_csto_events 0.1.0 | wheel |" in markdown(report), "one wheel keeps the short name"
