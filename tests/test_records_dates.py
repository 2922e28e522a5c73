"""Date values: dateparser for the calendar, the module's own code only where dateparser is wrong for news."""
import datetime as dt
import json
from pathlib import Path

import pytest

from csto_events.records.dates import (
    add_date_values,
    date_from_text,
    date_values,
    document_date,
    normalise,
    parser_only,
    register_span_value,
)

THURSDAY = dt.date(2023, 3, 16)
SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds" / "seeds.jsonl"


@pytest.mark.parametrize(
    "text,value",
    [
        ("October 28, 2022", "2022-10-28"),  # the parser's own work
        ("September 13", "2022-09-13"),
        ("last month", "2023-02"),
        ("last year", "2022"),
        ("12 March 2024", "2024-03-12"),
    ],
)
def test_calendar_expressions_come_from_dateparser(text, value):
    assert normalise(text, THURSDAY) == value


def test_weekday_of_the_document_day_is_that_day_not_a_week_before():
    # dateparser reads "Thursday" in a Thursday article as the Thursday before.
    assert parser_only("Thursday", THURSDAY) == "2023-03-09"
    assert normalise("Thursday", THURSDAY) == "2023-03-16"
    assert normalise("Thursday evening", THURSDAY) == "2023-03-16"
    assert normalise("Monday", THURSDAY) == "2023-03-13"
    assert normalise("last Thursday", THURSDAY) == "2023-03-09"


def test_a_future_verb_moves_a_bare_weekday_or_month_forward():
    assert normalise("Friday", THURSDAY, future=True) == "2023-03-17"
    assert normalise("May", THURSDAY, future=True) == "2023-05"
    assert normalise("May", THURSDAY, future=False) == "2023-05"  # two months ahead is nearer than ten back
    assert normalise("December", THURSDAY) == "2022-12"  # three back beats nine ahead
    assert normalise("June 4", dt.date(2026, 3, 11)) == "2026-06-04"
    assert normalise("September 13", THURSDAY) == "2022-09-13"  # six months either way: the past
    assert normalise("until Sunday", THURSDAY) is not None
    text = "Rooms remain available until Sunday."
    assert list(date_values(text, [(text.find("Sunday"), text.find("Sunday") + 6)], THURSDAY).values()) == ["2023-03-19"]
    text = "The ministers will meet on Friday. They met on Friday."
    first, second = text.find("Friday"), text.rfind("Friday")
    values = date_values(text, [(first, first + 6), (second, second + 6)], THURSDAY)
    assert list(values.values()) == ["2023-03-17", "2023-03-10"]


def test_a_bare_month_has_month_granularity():
    assert normalise("September", THURSDAY) == "2022-09"
    assert normalise("March", THURSDAY) == "2023-03"  # the document's own month
    assert normalise("mid-September", THURSDAY) == "2022-09"  # dateparser: nothing


def test_durations_are_not_dates():
    assert parser_only("two-year", THURSDAY) == "2023-02"  # dateparser's reading
    assert normalise("two-year", THURSDAY) == "P2Y"
    assert normalise("two-day", THURSDAY) == "P2D"
    assert normalise("a week", THURSDAY) == "P1W"
    assert normalise("five years", THURSDAY) == "P5Y"
    assert normalise("the past two years", THURSDAY) == "P2Y"
    assert normalise("several days", THURSDAY) == "PXD"


def test_frequencies_and_vague_references():
    assert normalise("daily", THURSDAY) == "R/P1D"
    assert normalise("annual", THURSDAY) == "R/P1Y"
    assert normalise("neat future", THURSDAY) == "FUTURE_REF"  # the seed's typo
    assert normalise("recently", THURSDAY) == "PAST_REF"


def test_ranges_seasons_and_relative_units():
    assert normalise("years 2021-2022", THURSDAY) == "2021/2022"
    assert normalise("September 13-14", THURSDAY) == "2022-09-13/2022-09-14"
    assert normalise("from May 3 to May 5", THURSDAY) == "2023-05-03/2023-05-05"
    assert normalise("November next year", THURSDAY) == "2024-11"
    assert normalise("the first quarter", THURSDAY) == "2023-Q1"
    assert normalise("weekend", dt.date(2025, 9, 8)) == "2025-W36-WE"
    assert normalise("every Monday", THURSDAY) == "R/P1W"
    assert normalise("two more years", THURSDAY) == "P2Y"
    assert normalise("days", THURSDAY) == "PXD"
    assert normalise("earlier this month", THURSDAY) == "2023-03"
    assert normalise("next week", THURSDAY) == "2023-W12"
    assert normalise("this spring", THURSDAY) == "2023-SP"
    assert normalise("the 1990s", THURSDAY) == "199"


def test_a_day_later_counts_from_the_last_day_the_text_named():
    text = "The clashes began on September 13. A day later a plane landed."
    spans = [(21, 33), (35, 46)]
    assert [text[a:b] for a, b in spans] == ["September 13", "A day later"]
    assert date_values(text, spans, dt.date(2022, 12, 19))[(35, 46)] == "2022-09-14"
    assert normalise("a day later", dt.date(2022, 12, 19)) == "2022-12-20"  # no anchor: the document's day


def test_in_a_duration_after_a_future_verb_is_a_day():
    text = "The IPRM is expected to convene again in two weeks."
    start = text.find("two weeks")
    assert date_values(text, [(start, start + 9)], dt.date(2025, 5, 14))[(start, start + 9)] == "2025-05-28"
    text = "The talks lasted two weeks."
    start = text.find("two weeks")
    assert date_values(text, [(start, start + 9)], dt.date(2025, 5, 14))[(start, start + 9)] == "P2W"


def test_a_part_of_the_day_alone_is_the_last_day_named():
    text = "They met on Tuesday. The session ran into the evening."
    spans = [(text.find("Tuesday"), text.find("Tuesday") + 7), (text.find("evening"), text.find("evening") + 7)]
    assert list(date_values(text, spans, dt.date(2025, 5, 14)).values()) == ["2025-05-13", "2025-05-13"]


def test_without_a_document_date_values_stay_underspecified():
    assert normalise("Thursday", None) == "XXXX-WXX-4"
    assert normalise("September 13", None) == "XXXX-09-13"
    assert normalise("October 28, 2022", None) == "2022-10-28"
    assert normalise("last month", None) == "PAST_REF"


def test_document_date_from_field_header_dateline_or_default():
    assert date_from_text(" date 2023-03-16 The Secretary General ...") == THURSDAY
    assert date_from_text("Headline\n\n12 March 2024 Read: 487\n") == dt.date(2024, 3, 12)
    assert date_from_text("Sep. 13 () –\nThe member countries") is None  # no year: not a date to resolve against
    assert document_date("Sep. 13 () –", field="2022-09-13") == dt.date(2022, 9, 13)
    assert document_date("no date here", default="2022-01-02") == dt.date(2022, 1, 2)
    assert document_date(" date 2023-03-16 text", default="2022-01-02") == THURSDAY  # its own date wins
    with pytest.raises(ValueError, match="doc-7.*13/09/2022"):
        document_date("x", field="13/09/2022", where="doc-7")


def test_add_date_values_writes_value_on_date_entities_only():
    output = {
        "text": "The CSTO met on Thursday.",
        "entities": [{"label": "ORG", "start": 4, "end": 8, "text": "CSTO"}, {"label": "DATE", "start": 16, "end": 24, "text": "Thursday"}],
    }
    add_date_values(output, THURSDAY)
    assert "value" not in output["entities"][0]
    assert output["entities"][1]["value"] == "2023-03-16"


def test_span_value_extension_reads_the_document_date():
    import spacy

    register_span_value()
    nlp = spacy.blank("en")
    doc = nlp("The clashes began on September 13. A day later a plane landed.")
    doc.ents = [doc.char_span(21, 33, "DATE"), doc.char_span(35, 46, "DATE")]
    doc._.doc_date = "2022-12-19"
    assert [ent._.value for ent in doc.ents] == ["2022-09-13", "2022-09-14"]


def test_seed_gold_values_cover_every_date_span():
    for line in SEEDS.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = {f"{e['start_offset']}-{e['end_offset']}" for e in record["entities"] if e["label"] == "DATE"}
        assert set(record["date_values"]) == spans, record["id"]
        assert dt.date.fromisoformat(record["date"])


def test_corpus_gold_values_cover_the_date_spans_of_at_least_20_texts():
    from csto_events.corpus.records import read_jsonl

    texts = 0
    for path in sorted((SEEDS.parents[1] / "extra").glob("h[1-5].jsonl")):
        for record in read_jsonl(path):
            if "date_values" not in record.meta:
                continue
            texts += 1
            spans = {f"{e.start_offset}-{e.end_offset}" for e in record.entities if e.label == "DATE"}
            assert set(record.meta["date_values"]) == spans, record.where
            assert dt.date.fromisoformat(record.meta["date"]), record.where
    assert texts >= 20
