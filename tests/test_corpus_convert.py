"""JSONL -> Doc -> DocBin -> JSONL keeps every span and link."""
import json

from csto_events.corpus.build import convert_corpus
from csto_events.corpus.convert import (
    count_annotations,
    doc_to_record,
    read_docbin,
    records_to_docs,
    write_docbin,
)
from csto_events.corpus.records import count_records, read_jsonl, write_jsonl
from csto_events.pipeline.events import doc_to_output


def test_round_trip_through_docbin(tmp_path, fixture_records):
    write_jsonl(tmp_path / "gold.jsonl", fixture_records)
    records = list(read_jsonl(tmp_path / "gold.jsonl"))
    write_docbin(records_to_docs(records), tmp_path / "gold.spacy")
    back = [doc_to_record(doc) for doc in read_docbin(tmp_path / "gold.spacy")]
    for before, after in zip(records, back):
        before, after = before.canonical(), after.canonical()
        assert (after.id, after.text, after.meta) == (before.id, before.text, before.meta)
        assert after.entities == before.entities
        assert after.relations == before.relations


def test_events_follow_links(fixture_records):
    doc = records_to_docs(fixture_records[:1])[0]
    events = {(e.trigger.text, e.trigger.start): e for e in doc._.events}
    assert len(events) == 3  # every trigger has an event, linked or not
    main = next(e for e in doc._.events if len(e.arguments) == 4)
    assert {(a.role, a.span.text) for a in main.arguments} == {
        ("AGENT", "Collective Security Treaty Organization"),
        ("AGENT", "CSTO"),
        ("TIME", "two-week"),
        ("LEADER", "Aigerim Sadykova"),
    }
    output = doc_to_output(doc)
    json.dumps(output)
    assert output["id"] == "fixture-a"
    for entity in output["entities"]:
        assert output["text"][entity["start"] : entity["end"]] == entity["text"]


def test_convert_corpus_counts_and_splits(tmp_path, fixture_records):
    write_jsonl(tmp_path / "corpus" / "gold.jsonl", fixture_records)
    report = convert_corpus([tmp_path / "corpus"], tmp_path / "out", seed=0)
    assert report.counts_in == report.counts_out == count_records(fixture_records)
    manifest = json.loads((tmp_path / "out" / "splits.json").read_text())
    assigned = [s for ids in manifest["sentences"].values() for s in ids]
    assert len(assigned) == len(set(assigned)) == sum(v["sentences"] for v in manifest["sizes"].values())
    split_docs = [d for name in ("train", "dev", "test") for d in read_docbin(tmp_path / "out" / f"{name}.spacy")]
    kinds = [k for k in report.counts_out if k != "texts"]
    assert {k: count_annotations(split_docs)[k] for k in kinds} == {k: report.counts_out[k] for k in kinds}


def test_convert_writes_nothing_when_invalid(tmp_path, fixture_records):
    record = fixture_records[0]
    record.relations[0] = type(record.relations[0])(1, record.relations[0].to_id, record.relations[0].from_id, "AGENT")
    write_jsonl(tmp_path / "corpus" / "gold.jsonl", [record])
    try:
        convert_corpus([tmp_path / "corpus"], tmp_path / "out")
    except ValueError:
        pass
    else:
        raise AssertionError("invalid corpus converted")
    assert not (tmp_path / "out").exists()
