"""Stored predictions re-decoded with the NER rules: spans, links that follow them, and the paired scores."""
import pytest
import spacy

from csto_events.evaluation.bootstrap import BootstrapSettings
from csto_events.evaluation.documents import GoldSet
from csto_events.evaluation.rescore import RULES_EXCLUDED, apply_rules_to_output, markdown, rescore
from csto_events.training.pretrained import md_path

TEXT = "Three sessions were convened by Halden Airways and Nikol Pashinyan on Monday."


def _span(text, words, label, **extra):
    start = text.index(words)
    return {"label": label, "start": start, "end": start + len(words), "text": words, **extra}


def _event(text, trigger, label, *arguments):
    t = _span(text, trigger, label)
    return {"type": label, "trigger": {k: t[k] for k in ("start", "end", "text")},
            "arguments": [{"role": role, **_span(text, words, arg_label)} for role, words, arg_label in arguments]}


@pytest.fixture(scope="module")
def parser():
    return spacy.load(md_path(), exclude=RULES_EXCLUDED)


def _predicted():
    return {
        "id": "t1", "text": TEXT,
        "entities": [_span(TEXT, "sessions", "MEETING"), _span(TEXT, "convened", "MEETING"),
                     _span(TEXT, "Halden Airways and", "PERSON"), _span(TEXT, "Nikol Pashinyan", "PERSON"),
                     _span(TEXT, "Monday", "DATE")],
        "events": [
            _event(TEXT, "sessions", "MEETING", ("AGENT", "Halden Airways and", "PERSON"), ("TIME", "Monday", "DATE")),
            _event(TEXT, "convened", "MEETING", ("AGENT", "Nikol Pashinyan", "PERSON")),
        ],
    }


def test_links_follow_their_spans_and_go_with_a_dropped_trigger(parser):
    out = apply_rules_to_output(_predicted(), parser)
    assert [(e["text"], e["label"]) for e in out["entities"]] == [
        ("sessions", "MEETING"), ("Halden Airways", "ORG"), ("Nikol Pashinyan", "PERSON"), ("Monday", "DATE")]
    [event] = out["events"]
    assert event["trigger"]["text"] == "sessions"
    assert [(a["role"], a["text"], a["label"]) for a in event["arguments"]] == [
        ("AGENT", "Halden Airways", "ORG"), ("TIME", "Monday", "DATE")]


def test_a_role_the_new_label_does_not_allow_is_dropped(parser):
    text = "A mission headed by Vellan University arrived."
    predicted = {"id": "t2", "text": text,
                 "entities": [_span(text, "mission", "MISSION"), _span(text, "Vellan University", "PERSON")],
                 "events": [_event(text, "mission", "MISSION", ("LEADER", "Vellan University", "PERSON"))]}
    out = apply_rules_to_output(predicted, parser)
    assert out["events"][0]["arguments"] == []  # LEADER points to a PERSON only


def test_rescore_scores_both_ways_on_the_same_texts(parser):
    gold = {
        "id": "t1", "text": TEXT,
        "entities": [_span(TEXT, "sessions", "MEETING"), _span(TEXT, "Halden Airways", "ORG"),
                     _span(TEXT, "Nikol Pashinyan", "PERSON"), _span(TEXT, "Monday", "DATE")],
        "events": [_event(TEXT, "sessions", "MEETING", ("AGENT", "Halden Airways", "ORG"), ("AGENT", "Nikol Pashinyan", "PERSON"),
                          ("TIME", "Monday", "DATE"))],
    }
    result = rescore([("stored", GoldSet([gold], ["a"]), [_predicted()])], parser, BootstrapSettings(resamples=50),
                     ner_rules=("trim_boundaries", "org_head_words", "drop_redundant_meeting_verbs"))
    row = result["rows"]["stored"]
    assert row["after"]["entities.strict"] == 1.0 and row["before"]["entities.strict"] < 1.0
    assert row["after"]["trig_c"] == 1.0 and row["before"]["trig_c"] < 1.0
    assert row["paired"]["arg_c"]["delta"] > 0
    assert row["changed"] and row["changed"][0]["id"] == "t1"
    assert "| stored |" in markdown(result)
    assert "(trim_boundaries, org_head_words, drop_redundant_meeting_verbs) on" in markdown(result)
