"""Reading texts and checking them before an upload (no server needed; see test_annotate_doccano.py)."""
from pathlib import Path

import pytest

from csto_events.annotate.labels import relation_types, span_types
from csto_events.annotate.push import (
    PushError,
    check_for_upload,
    load_texts,
    strip_annotations,
    upload_problems,
    upload_row,
)
from csto_events.corpus.records import CorpusError, Entity, Record, Relation, write_jsonl
from csto_events.pipeline.scheme import ROLES, SPAN_LABELS

FIXTURES = Path(__file__).parent / "fixtures"
ANNOTATE = FIXTURES / "annotate"


def test_label_styles_cover_the_scheme_with_distinct_keys():
    spans, relations = span_types(), relation_types()
    assert [t["text"] for t in spans] == list(SPAN_LABELS)
    assert [t["text"] for t in relations] == list(ROLES)
    for kind in (spans, relations):
        keys = [t["suffix_key"] for t in kind]
        assert len(set(keys)) == len(keys)
        assert all(len(t["color"]) == 7 and t["color"].startswith("#") for t in kind)
        int(kind[0]["color"][1:], 16)


def test_load_texts_reads_txt_markup_and_jsonl(tmp_path):
    jsonl = tmp_path / "two.jsonl"
    write_jsonl(jsonl, [Record("j1", "The CSTO met."), Record(7, "Zas spoke.")])
    records = load_texts([ANNOTATE / "texts", FIXTURES / "brief-a.md", jsonl])
    assert [r.id for r in records] == ["dispatch-1", "dispatch-2", "fixture-a", "j1", 7]
    txt = records[1]
    assert txt.text.endswith("joint statement.") and not txt.entities
    assert "\n\n" in txt.text
    assert records[2].entities and records[2].relations


def test_load_texts_names_the_missing_file(tmp_path):
    with pytest.raises(CorpusError, match="nope.txt: no such file"):
        load_texts([tmp_path / "nope.txt"])


def test_upload_problems_find_what_doccano_would_mangle():
    record = Record(
        "d",
        "CSTO sent Zas.",
        [Entity(1, "ORG", 0, 4), Entity(2, "ORG", 2, 9), Entity(3, "PERSON", 10, 30), Entity(4, "GPE", 0, 4)],
        [Relation(1, 1, 9, "AGENT"), Relation(2, 1, 3, "HOSTS")],
        path="f.jsonl",
        line=3,
    )
    messages = [str(p) for p in upload_problems(record)]
    assert any("overlaps" in m and "'CSTO'" in m for m in messages)
    assert any("offsets outside the text (length 14)" in m for m in messages)
    assert any("unknown label 'GPE'" in m for m in messages)
    assert any("missing entity id(s) [9]" in m for m in messages)
    assert any("unknown role 'HOSTS'" in m for m in messages)
    assert all(m.startswith("f.jsonl:3 (document 'd')") for m in messages)


def test_gold_with_an_invalid_span_is_refused_naming_file_document_and_span():
    records = load_texts([ANNOTATE / "invalid-spans.jsonl"])
    with pytest.raises(PushError) as caught:
        check_for_upload(records, strict=True)
    message = str(caught.value)
    assert "2 problem(s) found before uploading; nothing was pushed" in message
    # What doccano would store wrong (an end past the text) ...
    assert "invalid-spans.jsonl:2 (document 'bad-offsets'): span 8-40 'Pashinyan.' [PERSON]" in message
    # ... and what the corpus validator refuses (a determiner), in one report.
    assert "invalid-spans.jsonl:1 (document 'bad-determiner'): span 0-8 'The CSTO' [ORG]" in message
    assert "starts with the determiner 'The'" in message


def test_strict_check_reports_scheme_problems_that_doccano_would_accept():
    records = load_texts([ANNOTATE / "invalid-spans.jsonl"])[:1]
    with pytest.raises(PushError, match="starts with the determiner 'The'"):
        check_for_upload(records, strict=True)
    # Predictions are pushed to be corrected: the same problem is a warning there.
    warnings = check_for_upload(records, strict=False)
    assert len(warnings) == 1 and "'The CSTO' [ORG]" in warnings[0]


def test_duplicate_document_ids_are_refused():
    records = [Record("x", "One."), Record("x", "Two.", path="b.jsonl", line=2)]
    with pytest.raises(PushError, match="b.jsonl:2 .*duplicate document id"):
        check_for_upload(records)


def test_upload_row_keeps_id_and_metadata_apart_from_doccano_keys(fixture_records):
    record = fixture_records[0]
    row = upload_row(record)
    assert row["document_id"] == "fixture-a" and row["metadata"] == record.meta
    assert len(row["entities"]) == len(record.entities) and len(row["relations"]) == len(record.relations)
    assert strip_annotations([record])[0].entities == []
