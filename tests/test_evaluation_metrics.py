"""Scores of tiny hand-made gold/prediction pairs, every expected number worked out by hand.

Gold: "CSTO sent a monitoring mission led by Zas on Friday." with ORG CSTO,
MISSION "monitoring mission", PERSON Zas, DATE Friday, and the mission's
arguments AGENT CSTO, LEADER Zas, TIME Friday.
"""
import pytest

from csto_events.evaluation.metrics import (
    METRICS, confusion_matrix, corpus_counts, document_counts, document_errors, error_examples, score,
)

TEXT = "CSTO sent a monitoring mission led by Zas on Friday."
GOLD_SPANS = [("ORG", "CSTO"), ("MISSION", "monitoring mission"), ("PERSON", "Zas"), ("DATE", "Friday")]
GOLD_ARGS = [("AGENT", "CSTO"), ("LEADER", "Zas"), ("TIME", "Friday")]


def span(text, surface, label=None):
    start = text.index(surface)
    out = {"start": start, "end": start + len(surface), "text": surface}
    return {"label": label, **out} if label else out


def output(spans, events, text=TEXT, doc_id="d1"):
    """spans: [(label, surface)]; events: [(type, trigger surface, [(role, surface)])]."""
    labels = {surface: label for label, surface in spans}
    return {
        "id": doc_id,
        "text": text,
        "entities": sorted((span(text, s, l) for l, s in spans), key=lambda e: e["start"]),
        "events": [
            {"type": t, "trigger": span(text, trig),
             "arguments": [{"role": r, **span(text, s, labels[s])} for r, s in args]}
            for t, trig, args in events
        ],
    }


GOLD = output(GOLD_SPANS, [("MISSION", "monitoring mission", GOLD_ARGS)])


def scores(gold, pred):
    return score(document_counts(gold, pred))


def prf(entry):
    return entry["p"], entry["r"], entry["f"]


def test_perfect_prediction_scores_one_everywhere_with_gold():
    s = scores(GOLD, GOLD)
    for metric in ["ORG.strict", "PERSON.partial", "DATE.strict", "MISSION.strict", "entities.strict",
                   "entities.partial", "trig_i", "trig_c", "arg_i", "arg_c", "arg_c.LEADER", "arg_i.TIME"]:
        assert prf(s[metric]) == (1.0, 1.0, 1.0), metric
    assert s["entities.strict"]["gold"] == 3 and s["arg_c"]["gold"] == 3
    # Nothing of these in gold or prediction: undefined, not 0 or 1.
    assert prf(s["MEETING.strict"]) == (None, None, None)
    assert prf(s["arg_c.PARTICIPANT"]) == (None, None, None)


def test_one_missed_date_loses_its_span_and_its_argument():
    pred = output(GOLD_SPANS[:3], [("MISSION", "monitoring mission", GOLD_ARGS[:2])])
    s = scores(GOLD, pred)
    # entities: 2 of 3 found, nothing spurious -> P 1, R 2/3, F 0.8
    assert prf(s["entities.strict"]) == (1.0, 0.6667, 0.8)
    assert prf(s["DATE.strict"]) == (0.0, 0.0, 0.0)
    assert prf(s["ORG.strict"]) == (1.0, 1.0, 1.0)
    assert prf(s["arg_c"]) == (1.0, 0.6667, 0.8)
    assert prf(s["arg_i"]) == (1.0, 0.6667, 0.8)
    assert prf(s["arg_c.TIME"]) == (0.0, 0.0, 0.0)
    assert prf(s["arg_c.LEADER"]) == (1.0, 1.0, 1.0)
    assert prf(s["trig_c"]) == (1.0, 1.0, 1.0)


def test_one_wrong_label_is_a_miss_and_a_spurious_span():
    spans = [("ORG", "CSTO"), ("MISSION", "monitoring mission"), ("ORG", "Zas"), ("DATE", "Friday")]
    pred = output(spans, [("MISSION", "monitoring mission", [("AGENT", "CSTO"), ("TIME", "Friday")])])
    s = scores(GOLD, pred)
    assert prf(s["entities.strict"]) == (0.6667, 0.6667, 0.6667)
    assert prf(s["ORG.strict"]) == (0.5, 1.0, 0.6667)  # CSTO right, Zas spurious
    assert prf(s["PERSON.strict"]) == (0.0, 0.0, 0.0)
    assert prf(s["PERSON.partial"]) == (0.0, 0.0, 0.0)  # overlap must keep the label
    matrix = confusion_matrix([GOLD], [pred])
    labels = matrix["labels"]
    assert matrix["matrix"][labels.index("PERSON")][labels.index("ORG")] == 1
    assert matrix["matrix"][labels.index("ORG")][labels.index("ORG")] == 1
    assert sum(map(sum, matrix["matrix"])) == 4


def test_one_wrong_role_keeps_identification_and_loses_classification():
    args = [("AGENT", "CSTO"), ("AGENT", "Zas"), ("TIME", "Friday")]
    pred = output(GOLD_SPANS, [("MISSION", "monitoring mission", args)])
    s = scores(GOLD, pred)
    assert prf(s["arg_i"]) == (1.0, 1.0, 1.0)
    assert prf(s["arg_c"]) == (0.6667, 0.6667, 0.6667)
    assert prf(s["arg_c.AGENT"]) == (0.5, 1.0, 0.6667)
    assert prf(s["arg_c.LEADER"]) == (0.0, 0.0, 0.0)
    # identified under its gold role: LEADER pair found, AGENT not inflated
    assert prf(s["arg_i.LEADER"]) == (1.0, 1.0, 1.0)
    assert prf(s["arg_i.AGENT"]) == (1.0, 1.0, 1.0)
    assert prf(s["entities.strict"]) == (1.0, 1.0, 1.0)


def test_partial_overlap_of_a_trigger():
    pred = output(
        [("ORG", "CSTO"), ("MISSION", "mission"), ("PERSON", "Zas"), ("DATE", "Friday")],
        [("MISSION", "mission", GOLD_ARGS)],
    )
    s = scores(GOLD, pred)
    assert prf(s["MISSION.strict"]) == (0.0, 0.0, 0.0)
    assert prf(s["MISSION.partial"]) == (1.0, 1.0, 1.0)
    assert prf(s["triggers.partial"]) == (1.0, 1.0, 1.0)
    assert prf(s["trig_i"]) == (0.0, 0.0, 0.0)
    # arguments hang on the wrong trigger span: all three gold ones missed
    assert s["arg_c"]["gold_matched"] == 0 and s["arg_c"]["gold"] == 3 and s["arg_c"]["pred"] == 3
    assert prf(s["entities.strict"]) == (1.0, 1.0, 1.0)


def test_partial_counts_each_side_when_one_span_covers_two():
    text = "The Collective Security Treaty Organization (CSTO) met."
    gold = output([("ORG", "Collective Security Treaty Organization"), ("ORG", "CSTO")], [], text)
    pred = output([("ORG", "Collective Security Treaty Organization (CSTO")], [], text)
    s = scores(gold, pred)
    assert prf(s["ORG.strict"]) == (0.0, 0.0, 0.0)
    assert s["ORG.partial"]["pred_matched"] == 1 and s["ORG.partial"]["gold_matched"] == 2
    assert prf(s["ORG.partial"]) == (1.0, 1.0, 1.0)


def test_every_gold_argument_counts_when_the_trigger_is_missed():
    pred = output([("ORG", "CSTO"), ("PERSON", "Zas"), ("DATE", "Friday")], [])
    s = scores(GOLD, pred)
    assert s["arg_c"]["gold"] == 3 and s["arg_c"]["gold_matched"] == 0
    assert prf(s["arg_c"]) == (0.0, 0.0, 0.0)
    assert prf(s["arg_i.LEADER"]) == (0.0, 0.0, 0.0)


def test_micro_scores_sum_counts_over_texts():
    miss = output(GOLD_SPANS[:3], [("MISSION", "monitoring mission", GOLD_ARGS[:2])], doc_id="d2")
    gold2 = dict(GOLD, id="d2")
    counts = corpus_counts([GOLD, gold2], [GOLD, miss])
    assert counts.shape == (2, len(METRICS), 4)
    s = score(counts)
    # 5 of 6 entities found, none spurious: P 1, R 5/6, F 10/11
    assert prf(s["entities.strict"]) == (1.0, 0.8333, 0.9091)


def test_errors_list_what_differs():
    pred = output([("ORG", "CSTO"), ("MISSION", "monitoring mission"), ("ORG", "Zas")],
                  [("MISSION", "monitoring mission", [("AGENT", "Zas")])])
    errors = document_errors(GOLD, pred)
    assert [(s["label"], s["text"]) for s in errors["missed_spans"]] == [("PERSON", "Zas"), ("DATE", "Friday")]
    assert [(s["label"], s["text"]) for s in errors["spurious_spans"]] == [("ORG", "Zas")]
    assert {(a["role"], a["argument"]) for a in errors["missed_arguments"]} == {("AGENT", "CSTO"), ("LEADER", "Zas"), ("TIME", "Friday")}
    assert [(a["role"], a["argument"]) for a in errors["spurious_arguments"]] == [("AGENT", "Zas")]
    assert error_examples([GOLD, GOLD], [GOLD, pred], limit=5)[0]["id"] == "d1"
    assert len(error_examples([GOLD, GOLD], [GOLD, pred], limit=5)) == 1


@pytest.mark.parametrize("metric", METRICS)
def test_every_metric_is_defined_for_the_perfect_case_or_undefined_when_empty(metric):
    entry = scores(GOLD, GOLD)[metric]
    assert entry["f"] in (1.0, None)
    assert (entry["f"] is None) == (entry["gold"] == 0)
