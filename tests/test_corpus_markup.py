import pytest

from csto_events.corpus.markup import parse, render
from csto_events.corpus.records import CorpusError


def test_markup_builds_text_and_offsets(fixture_records):
    record = fixture_records[0]
    assert record.text.startswith("CSTO weighs monitoring mission\n\nYEREVAN, May 4 (Armenpress)")
    for entity in record.entities:
        assert record.span_text(entity).strip() == record.span_text(entity)
    assert record.meta == {"genre": "brief", "title": "Observers head for the border"}


def test_render_parses_back_to_the_same_record(fixture_records):
    for record in fixture_records:
        again = parse(render(record))
        assert again.text == record.text
        assert again.canonical().entities == record.canonical().entities
        assert again.canonical().relations == record.canonical().relations


@pytest.mark.parametrize(
    "source, message",
    [
        ("[CSTO]{GPE} met.", "unknown label 'GPE'"),
        ("[CSTO]{ORG:a} and [EU]{ORG:a} met.", "id 'a' used twice"),
        ("[talks]{MEETING:t} held.\n>> t AGENT x", "unknown id 'x'"),
        ("A [stray bracket.", "stray '['"),
        ("Text.\n>> broken", "malformed link line"),
    ],
)
def test_markup_errors_name_the_line(source, message):
    with pytest.raises(CorpusError) as info:
        parse(source, "draft.md")
    assert message in str(info.value) and "draft.md:" in str(info.value)
