"""The label scheme's rules over the NER's spans: each rule alone, the component, and the corpus gold."""
import json
from pathlib import Path
from typing import List, Tuple

import pytest
import spacy
from spacy.tokens import Doc, Span

from csto_events.pipeline.ner_rules import (
    apply_rules,
    non_meeting_verb_senses,
    redundant_meeting_verbs,
    relabel_org_head_words,
    trim_boundaries,
    trim_to_scheme,
)
from csto_events.training.pretrained import md_path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def parser():
    """en_core_web_md's tagger and parser: the rules read POS and dependencies."""
    return spacy.load(md_path(), exclude=["ner"])


def _doc(parser, text: str, spans: List[Tuple[str, str]]) -> Tuple[Doc, List[Span]]:
    """``text`` parsed, and each (words, label) as a span at the words' first occurrence."""
    doc = parser(text)
    ents = []
    for words, label in spans:
        start = text.index(words)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        ents.append(span)
    return doc, ents


def _texts(spans: List[Span]) -> List[Tuple[str, str]]:
    return [(s.text, s.label_) for s in spans]


@pytest.mark.parametrize("text, span, label, expected", [
    ("Archaeologists from the Tarnby Museum and Vellan University spoke.", "Tarnby Museum and", "ORG", "Tarnby Museum"),
    ("He criticised the CSTO secretariat's silence.", "CSTO secretariat's", "ORG", "CSTO secretariat"),
    ("They met before the summit on Friday.", "the summit", "MEETING", "summit"),
    ("The team stayed for a week in Osh.", "a week", "DATE", "a week"),
    ("The team stayed for a week in Osh.", "a week in", "DATE", "a week in"),
    ("Officials from Geneva/Addis Ababa, New York and Vienna met.", "Geneva/Addis Ababa,", "ORG", "Geneva/Addis Ababa"),
    ("(CSTO) officials said.", "(CSTO)", "ORG", "CSTO"),
])
def test_edges_the_scheme_excludes_are_cut(parser, text, span, label, expected):
    doc, ents = _doc(parser, text, [(span, label)])
    assert _texts(trim_boundaries(doc, ents)) == [(expected, label)]


def test_a_span_of_nothing_but_excluded_words_is_dropped(parser):
    doc = parser("It rained , and then stopped.")
    assert trim_to_scheme(doc, 2, 4, "ORG") is None  # ", and"
    assert trim_boundaries(doc, [Span(doc, 2, 4, label="ORG")]) == []


@pytest.mark.parametrize("name, label", [
    ("Tarnby Airlines", "ORG"), ("Quillon Pharmaceuticals", "ORG"), ("Vellan University", "ORG"),
    ("Mara Press", "ORG"), ("Stanislav Zas", "PERSON"), ("John Banks", "PERSON"), ("Press", "PERSON"),
])
def test_a_person_ending_in_an_organisations_head_word_is_an_org(parser, name, label):
    doc, ents = _doc(parser, f"Shares of {name} rose on Tuesday.", [(name, "PERSON")])
    assert _texts(relabel_org_head_words(doc, ents)) == [(name, label)]


def test_only_persons_are_relabelled(parser):
    doc, ents = _doc(parser, "The Collective Security Council met.", [("Collective Security Council", "ORG")])
    assert _texts(relabel_org_head_words(doc, ents)) == [("Collective Security Council", "ORG")]


@pytest.mark.parametrize("text, spans, dropped", [
    ("Three sessions were convened by Nikol Pashinyan.", [("sessions", "MEETING"), ("convened", "MEETING")], ["convened"]),
    ("The council convened five sessions in a month.", [("convened", "MEETING"), ("sessions", "MEETING")], ["convened"]),
    ("The ministers will gather for a summit in Minsk.", [("gather", "MEETING"), ("summit", "MEETING")], ["gather"]),
    ("The ministers met in Baku before the summit in Minsk.", [("met", "MEETING"), ("summit", "MEETING")], []),
    ("Tasmagambetov also met with Suren Papikyan.", [("met", "MEETING")], []),
])
def test_a_verb_trigger_is_dropped_only_when_a_meeting_noun_carries_its_event(parser, text, spans, dropped):
    doc, ents = _doc(parser, text, spans)
    assert [s.text for s in redundant_meeting_verbs(ents)] == dropped


@pytest.mark.parametrize("text, spans, dropped", [
    ("The ministry failed to meet the deadline set in May.", [("meet", "MEETING")], ["meet"]),
    ("No notification had been received by the secretariat.", [("received", "MEETING")], ["received"]),
    ("The governor visited the mill on Friday.", [("visited", "MEETING")], ["visited"]),
    ("Vell received a letter from the council.", [("received", "MEETING")], ["received"]),
    ("Dahl received the delegation on Friday.", [("received", "MEETING")], []),
    ("Dahl met representatives of the council.", [("met", "MEETING")], []),
    ("The observers visited Yerevan in May.", [("visited", "MEETING")], []),
    ("The commission meets twice a year.", [("meets", "MEETING"), ("twice a year", "DATE")], []),
])
def test_a_verb_trigger_is_dropped_when_its_object_is_a_thing_not_people(parser, text, spans, dropped):
    doc, ents = _doc(parser, text, spans)
    assert [s.text for s in non_meeting_verb_senses(ents)] == dropped


def test_the_component_applies_the_configured_rules_in_order(parser):
    nlp = spacy.blank("en")
    rules = nlp.add_pipe("csto_ner_rules", config={"drop_redundant_meeting_verbs": False})
    doc, ents = _doc(parser, "Three sessions were convened by Halden Airways and.", [
        ("sessions", "MEETING"), ("convened", "MEETING"), ("Halden Airways and", "PERSON")])
    doc.ents = ents
    rules(doc)
    assert _texts(list(doc.ents)) == [("sessions", "MEETING"), ("convened", "MEETING"), ("Halden Airways", "ORG")]
    doc.ents = ents
    assert _texts(apply_rules(doc, ents)) == [("sessions", "MEETING"), ("Halden Airways", "ORG")]


def test_rules_run_in_their_dependency_order_whatever_order_they_are_named_in(parser):
    doc, ents = _doc(parser, "Three sessions were convened by Halden Airways and.", [
        ("sessions", "MEETING"), ("convened", "MEETING"), ("Halden Airways and", "PERSON")])
    named = ("org_head_words", "trim_boundaries")
    assert _texts(apply_rules(doc, ents, named)) == [
        ("sessions", "MEETING"), ("convened", "MEETING"), ("Halden Airways", "ORG")], "trimmed first, then relabelled"
    assert _texts(apply_rules(doc, ents, ())) == _texts(ents)


def test_an_unknown_rule_name_is_an_error_that_names_it():
    with pytest.raises(ValueError, match="unknown NER rule.s. drop_everything; the rules are trim_boundaries"):
        apply_rules(spacy.blank("en")("x"), [], ["drop_everything"])


def test_no_rule_changes_a_gold_span_of_the_corpus(parser):
    """The rules enforce the scheme, so on the shipped gold they must change nothing."""
    changed, spans = [], 0
    for path in sorted(CORPUS.glob("*/*.jsonl")):
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        docs = parser.pipe(r["text"] for r in records)
        for n, (record, doc) in enumerate(zip(records, docs), start=1):
            ents = [doc.char_span(e["start_offset"], e["end_offset"], label=e["label"]) for e in record["entities"]]
            assert all(e is not None for e in ents), f"{path}:{n}: a gold span off token boundaries"
            spans += len(ents)
            before = sorted((e.start_char, e.end_char, e.label_) for e in ents)
            after = sorted((e.start_char, e.end_char, e.label_) for e in apply_rules(doc, ents))
            if before != after:
                changed.append(f"{path}:{n}: {sorted(set(before) ^ set(after))}")
    assert spans > 3000
    assert not changed, changed[:5]


@pytest.mark.parametrize("text,spans,completed", [
    ("The ministers held a joint press conference in Astana.", [("joint press", "MEETING")], ["joint press conference"]),
    ("An election observation mission arrived on Monday.", [("election observation", "MISSION")], ["election observation mission"]),
    ("The council met in an emergency session on Tuesday.", [("session", "MEETING")], ["emergency session"]),
    ("Aliyev and Pashinyan held bilateral talks in Brussels.", [("talks", "MEETING")], ["bilateral talks"]),
    # the noun after the span is not a mission or meeting: the trigger is the modifier's own noun
    ("The mission head said the talks went well.", [("mission", "MISSION"), ("talks", "MEETING")], ["mission", "talks"]),
    ("The team heads to Bishkek on Friday.", [("team", "MISSION")], ["team"]),
    # a word that is no kind of meeting, or one inside another span, stays out
    ("They met at a plenary session of the council.", [("session", "MEETING")], ["session"]),
    ("An emergency CSTO summit was called.", [("emergency", "DATE"), ("summit", "MEETING")], ["emergency", "summit"]),
])
def test_a_trigger_is_completed_to_the_phrase_that_names_the_event(parser, text, spans, completed):
    from csto_events.pipeline.ner_rules import complete_trigger_phrases

    doc, ents = _doc(parser, text, spans)
    assert [s.text for s in complete_trigger_phrases(doc, ents)] == completed
