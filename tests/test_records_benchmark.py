"""The record benchmark on the real seed gold: the three figures, their baselines, files and README section."""
from pathlib import Path

from csto_events.records.benchmark import record_counts, run_benchmark
from csto_events.records.table import EventRecord

ROOT = Path(__file__).resolve().parents[1]


def _record(type_, mentions, agent=(), start=""):
    return EventRecord("d", "d#1", type_, "x", mentions[0][0], mentions[0][1], [(a, b, "x") for a, b in mentions], agent=list(agent), start=start)


def test_record_counts_match_one_to_one_and_require_every_field():
    gold = [_record("MISSION", [(0, 5), (20, 27)], ["CSTO"], "2022-09"), _record("MEETING", [(40, 46)])]
    predicted = [_record("MISSION", [(0, 5)], ["csto"], "2022-09"), _record("MISSION", [(20, 27)], ["CSTO"], "2022-09"),
                 _record("MEETING", [(40, 46)], start="2022-10")]
    assert record_counts(predicted, gold) == (1, 3, 2)  # the second mission has no gold left; the meeting's start is wrong


def test_benchmark_on_the_seeds_beats_its_baselines(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n\n<!-- records:start -->\nSTALE\n<!-- records:end -->\n", encoding="utf-8")
    report = run_benchmark(ROOT / "corpus" / "seeds" / "seeds.jsonl", output=tmp_path / "out", readme=readme)
    scores = report["settings"][0]["scores"]
    assert scores["documents"] == 5
    assert scores["dates_system"]["total"] == 36 and scores["dates_system"]["accuracy"] >= 0.9
    assert scores["dates_baseline"]["accuracy"] < scores["dates_system"]["accuracy"]
    assert scores["clusters_baseline"]["f"] == 0.0 and scores["clusters_system"]["f"] >= 0.8
    assert scores["records_system"]["f"] > scores["records_baseline"]["f"]
    assert (tmp_path / "out" / "benchmark.json").is_file()
    markdown = (tmp_path / "out" / "benchmark.md").read_text(encoding="utf-8")
    assert "| seeds, gold entities | DATE value accuracy |" in markdown
    section = readme.read_text(encoding="utf-8")
    assert "STALE" not in section and "csto-events records seeds/" in section and "Real records: rows of" in section
