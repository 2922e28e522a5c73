"""The `csto-events evaluate` commands, run through the real command line app."""
import json

import pytest
import spacy
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.corpus.convert import records_to_docs, write_docbin
from csto_events.corpus.markup import parse
from csto_events.corpus.records import write_jsonl
from csto_events.corpus.splits import sentence_docs
from csto_events.evaluation import baselines  # noqa: F401  (registers csto_rule_arguments)
from csto_events.evaluation.documents import load_gold, write_predictions
from csto_events.evaluation.report import README_END, README_START

runner = CliRunner()

ARTICLES = [
    """# id: a1

The [CSTO]{ORG:c} sent a [monitoring mission]{MISSION:m} led by [Zas]{PERSON:z} on [Friday]{DATE:f}.
>> m AGENT c
>> m LEADER z
>> m TIME f
""",
    """# id: a2

[Ivanov]{PERSON:i} met [Kim]{PERSON:k} at the [summit]{MEETING:s} on [Monday]{DATE:d}.
>> s PARTICIPANT i
>> s PARTICIPANT k
>> s TIME d
""",
]


@pytest.fixture(scope="module")
def records():
    return [parse(a) for a in ARTICLES]


@pytest.fixture
def gold_file(tmp_path, records):
    path = tmp_path / "gold.jsonl"
    write_jsonl(path, records)
    return path


def test_score_a_predictions_file_against_a_gold_file(tmp_path, gold_file):
    gold = load_gold(gold_file)
    predictions = [dict(o) for o in gold.outputs]
    predictions[1] = {**predictions[1], "entities": predictions[1]["entities"][1:]}  # drop Ivanov's span
    write_predictions(tmp_path / "pred.jsonl", predictions)
    result = runner.invoke(app, ["evaluate", "score", str(tmp_path / "pred.jsonl"), "--gold", str(gold_file),
                                 "--output", str(tmp_path / "out"), "--resamples", "50"])
    assert result.exit_code == 0, result.output
    assert "| pred | 90.9 (" in result.output  # entities: 5 of 6, none spurious -> 10/11
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["systems"][0]["scores"]["PERSON.strict"]["r"] == 0.6667
    assert (tmp_path / "out" / "report.html").exists()


def test_score_reports_a_broken_file_by_line(tmp_path, gold_file):
    (tmp_path / "pred.jsonl").write_text('{"id": "a1", "text": "x", "entities": [], "events": []}\n{oops\n')
    result = runner.invoke(app, ["evaluate", "score", str(tmp_path / "pred.jsonl"), "--gold", str(gold_file)])
    assert result.exit_code == 1
    assert "pred.jsonl:2: invalid JSON" in result.output


def test_score_refuses_predictions_for_a_different_text(tmp_path, gold_file):
    gold = load_gold(gold_file)
    write_predictions(tmp_path / "pred.jsonl", [{**gold.outputs[0], "text": gold.outputs[0]["text"].replace("The", "THE")}, gold.outputs[1]])
    result = runner.invoke(app, ["evaluate", "score", str(tmp_path / "pred.jsonl"), "--gold", str(gold_file)])
    assert result.exit_code == 1
    assert "document 'a1': predicted text differs from the gold text at character 1" in result.output


def test_compare_two_prediction_files(tmp_path, gold_file):
    gold = load_gold(gold_file)
    write_predictions(tmp_path / "a.jsonl", gold.outputs)
    write_predictions(tmp_path / "b.jsonl", [{**o, "events": []} for o in gold.outputs])
    result = runner.invoke(app, ["evaluate", "compare", str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"),
                                 "--gold", str(gold_file), "--resamples", "50"])
    assert result.exit_code == 0, result.output
    assert "| A | B | Arg-C | 100.0 | 0.0 | +100.0" in result.output


@pytest.fixture
def data_and_model(tmp_path, records):
    """A data folder as `corpus convert` writes it, and a saved rule pipeline with an event_arguments component."""
    sentences = [s for d in records_to_docs(records) for s in sentence_docs(d)]
    for name in ("train", "dev", "test"):
        write_docbin(sentences, tmp_path / "data" / f"{name}.spacy")
    nlp = spacy.blank("en", config={"system": {"seed": 7}})  # as if trained with --training-seed 7
    nlp.add_pipe("csto_line_break_sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "ORG", "pattern": "CSTO"}, {"label": "MISSION", "pattern": "monitoring mission"}])
    nlp.add_pipe("csto_rule_arguments", name="event_arguments", config={"roles": {"MISSION>ORG": "AGENT"}})
    nlp.to_disk(tmp_path / "model")
    return tmp_path / "data", tmp_path / "model"


def test_run_scores_the_pipeline_and_every_baseline_and_fills_the_readme(tmp_path, data_and_model):
    data, model = data_and_model
    out = tmp_path / "evaluation"
    result = runner.invoke(app, ["evaluate", "run", str(model), "--docbins", str(data), "--output", str(out), "--resamples", "50"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert [s["name"] for s in report["systems"]] == ["pipeline", "en_core_web_sm", "en_core_web_md", "keyword triggers", "rules"]
    pipeline = report["systems"][0]
    assert pipeline["scores"]["ORG.strict"]["f"] == 1.0 and pipeline["scores"]["PERSON.strict"]["r"] == 0.0
    assert pipeline["scores_gold_input"]["arg_c.AGENT"]["f"] == 1.0
    assert pipeline["details"]["training_seed"] == 7  # reports of several seeds are averaged by it
    assert {c["b"] for c in report["comparisons"]} == {"en_core_web_sm", "en_core_web_md", "keyword triggers", "rules"}
    assert report["bootstrap"]["unit"] == "article" and report["bootstrap"]["units"] == 2
    for name in ("pipeline", "pipeline.gold-input", "en_core_web_sm", "rules.gold-input"):
        assert (out / "predictions" / f"{name}.jsonl").exists()

    readme = tmp_path / "README.md"
    readme.write_text(f"# csto-events\n\n{README_START}\n{README_END}\n")
    result = runner.invoke(app, ["evaluate", "readme-table", "--report", str(out / "report.json"), "--readme", str(readme)])
    assert result.exit_code == 0, result.output
    text = readme.read_text()
    assert "| pipeline |" in text and "| keyword triggers | — | " in text
