"""Gold loading, prediction files and id/text matching: clear errors, nothing dropped."""
import json

import pytest

from csto_events.corpus.convert import records_to_docs, write_docbin
from csto_events.corpus.records import write_jsonl
from csto_events.corpus.splits import sentence_docs
from csto_events.evaluation.documents import (
    PredictionError, align, check_output, gold_from_docs, load_gold, read_predictions, write_predictions,
)


@pytest.fixture
def gold_jsonl(tmp_path, fixture_records):
    path = tmp_path / "gold.jsonl"
    write_jsonl(path, fixture_records)
    return path


def test_gold_from_jsonl_keeps_every_span_and_link(gold_jsonl, fixture_records):
    gold = load_gold(gold_jsonl)
    assert gold.ids == [str(r.id) for r in fixture_records]
    assert gold.groups == gold.ids  # whole texts: each is its own article
    for record, out in zip(fixture_records, gold.outputs):
        assert len(out["entities"]) == len(record.entities)
        assert sum(len(ev["arguments"]) for ev in out["events"]) == len(record.relations)


def test_gold_from_sentence_docbin_groups_by_article(tmp_path, fixture_records):
    sentences = [s for doc in records_to_docs(fixture_records) for s in sentence_docs(doc)]
    write_docbin(sentences, tmp_path / "test.spacy")
    gold = load_gold(tmp_path / "test.spacy")
    assert len(gold) == len(sentences)
    assert set(gold.groups) == {str(r.id) for r in fixture_records}
    assert all(i.startswith(g + "#") for i, g in zip(gold.ids, gold.groups))


def test_gold_docs_without_ids_are_an_error(fixture_records):
    docs = records_to_docs(fixture_records)
    docs[0].user_data.pop("id")
    with pytest.raises(PredictionError, match="has no id"):
        gold_from_docs(docs, "x.spacy")


def test_prediction_file_errors_name_file_line_and_span(tmp_path):
    path = tmp_path / "pred.jsonl"
    good = {"id": "a", "text": "CSTO met", "entities": [{"label": "ORG", "start": 0, "end": 4, "text": "CSTO"}], "events": []}
    bad_label = dict(good, id="b", entities=[{"label": "GPE", "start": 0, "end": 4}])
    bad_text = dict(good, id="c", entities=[{"label": "ORG", "start": 0, "end": 4, "text": "NATO"}])
    bad_role = dict(good, id="d", events=[{"type": "MEETING", "trigger": {"start": 5, "end": 8},
                                            "arguments": [{"role": "HOST", "label": "ORG", "start": 0, "end": 4}]}])
    no_events = {k: v for k, v in good.items() if k != "events"}
    lines = [json.dumps(good), "{not json", json.dumps(bad_label), json.dumps(bad_text), json.dumps(bad_role),
             json.dumps(dict(good, entities=[{"label": "ORG", "start": 3, "end": 99}])), json.dumps(no_events)]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(PredictionError) as err:
        read_predictions(path)
    message = str(err.value)
    assert "6 problem(s)" in message
    assert f"{path}:2: invalid JSON" in message
    assert f"{path}:3 (document 'b'): entity #0 'CSTO' has label 'GPE'" in message
    assert "says 'NATO' but the text there is 'CSTO'" in message
    assert "has role 'HOST'" in message
    assert f"{path}:6" in message and "outside the text" in message
    assert f"{path}:7: missing key 'events'" in message


def test_prediction_file_round_trip(tmp_path, gold_jsonl):
    gold = load_gold(gold_jsonl)
    write_predictions(tmp_path / "p.jsonl", gold.outputs)
    assert read_predictions(tmp_path / "p.jsonl") == gold.outputs
    assert all(check_output(o, "x") == [] for o in gold.outputs)


def test_align_orders_by_gold_and_rejects_missing_extra_and_changed(gold_jsonl):
    gold = load_gold(gold_jsonl)
    preds = list(reversed(gold.outputs))
    assert [p["id"] for p in align(gold, preds)] == [g["id"] for g in gold.outputs]
    with pytest.raises(PredictionError, match=r"no prediction for gold document 'fixture-b'"):
        align(gold, [o for o in gold.outputs if o["id"] != "fixture-b"])
    with pytest.raises(PredictionError, match="documents not in the gold"):
        align(gold, gold.outputs + [dict(gold.outputs[0], id="zzz")])
    changed = [dict(gold.outputs[0], text=gold.outputs[0]["text"].replace("CSTO", "OTSC", 1))] + gold.outputs[1:]
    with pytest.raises(PredictionError, match="differs from the gold text at character 0"):
        align(gold, changed)
    with pytest.raises(PredictionError, match="duplicate prediction"):
        align(gold, gold.outputs + gold.outputs[:1])
