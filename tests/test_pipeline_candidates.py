"""Candidate pairs and their feature strings: the cached, per-sentence code gives the first version's output.

The first version built every pair's features from Token and Span objects
and paired every trigger of a document with every entity before checking
the sentence. It is kept here as the reference; the tests compare on
documents parsed by en_core_web_md (the parse the default pipeline reads),
on a long document of many sentences, and without a parse.
"""
from typing import List

import pytest
import spacy

from csto_events.corpus.convert import records_to_docs
from csto_events.pipeline import candidates
from csto_events.pipeline.candidates import PairFeaturizer, candidate_pairs, pair_features, triggers_between
from csto_events.pipeline.scheme import ENTITY_LABELS, TRIGGER_LABELS, allowed_roles
from csto_events.training.pretrained import md_path


# --- the first version, the reference ---------------------------------------------------------

def reference_candidate_pairs(doc):
    sentence_of, current = [], -1
    has_sents = doc.has_annotation("SENT_START") or doc.has_annotation("DEP")
    for token in doc:
        if token.i == 0 or (has_sents and token.is_sent_start):
            current += 1
        sentence_of.append(current)
    triggers = [e for e in doc.ents if e.label_ in TRIGGER_LABELS]
    entities = [e for e in doc.ents if e.label_ in ENTITY_LABELS]
    return [
        (t.start, t.end, t.label_, e.start, e.end, e.label_)
        for t in triggers
        for e in entities
        if sentence_of[t.start] == sentence_of[e.start] and allowed_roles(t.label_, e.label_)
    ]


def reference_ancestors(token):
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 50:
        chain.append(chain[-1].head)
    return chain


def reference_dependency_path(a, b) -> List[str]:
    up, down = reference_ancestors(a), reference_ancestors(b)
    down_ids = {t.i: n for n, t in enumerate(down)}
    for n, token in enumerate(up):
        if token.i in down_ids:
            rise = [f"{t.dep_}^" for t in up[:n]]
            fall = [f"{t.dep_}v" for t in reversed(down[: down_ids[token.i]])]
            return rise + [f"<{token.lemma_.lower() if token.pos_ in ('ADP', 'VERB', 'AUX') else token.pos_}>"] + fall
    return ["nopath"]


def reference_pair_features(doc, pair, triggers_between) -> List[str]:
    ts, te, tl, as_, ae, al = pair
    trigger, entity = doc[ts:te], doc[as_:ae]
    labels = f"{tl}>{al}"
    direction = "after" if as_ >= te else "before"
    distance = as_ - te if as_ >= te else ts - ae
    feats = [
        f"pair={labels}",
        f"dist={labels}|{direction}|{candidates._bucket(distance)}",
        f"trig_between={labels}|{direction}|{min(triggers_between, 2)}",
        f"trig_head={trigger.root.lemma_.lower()}",
        f"trig_head_pair={labels}|{trigger.root.lemma_.lower()}",
    ]
    has_parse = doc.has_annotation("DEP")
    if has_parse:
        path = reference_dependency_path(trigger.root, entity.root)
        feats += [
            f"path={labels}|{'/'.join(path)}",
            f"path_len={labels}|{candidates._bucket(len(path))}",
            f"ent_dep={labels}|{entity.root.dep_}|{entity.root.head.lemma_.lower()}",
            f"ent_head={labels}|{entity.root.head.lemma_.lower()}",
            f"trig_dep={labels}|{trigger.root.dep_}",
        ]
        feats += [f"path_step={labels}|{step}" for step in path if step.startswith("<")]
    before = doc[as_ - 1].lower_ if as_ > 0 else "<s>"
    before2 = doc[as_ - 2].lower_ if as_ > 1 else "<s>"
    after = doc[ae].lower_ if ae < len(doc) else "</s>"
    feats += [
        f"ent_prev={labels}|{before}",
        f"ent_prev2={labels}|{before2} {before}",
        f"ent_next={labels}|{after}",
        f"ent_prev_dir={labels}|{direction}|{before}",
    ]
    lo, hi = (te, as_) if direction == "after" else (ae, ts)
    if hi - lo <= 6:
        between = " ".join(t.lower_ for t in doc[lo:hi])
        feats.append(f"between={labels}|{direction}|{between}")
        feats += [f"between_word={labels}|{direction}|{t.lemma_.lower() or t.lower_}" for t in doc[lo:hi]]
    return feats


def reference_triggers_between(pairs):
    trigger_starts = sorted({p[0] for p in pairs})
    counts = []
    for ts, te, _, as_, ae, _ in pairs:
        lo, hi = (te, as_) if as_ >= te else (ae, ts)
        counts.append(sum(1 for s in trigger_starts if lo <= s < hi and s != ts))
    return counts


# --- the tests ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def md():
    return spacy.load(md_path(), exclude=["ner"])


def parsed(md, gold_docs):
    """The gold texts parsed by en_core_web_md, with the gold spans as entities."""
    docs = []
    for gold, doc in zip(gold_docs, md.pipe(g.text for g in gold_docs)):
        doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in gold.ents]
        docs.append(doc)
    return docs


def assert_same_as_reference(doc):
    pairs = candidate_pairs(doc)
    assert pairs == reference_candidate_pairs(doc)
    between = triggers_between(pairs)
    assert between == reference_triggers_between(pairs)
    featurizer = PairFeaturizer(doc)
    for pair, n in zip(pairs, between):
        expected = reference_pair_features(doc, pair, n)
        assert featurizer.features(pair, n) == expected, pair
        assert pair_features(doc, pair, n) == expected
    return pairs, between


def test_parsed_features_equal_the_first_version(md, fixture_records):
    docs = parsed(md, records_to_docs(fixture_records))
    pairs = [assert_same_as_reference(doc)[0] for doc in docs]
    assert sum(map(len, pairs)) >= 10
    features = [f for doc, doc_pairs in zip(docs, pairs) for p in doc_pairs for f in pair_features(doc, p, 0)]
    assert any(f.startswith("path=") for f in features) and any(f.startswith("between_word=") for f in features)


def test_a_long_document_pairs_within_sentences_only(md, fixture_records):
    gold_docs = records_to_docs(fixture_records) * 15
    docs = parsed(md, gold_docs)
    long_doc = spacy.tokens.Doc.from_docs(docs)
    pairs, between = assert_same_as_reference(long_doc)
    assert len(pairs) == sum(len(candidate_pairs(doc)) for doc in docs), "no pair crosses a text"


def test_triggers_between_counts_the_other_triggers_inside_the_gap():
    # Triggers at 2, 6 and 9; entities before, between and after them.
    pairs = [(ts, ts + 1, "MEETING", as_, as_ + 1, "ORG") for ts in (2, 6, 9) for as_ in (0, 4, 8, 12)]
    assert triggers_between(pairs) == reference_triggers_between(pairs)
    counts = dict(zip([(p[0], p[3]) for p in pairs], triggers_between(pairs)))
    assert counts[(2, 12)] == 2 and counts[(9, 0)] == 2 and counts[(6, 4)] == 0 and counts[(2, 8)] == 1


def test_features_without_a_parse_equal_the_first_version(fixture_records):
    nlp = spacy.blank("en")
    nlp.add_pipe("csto_line_break_sentencizer")
    for gold in records_to_docs(fixture_records):
        doc = nlp(gold.text)
        doc.ents = [doc.char_span(e.start_char, e.end_char, label=e.label_) for e in gold.ents]
        pairs, _ = assert_same_as_reference(doc)
        assert pairs and not any(f.startswith("path=") for f in pair_features(doc, pairs[0], 0))


def test_a_doc_without_sentence_boundaries_is_one_sentence():
    nlp = spacy.blank("en")
    doc = nlp("NATO sent a mission. The OSCE held talks.")
    doc.ents = [spacy.tokens.Span(doc, 0, 1, "ORG"), spacy.tokens.Span(doc, 3, 4, "MISSION"),
                spacy.tokens.Span(doc, 6, 7, "ORG"), spacy.tokens.Span(doc, 8, 9, "MEETING")]
    assert not doc.has_annotation("SENT_START")
    assert candidate_pairs(doc) == reference_candidate_pairs(doc)
    assert len(candidate_pairs(doc)) == 4
