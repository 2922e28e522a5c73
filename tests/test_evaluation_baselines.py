"""The baselines: rule roles learned from training, the rule component, the keyword and NER rows."""
import pytest
import spacy

from csto_events.corpus.convert import records_to_docs
from csto_events.corpus.markup import parse
from csto_events.evaluation.baselines import ROWS, SM_PACKAGE, learn_rule_roles, rules_pipeline, run_baselines
from csto_events.evaluation.documents import gold_from_docs
from csto_events.evaluation.rules import KeepEntityLabels, RuleArguments

TRAIN = """# id: train-1

The [CSTO]{ORG:c} sent a [mission]{MISSION:m} led by [Zas]{PERSON:z} on [Friday]{DATE:f}.
>> m AGENT c
>> m LEADER z
>> m TIME f

[Ivanov]{PERSON:i} and [Petrov]{PERSON:p} attended the [summit]{MEETING:s} hosted by the [OSCE]{ORG:o}.
>> s PARTICIPANT i
>> s PARTICIPANT p
>> s AGENT o

[Kim]{PERSON:k} chaired the [meeting]{MEETING:t}.
>> t AGENT k
"""

TEST = """# id: test-1

The [OSCE]{ORG:o} held a [summit]{MEETING:s} on [Monday]{DATE:d}.
>> s AGENT o
>> s TIME d

A [monitoring mission]{MISSION:m} led by [Lee]{PERSON:l} left. [Kim]{PERSON:k} stayed.
>> m LEADER l
"""


@pytest.fixture(scope="module")
def train_docs():
    return records_to_docs([parse(TRAIN)])


def test_rule_roles_are_the_most_common_per_label_pair(train_docs):
    roles, evidence = learn_rule_roles(train_docs)
    assert roles["MEETING>PERSON"] == "PARTICIPANT"  # 2 PARTICIPANT vs 1 AGENT
    assert roles["MEETING>ORG"] == "AGENT"
    assert roles["MISSION>PERSON"] == "LEADER"
    assert roles["MISSION>DATE"] == "TIME"
    assert roles["MEETING>DATE"] == "TIME"  # never seen: the only allowed role
    assert roles["MISSION>ORG"] == "AGENT"
    assert evidence["MEETING>PERSON"] == {"AGENT": 1, "PARTICIPANT": 2}
    assert "MEETING>DATE" not in evidence
    assert set(roles) == {"MISSION>ORG", "MISSION>PERSON", "MISSION>DATE", "MEETING>ORG", "MEETING>PERSON", "MEETING>DATE"}


def test_rule_roles_break_ties_in_scheme_order():
    doc = records_to_docs([parse("# id: t\n\n[Zas]{PERSON:z} headed the [mission]{MISSION:m}. [Kim]{PERSON:k} sent a [mission]{MISSION:n}.\n>> m LEADER z\n>> n AGENT k\n")])
    roles, _ = learn_rule_roles(doc)
    assert roles["MISSION>PERSON"] == "AGENT"


def test_rule_component_links_every_entity_in_the_trigger_sentence_only():
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    doc = nlp("The OSCE held a summit on Monday. Lee stayed.")
    doc.ents = [doc.char_span(0 + 4, 8, "ORG"), doc.char_span(16, 22, "MEETING"), doc.char_span(26, 32, "DATE"),
                doc.char_span(34, 37, "PERSON")]
    RuleArguments({"MEETING>ORG": "AGENT", "MEETING>DATE": "TIME", "MEETING>PERSON": "PARTICIPANT"})(doc)
    links = {(doc[a:b].text, role) for _, _, a, b, role in doc._.event_links}
    assert links == {("OSCE", "AGENT"), ("Monday", "TIME")}  # Lee is in the next sentence


def test_rule_component_refuses_a_role_the_scheme_forbids():
    with pytest.raises(ValueError, match="not allowed"):
        RuleArguments({"MEETING>PERSON": "LEADER"})


def test_keep_entity_labels_drops_other_labels():
    nlp = spacy.blank("en")
    doc = nlp("Pashinyan went to Yerevan")
    doc.ents = [doc.char_span(0, 9, "PERSON"), doc.char_span(18, 25, "GPE")]
    assert [e.label_ for e in KeepEntityLabels(["ORG", "PERSON", "DATE"])(doc).ents] == ["PERSON"]


def test_keyword_rows_find_triggers_from_the_lexicon():
    nlp = rules_pipeline(SM_PACKAGE, {"MEETING>ORG": "AGENT"})
    _, disabled, _, _ = ROWS["keyword triggers"]
    with nlp.select_pipes(disable=list(disabled)):
        doc = nlp("The extraordinary session ended.\nA monitoring mission left for the border.")
    assert [(e.text, e.label_) for e in doc.ents] == [("extraordinary session", "MEETING"), ("monitoring mission", "MISSION")]


def test_all_baseline_rows_score_on_the_same_gold(train_docs):
    gold = gold_from_docs(records_to_docs([parse(TEST)]), "test")
    runs = {run.name: run for run in run_baselines(gold, train_docs)}
    assert list(runs) == list(ROWS)
    assert runs["en_core_web_sm"].covers == ("entities",) and runs["en_core_web_sm"].gold_input is None
    assert runs["keyword triggers"].covers == ("triggers",)
    for name in ("en_core_web_sm", "en_core_web_md"):
        labels = {e["label"] for out in runs[name].predictions for e in out["entities"]}
        assert labels <= {"ORG", "PERSON", "DATE"} and all(not out["events"] for out in runs[name].predictions)
    keyword = runs["keyword triggers"].predictions[0]
    assert {e["text"] for e in keyword["entities"]} == {"summit", "monitoring mission"}
    # From gold entities: every entity of the trigger's sentence, with the learned role; Kim is in another sentence.
    rules = runs["rules"]
    (out,) = rules.gold_input
    links = {(ev["trigger"]["text"], a["role"], a["text"]) for ev in out["events"] for a in ev["arguments"]}
    assert links == {("summit", "AGENT", "OSCE"), ("summit", "TIME", "Monday"), ("monitoring mission", "LEADER", "Lee")}
    assert rules.details["rule_roles"]["MEETING>PERSON"] == "PARTICIPANT"
