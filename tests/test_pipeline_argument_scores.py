"""Arg-I and Arg-C are counted once: the training scorer and the evaluation metrics agree.

Text: "CSTO sent a monitoring mission led by Zas." Gold: MISSION "monitoring
mission" with AGENT CSTO and LEADER Zas. Every expected count is worked out
by hand.
"""
import spacy
from spacy.tokens import Span
from spacy.training import Example

import csto_events.pipeline  # noqa: F401  (registers the Doc extensions)
from csto_events.evaluation.metrics import INDEX, document_counts
from csto_events.pipeline.argument_scores import ARGUMENT_METRICS, argument_counts, output_arguments
from csto_events.pipeline.event_arguments import score_event_arguments
from csto_events.pipeline.events import doc_to_output

TEXT = "CSTO sent a monitoring mission led by Zas."
# token offsets: CSTO 0, monitoring mission 3-5, Zas 7
TRIGGER, AGENT, LEADER = (3, 5), (0, 1), (7, 8)


def make_doc(trigger_label, links):
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    doc.ents = [Span(doc, *AGENT, "ORG"), Span(doc, *TRIGGER, trigger_label), Span(doc, *LEADER, "PERSON")]
    doc._.event_links = [[*TRIGGER, *span, role] for span, role in links]
    return doc


GOLD_LINKS = [(AGENT, "AGENT"), (LEADER, "LEADER")]


def test_argument_counts_by_hand():
    gold = output_arguments(doc_to_output(make_doc("MISSION", GOLD_LINKS)))
    # The leader is found with the wrong role, the agent is missed.
    pred = output_arguments(doc_to_output(make_doc("MISSION", [(LEADER, "AGENT")])))
    counts = argument_counts(gold, pred)
    assert set(counts) == set(ARGUMENT_METRICS)
    assert counts["arg_i"] == (1, 1, 1, 2)
    assert counts["arg_c"] == (0, 1, 0, 2)
    # Identification per role files the predicted pair under its gold role, LEADER.
    assert counts["arg_i.LEADER"] == (1, 1, 1, 1)
    assert counts["arg_i.AGENT"] == (0, 0, 0, 1)
    assert counts["arg_c.AGENT"] == (0, 1, 0, 1)


def test_a_wrong_event_type_is_identified_but_not_classified():
    """Arg-I asks for the two spans only, as the report always counted it; Arg-C also for the type."""
    gold = make_doc("MISSION", GOLD_LINKS)
    pred = make_doc("MEETING", [(AGENT, "AGENT")])
    scores = score_event_arguments([Example(pred, gold)])
    assert (scores["arg_i_p"], scores["arg_i_r"]) == (1.0, 0.5)
    assert (scores["arg_c_p"], scores["arg_c_r"]) == (0.0, 0.0)
    assert scores["arg_c_per_role"]["AGENT"] == {"p": 0.0, "r": 0.0, "f": 0.0}


def test_training_scorer_equals_the_evaluation_metrics():
    gold = make_doc("MISSION", GOLD_LINKS)
    for pred in (make_doc("MEETING", [(AGENT, "AGENT")]), make_doc("MISSION", [(LEADER, "AGENT"), (AGENT, "AGENT")])):
        scores = score_event_arguments([Example(pred, gold)])
        counts = document_counts(doc_to_output(gold), doc_to_output(pred))
        for name in ("arg_i", "arg_c"):
            matched, predicted, _, in_gold = counts[INDEX[name]]
            assert scores[f"{name}_p"] == (matched / predicted if predicted else 0.0), name
            assert scores[f"{name}_r"] == matched / in_gold, name


def test_every_gold_argument_counts_when_nothing_was_predicted():
    gold = make_doc("MISSION", GOLD_LINKS)
    nlp = spacy.blank("en")
    scores = score_event_arguments([Example(nlp(TEXT), gold)])
    assert scores["arg_i_r"] == scores["arg_c_r"] == 0.0
    assert scores["arg_c_per_role"]["LEADER"]["r"] == 0.0
