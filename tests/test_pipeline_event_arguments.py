"""The event-argument component learns, saves, loads, and respects the role table."""
import numpy
import pytest
import spacy
from spacy.training import Example
from spacy.util import fix_random_seed

from csto_events.corpus.convert import records_to_docs
from csto_events.pipeline.candidates import candidate_pairs
from csto_events.pipeline.event_arguments import NONE, best_allowed_role
from csto_events.pipeline.scheme import ROLES, allowed_roles


def make_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    nlp.add_pipe("csto_event_arguments", name="event_arguments")
    return nlp


def with_gold_ents(nlp, gold):
    """What an upstream NER would hand over: the text with its entities, no links."""
    doc = nlp.make_doc(gold.text)
    doc = nlp.get_pipe("csto_line_break_sentencizer")(doc)
    doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in gold.ents]
    return doc


def link_set(doc):
    return {(doc[ts:te].text, doc[as_:ae].text, role) for ts, te, as_, ae, role in doc._.event_links}


@pytest.fixture
def trained(fixture_records):
    fix_random_seed(0)
    gold_docs = records_to_docs(fixture_records)
    nlp = make_nlp()
    examples = [Example(with_gold_ents(nlp, g), g) for g in gold_docs]
    optimizer = nlp.initialize(lambda: examples)
    losses = []
    for _ in range(60):
        step = {}
        nlp.update(examples, sgd=optimizer, losses=step, annotates=["csto_line_break_sentencizer"])
        losses.append(step["event_arguments"])
    return nlp, gold_docs, losses


def test_overfits_tiny_corpus(trained):
    nlp, gold_docs, losses = trained
    assert losses[-1] < losses[0] / 10
    component = nlp.get_pipe("event_arguments")
    for gold in gold_docs:
        doc = component(with_gold_ents(nlp, gold))
        assert link_set(doc) == link_set(gold)


def test_save_and_load_give_identical_predictions(trained, tmp_path):
    nlp, gold_docs, _ = trained
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    for gold in gold_docs:
        a = nlp.get_pipe("event_arguments")(with_gold_ents(nlp, gold))
        b = loaded.get_pipe("event_arguments")(with_gold_ents(loaded, gold))
        assert a._.event_links == b._.event_links


def test_never_predicts_a_forbidden_pair(trained):
    nlp, gold_docs, _ = trained
    component = nlp.get_pipe("event_arguments")
    for gold in gold_docs:
        doc = with_gold_ents(nlp, gold)
        # Relabel every entity so many pairs become forbidden, then predict.
        doc.ents = [spacy.tokens.Span(doc, e.start, e.end, label="DATE" if e.label_ == "PERSON" else e.label_) for e in doc.ents]
        doc = component(doc)
        labels = {(e.start, e.end): e.label_ for e in doc.ents}
        for ts, te, as_, ae, role in doc._.event_links:
            assert role in allowed_roles(labels[(ts, te)], labels[(as_, ae)])


def test_best_allowed_role_masks_the_role_table():
    classes = (NONE,) + ROLES
    row = numpy.zeros(len(classes))
    row[classes.index("LEADER")] = 5.0  # LEADER is never allowed from a MEETING
    row[classes.index("PARTICIPANT")] = 1.0
    assert best_allowed_role(row, "MEETING", "PERSON", classes) == "PARTICIPANT"
    assert best_allowed_role(row, "MISSION", "PERSON", classes) == "LEADER"
    assert best_allowed_role(row, "MEETING", "DATE", classes) is None


def test_best_allowed_role_reads_columns_by_the_given_classes():
    classes = (NONE, "TIME", "PARTICIPANT", "LEADER", "AGENT")
    row = numpy.array([0.1, 0.0, 0.7, 0.0, 0.2])
    assert best_allowed_role(row, "MEETING", "ORG", classes) == "PARTICIPANT"
    # A role the model was not trained on is never chosen, whatever the scheme allows.
    assert best_allowed_role(row[:4], "MISSION", "ORG", classes[:4]) is None


def test_a_pipeline_saved_with_another_role_order_predicts_the_same_roles(trained, tmp_path):
    """Permute the saved role order and the output rows with it: the roles predicted stay the same.

    This is what a model trained by code with another ``ROLES`` order looks
    like on disk; reading columns by the scheme's constant would mislabel it.
    """
    nlp, gold_docs, _ = trained
    before = [link_set(nlp.get_pipe("event_arguments")(with_gold_ents(nlp, g))) for g in gold_docs]
    assert any(role == "LEADER" for links in before for _, _, role in links), "the trained component links a leader"
    nlp.to_disk(tmp_path / "original")
    permuted = spacy.load(tmp_path / "original")
    component = permuted.get_pipe("event_arguments")
    old_classes = (NONE,) + tuple(component.cfg["labels"])
    # AGENT and LEADER change places: a mission's leader read through the old order would become its agent.
    new_labels = ["LEADER", "AGENT", "TIME", "PARTICIPANT"]
    assert sorted(new_labels) == sorted(component.cfg["labels"])
    component.cfg["labels"] = new_labels
    rows = [old_classes.index(name) for name in [NONE] + new_labels]
    output = component.model.get_ref("output_layer")
    output.set_param("W", output.get_param("W")[rows])
    output.set_param("b", output.get_param("b")[rows])
    permuted.to_disk(tmp_path / "permuted")

    loaded = spacy.load(tmp_path / "permuted")
    assert loaded.get_pipe("event_arguments").labels == tuple(new_labels) != ROLES
    after = [link_set(loaded.get_pipe("event_arguments")(with_gold_ents(loaded, g))) for g in gold_docs]
    assert after == before


def test_candidates_stay_in_sentence_and_role_table(fixture_records):
    doc = records_to_docs(fixture_records[1:])[0]
    pairs = candidate_pairs(doc)
    sentences = {t.i: t.sent.start for t in doc}
    assert pairs, "the fixture has triggers with entities"
    for ts, te, tl, as_, ae, al in pairs:
        assert sentences[ts] == sentences[as_]
        assert allowed_roles(tl, al)


def _doc_with_spans(nlp, text, spans):
    doc = nlp.get_pipe("csto_line_break_sentencizer")(nlp.make_doc(text))
    doc.ents = [doc.char_span(text.index(surface), text.index(surface) + len(surface), label=label) for surface, label in spans]
    return doc


def test_the_dateline_rule_removes_only_time_links_to_dateline_dates(trained):
    nlp, _, _ = trained
    component = nlp.get_pipe("event_arguments")
    text = "MOSCOW, March 3 (TASS) - The CSTO sent a mission to Yerevan on Thursday."
    spans = [("March 3", "DATE"), ("TASS", "ORG"), ("CSTO", "ORG"), ("mission", "MISSION"), ("Thursday", "DATE")]

    def links(rule_on):
        doc = _doc_with_spans(nlp, text, spans)
        inputs, scores = component.predict([doc])
        # Every pair scored as its best allowed role, so the rule is what decides.
        scores = numpy.ones_like(component.model.ops.to_numpy(scores))
        scores[:, component.classes.index(NONE)] = 0.0
        component.cfg["unlink_dateline_dates"] = rule_on
        component.set_annotations([doc], (inputs, scores))
        return link_set(doc)

    try:
        without, with_rule = links(False), links(True)
    finally:
        component.cfg["unlink_dateline_dates"] = False
    assert ("mission", "March 3", "TIME") in without
    assert without - with_rule == {("mission", "March 3", "TIME")}


def test_the_title_rule_removes_only_links_to_an_org_in_a_persons_title(trained):
    from spacy.tokens import Doc

    from csto_events.training.pretrained import md_path

    nlp, _, _ = trained
    component = nlp.get_pipe("event_arguments")
    text = "CSTO Secretary General Imangali Tasmagambetov met officials of the European Union on Thursday."
    parsed = spacy.load(md_path(), exclude=["ner"])(text)
    # The parse the rule reads, on a Doc of the fixture pipeline's own vocab.
    doc = Doc(nlp.vocab, words=[t.text for t in parsed], spaces=[bool(t.whitespace_) for t in parsed],
              heads=[t.head.i for t in parsed], deps=[t.dep_ for t in parsed], sent_starts=[t.is_sent_start for t in parsed])
    spans = [("CSTO", "ORG"), ("Imangali Tasmagambetov", "PERSON"), ("met", "MEETING"), ("European Union", "ORG"), ("Thursday", "DATE")]
    doc.ents = [doc.char_span(text.index(w), text.index(w) + len(w), label=label) for w, label in spans]

    def links(rule_on):
        inputs, scores = component.predict([doc])
        scores = numpy.ones_like(component.model.ops.to_numpy(scores))
        scores[:, component.classes.index(NONE)] = 0.0
        component.cfg["unlink_title_orgs"] = rule_on
        component.set_annotations([doc], (inputs, scores))
        return {(t, a) for t, a, _ in link_set(doc)}

    try:
        without, with_rule = links(False), links(True)
    finally:
        component.cfg["unlink_title_orgs"] = False
    assert ("met", "CSTO") in without
    assert without - with_rule == {("met", "CSTO")}


def test_extra_predicted_ents_pairs_the_spurious_spans_as_none(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    component = nlp.add_pipe("csto_event_arguments", name="event_arguments", config={"extra_predicted_ents": True})
    text = "The CSTO sent a mission to Yerevan in May after the summit."
    gold = _doc_with_spans(nlp, text, [("CSTO", "ORG"), ("mission", "MISSION"), ("May", "DATE")])
    gold._.event_links = [(4, 5, 1, 2, "AGENT"), (4, 5, 8, 9, "TIME")]
    # The ner found "The CSTO" (overlaps gold "CSTO": left out) and a spurious MEETING "summit".
    predicted = _doc_with_spans(nlp, text, [("The CSTO", "ORG"), ("mission", "MISSION"), ("summit", "MEETING"), ("May", "DATE")])
    inputs, truths = component._training_inputs([Example(predicted, gold)])
    (_, pairs), = inputs
    roles = {(predicted[ts:te].text, predicted[as_:ae].text): component.classes[t] for (ts, te, _, as_, ae, _), t in zip(pairs, truths)}
    assert roles == {
        ("mission", "CSTO"): "AGENT", ("mission", "May"): "TIME",
        ("summit", "CSTO"): NONE, ("summit", "May"): NONE,
    }
    component.cfg["extra_predicted_ents"] = False
    inputs, _ = component._training_inputs([Example(predicted, gold)])
    assert {predicted[p[0]:p[1]].text for p in inputs[0][1]} == {"mission"}  # gold entities only


def test_extra_predicted_ents_needs_the_gold_entities():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="needs use_gold_ents"):
        nlp.add_pipe("csto_event_arguments", config={"extra_predicted_ents": True, "use_gold_ents": False})
