"""``doc._.events`` and the Output format."""
import spacy
from spacy.tokens import Span

import csto_events.pipeline  # noqa: F401  (registers the Doc extensions)
from csto_events.pipeline.events import doc_to_output


def test_output_keeps_only_the_schemes_labels():
    nlp = spacy.blank("en")
    doc = nlp("The OSCE sent a team, 4 percent of its staff, on Monday.")
    doc.ents = [Span(doc, 1, 2, "ORG"), Span(doc, 4, 5, "MISSION"), Span(doc, 6, 8, "PERCENT"), Span(doc, 13, 14, "DATE")]
    doc._.event_links = [[4, 5, 1, 2, "AGENT"]]
    output = doc_to_output(doc, "x")
    assert [(e["label"], e["text"]) for e in output["entities"]] == [("ORG", "OSCE"), ("MISSION", "team"), ("DATE", "Monday")]
    assert output["events"] == [{"type": "MISSION", "trigger": {"start": 16, "end": 20, "text": "team"},
                                 "arguments": [{"role": "AGENT", "label": "ORG", "start": 4, "end": 8, "text": "OSCE"}]}]
