"""Predicting with a pipeline, end to end and from gold entities, with a stand-in argument component.

The stand-in is a real spaCy component registered here: it reads doc.ents and
writes doc._.event_links (the contract of "event_arguments"), linking every
allowed same-sentence pair with the first role the scheme allows. Its scores
are worked out by hand below.
"""
import pytest
import spacy
from spacy.language import Language

from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.markup import parse
from csto_events.evaluation.bootstrap import BootstrapSettings
from csto_events.evaluation.documents import gold_from_docs
from csto_events.evaluation.predict import predict, predict_from_gold_entities, run_pipeline
from csto_events.evaluation.suite import build_report
from csto_events.pipeline.events import set_links
from csto_events.pipeline.scheme import ENTITY_LABELS, TRIGGER_LABELS, allowed_roles

MARKUP = """# id: doc-1

The [CSTO]{ORG:c} sent a [monitoring mission]{MISSION:m} led by [Zas]{PERSON:z} on [Friday]{DATE:f}.
>> m AGENT c
>> m LEADER z
>> m TIME f

[Zas]{PERSON:z2} met [Ivanov]{PERSON:i} at the [summit]{MEETING:s}.
>> s PARTICIPANT z2
>> s PARTICIPANT i
"""


@Language.factory("test_link_every_allowed_pair", assigns=["doc._.event_links"])
def make_link_every_allowed_pair(nlp, name):
    def link(doc):
        sentence = {t.i: t.sent.start for t in doc}
        links = [
            (t.start, t.end, e.start, e.end, allowed_roles(t.label_, e.label_)[0])
            for t in doc.ents if t.label_ in TRIGGER_LABELS
            for e in doc.ents if e.label_ in ENTITY_LABELS
            if allowed_roles(t.label_, e.label_) and sentence[t.start] == sentence[e.start]
        ]
        set_links(doc, links)
        return doc

    return link


@pytest.fixture(scope="module")
def gold():
    return gold_from_docs(records_to_docs([parse(MARKUP)]), "markup")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "ORG", "pattern": "CSTO"}, {"label": "PERSON", "pattern": "Zas"},
                        {"label": "MISSION", "pattern": "monitoring mission"}])
    nlp.add_pipe("test_link_every_allowed_pair", name="event_arguments")
    return nlp


def test_end_to_end_predictions_are_output_dicts_with_gold_ids(nlp, gold):
    (out,) = predict(nlp, gold)
    assert out["id"] == "doc-1" and out["text"] == gold.outputs[0]["text"]
    assert [e["text"] for e in out["entities"]] == ["CSTO", "monitoring mission", "Zas", "Zas"]
    (event,) = out["events"]
    assert [(a["role"], a["text"]) for a in event["arguments"]] == [("AGENT", "CSTO"), ("AGENT", "Zas")]


def test_gold_input_runs_the_component_on_gold_entities_only(nlp, gold):
    (out,), widened = predict_from_gold_entities(nlp, gold)
    assert widened == 0
    assert out["entities"] == gold.outputs[0]["entities"]  # the ruler's entities were replaced
    links = {(ev["trigger"]["text"], a["role"], a["text"]) for ev in out["events"] for a in ev["arguments"]}
    assert links == {("monitoring mission", "AGENT", "CSTO"), ("monitoring mission", "AGENT", "Zas"),
                     ("monitoring mission", "TIME", "Friday"), ("summit", "AGENT", "Zas"), ("summit", "AGENT", "Ivanov")}


def test_gold_input_needs_the_component(gold):
    bare = spacy.blank("en")
    with pytest.raises(ValueError, match="no 'event_arguments' component"):
        predict_from_gold_entities(bare, gold)


def test_scores_of_both_settings_by_hand(nlp, gold):
    run = run_pipeline(nlp, gold, "stand-in", "entity ruler + link every allowed pair")
    assert run.gold_input is not None
    report = build_report(gold, [run], BootstrapSettings(resamples=50, unit="text"))
    (system,) = report["systems"]
    e2e, from_gold = system["scores"], system["scores_gold_input"]
    # entities: CSTO, Zas, Zas of CSTO, Zas, Friday, Zas, Ivanov -> P 1, R 3/5
    assert (e2e["entities.strict"]["p"], e2e["entities.strict"]["r"], e2e["entities.strict"]["f"]) == (1.0, 0.6, 0.75)
    # end to end: AGENT CSTO right, AGENT Zas wrong role; 5 gold arguments
    assert (e2e["arg_c"]["p"], e2e["arg_c"]["r"], e2e["arg_c"]["f"]) == (0.5, 0.2, 0.2857)
    assert (e2e["arg_i"]["p"], e2e["arg_i"]["r"], e2e["arg_i"]["f"]) == (1.0, 0.4, 0.5714)
    # from gold entities: all 5 pairs found, only AGENT CSTO and TIME Friday have the right role
    assert (from_gold["arg_i"]["f"], from_gold["arg_c"]["f"]) == (1.0, 0.4)
    assert from_gold["arg_c.PARTICIPANT"]["r"] == 0.0 and from_gold["arg_c.TIME"]["f"] == 1.0
    assert "f_ci" in from_gold["arg_c"] and report["bootstrap"]["units"] == 1
    assert system["error_texts"] == 1 and system["error_examples"][0]["id"] == "doc-1"
