"""The shared fixture pipeline (``fixture_pipeline`` in conftest.py) really finds events with arguments."""
import spacy


def test_fixture_pipeline_finds_events_with_arguments(fixture_pipeline, fixture_texts):
    nlp = spacy.load(fixture_pipeline)
    docs = list(nlp.pipe(fixture_texts))
    events = [event for doc in docs for event in doc._.events]
    assert {e.type for e in events} == {"MISSION", "MEETING"}
    linked = {(e.trigger.text, a.role, a.span.text) for e in events for a in e.arguments}
    assert ("monitoring mission", "LEADER", "Aigerim Sadykova") in linked
    assert ("extraordinary session", "AGENT", "European Union") in linked
