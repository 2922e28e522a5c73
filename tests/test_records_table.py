"""Records from mentions: merged arguments under canonical names, start and end, the sentence and its offsets."""
import csv
import datetime as dt
import json
from pathlib import Path

from csto_events.records.table import CSV_COLUMNS, build_records, enrich, sentence_bounds, write_tables

FIXTURE = Path(__file__).parent / "fixtures" / "records" / "extracted.jsonl"


def _outputs():
    return [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def test_one_record_per_event_with_the_union_of_arguments():
    output = _outputs()[0]
    records = build_records(enrich(output, dt.date(2025, 11, 27)), dt.date(2025, 11, 27))
    assert [(r.type, len(r.mentions)) for r in records] == [("MEETING", 3), ("MISSION", 1)]
    summit, mission = records
    assert summit.trigger == "summit" and summit.trigger_start == output["text"].index("summit", 40)  # the body's, not the headline's
    # "Collective Security Treaty Organization" and "CSTO" twice fold into one participant
    assert summit.participants == ["Collective Security Treaty Organization", "Stanislav Zas"]
    assert (summit.start, summit.end) == ("2025-11-27", "2025-11-28")  # Thursday, two days
    assert mission.agent == ["Collective Security Treaty Organization"] and mission.leader == ["Anatoly Sidorov"]
    assert mission.start == "" and mission.reported == "2025-11-27"
    text = output["text"]
    assert text[summit.sentence_start:summit.sentence_end] == summit.sentence
    assert summit.sentence.startswith("MINSK - The Collective") and summit.sentence.endswith("on Thursday.")


def test_sentence_bounds_stop_at_line_breaks_and_full_stops():
    text = "Headline line\nFirst one. Second one here. Third."
    start = text.index("Second")
    left, right = sentence_bounds(text, start, start + 6)
    assert text[left:right] == "Second one here."
    assert text[slice(*sentence_bounds(text, 0, 8))] == "Headline line"


def test_tables_have_one_row_per_record(tmp_path):
    records = []
    for output in _outputs():
        base = dt.date.fromisoformat(output["date"])
        records += build_records(enrich(output, base), base)
    csv_path, jsonl_path = write_tables(records, tmp_path)
    rows = list(csv.DictReader(csv_path.open(encoding="utf-8")))
    assert list(rows[0]) == CSV_COLUMNS and len(rows) == 3
    assert rows[2]["leader"] == "Maria Keller" and rows[2]["agent"] == "European Union" and rows[2]["start"] == "2025-05-03"
    assert rows[2]["mentions"] == "2"
    assert [json.loads(line)["event"] for line in jsonl_path.read_text(encoding="utf-8").splitlines()] == ["brief-1#1", "brief-1#2", "brief-2#1"]
