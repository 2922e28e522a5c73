"""Turning doccano's export rows into corpus records (no server needed; see test_annotate_doccano.py)."""
import pytest

from csto_events.annotate.pull import row_to_record, rows_to_records
from csto_events.annotate.push import upload_row
from csto_events.corpus.records import CorpusError


def _exported(record, example_id, first_span_id):
    """A row as doccano exports it: its own example id, global span and relation ids."""
    row = upload_row(record)
    shift = first_span_id - 1
    row["id"] = example_id
    row["entities"] = [{**e, "id": e["id"] + shift} for e in reversed(row["entities"])]
    row["relations"] = [
        {**r, "id": r["id"] + 500, "from_id": r["from_id"] + shift, "to_id": r["to_id"] + shift}
        for r in row["relations"]
    ]
    row["Comments"] = []
    return row


def test_exported_rows_become_the_pushed_records(fixture_records):
    rows = [_exported(r, 40 - i, 100 * (i + 1)) for i, r in enumerate(fixture_records)]
    pulled = rows_to_records(rows, origin="doccano:test")
    # Rows come back in the order the server created them (example ids 39, 40).
    assert [r.id for r in pulled] == [r.id for r in reversed(fixture_records)]
    for got, sent in zip(pulled, reversed(fixture_records), strict=True):
        expected = sent.canonical()
        assert (got.text, got.entities, got.relations, got.meta) == (
            expected.text, expected.entities, expected.relations, expected.meta)


def test_texts_added_in_doccano_get_an_id_and_keep_comments():
    row = {"id": 12, "text": "Zas met Pashinyan.", "source": "ui", "entities": [], "relations": [],
           "Comments": [{"id": 3, "comment": "check the date"}]}
    record = row_to_record(row, "doccano:test", 1)
    assert record.id == "doccano-12"
    assert record.meta == {"source": "ui", "doccano_comments": ["check the date"]}


def test_a_relation_to_a_span_outside_the_export_is_an_error():
    row = {"id": 5, "text": "CSTO met.", "document_id": "d", "metadata": {},
           "entities": [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 4}],
           "relations": [{"id": 2, "from_id": 3, "to_id": 1, "type": "AGENT"}]}
    with pytest.raises(CorpusError, match=r"doccano:test/examples/5:1 \(document 'd'\).*point to spans"):
        row_to_record(row, "doccano:test", 1)
