"""Long texts: cut into pieces at line breaks (else sentence ends, else spaces), offsets moved back."""
from csto_events.extract.pieces import shift_output, split_text


def test_split_text_cuts_at_line_breaks_then_sentences_then_spaces():
    text = "aaaa bbbb. cccc\ndddd eeee"
    pieces = split_text(text, 12)
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 12 for _, p in pieces)
    assert pieces[0] == (0, "aaaa bbbb. ")  # no line break in the first 12 characters: the sentence end
    assert pieces[1] == (11, "cccc\n")
    assert split_text("x" * 25, 10) == [(0, "x" * 10), (10, "x" * 10), (20, "x" * 5)]
    assert split_text("short", 10) == [(0, "short")]


def test_shift_output_moves_every_offset():
    out = {"id": 1, "text": "t", "entities": [{"label": "ORG", "start": 0, "end": 4, "text": "CSTO"}],
           "events": [{"type": "MISSION", "trigger": {"start": 5, "end": 12, "text": "mission"},
                       "arguments": [{"role": "AGENT", "label": "ORG", "start": 0, "end": 4, "text": "CSTO"}]}]}
    moved = shift_output(out, 100)
    assert moved["entities"][0]["start"] == 100 and moved["events"][0]["trigger"]["end"] == 112
    assert moved["events"][0]["arguments"][0]["end"] == 104
    assert out["entities"][0]["start"] == 0, "the original is not changed"
