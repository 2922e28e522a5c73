"""``csto-events benchmark --profile``: a real pipeline profiled with two copies of the code, side by side."""
import shutil

import pytest

from csto_events.packaging.benchmark import BenchmarkError, BenchmarkTexts
from csto_events.packaging.profiling import THIS_CODE, markdown, profile, write_profile
from fixture_data import FIXTURES, build_fixture_pipeline, fixture_texts


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return build_fixture_pipeline(tmp_path_factory.mktemp("profile") / "model")


def texts():
    return BenchmarkTexts(fixture_texts() * 3, [str(FIXTURES)], 2, 0)


def copy_of_this_code(folder):
    shutil.copytree(THIS_CODE / "csto_events", folder / "csto_events", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


@pytest.mark.slow
def test_profile_runs_both_versions_and_says_where_the_time_goes(model, tmp_path):
    other = copy_of_this_code(tmp_path / "other")
    report = profile(model, texts(), compare=other, rounds=1, repeats=1, lengths=(500, 2000), progress=False)
    before, after = report["versions"]
    assert before["runs"][0]["code"].startswith(str(other)), "the copy really ran"
    assert after["runs"][0]["code"].startswith(str(THIS_CODE / "csto_events"))
    assert report["same_output"] is True
    summary = after["summary"]
    assert list(summary["component_seconds"]) == ["tokenizer", "sentencizer", "entity_ruler", "event_arguments"]
    parts = summary["event_arguments_seconds"]
    assert {"candidate pairs", "feature strings and hashing", "pair span means", "whole network"} <= set(parts)
    assert all(seconds >= 0 for seconds in parts.values()) and parts["whole network"] > 0
    rows = summary["long_documents"]
    assert [r["chars"] for r in rows] == [500, 2000] and rows[1]["tokens"] > rows[0]["tokens"] and rows[1]["pairs"] > 0
    assert summary["memory"]["parameters_mb"]["event_arguments"] > 0
    assert report["vocab_rss_mb"]["with-vectors"] > 0
    json_path, md_path = write_profile(report, tmp_path / "out")
    table = md_path.read_text()
    assert table == markdown(report) and json_path.name == "profile.json"
    assert "| event_arguments: pair span means, CPU s |" in table and "Same Output JSON (entities and `doc._.events`) for every text: **yes**" in table
    assert "| 2000 |" in table


@pytest.mark.slow
def test_a_version_that_links_nothing_is_not_the_same_output(model, tmp_path):
    other = copy_of_this_code(tmp_path / "other")
    candidates = other / "csto_events" / "pipeline" / "candidates.py"
    candidates.write_text(candidates.read_text().replace("    return pairs\n", "    return []\n", 1))
    report = profile(model, texts(), compare=other, rounds=1, repeats=1, lengths=(), measure_vocab=False, progress=False)
    assert report["same_output"] is False
    assert "for every text: **NO**" in markdown(report)


def test_a_compare_folder_must_hold_the_code(model, tmp_path):
    with pytest.raises(BenchmarkError, match="holds no csto_events/pipeline"):
        profile(model, texts(), compare=tmp_path, progress=False)
    with pytest.raises(BenchmarkError, match="not a trained pipeline folder"):
        profile(tmp_path, texts(), progress=False)
