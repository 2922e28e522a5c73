"""``csto-events records`` end to end: extracted JSONL without a pipeline, .txt through a real (rule-based) pipeline."""
import csv
import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from csto_events.cli import app
from csto_events.errors import DataError
from csto_events.records import commands
from csto_events.records.run import DEFAULT_MODEL, read_documents, write_records

FIXTURE = Path(__file__).parent / "fixtures" / "records" / "extracted.jsonl"


@pytest.fixture(scope="module")
def rule_pipeline(tmp_path_factory):
    """A real saved pipeline that finds a few spans by rule (no training needed for what records does with them)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "OSCE"}, {"label": "MISSION", "pattern": "monitoring mission"},
                        {"label": "DATE", "pattern": "Thursday"}])
    path = tmp_path_factory.mktemp("model") / "rules"
    nlp.to_disk(path)
    return path


def test_extracted_jsonl_needs_no_pipeline(tmp_path):
    result = write_records([FIXTURE], tmp_path / "out", model=tmp_path / "no-such-model", html=tmp_path / "out" / "page.html")
    assert (result["documents"], result["mentions"], result["records"]) == (2, 6, 3)
    rows = list(csv.DictReader((tmp_path / "out" / "records.csv").open(encoding="utf-8")))
    assert [r["type"] for r in rows] == ["MEETING", "MISSION", "MISSION"]
    enriched = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    dates = [e for e in enriched[0]["entities"] if e["label"] == "DATE"]
    assert [d["value"] for d in dates] == ["P2D", "2025-11-27"]
    assert {e["canonical"] for e in enriched[0]["entities"] if e["text"] == "CSTO"} == {"Collective Security Treaty Organization"}
    assert (tmp_path / "out" / "page.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_text_files_go_through_the_pipeline_with_their_header_date(tmp_path, rule_pipeline):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "a.txt").write_text(" date 2023-03-16 The OSCE sent a monitoring mission on Thursday.\n", encoding="utf-8")
    (folder / "b.txt").write_text("The OSCE monitoring mission left on Thursday.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["records", str(folder), "--output", str(tmp_path / "out"), "--model", str(rule_pipeline), "--doc-date", "2023-03-25"])
    assert result.exit_code == 0, result.output
    assert "2 document(s), 2 event mention(s) -> 2 record(s)" in result.output
    enriched = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    values = [[e.get("value") for e in out["entities"] if e["label"] == "DATE"] for out in enriched]
    assert values == [["2023-03-16"], ["2023-03-23"]]  # a by its own header; b by --doc-date (a Saturday)


def test_bad_input_is_named_by_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "a"}\n{"id": "x", "text": "b"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:2: document id 'x' is already used by .*bad.jsonl:1"):
        read_documents([bad])
    bad.write_text('{"id": "x", "text": "a"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad.jsonl:2: malformed JSON"):
        read_documents([bad])
    bad.write_text('{"id": "x", "text": "a", "date": "13/09/2022"}\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["records", str(bad), "--output", str(tmp_path / "o"), "--model", str(tmp_path / "none")])
    assert result.exit_code == 1  # needs the pipeline for this line; the missing model is reported, not a traceback


def test_command_default_model_matches_run():
    assert commands.DEFAULT_MODEL == DEFAULT_MODEL


def test_a_folder_of_extracted_shards_is_read_like_distributed_extract_output(tmp_path):
    shards = tmp_path / "extracted"
    shards.mkdir()
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    (shards / "a.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    (shards / "b.jsonl").write_text(lines[1] + "\n", encoding="utf-8")
    (shards / ".b.jsonl.tmp-123.jsonl").write_text("not json\n", encoding="utf-8")  # a half-written shard is never read
    (shards / "manifest.json").write_text("{}", encoding="utf-8")
    assert [d.id for d in read_documents([shards])] == ["brief-1", "brief-2"]
    result = write_records([shards], tmp_path / "out", model=tmp_path / "no-such-model")
    assert result["records"] == 3
