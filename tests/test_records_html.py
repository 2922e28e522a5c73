"""The records page in a real headless Chromium: the script draws the timeline, filters by type and organisation."""
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from csto_events.records.browser import dump_dom, screenshot
from csto_events.records.html import render_page, write_page
from csto_events.records.table import build_records, enrich

FIXTURE = Path(__file__).parent / "fixtures" / "records" / "extracted.jsonl"


@pytest.fixture(scope="module")
def records():
    found = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        output = json.loads(line)
        base = dt.date.fromisoformat(output["date"])
        found += build_records(enrich(output, base), base)
    return found


def _shapes(dom):
    return re.findall(r'<(?:circle|rect)[^>]*class="event (MISSION|MEETING)([^"]*)"', dom)


def _visible_items(dom):
    return [m.group(1) for m in re.finditer(r'<li id="([^"]+)" class="[A-Z]+"(?! hidden)>', dom)]


def test_page_is_self_contained_and_escapes_the_data(records):
    page = render_page(records)
    assert "<script src" not in page and "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert page.count('<li id="ev-') == 3
    assert "<mark>summit</mark>" in page


def test_timeline_drawn_and_filtered_in_chromium(records, tmp_path):
    page = write_page(records, tmp_path / "records.html")
    dom = dump_dom(page)
    assert 'data-rendered="true"' in dom, "the page's script did not run"
    assert sorted(kind for kind, _ in _shapes(dom)) == ["MEETING", "MISSION", "MISSION"]
    assert [extra.strip() for kind, extra in _shapes(dom) if kind == "MISSION"].count("undated") == 1  # placed at its report date
    assert "3 of 3 events" in dom

    missions = dump_dom(page, "type=MISSION")
    assert sorted(kind for kind, _ in _shapes(missions)) == ["MISSION", "MISSION"]
    assert "2 of 3 events" in missions
    assert _visible_items(missions) == ["ev-brief-1-2", "ev-brief-2-1"]

    eu = dump_dom(page, "org=European%20Union")
    assert [kind for kind, _ in _shapes(eu)] == ["MISSION"] and _visible_items(eu) == ["ev-brief-2-1"]
    # every timeline shape links to its event in the list
    assert set(re.findall(r'<a href="#(ev-[^"]+)"', dom)) == {"ev-brief-1-1", "ev-brief-1-2", "ev-brief-2-1"}


def test_screenshot_is_a_png(records, tmp_path):
    page = write_page(records, tmp_path / "records.html")
    png = screenshot(page, tmp_path / "shot.png", width=800, height=600)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
