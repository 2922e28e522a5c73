"""Header, dateline and page DATEs are recognised from their line alone (guidelines, decision 36)."""
import json
from pathlib import Path

import pytest

from csto_events.pipeline.datelines import is_dateline_date

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _check(text: str, date: str) -> bool:
    start = text.index(date)
    return is_dateline_date(text, start, start + len(date))


@pytest.mark.parametrize("text, date", [
    (" date 2023-03-16 The Secretary General arrived on Thursday.", "2023-03-16"),
    ("Date: 2025-05-23\nPrime ministers met in Minsk.", "2025-05-23"),
    ("YEREVAN, March 3 (Armenpress) - The mission arrived.", "March 3"),
    ("Addis Ababa, 3 March 2025 - The summit opened.", "3 March 2025"),
    ("BATKEN, Kyrgyzstan, December 4 (Reuters) - A team arrived.", "December 4"),
    ("Sep. 13 () – The meeting was convened on Tuesday.", "Sep. 13"),
    ("Title\n14 May 2024    Read: 212\nBody.", "14 May 2024"),
])
def test_headers_datelines_and_page_dates(text, date):
    assert _check(text, date)


@pytest.mark.parametrize("text, date", [
    ("March 6 - The CSTO Permanent Council meets in Moscow.", "March 6"),  # a timeline entry is linked
    ("On Monday, the CSTO sent a mission.", "Monday"),
    ("Thursday's meeting in Yerevan was postponed.", "Thursday"),
    ("Later on Tuesday, the envoy met the minister.", "Tuesday"),
    ("The mission, sent in May (after the clashes), left.", "May"),
    ("Q: In March 2021 the CSTO sent an assessment mission.", "March 2021"),
])
def test_dates_of_events_are_not_datelines(text, date):
    assert not _check(text, date)


def test_on_the_shipped_gold_the_rule_never_meets_a_linked_date_and_finds_every_header():
    """Every DATE the rule marks in the corpus is unlinked in the gold, and every
    `date YYYY-MM-DD` header and agency-tag dateline is marked."""
    marked, headers = 0, 0
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            record = json.loads(line)
            text, linked = record["text"], {r["to_id"] for r in record["relations"]}
            for entity in record["entities"]:
                if entity["label"] != "DATE":
                    continue
                start, end = entity["start_offset"], entity["end_offset"]
                before = text[text.rfind("\n", 0, start) + 1 : start].strip(" \u00a0")
                agency_tag = text[end:].lstrip(" ").startswith("(")
                if before.lower() == "date" or (agency_tag and (before == "" or before.endswith(","))):
                    headers += 1
                    assert is_dateline_date(text, start, end), f"{path}:{n}: header {text[start:end]!r} not marked"
                if is_dateline_date(text, start, end):
                    marked += 1
                    assert entity["id"] not in linked, f"{path}:{n}: linked DATE {text[start:end]!r} marked as a dateline"
    assert marked >= 50 and headers >= 40, (marked, headers)
