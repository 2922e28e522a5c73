import json

import pytest

from csto_events.errors import DataError
from csto_events.evaluation.robustness import markdown, read_reports


def _folder(path, held_arg_c, org, seed_scores):
    path.mkdir(parents=True)
    (path / "report.json").write_text(json.dumps({"systems": [
        {"name": "pipeline", "scores": {"entities.strict": {"f": 0.9}, "trig_c": {"f": 0.8}, "arg_c": {"f": held_arg_c}}}]}))
    (path / "forgetting.json").write_text(json.dumps({"rows": {
        "x/model-best": {"ORG": {"f": org}, "all": {"f": 0.8}}, "en_core_web_sm (never fine-tuned)": {"ORG": {"f": 0.99}, "all": {"f": 0.99}}}}))
    (path / "real-news").mkdir()
    (path / "real-news" / "report.json").write_text(json.dumps({"parts": {"b": {"per_seed": [
        {"seed": seed, "f": {"entities.strict": 0.9, "trig_c": 0.8, "arg_c": arg_c}} for seed, arg_c in seed_scores.items()]}}}))
    return path


def test_rows_compare_on_the_shared_training_seeds(tmp_path):
    def read(name, folder):
        return read_reports(name, folder / "report.json", folder / "forgetting.json", folder / "real-news" / "report.json")

    assert read("default", tmp_path / "d").held_out is None  # nothing measured yet: every cell is "—"
    _folder(tmp_path / "d", 0.7, 0.6, {0: 0.70, 1: 0.60, 2: 0.80})
    _folder(tmp_path / "v", 0.71, 0.9, {0: 0.72})
    table = markdown(read("default", tmp_path / "d"), [read("v", tmp_path / "v")], seeds=[0])
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]] for line in table.splitlines() if line.startswith("| ") and "---" not in line}
    assert rows["default"][2] == "70.0" and rows["v"][2] == "72.0"  # seed 0 against seed 0, not the default's mean
    assert rows["default"][3] == "60.0" and rows["v"][3] == "90.0"  # forgetting ORG of the fine-tuned row, not sm's
    table = markdown(read("default", tmp_path / "d"), [read("v", tmp_path / "v")], seeds=[0, 1])
    assert "| v | — |" in table  # the variant lacks seed 1: no figure rather than a mean over fewer seeds


def test_a_real_news_report_without_leave_one_seed_out_is_refused(tmp_path):
    folder = _folder(tmp_path / "d", 0.7, 0.6, {0: 0.7})
    (folder / "real-news" / "report.json").write_text(json.dumps({"parts": {"a": {}}}))
    with pytest.raises(DataError, match="no leave-one-seed-out part"):
        read_reports("d", folder / "report.json", folder / "forgetting.json", folder / "real-news" / "report.json")
