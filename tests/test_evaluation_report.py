"""The report renders from its JSON alone: Markdown, HTML with plots and displaCy, the README table."""
import base64
import copy
import json

import pytest

from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.markup import parse
from csto_events.evaluation.bootstrap import BootstrapSettings
from csto_events.evaluation.documents import gold_from_docs
from csto_events.evaluation.predict import SystemRun
from csto_events.evaluation.report import (
    README_END, README_START, read_report, readme_table, render_html, render_markdown, update_readme, write_report,
)
from csto_events.evaluation.suite import build_report

MARKUP = """# id: doc-1

The [CSTO]{ORG:c} sent a [monitoring mission]{MISSION:m} led by [Zas]{PERSON:z} on [Friday]{DATE:f}.
>> m AGENT c
>> m LEADER z
>> m TIME f

[Zas]{PERSON:z2} met [Ivanov]{PERSON:i} at the [summit]{MEETING:s}.
>> s PARTICIPANT z2
>> s PARTICIPANT i
"""


def without_ivanov(output):
    out = copy.deepcopy(output)
    out["entities"] = [e for e in out["entities"] if e["text"] != "Ivanov"]
    for event in out["events"]:
        event["arguments"] = [a for a in event["arguments"] if a["text"] != "Ivanov"]
    return out


def entities_only(output):
    return {**output, "entities": [e for e in output["entities"] if e["label"] in ("ORG", "PERSON", "DATE")], "events": []}


@pytest.fixture(scope="module")
def report():
    gold = gold_from_docs(records_to_docs([parse(MARKUP)]), "markup")
    main = SystemRun("model", "misses Ivanov", ("entities", "triggers", "arguments"),
                     [without_ivanov(o) for o in gold.outputs], gold_input=gold.outputs)
    ner = SystemRun("ner", "entities only", ("entities",), [entities_only(o) for o in gold.outputs])
    return build_report(gold, [main, ner], BootstrapSettings(resamples=100, unit="text"))


def test_report_is_json_and_keeps_only_what_each_system_predicts(report):
    assert json.loads(json.dumps(report)) == report
    model, ner = report["systems"]
    assert model["scores"]["entities.strict"]["f"] == 0.8889  # 4 of 5, no spurious: 2*4/9
    assert model["scores_gold_input"]["arg_c"]["f"] == 1.0
    assert "trig_c" not in ner["scores"] and ner["scores_gold_input"] is None
    (comparison,) = report["comparisons"]
    assert list(comparison["tests"]) == ["entities.strict"]  # the only metric both predict
    assert comparison["tests"]["entities.strict"]["delta"] == pytest.approx(0.8889 - 1.0, abs=1e-3)


def test_readme_table_has_one_row_per_system_and_dashes_for_the_rest(report):
    table = readme_table(report)
    lines = table.splitlines()
    assert lines[0].startswith("| System | Entities F | Trig-I F")
    assert lines[2].startswith("| model | 88.9 (")
    assert lines[3] == "| ner | 100.0 (100.0–100.0) | — | — | — | — | — |"
    assert "bootstrap interval (100 resamples of 1 texts, seed 0)" in table


def test_update_readme_replaces_only_between_the_markers(report, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nBefore.\n{README_START}\nold table\n{README_END}\nAfter.\n")
    assert update_readme(readme, report) is True
    text = readme.read_text()
    assert "old table" not in text and text.startswith("# Title\n\nBefore.\n") and text.endswith(f"{README_END}\nAfter.\n")
    assert readme_table(report) in text
    assert update_readme(readme, report) is False  # idempotent


def test_update_readme_without_markers_is_an_error(report, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Title\n")
    with pytest.raises(ValueError, match="not found"):
        update_readme(readme, report)
    readme.write_text(f"{README_END}\n{README_START}\n")
    with pytest.raises(ValueError, match="comes before"):
        update_readme(readme, report)


def test_markdown_has_every_section(report):
    md = render_markdown(report)
    for heading in ("## Summary", "## model", "## ner", "## Paired bootstrap comparisons", "## Label confusion (model)",
                    "## Cost", "## Definitions"):
        assert heading in md
    assert "| PERSON | 3 | 2 | 100.0 | 66.7 | 80.0 (" in md
    assert "| Arg-C PARTICIPANT | end to end | 2 | 1 | 100.0 | 50.0 |" in md
    assert "| PERSON | 0 | 2 | 0 | 0 | 0 | 1 |" in md  # confusion row: ORG PERSON DATE MISSION MEETING (none)


def test_html_embeds_plots_and_displacy_errors(report):
    page = render_html(report)
    images = page.split("src='data:image/png;base64,")[1:]
    assert len(images) == 2  # F1 with intervals, confusion matrix (no learning curve here)
    assert base64.b64decode(images[0].split("'")[0])[:4] == b"\x89PNG"
    assert 'class="entities"' in page and "missed span: PERSON “Ivanov”" in page
    assert "missed argument: MEETING “summit” —PARTICIPANT→ “Ivanov”" in page


def test_write_report_round_trips_through_json(report, tmp_path):
    written = write_report(report, tmp_path / "out", {"model": []})
    assert {p.name for p in written} == {"report.json", "report.md", "report.html", "model.jsonl"}
    assert read_report(tmp_path / "out" / "report.json") == report


def test_a_report_names_the_package_versions_and_cpu_it_was_measured_with():
    import spacy

    from csto_events.evaluation.suite import NUMERIC_PACKAGES, environment

    env = environment()
    assert env["spacy"] == spacy.__version__
    assert set(NUMERIC_PACKAGES) <= set(env) and env["numpy"] != "not installed"
    assert env["cpu"] and env["python"].count(".") == 2
